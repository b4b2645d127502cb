/* MoveFileExW and MoveFileW with names beyond Latin-1, both ways (cmake -E rename, Go's
   os.Rename, libuv's rename and Deno's go through MoveFileExW). */
#include <windows.h>
#include <stdio.h>

static int exists(const wchar_t *name)
{
    return GetFileAttributesW(name) != INVALID_FILE_ATTRIBUTES;
}

int main(void)
{
    HANDLE h = CreateFileW(L"b.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CloseHandle(h);
    BOOL to = MoveFileExW(L"b.txt", L"\u6570\u636e.txt", MOVEFILE_REPLACE_EXISTING);
    printf("to CJK: %d, there %d, old gone %d\n", to, exists(L"\u6570\u636e.txt"), !exists(L"b.txt"));
    BOOL emoji = MoveFileW(L"\u6570\u636e.txt", L"\U0001F600.txt");
    printf("to emoji: %d, there %d\n", emoji, exists(L"\U0001F600.txt"));
    BOOL back = MoveFileExW(L"\U0001F600.txt", L"c.txt", 0);
    printf("back: %d, there %d\n", back, exists(L"c.txt"));
    return 0;
}
