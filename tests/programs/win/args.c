/* Each argument as the C runtime split the command line, and as CommandLineToArgvW does. */
#include <windows.h>
#include <shellapi.h>
#include <stdio.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        printf("[%s]", argv[i]);
    int n;
    LPWSTR *wide = CommandLineToArgvW(GetCommandLineW(), &n);
    printf("\n%d", n == argc);
    for (int i = 1; i < n; i++)
        printf("[%ls]", wide[i]);
    printf("\n");
    return 0;
}
