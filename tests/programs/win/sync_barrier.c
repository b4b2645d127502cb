/* Synchronization barriers: no thread leaves a phase before the last one arrives, and
   exactly one thread of each phase (the last) gets TRUE. pgbench's worker threads (-j) meet
   at one, and pgbench died on the missing InitializeSynchronizationBarrier. */
#include <windows.h>
#include <stdio.h>

#define THREADS 4
#define PHASES 3

static SYNCHRONIZATION_BARRIER barrier;
static volatile LONG arrived[PHASES], early, last_ones[PHASES];

static DWORD WINAPI worker(void *arg)
{
    for (int phase = 0; phase < PHASES; phase++) {
        Sleep((DWORD)(ULONG_PTR)arg * 3);
        InterlockedIncrement(&arrived[phase]);
        if (EnterSynchronizationBarrier(&barrier, 0))
            InterlockedIncrement(&last_ones[phase]);
        if (arrived[phase] != THREADS)
            InterlockedIncrement(&early);
    }
    return 0;
}

int main(void)
{
    SetLastError(0);
    BOOL bad = InitializeSynchronizationBarrier(&barrier, 0, -1);
    printf("zero threads %d %lu\n", bad, GetLastError());
    printf("init %d\n", InitializeSynchronizationBarrier(&barrier, THREADS, -1));
    HANDLE threads[THREADS - 1];
    for (int i = 0; i < THREADS - 1; i++)
        threads[i] = CreateThread(NULL, 0, worker, (void *)(ULONG_PTR)(i + 1), 0, NULL);
    worker(0);
    WaitForMultipleObjects(THREADS - 1, threads, TRUE, INFINITE);
    for (int phase = 0; phase < PHASES; phase++)
        printf("phase %d: arrived %ld, last %ld\n", phase, arrived[phase], last_ones[phase]);
    printf("left early %ld\n", early);
    printf("delete %d\n", DeleteSynchronizationBarrier(&barrier));
    SYNCHRONIZATION_BARRIER alone;
    InitializeSynchronizationBarrier(&alone, 1, 0);
    printf("alone %d %d\n", EnterSynchronizationBarrier(&alone, SYNCHRONIZATION_BARRIER_FLAGS_BLOCK_ONLY),
           EnterSynchronizationBarrier(&alone, 0));
    DeleteSynchronizationBarrier(&alone);
    return 0;
}
