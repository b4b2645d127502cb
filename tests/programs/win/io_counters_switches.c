/* The process's I/O counters count its reads and writes and their bytes (GetProcessIoCounters
   and SystemProcessInformation agree), and its threads' context switches are counted: a
   thread that sleeps is switched out and in again. psutil's io_counters() and
   num_ctx_switches() had been all zeros. */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>

typedef LONG (NTAPI *query_system)(ULONG, void *, ULONG, ULONG *);

struct thread_info {                 /* SYSTEM_THREAD_INFORMATION */
    LARGE_INTEGER kernel, user, create;
    ULONG wait_time;
    void *start;
    CLIENT_ID client;
    LONG priority, base_priority;
    ULONG context_switches, state, wait_reason;
};

static ULONG switches(IO_COUNTERS *io)
{
    static char buffer[1 << 20];
    query_system nt = (query_system)GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                                   "NtQuerySystemInformation");
    nt(SystemProcessInformation, buffer, sizeof(buffer), NULL);
    SYSTEM_PROCESS_INFORMATION *proc = (SYSTEM_PROCESS_INFORMATION *)buffer;
    while ((DWORD)(ULONG_PTR)proc->UniqueProcessId != GetCurrentProcessId())
        proc = (SYSTEM_PROCESS_INFORMATION *)((char *)proc + proc->NextEntryOffset);
    /* IO_COUNTERS follows the VM_COUNTERS and PrivatePageCount, before the threads */
    struct thread_info *threads = (struct thread_info *)(proc + 1);
    memcpy(io, (char *)threads - sizeof(IO_COUNTERS), sizeof(IO_COUNTERS));
    ULONG total = 0;
    for (ULONG i = 0; i < proc->NumberOfThreads; i++)
        total += threads[i].context_switches;
    return total;
}

int main(void)
{
    char data[1000];
    memset(data, 'x', sizeof(data));
    HANDLE f = CreateFileA("io.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0,
                           NULL);
    IO_COUNTERS before, after, listed;
    GetProcessIoCounters(GetCurrentProcess(), &before);
    DWORD n;
    WriteFile(f, data, 400, &n, NULL);
    WriteFile(f, data, 500, &n, NULL);
    WriteFile(f, data, 100, &n, NULL);
    SetFilePointer(f, 0, NULL, FILE_BEGIN);
    ReadFile(f, data, 600, &n, NULL);
    ReadFile(f, data, 600, &n, NULL);
    ReadFile(f, data, 600, &n, NULL);             /* at the end: a read of nothing */
    GetProcessIoCounters(GetCurrentProcess(), &after);
    CloseHandle(f);
    printf("reads %llu bytes %llu\n", after.ReadOperationCount - before.ReadOperationCount,
           after.ReadTransferCount - before.ReadTransferCount);
    printf("writes %llu bytes %llu\n", after.WriteOperationCount - before.WriteOperationCount,
           after.WriteTransferCount - before.WriteTransferCount);

    ULONG first = switches(&listed);
    printf("listed the same %d\n", listed.ReadOperationCount == after.ReadOperationCount &&
           listed.WriteTransferCount >= after.WriteTransferCount);
    Sleep(20);
    Sleep(20);
    ULONG second = switches(&listed);
    printf("switches counted %d, more after sleeping %d\n", first > 0, second > first);
    HANDLE other = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentProcessId());
    IO_COUNTERS by_id;
    BOOL ok = GetProcessIoCounters(other, &by_id);
    printf("by handle %d same %d\n", ok, by_id.ReadTransferCount == after.ReadTransferCount);
    return 0;
}
