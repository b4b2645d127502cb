/* The demo's Windows child: a default-CRT mingw-w64 program. */
#include <stdio.h>
#include <windows.h>

int main(void)
{
    for (int i = 0; i < 3; i++) {
        printf("windows child says hello (%d)\n", i);
        fflush(stdout);   /* stdout to a pipe is fully buffered, as in msvcrt: show each line */
        Sleep(0);
    }
    return 6;
}
