/* Overlapped ReadDirectoryChangesW with no completion port, as file watchers (Rust's notify,
 * turbo) use it: its completion routine runs in an alertable SleepEx and in an alertable
 * WaitForSingleObjectEx (which returns WAIT_IO_COMPLETION), and its OVERLAPPED event is set
 * for a plain wait; a thread creates the file the watch reports. */
#include <windows.h>
#include <stdio.h>

static char buffer[16384];
static volatile DWORD fired, fired_bytes;

static VOID CALLBACK routine(DWORD error, DWORD bytes, LPOVERLAPPED ov) {
    fired = 1;
    fired_bytes = bytes;
}

static DWORD WINAPI creator(LPVOID name) {
    Sleep(200);
    HANDLE f = CreateFileW(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CloseHandle(f);
    return 0;
}

static void report(const char *how) {
    FILE_NOTIFY_INFORMATION *n = (void *)buffer;
    printf("%s: action %lu name %.*ls\n", how, n->Action, (int)(n->FileNameLength / 2),
           n->FileName);
}

int main(void) {
    HANDLE dir = CreateFileW(L"C:\\", FILE_LIST_DIRECTORY, 7, NULL, OPEN_EXISTING,
                             FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, NULL);
    OVERLAPPED ov = {0};
    ReadDirectoryChangesW(dir, buffer, sizeof buffer, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME,
                          NULL, &ov, routine);
    CreateThread(NULL, 0, creator, L"C:\\first.txt", 0, NULL);
    DWORD slept = 0;
    while (!fired && slept < 30)
        slept += SleepEx(100, TRUE) == WAIT_IO_COMPLETION ? 0 : 1;
    printf("SleepEx ran the routine %lu bytes %d\n", fired, fired_bytes > 0);
    report("first");

    fired = 0;
    HANDLE never = CreateEventW(NULL, TRUE, FALSE, NULL);
    ReadDirectoryChangesW(dir, buffer, sizeof buffer, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME,
                          NULL, &ov, routine);
    CreateThread(NULL, 0, creator, L"C:\\second.txt", 0, NULL);
    DWORD result = WaitForSingleObjectEx(never, 30000, TRUE);
    printf("WaitForSingleObjectEx %#lx routine %lu\n", result, fired);
    report("second");

    OVERLAPPED evov = {0};
    evov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    ReadDirectoryChangesW(dir, buffer, sizeof buffer, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME,
                          NULL, &evov, NULL);
    CreateThread(NULL, 0, creator, L"C:\\third.txt", 0, NULL);
    result = WaitForSingleObject(evov.hEvent, 30000);
    DWORD got = 0;
    GetOverlappedResult(dir, &evov, &got, FALSE);
    printf("event wait %lu bytes %d\n", result, got > 0);
    report("third");
    return 0;
}
