/* ntdll's address waits, as Zig's standard library uses them (RtlWaitOnAddress with an NT
 * timeout, RtlWakeAddressSingle/All), and a module's base name (K32GetModuleBaseNameW). */
#include <windows.h>
#include <psapi.h>
#include <stdio.h>

typedef LONG (NTAPI *wait_fn)(volatile void *, void *, SIZE_T, PLARGE_INTEGER);
typedef void (NTAPI *wake_fn)(void *);
static wait_fn wait_on;
static wake_fn wake_single, wake_all;
static volatile LONG word, woke;

static DWORD WINAPI waiter(void *arg)
{
    LONG expect = 0;
    while (word == 0)
        wait_on(&word, &expect, sizeof word, NULL);
    InterlockedIncrement(&woke);
    return 0;
}

int main(void)
{
    HMODULE nt = GetModuleHandleW(L"ntdll.dll");
    wait_on = (wait_fn)GetProcAddress(nt, "RtlWaitOnAddress");
    wake_single = (wake_fn)GetProcAddress(nt, "RtlWakeAddressSingle");
    wake_all = (wake_fn)GetProcAddress(nt, "RtlWakeAddressAll");
    printf("found %d %d %d\n", wait_on != NULL, wake_single != NULL, wake_all != NULL);
    LONG expect = 0;
    LARGE_INTEGER timeout;
    timeout.QuadPart = -20 * 10000;          /* 20 ms, relative */
    printf("timed out: 0x%lx\n", wait_on(&word, &expect, sizeof word, &timeout));
    expect = 5;
    printf("differs: 0x%lx\n", wait_on(&word, &expect, sizeof word, &timeout));
    HANDLE t[2] = {CreateThread(NULL, 0, waiter, NULL, 0, NULL),
                   CreateThread(NULL, 0, waiter, NULL, 0, NULL)};
    Sleep(50);
    word = 1;
    wake_single((void *)&word);
    wake_all((void *)&word);
    WaitForMultipleObjects(2, t, TRUE, 10000);
    printf("woke %ld\n", woke);
    wchar_t name[MAX_PATH];
    DWORD n = K32GetModuleBaseNameW(GetCurrentProcess(), NULL, name, MAX_PATH);
    printf("base name %ls (%lu)\n", name, n);
    n = K32GetModuleBaseNameW(GetCurrentProcess(), nt, name, MAX_PATH);
    printf("ntdll base name %ls\n", name);
    return 0;
}
