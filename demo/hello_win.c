/* The demo's Windows child: a default-CRT mingw-w64 program. */
#include <stdio.h>
#include <windows.h>

int main(void)
{
    for (int i = 0; i < 3; i++) {
        printf("windows child says hello (%d)\n", i);
        Sleep(0);
    }
    return 6;
}
