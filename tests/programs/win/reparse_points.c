/* Symbolic links as reparse points: a link's own attributes and tag, opening the link
 * itself (FILE_FLAG_OPEN_REPARSE_POINT) to read it or delete it without touching its
 * target, RemoveDirectory of a directory link, a junction made with FSCTL_SET_REPARSE_POINT,
 * and a read-only file refusing writers. (node's fs.rmSync deleted a link's target.) */
#define UNICODE
#include <windows.h>
#include <winioctl.h>
#include <stdio.h>
#include <string.h>

#ifndef SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE
#define SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE 0x2
#endif
#ifndef IO_REPARSE_TAG_SYMLINK
#define IO_REPARSE_TAG_SYMLINK 0xA000000CL
#endif

typedef struct {
    DWORD tag;
    WORD length, reserved;
    WORD sub_off, sub_len, print_off, print_len;
    DWORD flags;           /* (a mount point's buffer has no flags: names start here) */
    WCHAR names[512];
} REPARSE;

static void write_file(const wchar_t *name, const char *text)
{
    HANDLE h = CreateFileW(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(h, text, (DWORD)strlen(text), &n, NULL);
    CloseHandle(h);
}

static void show_link(const wchar_t *name)
{
    HANDLE h = CreateFileW(name, 0, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, NULL);
    REPARSE r;
    DWORD got = 0;
    BOOL ok = DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, NULL, 0, &r, sizeof r, &got, NULL);
    FILE_ATTRIBUTE_TAG_INFO tag;
    GetFileInformationByHandleEx(h, FileAttributeTagInfo, &tag, sizeof tag);
    printf("%ls: get %d tag %#lx print %.*ls flags %lu; handle attrs %#lx tag %#lx\n", name, ok,
           r.tag, r.print_len / 2, r.names + r.print_off / 2, r.flags, tag.FileAttributes,
           tag.ReparseTag);
    CloseHandle(h);
}

int main(void)
{
    CreateDirectoryW(L"w", NULL);
    SetCurrentDirectoryW(L"w");
    write_file(L"target.txt", "precious");
    CreateDirectoryW(L"tdir", NULL);
    write_file(L"tdir\\inside.txt", "x");
    DWORD flags = SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE;
    printf("links: %d %d\n", CreateSymbolicLinkW(L"flink", L"target.txt", flags),
           CreateSymbolicLinkW(L"dlink", L"tdir", flags | SYMBOLIC_LINK_FLAG_DIRECTORY));
    printf("attributes: file link %#lx dir link %#lx target %#lx\n",
           GetFileAttributesW(L"flink"), GetFileAttributesW(L"dlink"),
           GetFileAttributesW(L"target.txt"));
    WIN32_FIND_DATAW fd;
    HANDLE find = FindFirstFileW(L"flink", &fd);
    printf("find: attrs %#lx reserved0 %#lx\n", fd.dwFileAttributes, fd.dwReserved0);
    FindClose(find);
    show_link(L"flink");
    show_link(L"dlink");

    /* Deleting through the link's own handle removes the link, never the target. */
    HANDLE h = CreateFileW(L"flink", DELETE, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    FILE_DISPOSITION_INFO del = {TRUE};
    BOOL ok = SetFileInformationByHandle(h, FileDispositionInfo, &del, sizeof del);
    CloseHandle(h);
    printf("delete the link: %d; link %#lx target %#lx\n", ok, GetFileAttributesW(L"flink"),
           GetFileAttributesW(L"target.txt"));
    ok = RemoveDirectoryW(L"dlink");
    printf("remove the dir link: %d; link %#lx target file %#lx\n", ok,
           GetFileAttributesW(L"dlink"), GetFileAttributesW(L"tdir\\inside.txt"));

    /* A junction: an empty directory given a mount point's reparse data. */
    CreateDirectoryW(L"junction", NULL);
    h = CreateFileW(L"junction", GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                    FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, NULL);
    wchar_t cwd[MAX_PATH], sub[MAX_PATH];
    GetCurrentDirectoryW(MAX_PATH, cwd);
    swprintf(sub, MAX_PATH, L"\\??\\%ls\\tdir", cwd);
    REPARSE r = {0xA0000003L};
    WORD sub_bytes = (WORD)(wcslen(sub) * 2);
    r.sub_off = 0;
    r.sub_len = sub_bytes;
    r.print_off = sub_bytes + 2;
    r.print_len = 0;
    memcpy((char *)&r.flags, sub, sub_bytes + 2);   /* the names start where flags would */
    r.length = (WORD)(8 + sub_bytes + 2 + 2);
    DWORD got;
    ok = DeviceIoControl(h, FSCTL_SET_REPARSE_POINT, &r, 8 + r.length, NULL, 0, &got, NULL);
    CloseHandle(h);
    printf("junction: %d attrs %#lx through it %#lx\n", ok, GetFileAttributesW(L"junction"),
           GetFileAttributesW(L"junction\\inside.txt"));

    /* FILE_ATTRIBUTE_READONLY keeps writers out, whoever they are. */
    SetFileAttributesW(L"target.txt", FILE_ATTRIBUTE_READONLY);
    h = CreateFileW(L"target.txt", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("write a read-only file: %d error %lu; attrs %#lx\n", h != INVALID_HANDLE_VALUE,
           GetLastError(), GetFileAttributesW(L"target.txt"));
    h = CreateFileW(L"target.txt", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    BY_HANDLE_FILE_INFORMATION info;
    GetFileInformationByHandle(h, &info);
    printf("read it: %d attrs %#lx\n", h != INVALID_HANDLE_VALUE, info.dwFileAttributes);
    CloseHandle(h);
    SetFileAttributesW(L"target.txt", FILE_ATTRIBUTE_NORMAL);
    h = CreateFileW(L"target.txt", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("writable again: %d\n", h != INVALID_HANDLE_VALUE);
    CloseHandle(h);
    return 0;
}
