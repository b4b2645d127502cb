/* Console control events: GenerateConsoleCtrlEvent's Ctrl+Break to a child started in a
   new process group (its handler runs, in a thread of its own), Ctrl+C to such a child
   (ignored: a new group starts with Ctrl+C off), Ctrl+C to the caller's console group (a
   child without handlers ends with STATUS_CONTROL_C_EXIT; the caller's own handler sees it),
   the C runtime's signal(SIGINT) handler called for Ctrl+C, and GetConsoleProcessList. */
#include <windows.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile LONG got = -1;
static volatile DWORD handler_thread;

static BOOL WINAPI record(DWORD event)
{
    got = event;
    handler_thread = GetCurrentThreadId();
    return TRUE;
}

static void crt_handler(int sig) { got = 100 + sig; }

static int wait_for_event(void)
{
    for (int i = 0; i < 100 && got < 0; i++)
        Sleep(20);
    return got;
}

static HANDLE start(const char *mode, DWORD flags, DWORD *pid)
{
    char self[MAX_PATH], command[MAX_PATH + 32];
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(command, sizeof command, "\"%s\" %s", self, mode);
    CreateProcessA(NULL, command, NULL, NULL, FALSE, flags, NULL, NULL, &si, &pi);
    CloseHandle(pi.hThread);
    *pid = pi.dwProcessId;
    return pi.hProcess;
}

static DWORD finish(HANDLE process)
{
    DWORD code = 0;
    WaitForSingleObject(process, 10000);
    GetExitCodeProcess(process, &code);
    CloseHandle(process);
    return code;
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        if (!strcmp(argv[1], "crt"))
            signal(SIGINT, crt_handler);
        else if (strcmp(argv[1], "default"))
            SetConsoleCtrlHandler(record, TRUE);
        puts("ready");
        fflush(stdout);
        DWORD start = GetTickCount();
        if (!strcmp(argv[1], "break"))
            Sleep(1000);               /* the event comes meanwhile: the sleep goes on */
        int slept_whole = GetTickCount() - start >= 950 || strcmp(argv[1], "break");
        int event = wait_for_event();
        printf("%s: event %d own-thread %d slept %d\n", argv[1], event,
               handler_thread != 0 && handler_thread != GetCurrentThreadId(), slept_whole);
        return 0;
    }
    DWORD pid, list[16];
    HANDLE child = start("break", CREATE_NEW_PROCESS_GROUP, &pid);
    Sleep(300);
    BOOL sent = GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pid);
    printf("sent break %d, exit %lu\n", sent, finish(child));

    child = start("ignored", CREATE_NEW_PROCESS_GROUP, &pid);
    Sleep(300);
    sent = GenerateConsoleCtrlEvent(CTRL_C_EVENT, pid);
    printf("sent ctrl-c %d, exit %lu\n", sent, finish(child));

    SetConsoleCtrlHandler(record, TRUE);
    child = start("default", 0, &pid);
    Sleep(300);
    DWORD attached = GetConsoleProcessList(list, 16);
    sent = GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
    printf("attached %d sent to all %d, exit 0x%lx, mine %d\n", attached >= 2, sent,
           finish(child), wait_for_event());

    got = -1;
    child = start("crt", 0, &pid);
    Sleep(300);
    sent = GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
    printf("sent to all %d, exit %lu, mine %d\n", sent, finish(child), wait_for_event());

    got = -1;
    SetConsoleCtrlHandler(NULL, TRUE);        /* Ctrl+C ignored here, and by children */
    child = start("ignored", 0, &pid);
    Sleep(300);
    sent = GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
    DWORD code = finish(child);
    printf("ignoring %d, exit %lu, mine %d\n", sent, code, (int)got);
    BOOL bad = GenerateConsoleCtrlEvent(7, 0);
    DWORD error = GetLastError();
    printf("bad event %d %lu\n", bad, error);
    return 0;
}
