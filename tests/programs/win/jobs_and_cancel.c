/* CancelSynchronousIo ends another thread's blocking read (libuv's pipe reader: CMake's
 * timeouts waited for the child instead), a job made to kill on close ends its processes
 * when its last handle closes, and OpenProcess reaches another process by its id so it can
 * be ended (ctest ends a timed-out test's process tree so). */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static HANDLE pipe_rd;
static DWORD read_error;
static BOOL read_ok;

static DWORD WINAPI reader(void *arg)
{
    char c;
    DWORD n;
    read_ok = ReadFile(pipe_rd, &c, 1, &n, NULL);
    read_error = GetLastError();
    return 0;
}

static HANDLE watched;

static DWORD WINAPI watcher(void *arg)
{
    static char buf[4096];
    DWORD n;
    read_ok = ReadDirectoryChangesW(watched, buf, sizeof buf, TRUE, FILE_NOTIFY_CHANGE_FILE_NAME,
                                    &n, NULL, NULL);
    read_error = GetLastError();
    return 0;
}

static HANDLE start_self(const char *arg, DWORD *pid)
{
    char cmd[MAX_PATH + 32];
    GetModuleFileNameA(NULL, cmd, MAX_PATH);
    strcat(cmd, " ");
    strcat(cmd, arg);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return NULL;
    CloseHandle(pi.hThread);
    *pid = pi.dwProcessId;
    return pi.hProcess;
}

int main(int argc, char **argv)
{
    if (argc > 1) {                  /* a child: waits to be ended */
        Sleep(30000);
        return 3;
    }
    HANDLE wr;
    CreatePipe(&pipe_rd, &wr, NULL, 0);
    BOOL ok = CancelSynchronousIo(GetCurrentThread());
    printf("cancel with no I/O: %d error %lu\n", ok, GetLastError());
    HANDLE t = CreateThread(NULL, 0, reader, NULL, 0, NULL);
    BOOL cancelled = FALSE;
    for (int i = 0; i < 200 && !cancelled; i++) {
        Sleep(10);
        cancelled = CancelSynchronousIo(t);
    }
    WaitForSingleObject(t, 5000);
    printf("cancelled: %d; the read: %d error %lu\n", cancelled, read_ok, read_error);

    /* CancelIoEx(handle, NULL) ends another thread's synchronous I/O on that handle: a read,
     * and ReadDirectoryChangesW (watchdog stops its observer so) */
    t = CreateThread(NULL, 0, reader, NULL, 0, NULL);
    cancelled = FALSE;
    for (int i = 0; i < 200 && !cancelled; i++) {
        Sleep(10);
        cancelled = CancelIoEx(pipe_rd, NULL);
    }
    WaitForSingleObject(t, 5000);
    printf("CancelIoEx: %d; the read: %d error %lu\n", cancelled, read_ok, read_error);
    CreateDirectoryA("watched", NULL);
    watched = CreateFileA("watched", FILE_LIST_DIRECTORY, 7, NULL, OPEN_EXISTING,
                          FILE_FLAG_BACKUP_SEMANTICS, NULL);
    t = CreateThread(NULL, 0, watcher, NULL, 0, NULL);
    cancelled = FALSE;
    for (int i = 0; i < 200 && !cancelled; i++) {
        Sleep(10);
        cancelled = CancelIoEx(watched, NULL);
    }
    BOOL ended = WaitForSingleObject(t, 5000) == WAIT_OBJECT_0;
    printf("CancelIoEx of a directory watch: %d, ended %d; the watch: %d error %lu\n", cancelled,
           ended, read_ok, read_error);

    HANDLE job = CreateJobObjectW(NULL, NULL);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits = {0};
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits);
    DWORD pid;
    HANDLE child = start_self("sleep", &pid);
    AssignProcessToJobObject(job, child);
    BOOL in_job = FALSE, self_in_job = TRUE;
    IsProcessInJob(child, job, &in_job);
    IsProcessInJob(GetCurrentProcess(), NULL, &self_in_job);
    printf("in the job: child %d parent %d\n", in_job, self_in_job);
    DWORD t0 = GetTickCount();
    CloseHandle(job);
    DWORD waited = WaitForSingleObject(child, 10000);
    printf("closing the job ended the child: %d quickly %d\n", waited == WAIT_OBJECT_0,
           GetTickCount() - t0 < 5000);

    HANDLE other = start_self("sleep", &pid);
    HANDLE opened = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, pid);
    printf("OpenProcess by id: %d\n", opened != NULL);
    TerminateProcess(opened, 7);
    WaitForSingleObject(other, 10000);
    DWORD code = 0;
    GetExitCodeProcess(other, &code);
    printf("ended through it: exit code %lu\n", code);
    HANDLE job2 = CreateJobObjectA(NULL, NULL);
    BOOL joined = AssignProcessToJobObject(job2, other);
    printf("an ended process joins no job: %d error %lu\n", joined, GetLastError());
    joined = AssignProcessToJobObject(job2, (HANDLE)(ULONG_PTR)0x1234);
    printf("nor does a bad handle: %d error %lu\n", joined, GetLastError());
    HANDLE nobody = OpenProcess(PROCESS_TERMINATE, FALSE, 99999);
    printf("OpenProcess of nobody: %d error %lu\n", nobody != NULL, GetLastError());
    return 0;
}
