/* CONIN$ and CONOUT$ name the console, not the standard handles: with standard input and
   output redirected to files (a password prompt, a progress line), the program still asks
   the terminal and draws on it. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    char piped[64] = "", typed[64] = "";
    fgets(piped, sizeof piped, stdin);
    piped[strcspn(piped, "\r\n")] = 0;
    HANDLE out = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE,
                             FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    HANDLE in = CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    DWORD mode, n;
    int console_out = GetConsoleMode(out, &mode), console_in = GetConsoleMode(in, &mode);
    const char prompt[] = "password: ";
    WriteFile(out, prompt, sizeof prompt - 1, &n, NULL);
    ReadFile(in, typed, sizeof typed - 1, &n, NULL);
    typed[strcspn(typed, "\r\n")] = 0;
    printf("piped [%s] typed [%s] console out %d in %d\n", piped, typed, console_out,
           console_in);
    return 0;
}
