/* Calls a sweep of unseen Windows programs found wrong or missing: an allocation below the
 * end of file truncates (Rust's fs::write), DUPLICATE_CLOSE_SOURCE with no target process
 * closes (Go's os/exec waits for EOF), "C:." is the current directory of drive C (CMake),
 * and GetHostNameW, console titles, priority classes, I/O counters, CopyFile2,
 * InitSecurityInterfaceW, _stricoll and msvcrt's own _stat. */
#define UNICODE
#include <winsock2.h>
#include <windows.h>
#include <winternl.h>
#define SECURITY_WIN32
#include <security.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

typedef HRESULT (WINAPI *copyfile2_fn)(PCWSTR, PCWSTR, void *);
typedef int (__cdecl *stat_fn)(const char *, void *);
typedef int (__cdecl *stricoll_fn)(const char *, const char *);
typedef int (WSAAPI *gethostnamew_fn)(PWSTR, int);

typedef LONG (NTAPI *query_process_fn)(HANDLE, int, void *, ULONG, ULONG *);
typedef LONG (NTAPI *close_fn)(HANDLE);

int main(int argc, char **argv)
{
    if (argc > 1)
        return 5;          /* a child whose exit status the parent reads */
    HANDLE h = CreateFileW(L"alloc.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(h, "0123456789", 10, &n, NULL);
    FILE_ALLOCATION_INFO shrink = {{.QuadPart = 4}};
    BOOL ok = SetFileInformationByHandle(h, FileAllocationInfo, &shrink, sizeof shrink);
    LARGE_INTEGER size;
    GetFileSizeEx(h, &size);
    printf("allocation 4: %d size %lld\n", ok, size.QuadPart);
    FILE_ALLOCATION_INFO grow = {{.QuadPart = 1 << 20}};
    ok = SetFileInformationByHandle(h, FileAllocationInfo, &grow, sizeof grow);
    GetFileSizeEx(h, &size);
    printf("allocation 1 MiB: %d size %lld\n", ok, size.QuadPart);
    CloseHandle(h);
    DeleteFileW(L"alloc.txt");

    HANDLE rd, wr;
    CreatePipe(&rd, &wr, NULL, 0);
    ok = DuplicateHandle(GetCurrentProcess(), wr, NULL, NULL, 0, FALSE, DUPLICATE_CLOSE_SOURCE);
    char c;
    BOOL got = ReadFile(rd, &c, 1, &n, NULL);
    printf("close source, no target: %d; read %d error %lu\n", ok, got, GetLastError());

    wchar_t cwd[MAX_PATH], full[MAX_PATH];
    GetCurrentDirectoryW(MAX_PATH, cwd);
    GetFullPathNameW(L"C:.", MAX_PATH, full, NULL);
    printf("C:. is the current directory: %d\n", _wcsicmp(cwd, full) == 0);
    wchar_t sub[MAX_PATH];
    GetFullPathNameW(L"c:sub", MAX_PATH, full, NULL);
    GetFullPathNameW(L"sub", MAX_PATH, sub, NULL);
    printf("c:sub is sub: %d\n", _wcsicmp(sub, full) == 0);

    HMODULE ws = LoadLibraryW(L"ws2_32.dll");
    gethostnamew_fn ghn = (gethostnamew_fn)GetProcAddress(ws, "GetHostNameW");
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    wchar_t host[256];
    char host8[256];
    gethostname(host8, sizeof host8);
    int rc = ghn(host, 256);
    char back[256];
    WideCharToMultiByte(CP_UTF8, 0, host, -1, back, sizeof back, NULL, NULL);
    printf("GetHostNameW: %d same as gethostname %d\n", rc, strcmp(back, host8) == 0);
    rc = ghn(host, 2);
    printf("too small: %d %d\n", rc, WSAGetLastError());

    SetConsoleTitleW(L"sweep title");
    wchar_t title[64];
    DWORD tl = GetConsoleTitleW(title, 64);
    printf("title: %lu %ls\n", tl, title);

    printf("priority class: %#lx\n", GetPriorityClass(GetCurrentProcess()));
    ok = SetPriorityClass(GetCurrentProcess(), HIGH_PRIORITY_CLASS);
    printf("set high: %d now %#lx\n", ok, GetPriorityClass(GetCurrentProcess()));
    ok = SetPriorityClass(GetCurrentProcess(), 0x12345);
    printf("set nonsense: %d error %lu\n", ok, GetLastError());
    IO_COUNTERS io;
    printf("io counters: %d\n", GetProcessIoCounters(GetCurrentProcess(), &io));

    copyfile2_fn cf2 = (copyfile2_fn)GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "CopyFile2");
    HANDLE src = CreateFileW(L"src.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    WriteFile(src, "copied", 6, &n, NULL);
    CloseHandle(src);
    printf("CopyFile2: %#lx\n", (unsigned long)cf2(L"src.txt", L"dst.txt", NULL));
    printf("CopyFile2 of nothing: %#lx\n", (unsigned long)cf2(L"nothing.txt", L"dst2.txt", NULL));
    WIN32_FILE_ATTRIBUTE_DATA fa;
    GetFileAttributesExW(L"dst.txt", GetFileExInfoStandard, &fa);
    printf("copy size %lu\n", fa.nFileSizeLow);

    PSecurityFunctionTableW sspi = InitSecurityInterfaceW();
    CredHandle cred;
    printf("sspi table: version %lu acquire %d status %#lx\n", sspi->dwVersion,
           sspi->AcquireCredentialsHandleW != NULL,
           (unsigned long)sspi->AcquireCredentialsHandleW(NULL, L"Schannel", SECPKG_CRED_OUTBOUND,
                                                          NULL, NULL, NULL, NULL, &cred, NULL));

    HMODULE crt = LoadLibraryW(L"msvcrt.dll");
    stricoll_fn icoll = (stricoll_fn)GetProcAddress(crt, "_stricoll");
    printf("_stricoll: %d %d\n", icoll("ABC", "abc"), icoll("abc", "abd") < 0);
    stat_fn st = (stat_fn)GetProcAddress(crt, "_stat");
    stat_fn sti64 = (stat_fn)GetProcAddress(crt, "_stati64");
    unsigned char buf[64];
    memset(buf, 0xAA, sizeof buf);
    rc = st("dst.txt", buf);     /* x64: _stat64i32; i386: _stat32 (32-bit times) */
    int sane = sizeof(void *) == 8 ? *(long long *)(buf + 24) > 1000000000
                                   : *(int *)(buf + 24) > 1000000000;
    printf("_stat: %d size %u mode %#x sane time %d\n", rc, *(unsigned *)(buf + 20),
           *(unsigned short *)(buf + 6), sane);
    memset(buf, 0xAA, sizeof buf);
    rc = sti64("dst.txt", buf);
    printf("_stati64: %d size %lld\n", rc, *(long long *)(buf + 24));
    DeleteFileW(L"src.txt");
    DeleteFileW(L"dst.txt");

    /* The PEB's current directory: its path and a handle to it (Zig opens relative names
     * against that handle), kept in step with SetCurrentDirectory. */
    char *params = *(char **)((char *)NtCurrentTeb()->ProcessEnvironmentBlock +
                              (sizeof(void *) == 8 ? 0x20 : 0x10));
    UNICODE_STRING *dos = (UNICODE_STRING *)(params + (sizeof(void *) == 8 ? 0x38 : 0x24));
    HANDLE *cwd_handle = (HANDLE *)(params + (sizeof(void *) == 8 ? 0x48 : 0x2C));
    BY_HANDLE_FILE_INFORMATION dir;
    ok = GetFileInformationByHandle(*cwd_handle, &dir);
    printf("PEB directory handle: %d directory %d\n", ok,
           (dir.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0);
    CreateDirectoryW(L"sub", NULL);
    DWORD before = dir.nFileIndexLow;
    SetCurrentDirectoryW(L"sub");
    ok = GetFileInformationByHandle(*cwd_handle, &dir);
    printf("after SetCurrentDirectory: valid %d another directory %d path ends sub\\ %d\n",
           ok, dir.nFileIndexLow != before,
           dos->Length >= 8 && !_wcsnicmp(dos->Buffer + dos->Length / 2 - 4, L"sub\\", 4));
    SetCurrentDirectoryW(L"..");
    RemoveDirectoryW(L"sub");

    /* The volume's sizes and file system through NtQueryVolumeInformationFile (libuv's
     * statfs: node's fs.statfsSync said EISDIR). */
    typedef LONG (NTAPI *query_volume_fn)(HANDLE, IO_STATUS_BLOCK *, void *, ULONG, int);
    query_volume_fn qv = (query_volume_fn)GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                         "NtQueryVolumeInformationFile");
    HANDLE root = CreateFileW(L"C:\\", 0, 7, NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS,
                              NULL);
    IO_STATUS_BLOCK iosb;
    struct { LONGLONG total, caller, actual; ULONG sectors, bytes; } sizes = {0};
    LONG status = qv(root, &iosb, &sizes, sizeof sizes, 7);      /* FileFsFullSizeInformation */
    printf("full size: %#lx total %d caller %d sectors %lu bytes %lu\n", (unsigned long)status,
           sizes.total > 0, sizes.caller > 0 && sizes.caller <= sizes.total, sizes.sectors,
           sizes.bytes);
    struct { ULONG attributes; LONG max; ULONG length; WCHAR name[16]; } fs = {0};
    status = qv(root, &iosb, &fs, sizeof fs, 5);               /* FileFsAttributeInformation */
    printf("file system: %#lx %.*ls max %ld\n", (unsigned long)status, (int)(fs.length / 2),
           fs.name, fs.max);
    CloseHandle(root);

    /* A section's protection is checked against the handle's access (Rust's memmap2 probes
     * so); PROCESS_BASIC_INFORMATION gives a child's exit status (Zig reads it there); NtClose
     * closes a process handle. */
    HANDLE ro = CreateFileW(L"C:\\bin\\sweep_calls.exe", GENERIC_READ, FILE_SHARE_READ, NULL,
                            OPEN_EXISTING, 0, NULL);
    HANDLE rw_map = CreateFileMappingW(ro, NULL, PAGE_READWRITE, 0, 0, NULL);
    DWORD rw_error = GetLastError();
    HANDLE x_map = CreateFileMappingW(ro, NULL, PAGE_EXECUTE_READ, 0, 0, NULL);
    DWORD x_error = GetLastError();
    HANDLE r_map = CreateFileMappingW(ro, NULL, PAGE_READONLY, 0, 0, NULL);
    printf("sections of a read-only handle: rw %d (%lu) rx %d (%lu) r %d\n", rw_map != NULL,
           rw_error, x_map != NULL, x_error, r_map != NULL);
    CloseHandle(r_map);
    CloseHandle(ro);
    HMODULE nt = GetModuleHandleW(L"ntdll.dll");
    query_process_fn qp = (query_process_fn)GetProcAddress(nt, "NtQueryInformationProcess");
    close_fn nt_close = (close_fn)GetProcAddress(nt, "NtClose");
    struct { LONG status; void *peb; ULONG_PTR affinity; LONG priority; ULONG_PTR pid, parent; } pbi;
    ULONG got_len = 0;
    status = qp(GetCurrentProcess(), 0, &pbi, sizeof pbi, &got_len);
    printf("basic information: %#lx length %lu running %#lx self %d peb %d\n",
           (unsigned long)status, got_len, (unsigned long)pbi.status,
           pbi.pid == GetCurrentProcessId(), pbi.peb == NtCurrentTeb()->ProcessEnvironmentBlock);
    char cmd[MAX_PATH + 8] = "C:\\bin\\sweep_calls.exe child";
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    WaitForSingleObject(pi.hProcess, INFINITE);
    status = qp(pi.hProcess, 0, &pbi, sizeof pbi, NULL);
    printf("a child that ended: %#lx exit status %ld\n", (unsigned long)status, pbi.status);
    printf("NtClose of its handles: %#lx %#lx\n", (unsigned long)nt_close(pi.hProcess),
           (unsigned long)nt_close(pi.hThread));
    return 0;
}
