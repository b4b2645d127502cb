/* WaitOnAddress between two threads (what Rust's std Mutex and Once sleep on), woken by
   WakeByAddressSingle and by WakeByAddressAll, with the precise clock, the process times
   and SwitchToThread along the way. */
#define _WIN32_WINNT 0x0602
#include <windows.h>
#include <stdio.h>

static volatile LONG flag;

static DWORD WINAPI setter(LPVOID arg)
{
    SwitchToThread();
    Sleep(20);
    InterlockedExchange(&flag, 1);
    WakeByAddressSingle((PVOID)&flag);
    return 0;
}

static volatile LONG everyone;

static DWORD WINAPI waker(LPVOID arg)
{
    Sleep(20);                  /* the main thread is asleep on `everyone` by now */
    InterlockedExchange(&everyone, 1);
    WakeByAddressAll((PVOID)&everyone);
    return 0;
}

int main(void)
{
    LONG zero = 0;
    FILETIME a, b, created, ended, kernel, user;
    wchar_t dir[MAX_PATH];
    HANDLE thread;
    GetSystemTimePreciseAsFileTime(&a);
    thread = CreateThread(NULL, 0, setter, NULL, 0, NULL);
    while (flag == 0)
        WaitOnAddress(&flag, &zero, sizeof flag, INFINITE);
    WaitForSingleObject(thread, INFINITE);
    printf("woken with flag %ld\n", flag);
    HANDLE all = CreateThread(NULL, 0, waker, NULL, 0, NULL);
    while (everyone == 0)
        WaitOnAddress(&everyone, &zero, sizeof everyone, INFINITE);
    WaitForSingleObject(all, INFINITE);
    printf("woken by all: %ld\n", everyone);
    BOOL woke = WaitOnAddress(&flag, (PVOID)&flag, sizeof flag, 10);   /* equal: it sleeps */
    DWORD error = GetLastError();
    printf("timed wait woke: %d (error %lu)\n", woke, error);
    GetSystemTimePreciseAsFileTime(&b);
    printf("clock moved: %d\n", CompareFileTime(&b, &a) > 0);
    printf("times: %d\n", GetProcessTimes(GetCurrentProcess(), &created, &ended, &kernel, &user));
    GetSystemDirectoryW(dir, MAX_PATH);
    printf("system directory %ls, %d chars\n", dir, lstrlenW(dir));
    return 0;
}
