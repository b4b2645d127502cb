/* ReadDirectoryChangesW: an overlapped read on a completion port (as Go's fsnotify and
 * libuv use it) sees files added, written, renamed and removed, in a subdirectory too when
 * the subtree is watched; what happens between two calls is kept for the next one; a file
 * handle is refused. Prints each record as ACTION:NAME. */
#include <windows.h>
#include <stdio.h>

static void print_records(const char *what, BYTE *buf, DWORD bytes) {
    printf("%s %lu:", what, bytes);
    FILE_NOTIFY_INFORMATION *info = (FILE_NOTIFY_INFORMATION *)buf;
    while (bytes) {
        printf(" %lu:%.*ls", info->Action, (int)(info->FileNameLength / 2), info->FileName);
        if (!info->NextEntryOffset) break;
        info = (FILE_NOTIFY_INFORMATION *)((BYTE *)info + info->NextEntryOffset);
    }
    printf("\n");
}

int main(void) {
    static BYTE buf[4096];
    CreateDirectoryW(L"watched", NULL);
    HANDLE dir = CreateFileW(L"watched", FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                             NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, NULL);
    HANDLE port = CreateIoCompletionPort(dir, NULL, 7, 0);
    DWORD filter = FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME | FILE_NOTIFY_CHANGE_LAST_WRITE;
    OVERLAPPED ov; memset(&ov, 0, sizeof ov);
    BOOL queued = ReadDirectoryChangesW(dir, buf, sizeof buf, TRUE, filter, NULL, &ov, NULL);
    DWORD bytes; ULONG_PTR key; LPOVERLAPPED done;
    BOOL early = GetQueuedCompletionStatus(port, &bytes, &key, &done, 0);
    printf("queued %d early %d %lu\n", queued, early, GetLastError());

    HANDLE f = CreateFileW(L"watched\\a.txt", GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    DWORD n; WriteFile(f, "data", 4, &n, NULL); CloseHandle(f);
    BOOL got = GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000);
    printf("woke %d key %lu ours %d\n", got, (unsigned long)key, done == &ov);
    print_records("first", buf, bytes);

    /* these happen while no read is outstanding: the next call gets them at once */
    MoveFileW(L"watched\\a.txt", L"watched\\b.txt");
    DeleteFileW(L"watched\\b.txt");
    CreateDirectoryW(L"watched\\sub", NULL);
    f = CreateFileW(L"watched\\sub\\c.txt", GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    CloseHandle(f);
    memset(&ov, 0, sizeof ov);
    queued = ReadDirectoryChangesW(dir, buf, sizeof buf, TRUE, filter, NULL, &ov, NULL);
    got = GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000);
    printf("queued %d woke %d\n", queued, got);
    print_records("kept", buf, bytes);

    /* a read the program cancels completes with ERROR_OPERATION_ABORTED */
    memset(&ov, 0, sizeof ov);
    ReadDirectoryChangesW(dir, buf, sizeof buf, FALSE, filter, NULL, &ov, NULL);
    CancelIo(dir);
    got = GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000);
    printf("cancelled %d %lu\n", got, GetLastError());

    /* a synchronous read on a file handle is refused */
    f = CreateFileW(L"watched\\sub\\c.txt", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    DWORD ret = 0;
    BOOL onfile = ReadDirectoryChangesW(f, buf, sizeof buf, FALSE, filter, &ret, NULL, NULL);
    printf("file %d %lu\n", onfile, GetLastError());
    CloseHandle(f); CloseHandle(dir); CloseHandle(port);
    return 0;
}
