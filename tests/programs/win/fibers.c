/* Fibers: a generator-style pair of fibers switching back and forth with their own stacks
 * and data, GetFiberData, IsThreadAFiber, deep recursion on a fiber's stack, returning to
 * the main fiber, DeleteFiber, ConvertFiberToThread. */
#include <windows.h>
#include <stdio.h>

static LPVOID main_fiber, worker;
static int produced;

static int depth(int n) {
    volatile char pad[256];
    pad[0] = (char)n;
    return n ? depth(n - 1) + pad[0] - pad[0] + 1 : 0;
}

static void WINAPI producer(LPVOID param) {
    int base = *(int *)param;
    for (int i = 0; i < 3; i++) {
        char local[64];
        snprintf(local, sizeof local, "%d", base + i);      /* its own stack */
        produced = atoi(local);
        SwitchToFiber(main_fiber);
    }
    produced = -depth(1000);              /* ~300 KB of the fiber's own stack */
    SwitchToFiber(main_fiber);
}

int main(void) {
    printf("before %d\n", IsThreadAFiber());
    int data = 7;
    main_fiber = ConvertThreadToFiber(&data);
    printf("converted %d data %d same %d\n", IsThreadAFiber(), *(int *)GetFiberData(),
           GetCurrentFiber() == main_fiber);
    int start = 100;
    worker = CreateFiber(0, producer, &start);
    int got[4];
    for (int i = 0; i < 4; i++) {
        SwitchToFiber(worker);
        got[i] = produced;
    }
    printf("got %d %d %d %d back %d\n", got[0], got[1], got[2], got[3], GetCurrentFiber() == main_fiber);
    DeleteFiber(worker);
    BOOL converted = ConvertFiberToThread();
    printf("thread again %d %d\n", converted, IsThreadAFiber());
    return 0;
}
