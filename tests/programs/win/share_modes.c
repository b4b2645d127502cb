/* Share modes and the read-only attribute, as Windows enforces them: an open that asks for
 * what an earlier one refuses to share (or refuses what it uses) is ERROR_SHARING_VIOLATION;
 * deleting or renaming a file held without FILE_SHARE_DELETE is too; a read-only file cannot
 * be deleted (by name or by handle) but can be renamed; the C runtime's _sopen modes and
 * _O_TEMPORARY, and FILE_FLAG_DELETE_ON_CLOSE. Output: one line per check. */
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <share.h>
#include <stdio.h>
#include <sys/stat.h>

#define RW (GENERIC_READ | GENERIC_WRITE)
#define ALL_SHARE (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)

static HANDLE open_as(const char *name, DWORD access, DWORD share, DWORD disposition)
{
    return CreateFileA(name, access, share, NULL, disposition, FILE_ATTRIBUTE_NORMAL, NULL);
}

/* "ok" for a handle, else the error */
static void show(const char *what, HANDLE h)
{
    if (h == INVALID_HANDLE_VALUE)
        printf("%s error %lu\n", what, GetLastError());
    else {
        printf("%s ok\n", what);
        CloseHandle(h);
    }
}

static void result(const char *what, BOOL ok)
{
    if (ok)
        printf("%s ok\n", what);
    else
        printf("%s error %lu\n", what, GetLastError());
}

typedef struct { ULONG Flags; } DISPOSITION_EX;   /* FILE_DISPOSITION_INFO_EX */

int main(void)
{
    /* a writer that shares reading only */
    HANDLE w = open_as("a.txt", GENERIC_WRITE, FILE_SHARE_READ, CREATE_ALWAYS);
    DWORD n;
    WriteFile(w, "hello", 5, &n, NULL);
    show("second writer", open_as("a.txt", GENERIC_WRITE, ALL_SHARE, OPEN_EXISTING));
    show("reader sharing all", open_as("a.txt", GENERIC_READ, ALL_SHARE, OPEN_EXISTING));
    show("reader not sharing write", open_as("a.txt", GENERIC_READ, FILE_SHARE_READ,
                                             OPEN_EXISTING));
    show("truncating writer", open_as("a.txt", GENERIC_WRITE, ALL_SHARE, TRUNCATE_EXISTING));
    show("attributes only", open_as("a.txt", FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING));
    result("delete while held", DeleteFileA("a.txt"));
    result("rename while held", MoveFileA("a.txt", "b.txt"));
    CloseHandle(w);
    WIN32_FILE_ATTRIBUTE_DATA data;
    GetFileAttributesExA("a.txt", GetFileExInfoStandard, &data);
    printf("size kept %lu\n", data.nFileSizeLow);

    /* a holder that shares deleting too lets the name go */
    HANDLE d = open_as("a.txt", GENERIC_READ, ALL_SHARE, OPEN_EXISTING);
    result("rename while shared", MoveFileA("a.txt", "b.txt"));
    result("delete while shared", DeleteFileA("b.txt"));
    CloseHandle(d);

    /* an exclusive open: nobody else reads it, until it is closed */
    HANDLE x = open_as("c.txt", RW, 0, CREATE_ALWAYS);
    show("reader of an exclusive file", open_as("c.txt", GENERIC_READ, ALL_SHARE,
                                                OPEN_EXISTING));
    HANDLE dup;
    DuplicateHandle(GetCurrentProcess(), x, GetCurrentProcess(), &dup, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    CloseHandle(x);
    show("reader while a duplicate is open", open_as("c.txt", GENERIC_READ, ALL_SHARE,
                                                     OPEN_EXISTING));
    CloseHandle(dup);
    show("reader after the last close", open_as("c.txt", GENERIC_READ, ALL_SHARE,
                                                OPEN_EXISTING));

    /* read-only: no deleting by name or handle, renaming is fine */
    SetFileAttributesA("c.txt", FILE_ATTRIBUTE_READONLY);
    result("delete read-only", DeleteFileA("c.txt"));
    result("rename read-only", MoveFileA("c.txt", "e.txt"));
    HANDLE h = open_as("e.txt", DELETE, ALL_SHARE, OPEN_EXISTING);
    FILE_DISPOSITION_INFO del = {TRUE};
    result("delete read-only by handle", SetFileInformationByHandle(h, FileDispositionInfo, &del,
                                                                    sizeof del));
    DISPOSITION_EX ex = {0x1 | 0x2 | 0x10};   /* DELETE | POSIX_SEMANTICS | IGNORE_READONLY */
    result("delete ignoring read-only", SetFileInformationByHandle(h, 21 /* FileDispositionInfoEx */,
                                                                   &ex, sizeof ex));
    CloseHandle(h);
    printf("gone %d\n", GetFileAttributesA("e.txt") == INVALID_FILE_ATTRIBUTES);

    /* the C runtime: sharing modes, and a temporary file gone with its last descriptor */
    int held = _sopen("s.txt", _O_CREAT | _O_RDWR, _SH_DENYWR, _S_IREAD | _S_IWRITE);
    int writer = _sopen("s.txt", _O_WRONLY, _SH_DENYNO);
    int reader = _sopen("s.txt", _O_RDONLY, _SH_DENYNO);
    printf("deny write: writer %d reader %d\n", writer, reader >= 0);
    _close(reader);
    _close(held);
    int temp = _sopen("t.txt", _O_CREAT | _O_RDWR | _O_TEMPORARY, _SH_DENYNO, _S_IREAD | _S_IWRITE);
    _write(temp, "x", 1);
    printf("temporary %d there %d\n", temp >= 0, GetFileAttributesA("t.txt") != INVALID_FILE_ATTRIBUTES);
    _close(temp);
    printf("temporary gone %d\n", GetFileAttributesA("t.txt") == INVALID_FILE_ATTRIBUTES);
    HANDLE doc = CreateFileA("d.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                             FILE_FLAG_DELETE_ON_CLOSE, NULL);
    printf("delete on close %d", GetFileAttributesA("d.txt") != INVALID_FILE_ATTRIBUTES);
    CloseHandle(doc);
    printf(" then gone %d\n", GetFileAttributesA("d.txt") == INVALID_FILE_ATTRIBUTES);
    return 0;
}
