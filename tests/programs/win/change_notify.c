/* FindFirstChangeNotification: a handle signalled when a name is made in the directory (Qt's
 * QFileSystemWatcher waits on them); FindNextChangeNotification waits for the next change. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    CreateDirectoryW(L"watched", NULL);
    HANDLE h = FindFirstChangeNotificationW(L"watched", FALSE, FILE_NOTIFY_CHANGE_FILE_NAME);
    printf("handle %d\n", h != INVALID_HANDLE_VALUE);
    printf("nothing yet: 0x%lx\n", WaitForSingleObject(h, 50));
    CloseHandle(CreateFileW(L"watched\\new.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL));
    printf("after a file was made: 0x%lx\n", WaitForSingleObject(h, 1000));
    BOOL next = FindNextChangeNotification(h);
    printf("next: %d, then quiet: 0x%lx\n", next, WaitForSingleObject(h, 50));
    DeleteFileW(L"watched\\new.txt");
    printf("after a delete: 0x%lx\n", WaitForSingleObject(h, 1000));
    printf("closed: %d\n", FindCloseChangeNotification(h));
    HANDLE dropped = FindFirstChangeNotificationW(L"watched", FALSE, FILE_NOTIFY_CHANGE_FILE_NAME);
    CloseHandle(dropped);                  /* its watch goes with its last handle */
    CloseHandle(CreateFileW(L"watched\\after.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0,
                            NULL));
    DeleteFileW(L"watched\\after.txt");
    HANDLE bad = FindFirstChangeNotificationW(L"nowhere", FALSE, FILE_NOTIFY_CHANGE_FILE_NAME);
    printf("missing directory: %d %lu\n", bad == INVALID_HANDLE_VALUE, GetLastError());
    RemoveDirectoryW(L"watched");
    return 0;
}
