/* kernel32 only, no C runtime: GetStdHandle, WriteFile, ExitProcess. */
#include <windows.h>

int mainCRTStartup(void)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD n = 0;
    WriteFile(out, "hello from kernel32\n", 20, &n, NULL);
    ExitProcess(n == 20 ? 7 : 1);
    return 0;
}
