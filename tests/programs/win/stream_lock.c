/* Two threads printing whole lines to one stream. mingw-w64's printf takes the stream's lock
   (msvcrt's _lock) and then writes a character at a time, so the lock is what keeps each
   line whole. Then _lock's own rules: recursive for its owner, a wait for another thread. */
#define __USE_MINGW_ANSI_STDIO 1
#include <windows.h>
#include <stdio.h>

void __cdecl _lock(int locknum);
void __cdecl _unlock(int locknum);

#define LINES 150
#define LOCKNUM 17          /* _STREAM_LOCKS + 1: stdout's */

static volatile LONG order;
static LONG took_after_release;

static DWORD WINAPI printer(LPVOID arg)
{
    for (int i = 0; i < LINES; i++)
        printf("thread %c line %03d: the quick brown fox jumps over the lazy dog %c\n",
               (int)(INT_PTR)arg, i, (int)(INT_PTR)arg);
    return 0;
}

static DWORD WINAPI contender(LPVOID arg)
{
    _lock(LOCKNUM);
    took_after_release = InterlockedCompareExchange(&order, 0, 0);
    _unlock(LOCKNUM);
    return 0;
}

int main(void)
{
    HANDLE threads[2] = {CreateThread(NULL, 0, printer, (LPVOID)'a', 0, NULL),
                         CreateThread(NULL, 0, printer, (LPVOID)'b', 0, NULL)};
    WaitForMultipleObjects(2, threads, TRUE, INFINITE);
    fflush(stdout);

    _lock(LOCKNUM);
    _lock(LOCKNUM);              /* recursive: the owner takes it again */
    HANDLE other = CreateThread(NULL, 0, contender, NULL, 0, NULL);
    Sleep(50);
    _unlock(LOCKNUM);
    Sleep(50);                   /* still held once: the other thread waits */
    InterlockedExchange(&order, 1);
    _unlock(LOCKNUM);
    WaitForSingleObject(other, INFINITE);
    fprintf(stderr, "contender took the lock after the last unlock: %ld\n", took_after_release);
    return 0;
}
