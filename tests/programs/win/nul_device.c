/* The null device by its DOS names (NUL, \\.\NUL as Rust's Stdio::null() opens it, NUL in
 * any directory) and its NT names (\??\NUL, \Device\Null): writes vanish, reads end at once;
 * a child started with it as stdin sees end of input. */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>

static void try_name(const wchar_t *name)
{
    HANDLE h = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           NULL, OPEN_EXISTING, 0, NULL);
    DWORD n = 0;
    char buf[8];
    BOOL wrote = h != INVALID_HANDLE_VALUE && WriteFile(h, "gone", 4, &n, NULL) && n == 4;
    BOOL read = h != INVALID_HANDLE_VALUE && ReadFile(h, buf, sizeof buf, &n, NULL) && n == 0;
    printf("%ls: open %d write %d read-eof %d\n", name, h != INVALID_HANDLE_VALUE, wrote, read);
    CloseHandle(h);
}

typedef NTSTATUS (NTAPI *create_fn)(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PIO_STATUS_BLOCK,
                                    PLARGE_INTEGER, ULONG, ULONG, ULONG, ULONG, PVOID, ULONG);

static void try_nt(const wchar_t *name)
{
    create_fn create = (create_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtCreateFile");
    UNICODE_STRING us = {(USHORT)(wcslen(name) * 2), (USHORT)(wcslen(name) * 2), (PWSTR)name};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, NULL, NULL);
    IO_STATUS_BLOCK iosb;
    HANDLE h = NULL;
    NTSTATUS st = create(&h, GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb, NULL, 0,
                         FILE_SHARE_READ | FILE_SHARE_WRITE, 1 /* FILE_OPEN */,
                         0x20 /* FILE_SYNCHRONOUS_IO_NONALERT */, NULL, 0);
    DWORD n = 0;
    printf("%ls: status %lx write %d\n", name, (unsigned long)st,
           st == 0 && WriteFile(h, "x", 1, &n, NULL) && n == 1);
    CloseHandle(h);
}

int main(void)
{
    try_name(L"NUL");
    try_name(L"\\\\.\\NUL");
    try_name(L"C:\\some\\dir\\nul");
    try_nt(L"\\??\\NUL");
    try_nt(L"\\Device\\Null");
    return 0;
}
