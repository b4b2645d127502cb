/* Listing a directory through its handle, as Go's os.ReadDir (GetFileInformationByHandleEx's
   directory classes), Zig's std.fs (NtQueryDirectoryFile) and Rust do: entries chained by
   NextEntryOffset, a small buffer over several calls, restart, a name mask, a single entry,
   the end of the scan; and the volume the directory is on. */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

typedef NTSTATUS (NTAPI *query_dir)(HANDLE, HANDLE, PVOID, PVOID, PIO_STATUS_BLOCK, PVOID, ULONG,
                                    ULONG, BOOLEAN, PUNICODE_STRING, BOOLEAN);

static void names(const char *label, const BYTE *buf, size_t name_length_at, size_t name_at) {
    printf("%s:", label);
    for (;;) {
        ULONG next = *(const ULONG *)buf, length = *(const ULONG *)(buf + name_length_at);
        printf(" %.*ls", (int)(length / 2), (const wchar_t *)(buf + name_at));
        if (!next) break;
        buf += next;
    }
    printf("\n");
}

static void write_file(const char *name, const char *text) {
    HANDLE h = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(h, text, (DWORD)strlen(text), &n, NULL);
    CloseHandle(h);
}

int main(void) {
    CreateDirectoryA("d", NULL);
    CreateDirectoryA("d\\sub", NULL);
    write_file("d\\a.txt", "hello");
    write_file("d\\b.log", "");
    HANDLE dir = CreateFileA("d", FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                             OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    static BYTE buf[65536];
    BOOL ok = GetFileInformationByHandleEx(dir, FileFullDirectoryRestartInfo, buf, sizeof buf);
    printf("full %d\n", ok);
    for (FILE_FULL_DIR_INFO *e = (FILE_FULL_DIR_INFO *)buf;; e = (FILE_FULL_DIR_INFO *)((BYTE *)e + e->NextEntryOffset)) {
        printf("  %.*ls size %lld dir %d aligned %d\n", (int)(e->FileNameLength / 2), e->FileName,
               e->EndOfFile.QuadPart, !!(e->FileAttributes & FILE_ATTRIBUTE_DIRECTORY),
               ((ULONG_PTR)e - (ULONG_PTR)buf) % 8 == 0);
        if (!e->NextEntryOffset) break;
    }
    ok = GetFileInformationByHandleEx(dir, FileFullDirectoryInfo, buf, sizeof buf);
    printf("again %d %lu\n", ok, (unsigned long)GetLastError());

    int calls = 0, entries = 0;
    FILE_INFO_BY_HANDLE_CLASS cls = FileIdBothDirectoryRestartInfo;
    while (GetFileInformationByHandleEx(dir, cls, buf, 120)) {
        calls++;
        for (FILE_ID_BOTH_DIR_INFO *e = (FILE_ID_BOTH_DIR_INFO *)buf;; e = (FILE_ID_BOTH_DIR_INFO *)((BYTE *)e + e->NextEntryOffset)) {
            entries++;
            if (!e->NextEntryOffset) break;
        }
        cls = FileIdBothDirectoryInfo;
    }
    printf("small buffer: %d entries in %d calls, then %lu\n", entries, calls,
           (unsigned long)GetLastError());

    query_dir nt_query = (query_dir)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryDirectoryFile");
    IO_STATUS_BLOCK io;
    UNICODE_STRING mask;
    WCHAR pattern[] = L"*.TXT";
    mask.Buffer = pattern;
    mask.Length = mask.MaximumLength = (USHORT)(wcslen(pattern) * 2);
    HANDLE again = CreateFileA("d", FILE_LIST_DIRECTORY, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                               FILE_FLAG_BACKUP_SEMANTICS, NULL);
    NTSTATUS st = nt_query(again, NULL, NULL, NULL, &io, buf, sizeof buf, 1 /* FileDirectoryInformation */,
                           FALSE, &mask, TRUE);
    printf("mask %#lx %d ", (unsigned long)st, io.Information > 0);
    names("names", buf, 60, 64);
    st = nt_query(again, NULL, NULL, NULL, &io, buf, sizeof buf, 1, FALSE, NULL, FALSE);
    printf("after the mask %#lx\n", (unsigned long)st);
    st = nt_query(again, NULL, NULL, NULL, &io, buf, sizeof buf, 12 /* FileNamesInformation */,
                  TRUE, NULL, TRUE);
    printf("single %#lx ", (unsigned long)st);
    names("restarted", buf, 8, 12);
    CloseHandle(again);
    again = CreateFileA("d", FILE_LIST_DIRECTORY, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                        FILE_FLAG_BACKUP_SEMANTICS, NULL);
    WCHAR none[] = L"*.none";
    mask.Buffer = none;
    mask.Length = mask.MaximumLength = (USHORT)(wcslen(none) * 2);
    st = nt_query(again, NULL, NULL, NULL, &io, buf, sizeof buf, 1, FALSE, &mask, TRUE);
    printf("no match %#lx\n", (unsigned long)st);
    st = nt_query(again, NULL, NULL, NULL, &io, buf, 8, 1, FALSE, NULL, TRUE);
    printf("tiny %#lx\n", (unsigned long)st);
    CloseHandle(again);

    WCHAR fs[16];
    DWORD serial = 0, max_component = 0, flags = 0, by_handle_serial = 0;
    ok = GetVolumeInformationW(L"C:\\", NULL, 0, &serial, &max_component, &flags, fs, 16);
    printf("volume %d %ls %lu case-preserving %d", ok, fs, (unsigned long)max_component,
           !!(flags & FILE_CASE_PRESERVED_NAMES));
    ok = GetVolumeInformationByHandleW(dir, NULL, 0, &by_handle_serial, NULL, NULL, NULL, 0);
    BY_HANDLE_FILE_INFORMATION info;
    GetFileInformationByHandle(dir, &info);
    printf(" by handle %d same %d\n", ok, by_handle_serial == info.dwVolumeSerialNumber);
    CloseHandle(dir);
    DeleteFileA("d\\a.txt");
    DeleteFileA("d\\b.log");
    RemoveDirectoryA("d\\sub");
    RemoveDirectoryA("d");

    /* LLVM's atomic write: a temporary file marked delete-on-close, unmarked, then renamed
       over the target by handle with a Win32 path; a mark left set deletes at the close */
    write_file("target.txt", "old");
    write_file("temp.txt", "new");
    HANDLE t = CreateFileA("temp.txt", GENERIC_READ | GENERIC_WRITE | DELETE, FILE_SHARE_READ,
                           NULL, OPEN_EXISTING, 0, NULL);
    FILE_DISPOSITION_INFO dispose = {TRUE};
    BOOL marked = SetFileInformationByHandle(t, FileDispositionInfo, &dispose, sizeof dispose);
    dispose.DeleteFile = FALSE;
    BOOL unmarked = SetFileInformationByHandle(t, FileDispositionInfo, &dispose, sizeof dispose);
    struct {
        FILE_RENAME_INFO info;
        WCHAR more[32];
    } rename;
    memset(&rename, 0, sizeof rename);
    rename.info.ReplaceIfExists = TRUE;
    GetFullPathNameW(L"target.txt", 32, rename.info.FileName, NULL);
    rename.info.FileNameLength = (DWORD)(wcslen(rename.info.FileName) * 2);
    BOOL renamed = SetFileInformationByHandle(t, FileRenameInfo, &rename, sizeof rename);
    CloseHandle(t);
    char text[8] = {0};
    DWORD n;
    t = CreateFileA("target.txt", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    ReadFile(t, text, sizeof text - 1, &n, NULL);
    CloseHandle(t);
    printf("marked %d unmarked %d renamed %d [%s] temp gone %d\n", marked, unmarked, renamed,
           text, GetFileAttributesA("temp.txt") == INVALID_FILE_ATTRIBUTES);
    t = CreateFileA("target.txt", GENERIC_READ | DELETE, FILE_SHARE_READ | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, 0, NULL);
    HANDLE second = CreateFileA("target.txt", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE,
                                NULL, OPEN_EXISTING, 0, NULL);
    dispose.DeleteFile = TRUE;
    SetFileInformationByHandle(t, FileDispositionInfo, &dispose, sizeof dispose);
    CloseHandle(t);
    BOOL read_after = ReadFile(second, text, 3, &n, NULL) && n == 3;
    CloseHandle(second);
    printf("deleted at close %d read through another handle %d\n",
           GetFileAttributesA("target.txt") == INVALID_FILE_ATTRIBUTES, read_after);
    return 0;
}
