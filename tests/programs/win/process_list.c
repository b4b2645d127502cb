/* NtQuerySystemInformation's process list (sized first), this process in it with its two
   threads and its parent, the performance information, and GetProcessMemoryInfo filling a
   PROCESS_MEMORY_COUNTERS_EX (psutil reads all three). */
#include <windows.h>
#include <winternl.h>
#include <psapi.h>
#include <stdio.h>
#include <string.h>

typedef NTSTATUS (NTAPI *query_fn)(ULONG, PVOID, ULONG, PULONG);

static DWORD WINAPI idle(LPVOID event)
{
    WaitForSingleObject(event, INFINITE);
    return 0;
}

int main(void)
{
    query_fn query = (query_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                              "NtQuerySystemInformation");
    HANDLE stop = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD tid;
    HANDLE thread = CreateThread(NULL, 0, idle, stop, 0, &tid);
    Sleep(10);
    ULONG need = 0;
    char small[8];
    NTSTATUS sized = query(5, small, sizeof small, &need);
    char *buffer = malloc(need + 4096);
    NTSTATUS status = query(5, buffer, need + 4096, &need);
    int processes = 0, found = 0, chain_ok = 1;
    SYSTEM_PROCESS_INFORMATION *e = (SYSTEM_PROCESS_INFORMATION *)buffer;
    for (;;) {
        processes++;
        if ((DWORD)(ULONG_PTR)e->UniqueProcessId == GetCurrentProcessId()) {
            SYSTEM_THREAD_INFORMATION *threads = (SYSTEM_THREAD_INFORMATION *)(e + 1);
            int mine = 0, other = 0;
            for (ULONG i = 0; i < e->NumberOfThreads; i++) {
                DWORD id = (DWORD)(ULONG_PTR)threads[i].ClientId.UniqueThread;
                mine += id == GetCurrentThreadId();
                other += id == tid;
            }
            printf("self threads %lu mine %d other %d name %.*ls memory %d\n", e->NumberOfThreads,
                   mine, other, e->ImageName.Length / 2, e->ImageName.Buffer,
                   e->VirtualMemoryCounters.WorkingSetSize > 0 &&
                   e->VirtualMemoryCounters.VirtualSize >= e->VirtualMemoryCounters.WorkingSetSize);
            found = 1;
        }
        if (!e->NextEntryOffset)
            break;
        if (e->NextEntryOffset < sizeof *e)
            chain_ok = 0;
        e = (SYSTEM_PROCESS_INFORMATION *)((char *)e + e->NextEntryOffset);
    }
    printf("list 0x%lx 0x%lx found %d chain %d many %d\n", (unsigned long)sized,
           (unsigned long)status, found, chain_ok, processes >= 1);
    static char performance[0x158];
    status = query(2, performance, sizeof performance, &need);
    printf("performance 0x%lx %lu\n", (unsigned long)status, need);
    ULONG interrupts[6], io_priority = 0;
    NTSTATUS interrupt_status = query(23, interrupts, sizeof interrupts, &need);
    typedef NTSTATUS (NTAPI *process_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);
    process_fn process = (process_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                                    "NtQueryInformationProcess");
    NTSTATUS io_status = process(GetCurrentProcess(), 33, &io_priority, sizeof io_priority, NULL);
    printf("interrupts 0x%lx %lu io priority 0x%lx %lu\n", (unsigned long)interrupt_status, need,
           (unsigned long)io_status, io_priority);
    PROCESS_MEMORY_COUNTERS_EX counters;
    memset(&counters, 0xAB, sizeof counters);
    BOOL ok = GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&counters,
                                   sizeof counters);
    printf("counters %d cb %d private %d\n", ok, counters.cb == sizeof counters,
           counters.PrivateUsage > 0 && counters.PrivateUsage != (SIZE_T)0xABABABABABABABABull);
    SetEvent(stop);
    WaitForSingleObject(thread, INFINITE);
    return 0;
}
