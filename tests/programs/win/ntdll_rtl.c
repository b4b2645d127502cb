/* ntdll called directly, as Zig's standard library and Go's runtime do: the run-time
   library's paths, strings, heap, loader and version, thread alerts, and the file services
   that rename, delete and describe a file through its handle. */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <string.h>

typedef ULONG (NTAPI *full_path_fn)(PCWSTR, ULONG, PWSTR, PWSTR *);
typedef BOOLEAN (NTAPI *equal_fn)(PCUNICODE_STRING, PCUNICODE_STRING, BOOLEAN);
typedef NTSTATUS (NTAPI *proc_fn)(HMODULE, PANSI_STRING, ULONG, PVOID *);
typedef NTSTATUS (NTAPI *alert_fn)(ULONG_PTR);
typedef NTSTATUS (NTAPI *wait_alert_fn)(PVOID, PLARGE_INTEGER);
typedef NTSTATUS (NTAPI *set_info_fn)(HANDLE, PIO_STATUS_BLOCK, PVOID, ULONG, ULONG);
typedef NTSTATUS (NTAPI *query_info_fn)(HANDLE, PIO_STATUS_BLOCK, PVOID, ULONG, ULONG);
typedef NTSTATUS (NTAPI *ioctl_fn)(HANDLE, HANDLE, PVOID, PVOID, PIO_STATUS_BLOCK, ULONG, PVOID,
                                   ULONG, PVOID, ULONG);
typedef void (NTAPI *version_fn)(DWORD *, DWORD *, DWORD *);
typedef WCHAR (NTAPI *upcase_fn)(WCHAR);

static HMODULE ntdll;
static volatile LONG woken;

static FARPROC fn(const char *name)
{
    return GetProcAddress(ntdll, name);
}

static DWORD WINAPI sleeper(LPVOID unused)
{
    NTSTATUS st = ((wait_alert_fn)fn("NtWaitForAlertByThreadId"))(NULL, NULL);
    woken = st == 0x101;            /* STATUS_ALERTED */
    return 0;
}

int main(void)
{
    ntdll = GetModuleHandleA("ntdll.dll");
    WCHAR full[MAX_PATH];
    ULONG bytes = ((full_path_fn)fn("RtlGetFullPathName_U"))(L"sub\\..\\x.txt", sizeof full,
                                                           full, NULL);
    printf("full path %lu %ls\n", bytes, full);
    UNICODE_STRING a, b;
    RtlInitUnicodeString(&a, L"Zig.EXE");
    RtlInitUnicodeString(&b, L"zig.exe");
    equal_fn equal = (equal_fn)fn("RtlEqualUnicodeString");
    printf("equal %d %d upcase %c\n", equal(&a, &b, TRUE), equal(&a, &b, FALSE),
           (char)((upcase_fn)fn("RtlUpcaseUnicodeChar"))(L'q'));
    ANSI_STRING name = {13, 14, "GetTickCount64"};
    name.Length = 14;
    PVOID proc = NULL;
    NTSTATUS got = ((proc_fn)fn("LdrGetProcedureAddress"))(GetModuleHandleA("kernel32.dll"),
                                                          &name, 0, &proc);
    printf("procedure %#lx %d\n", (unsigned long)got,
           proc == (PVOID)GetProcAddress(GetModuleHandleA("kernel32.dll"), "GetTickCount64"));
    DWORD major = 0, minor = 0, build = 0;
    ((version_fn)fn("RtlGetNtVersionNumbers"))(&major, &minor, &build);
    printf("version %lu.%lu.%lu\n", major, minor, build & 0xFFFF);

    DWORD tid = 0;
    HANDLE thread = CreateThread(NULL, 0, sleeper, NULL, 0, &tid);
    Sleep(20);
    NTSTATUS alerted = ((alert_fn)fn("NtAlertThreadByThreadId"))(tid);
    WaitForSingleObject(thread, 5000);
    LARGE_INTEGER soon = {.QuadPart = -10 * 1000 * 10};   /* 10 ms, relative */
    NTSTATUS timed = ((wait_alert_fn)fn("NtWaitForAlertByThreadId"))(NULL, &soon);
    printf("alert %#lx woken %ld timeout %#lx\n", (unsigned long)alerted, woken,
           (unsigned long)timed);

    HANDLE h = CreateFileW(L"old.txt", GENERIC_READ | GENERIC_WRITE | DELETE, 0, NULL,
                           CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(h, "abc", 3, &n, NULL);
    IO_STATUS_BLOCK io;
    unsigned char all[128];
    NTSTATUS queried = ((query_info_fn)fn("NtQueryInformationFile"))(h, &io, all, sizeof all, 18);
    LONGLONG eof;
    memcpy(&eof, all + 48, 8);          /* FileAllInformation: StandardInformation.EndOfFile */
    unsigned char volume[64];
    NTSTATUS vol = ((query_info_fn)fn("NtQueryVolumeInformationFile"))(h, &io, volume,
                                                                     sizeof volume, 1);
    char reparse[64];
    NTSTATUS ioctl = ((ioctl_fn)fn("NtDeviceIoControlFile"))(h, NULL, NULL, NULL, &io, 0x900A8,
                                                           NULL, 0, reparse, sizeof reparse);
    printf("all %#lx eof %lld volume %#lx reparse %#lx\n", (unsigned long)queried, eof,
           (unsigned long)vol, (unsigned long)ioctl);
    struct {                  /* FILE_RENAME_INFORMATION (Ex: flags in the first field) */
        ULONG flags;
        HANDLE root;
        ULONG length;
        WCHAR name[32];
    } rename = {1, NULL, 0, L"\\??\\C:\\new.txt"};
    rename.length = (ULONG)(wcslen(rename.name) * 2);
    set_info_fn set = (set_info_fn)fn("NtSetInformationFile");
    NTSTATUS renamed = set(h, &io, &rename, sizeof rename, 65);     /* FileRenameInformationEx */
    BOOL old_gone = GetFileAttributesW(L"old.txt") == INVALID_FILE_ATTRIBUTES;
    BOOL new_there = GetFileAttributesW(L"new.txt") != INVALID_FILE_ATTRIBUTES;
    ULONG dispose = 1;
    NTSTATUS deleted = set(h, &io, &dispose, sizeof dispose, 64);  /* FileDispositionInformationEx */
    CloseHandle(h);
    printf("rename %#lx %d %d delete %#lx %d\n", (unsigned long)renamed, old_gone, new_there,
           (unsigned long)deleted, GetFileAttributesW(L"new.txt") == INVALID_FILE_ATTRIBUTES);
    return 0;
}
