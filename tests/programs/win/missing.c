/* Calls SetVolumeLabelW (which sysvec does not provide: a volume's label belongs to the host)
   when given "label", and ole32's CoTreatAsClass (nor that: no COM classes are registered)
   when given "com". */
#include <windows.h>
#include <objbase.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
    printf("before\n"); fflush(stdout);
    if (argc > 1 && !strcmp(argv[1], "label")) SetVolumeLabelW(L"C:\\", L"guest");
    if (argc > 1 && !strcmp(argv[1], "com")) CoTreatAsClass(&GUID_NULL, &GUID_NULL);
    printf("after\n");
    return 3;
}
