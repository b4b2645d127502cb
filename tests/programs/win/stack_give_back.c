/* A thread's stack is memory the program may hand back, as HotSpot does with its stack's
   guard pages when a thread ends: the pages at the low end of the stack can be decommitted,
   committed again (with PAGE_GUARD) and decommitted, in the main thread, a CreateThread
   thread and a fiber; VirtualQuery names the stack's base as the allocation's base. */
#include <windows.h>
#include <stdio.h>

static void give_back(const char *who)
{
    int local = 0;
    MEMORY_BASIC_INFORMATION mbi;
    VirtualQuery(&local, &mbi, sizeof mbi);
    char *low = mbi.AllocationBase;
    BOOL decommit = VirtualFree(low, 0x4000, MEM_DECOMMIT);
    DWORD error = decommit ? 0 : GetLastError();
    VirtualQuery(low, &mbi, sizeof mbi);
    int reserved = mbi.State == MEM_RESERVE && mbi.AllocationBase == low;
    void *again = VirtualAlloc(low, 0x4000, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
    BOOL twice = VirtualFree(low, 0x4000, MEM_DECOMMIT);
    VirtualQuery(&local, &mbi, sizeof mbi);
    printf("%s: decommit %d %lu, reserved %d, commit again %d, decommit again %d, "
           "base kept %d\n", who, decommit, error, reserved, again == low, twice,
           mbi.AllocationBase == low);
}

static DWORD WINAPI thread(void *arg)
{
    give_back(arg);
    return 0;
}

static void WINAPI fiber(void *main_fiber)
{
    give_back("fiber");
    SwitchToFiber(main_fiber);
}

int main(void)
{
    give_back("main");
    HANDLE h = CreateThread(NULL, 1 << 20, thread, "thread", 0, NULL);
    WaitForSingleObject(h, INFINITE);
    void *me = ConvertThreadToFiber(NULL);
    void *f = CreateFiber(1 << 20, fiber, me);
    SwitchToFiber(f);
    DeleteFiber(f);
    puts("done");
    return 0;
}
