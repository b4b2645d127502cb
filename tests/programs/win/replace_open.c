/* MoveFileEx(REPLACE_EXISTING) onto a file someone holds open: refused (ERROR_ACCESS_DENIED)
   when the holder did not share delete, allowed when it did, as on NTFS. */
#include <windows.h>
#include <stdio.h>

static void make(const char *name, const char *text)
{
    HANDLE h = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(h, text, (DWORD)strlen(text), &n, NULL);
    CloseHandle(h);
}

static void attempt(DWORD share)
{
    make("C:\\old.txt", "old");
    make("C:\\new.txt", "new");
    HANDLE held = CreateFileA("C:\\old.txt", GENERIC_READ, share, NULL, OPEN_EXISTING, 0, NULL);
    BOOL moved = MoveFileExA("C:\\new.txt", "C:\\old.txt", MOVEFILE_REPLACE_EXISTING);
    DWORD error = moved ? 0 : GetLastError();
    CloseHandle(held);
    char text[8] = {0};
    DWORD n;
    HANDLE h = CreateFileA("C:\\old.txt", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0,
                           NULL);
    ReadFile(h, text, sizeof text - 1, &n, NULL);
    CloseHandle(h);
    printf("share %lu: moved %d error %lu old.txt [%s]\n", share, moved, error, text);
}

int main(void)
{
    attempt(FILE_SHARE_READ | FILE_SHARE_WRITE);
    attempt(FILE_SHARE_READ | FILE_SHARE_DELETE);
    /* a handle renaming its own file to another case of its name: nothing is replaced */
    HANDLE h = CreateFileA("C:\\case.txt", DELETE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    char buffer[sizeof(FILE_RENAME_INFO) + 64] = {0};
    FILE_RENAME_INFO *info = (FILE_RENAME_INFO *)buffer;
    info->ReplaceIfExists = TRUE;
    wcscpy(info->FileName, L"C:\\CASE.txt");
    info->FileNameLength = wcslen(info->FileName) * 2;
    BOOL renamed = SetFileInformationByHandle(h, FileRenameInfo, info, sizeof buffer);
    DWORD error = renamed ? 0 : GetLastError();
    CloseHandle(h);
    printf("own name: renamed %d error %lu\n", renamed, error);
    return 0;
}
