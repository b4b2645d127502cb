/* ReplaceFileW: the replacement takes the replaced file's name, the old one going to the
   backup name (an older backup replaced); a missing file is ERROR_FILE_NOT_FOUND. */
#include <windows.h>
#include <stdio.h>

static void put(const wchar_t *name, const char *text)
{
    HANDLE h = CreateFileW(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(h, text, (DWORD)strlen(text), &n, NULL);
    CloseHandle(h);
}

static void show(const wchar_t *name)
{
    char buf[32] = "";
    DWORD n = 0;
    HANDLE h = CreateFileW(name, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        printf("  %ls: none\n", name);
        return;
    }
    ReadFile(h, buf, sizeof buf - 1, &n, NULL);
    CloseHandle(h);
    printf("  %ls: %s\n", name, buf);
}

int main(void)
{
    put(L"doc.txt", "old");
    put(L"doc.new", "new");
    put(L"doc.bak", "older");
    BOOL ok = ReplaceFileW(L"doc.txt", L"doc.new", L"doc.bak", 0, NULL, NULL);
    printf("replace with backup: %d\n", ok);
    show(L"doc.txt"); show(L"doc.new"); show(L"doc.bak");
    put(L"doc.new", "newer");
    ok = ReplaceFileW(L"doc.txt", L"doc.new", NULL, 0, NULL, NULL);
    printf("replace: %d\n", ok);
    show(L"doc.txt"); show(L"doc.new");
    SetLastError(0);
    ok = ReplaceFileW(L"missing.txt", L"doc.txt", NULL, 0, NULL, NULL);
    printf("missing: %d %lu\n", ok, GetLastError());
    return 0;
}
