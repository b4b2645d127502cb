/* The DOS attributes of files and directories (hidden, system, archive, temporary, not
 * content indexed ...) as each query path reports them, after each change a program makes:
 * GetFileAttributesA/W, GetFileAttributesEx, FindFirstFile, GetFileInformationByHandle(Ex)
 * (basic and attribute-tag), NtQueryInformationFile, NtQueryAttributesFile,
 * NtQueryDirectoryFile and the CRT's _findfirst. One line per state: the value when every
 * path agrees (the CRT's own beside it: _A_NORMAL is 0), or each path's when they differ.
 * `file_attributes` runs the changes; `file_attributes keep` leaves files for a later run,
 * which `file_attributes show` reports. */
#define _WIN32_WINNT 0x0601
#include <windows.h>
#include <winternl.h>
#include <io.h>
#include <stdio.h>
#include <string.h>

typedef struct { LARGE_INTEGER times[4]; ULONG FileAttributes; } BASIC;
NTSTATUS NTAPI NtQueryAttributesFile(POBJECT_ATTRIBUTES, BASIC *);
NTSTATUS NTAPI NtQueryDirectoryFile(HANDLE, HANDLE, PVOID, PVOID, PIO_STATUS_BLOCK, PVOID, ULONG,
                                    ULONG, BOOLEAN, PUNICODE_STRING, BOOLEAN);
#define FileIdBothDirectoryInformation 37
#define FILE_ID_BOTH_ATTRIBUTES 56         /* FILE_ID_BOTH_DIR_INFORMATION.FileAttributes */
#define NPATHS 10

static const char *path_names[NPATHS] = {
    "GetFileAttributesA", "GetFileAttributesW", "GetFileAttributesEx", "FindFirstFile",
    "GetFileInformationByHandle", "FileBasicInfo", "FileAttributeTagInfo",
    "NtQueryInformationFile", "NtQueryAttributesFile", "NtQueryDirectoryFile"};

static WCHAR *wide(const char *s)
{
    static WCHAR buf[4][MAX_PATH];
    static int n;
    WCHAR *w = buf[n++ % 4];
    MultiByteToWideChar(CP_ACP, 0, s, -1, w, MAX_PATH);
    return w;
}

static DWORD by_nt_name(const char *name)
{
    WCHAR full[MAX_PATH], nt[MAX_PATH + 8] = L"\\??\\";
    GetFullPathNameW(wide(name), MAX_PATH, full, NULL);
    wcscat(nt, full);
    UNICODE_STRING us = {(USHORT)(wcslen(nt) * 2), (USHORT)(wcslen(nt) * 2 + 2), nt};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, NULL, NULL);
    BASIC basic = {0};
    NTSTATUS st = NtQueryAttributesFile(&oa, &basic);
    return st ? 0xEEEE0000u | (st & 0xFFFF) : basic.FileAttributes;
}

static DWORD by_directory_scan(const char *name)
{
    HANDLE dir = CreateFileA(".", FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE |
                             FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                             FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (dir == INVALID_HANDLE_VALUE)
        return 0xEEEEEEEE;
    static ULONGLONG buf[512];
    WCHAR *w = wide(name);
    UNICODE_STRING mask = {(USHORT)(wcslen(w) * 2), (USHORT)(wcslen(w) * 2 + 2), w};
    IO_STATUS_BLOCK iosb;
    NTSTATUS st = NtQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, buf, sizeof buf,
                                       FileIdBothDirectoryInformation, TRUE, &mask, TRUE);
    CloseHandle(dir);
    return st ? 0xEEEE0000u | (st & 0xFFFF) : *(ULONG *)((char *)buf + FILE_ID_BOTH_ATTRIBUTES);
}

/* Every path's answer for name (a link's own: it is opened with FILE_FLAG_OPEN_REPARSE_POINT,
 * as GetFileAttributes and FindFirstFile report the link itself). */
static void query(const char *name, DWORD v[NPATHS], unsigned *crt)
{
    for (int i = 0; i < NPATHS; i++)
        v[i] = 0xEEEEEEEE;
    v[0] = GetFileAttributesA(name);
    v[1] = GetFileAttributesW(wide(name));
    WIN32_FILE_ATTRIBUTE_DATA data;
    if (GetFileAttributesExW(wide(name), GetFileExInfoStandard, &data))
        v[2] = data.dwFileAttributes;
    WIN32_FIND_DATAW fd;
    HANDLE find = FindFirstFileW(wide(name), &fd);
    if (find != INVALID_HANDLE_VALUE) {
        v[3] = fd.dwFileAttributes;
        FindClose(find);
    }
    HANDLE h = CreateFileA(name, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE |
                           FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                           FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (h != INVALID_HANDLE_VALUE) {
        BY_HANDLE_FILE_INFORMATION info;
        if (GetFileInformationByHandle(h, &info))
            v[4] = info.dwFileAttributes;
        FILE_BASIC_INFO basic;
        if (GetFileInformationByHandleEx(h, FileBasicInfo, &basic, sizeof basic))
            v[5] = basic.FileAttributes;
        FILE_ATTRIBUTE_TAG_INFO tag;
        if (GetFileInformationByHandleEx(h, FileAttributeTagInfo, &tag, sizeof tag))
            v[6] = tag.FileAttributes;
        IO_STATUS_BLOCK iosb;
        BASIC nt;
        if (!NtQueryInformationFile(h, &iosb, &nt, sizeof nt, FileBasicInformation))
            v[7] = nt.FileAttributes;
        CloseHandle(h);
    }
    v[8] = by_nt_name(name);
    v[9] = by_directory_scan(name);
    struct _finddata_t cfd;
    intptr_t ch = _findfirst(name, &cfd);
    *crt = 0xEEEEEEEE;
    if (ch != -1) {
        *crt = cfd.attrib;
        _findclose(ch);
    }
}

static void show(const char *label, const char *name)
{
    DWORD v[NPATHS];
    unsigned crt;
    query(name, v, &crt);
    int same = 1;
    for (int i = 1; i < NPATHS; i++)
        same &= v[i] == v[0];
    if (same) {
        printf("%s: 0x%lx crt 0x%x\n", label, (unsigned long)v[0], crt);
    } else {
        printf("%s: differ", label);
        for (int i = 0; i < NPATHS; i++)
            printf(" %s=0x%lx", path_names[i], (unsigned long)v[i]);
        printf(" crt 0x%x\n", crt);
    }
}

static HANDLE create(const char *name, DWORD access, DWORD disposition, DWORD attributes)
{
    return CreateFileA(name, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       NULL, disposition, attributes, NULL);
}

static void write_to(const char *name, const char *text)
{
    HANDLE h = create(name, GENERIC_WRITE, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
    DWORD n;
    SetFilePointer(h, 0, NULL, FILE_END);
    WriteFile(h, text, (DWORD)strlen(text), &n, NULL);
    CloseHandle(h);
}

static void make(const char *name, DWORD disposition, DWORD attributes)
{
    HANDLE h = create(name, GENERIC_WRITE, disposition, attributes);
    DWORD error = GetLastError();
    printf("create %s: %s error %lu\n", name, h == INVALID_HANDLE_VALUE ? "refused" : "made",
           (unsigned long)error);
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
}

static void set(const char *name, DWORD attributes)
{
    BOOL ok = SetFileAttributesA(name, attributes);
    if (!ok)
        printf("set %s 0x%lx: error %lu\n", name, (unsigned long)attributes, GetLastError());
}

/* FILE_BASIC_INFO through a handle opened on the link itself (times 0: left alone). */
static void set_own(const char *name, DWORD attributes)
{
    HANDLE h = create(name, FILE_WRITE_ATTRIBUTES, OPEN_EXISTING,
                      FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT);
    FILE_BASIC_INFO basic = {0};
    basic.FileAttributes = attributes;
    BOOL ok = SetFileInformationByHandle(h, FileBasicInfo, &basic, sizeof basic);
    printf("set own %s 0x%lx: %d\n", name, (unsigned long)attributes, ok);
    CloseHandle(h);
}

static void changes(void)
{
    make("f.txt", CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL);
    write_to("f.txt", "x");
    show("new file", "f.txt");
    set("f.txt", FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_HIDDEN);
    show("archive|hidden", "f.txt");
    set("f.txt", FILE_ATTRIBUTE_READONLY);
    show("readonly", "f.txt");
    set("f.txt", FILE_ATTRIBUTE_HIDDEN);
    show("hidden", "f.txt");
    set("f.txt", FILE_ATTRIBUTE_SYSTEM);
    show("system", "f.txt");
    set("f.txt", FILE_ATTRIBUTE_NORMAL);
    show("normal", "f.txt");
    write_to("f.txt", "y");
    show("written after clearing", "f.txt");
    set("f.txt", 0);
    show("set 0", "f.txt");
    printf("move: %d\n", MoveFileA("f.txt", "g.txt"));
    show("renamed", "g.txt");
    set("g.txt", FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_NOT_CONTENT_INDEXED);
    show("hidden|not indexed", "g.txt");
    make("g.txt", CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL);
    make("g.txt", TRUNCATE_EXISTING, FILE_ATTRIBUTE_NORMAL);
    make("g.txt", CREATE_ALWAYS, FILE_ATTRIBUTE_HIDDEN);
    show("overwritten hidden", "g.txt");
    set("g.txt", FILE_ATTRIBUTE_HIDDEN);
    HANDLE h = create("g.txt", FILE_WRITE_ATTRIBUTES, OPEN_EXISTING, 0);
    FILETIME t = {0x12345678, 0x01d00000};
    printf("set time: %d\n", SetFileTime(h, NULL, NULL, &t));
    CloseHandle(h);
    show("new write time", "g.txt");
    printf("delete hidden: %d\n", DeleteFileA("g.txt"));

    make("h.txt", CREATE_NEW, FILE_ATTRIBUTE_HIDDEN);
    show("created hidden", "h.txt");
    printf("copy: %d\n", CopyFileA("h.txt", "hc.txt", TRUE));
    show("copy of hidden", "hc.txt");
    make("t.txt", CREATE_NEW, FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_NOT_CONTENT_INDEXED);
    show("created temporary|not indexed", "t.txt");
    h = create("r.txt", GENERIC_WRITE, CREATE_NEW, FILE_ATTRIBUTE_READONLY);
    DWORD n = 0;
    printf("write through the read-only file's new handle: %d\n", WriteFile(h, "r", 1, &n, NULL));
    CloseHandle(h);
    show("created readonly", "r.txt");
    BOOL deleted = DeleteFileA("r.txt");
    printf("delete read-only: %d error %lu\n", deleted, GetLastError());
    make(".dotfile", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
    show("dot file", ".dotfile");

    CreateDirectoryA("d", NULL);
    show("directory", "d");
    set("d", FILE_ATTRIBUTE_HIDDEN);
    show("hidden directory", "d");
    set("d", FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE);
    show("hidden|system|archive directory", "d");
    set("d", FILE_ATTRIBUTE_TEMPORARY);
    printf("from template: %d\n", CreateDirectoryExW(L"d", L"dt", NULL));
    show("directory made from a template", "dt");
    set("d", 0);
    make("d\\in.txt", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
    show("directory written in", "d");
    set_own("h.txt", FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_HIDDEN);

    WCHAR nt[MAX_PATH + 8] = L"\\??\\", full[MAX_PATH];
    GetFullPathNameW(L"nd", MAX_PATH, full, NULL);
    wcscat(nt, full);
    UNICODE_STRING us = {(USHORT)(wcslen(nt) * 2), (USHORT)(wcslen(nt) * 2 + 2), nt};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, NULL, NULL);
    IO_STATUS_BLOCK iosb;
    NTSTATUS st = NtCreateFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &oa, &iosb, NULL,
                               FILE_ATTRIBUTE_HIDDEN, FILE_SHARE_READ | FILE_SHARE_WRITE,
                               FILE_CREATE, FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
                               NULL, 0);
    printf("NtCreateFile directory: 0x%lx\n", (unsigned long)st);
    if (!st)
        CloseHandle(h);
    show("NtCreateFile hidden directory", "nd");

    printf("link: %d\n", CreateSymbolicLinkA("lnk", "h.txt", 0));
    show("link", "lnk");
    set_own("lnk", FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE);
    show("hidden link", "lnk");
    show("its target", "h.txt");
}

static void keep(void)
{
    make("keep.txt", CREATE_NEW, FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM);
    CreateDirectoryA("keepdir", NULL);
    set("keepdir", FILE_ATTRIBUTE_HIDDEN);
    make("cleared.txt", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
    set("cleared.txt", FILE_ATTRIBUTE_NORMAL);
    CreateSymbolicLinkA("keeplink", "keep.txt", 0);
    set_own("keeplink", FILE_ATTRIBUTE_HIDDEN);
}

static void show_kept(void)
{
    show("kept file", "keep.txt");
    show("kept directory", "keepdir");
    show("cleared, then written by the host", "cleared.txt");
    show("kept link", "keeplink");
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "keep"))
        keep();
    else if (argc > 1 && !strcmp(argv[1], "show"))
        show_kept();
    else
        changes();
    return 0;
}
