/* argc, the length of argv[1] and of GetCommandLineA(), for long command lines. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

int main(int c, char **v)
{
    printf("%d %u %u\n", c, (unsigned)strlen(v[1]), (unsigned)strlen(GetCommandLineA()));
    return 0;
}
