/* A thread woken by WakeByAddressSingle runs before the waker goes on: the main thread hands
 * a writer thread its last line and ends the process at once (taplo's last log line). */
#include <windows.h>
#include <stdio.h>

static volatile LONG ready;

static DWORD WINAPI writer(LPVOID arg)
{
    LONG zero = 0;
    while (!ready)
        WaitOnAddress(&ready, &zero, sizeof ready, INFINITE);
    DWORD n;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), "last line\n", 10, &n, NULL);
    return 0;
}

int main(void)
{
    HANDLE t = CreateThread(NULL, 0, writer, NULL, 0, NULL);
    Sleep(100);
    ready = 1;
    WakeByAddressSingle((PVOID)&ready);
    ExitProcess(0);
    (void)t;
}
