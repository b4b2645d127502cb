/* A 32-bit Windows process's memory lies below 2 GiB: its heap, VirtualAlloc, its stack and
 * its threads' stacks, as programs that keep flags in a pointer's top bit need. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

static DWORD WINAPI thread_main(LPVOID arg)
{
    int local;
    *(int *)arg = (ULONG_PTR)&local < 0x80000000u;
    return 0;
}

int main(void)
{
    int local, thread_low = 0;
    void *heap = HeapAlloc(GetProcessHeap(), 0, 1 << 20);
    void *big = malloc(64 << 20);
    void *virt = VirtualAlloc(NULL, 16 << 20, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    HANDLE t = CreateThread(NULL, 0, thread_main, &thread_low, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    printf("heap %d malloc %d virtual %d stack %d thread stack %d\n",
           (ULONG_PTR)heap < 0x80000000u, (ULONG_PTR)big < 0x80000000u,
           (ULONG_PTR)virt < 0x80000000u, (ULONG_PTR)&local < 0x80000000u, thread_low);
    printf("highest address %p\n", si.lpMaximumApplicationAddress);
    return 0;
}
