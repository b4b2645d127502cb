/* Single-threaded kernel32 sync objects: events, semaphores, mutexes and timed-out waits. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD a = WaitForSingleObject(ev, 0);
    SetEvent(ev);
    DWORD b = WaitForSingleObject(ev, 0), c = WaitForSingleObject(ev, 0);   /* manual reset */
    ResetEvent(ev);
    DWORD d = WaitForSingleObject(ev, 10);
    HANDLE sem = CreateSemaphoreA(NULL, 1, 2, NULL);
    DWORD e = WaitForSingleObject(sem, 0), f = WaitForSingleObject(sem, 0);
    LONG prev = -1;
    BOOL g = ReleaseSemaphore(sem, 2, &prev), h = ReleaseSemaphore(sem, 3, NULL);
    HANDLE mx = CreateMutexA(NULL, FALSE, NULL);
    DWORD i = WaitForSingleObject(mx, INFINITE);
    BOOL j = ReleaseMutex(mx), k = ReleaseMutex(mx);
    printf("event %lx %lx %lx %lx sem %lx %lx %d(%ld) %d mutex %lx %d %d close %d\n",
           a, b, c, d, e, f, g, prev, h, i, j, k, CloseHandle(ev) && CloseHandle(sem) && CloseHandle(mx));
    return 0;
}
