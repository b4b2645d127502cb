/* Calls SetVolumeLabelW (which sysvec does not provide: a volume's label belongs to the host)
   only when given an argument. */
#include <windows.h>
#include <stdio.h>
int main(int argc, char **argv) {
    printf("before\n"); fflush(stdout);
    if (argc > 1) SetVolumeLabelW(L"C:\\", L"guest");
    printf("after\n");
    return 3;
}
