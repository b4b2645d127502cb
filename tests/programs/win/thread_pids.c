/* Process ids seen from a second thread: _getpid, GetCurrentProcessId, GetProcessId of the
   current-process handle and the basic information's UniqueProcessId all name the process,
   not the thread; a process created by that thread has the process as its parent. */
#include <windows.h>
#include <winternl.h>
#include <process.h>
#include <stdio.h>
#include <tlhelp32.h>

typedef NTSTATUS (NTAPI *query_process)(HANDLE, ULONG, PVOID, ULONG, PULONG);
static DWORD main_pid;

static void report(const char *who)
{
    query_process query = (query_process)GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                                        "NtQueryInformationProcess");
    PROCESS_BASIC_INFORMATION info = {0};
    query(GetCurrentProcess(), 0, &info, sizeof info, NULL);
    DWORD current = GetCurrentProcessId();
    int crt = _getpid();
    DWORD by_handle = GetProcessId(GetCurrentProcess());
    printf("%s: current %d crt %d handle %d basic %d thread-differs %d\n", who,
           current == main_pid, crt == (int)main_pid, by_handle == main_pid,
           (DWORD)(ULONG_PTR)info.UniqueProcessId == main_pid, GetCurrentThreadId() != main_pid);
    fflush(stdout);
}

static DWORD WINAPI second_thread(LPVOID unused)
{
    char self[MAX_PATH], command[MAX_PATH + 16];
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    report("thread");
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(command, sizeof command, "\"%s\" %lu", self, main_pid);
    if (CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        WaitForSingleObject(pi.hProcess, INFINITE);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1) {            /* the child: is its parent the process that made it? */
        DWORD me = GetCurrentProcessId(), parent = 0;
        HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
        PROCESSENTRY32 e = {sizeof e};
        for (BOOL ok = Process32First(snap, &e); ok; ok = Process32Next(snap, &e))
            if (e.th32ProcessID == me)
                parent = e.th32ParentProcessID;
        printf("child: parent is the process %d\n", parent == strtoul(argv[1], NULL, 10));
        return 0;
    }
    main_pid = GetCurrentProcessId();
    report("main");
    HANDLE h = CreateThread(NULL, 0, second_thread, NULL, 0, NULL);
    WaitForSingleObject(h, INFINITE);
    return 0;
}
