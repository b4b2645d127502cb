/* Calls Rust, Go and crossterm programs import: CopyFileExW and its progress routine (Rust's
 * fs::copy learns the byte count from it), a routine that cancels, attribute lists for
 * CreateProcess, the thread error mode, QueryDosDevice, a second screen buffer, fma, the
 * credential manager (keyring), _wtoi64. */
#include <windows.h>
#include <wincred.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>

static DWORD CALLBACK progress(LARGE_INTEGER total, LARGE_INTEGER transferred,
                               LARGE_INTEGER stream_size, LARGE_INTEGER stream_transferred,
                               DWORD stream, DWORD reason, HANDLE src, HANDLE dst, LPVOID data)
{
    if (stream == 1)
        *(LONGLONG *)data = stream_transferred.QuadPart;
    return total.QuadPart == transferred.QuadPart ? PROGRESS_CONTINUE : PROGRESS_STOP;
}

static DWORD CALLBACK cancel(LARGE_INTEGER a, LARGE_INTEGER b, LARGE_INTEGER c, LARGE_INTEGER d,
                             DWORD e, DWORD f, HANDLE g, HANDLE h, LPVOID i)
{
    return PROGRESS_CANCEL;
}

int main(void)
{
    HANDLE f = CreateFileW(L"src.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(f, "twelve bytes", 12, &n, NULL);
    CloseHandle(f);
    LONGLONG copied = -1;
    BOOL ok = CopyFileExW(L"src.txt", L"dst.txt", progress, &copied, NULL, 0);
    printf("copy: %d, %lld bytes\n", ok, copied);
    ok = CopyFileExW(L"src.txt", L"dst.txt", NULL, NULL, NULL, COPY_FILE_FAIL_IF_EXISTS);
    printf("again: %d error %lu\n", ok, GetLastError());
    ok = CopyFileExW(L"src.txt", L"gone.txt", cancel, NULL, NULL, 0);
    DWORD error = GetLastError();
    printf("cancelled: %d error %lu, exists %d\n", ok, error,
           GetFileAttributesW(L"gone.txt") != INVALID_FILE_ATTRIBUTES);

    SIZE_T size = 0;
    ok = InitializeProcThreadAttributeList(NULL, 1, 0, &size);
    printf("attribute list: %d error %lu size>0 %d\n", ok, GetLastError(), size > 0);
    LPPROC_THREAD_ATTRIBUTE_LIST list = HeapAlloc(GetProcessHeap(), 0, size);
    HANDLE inherit[1] = {GetStdHandle(STD_OUTPUT_HANDLE)};
    BOOL init = InitializeProcThreadAttributeList(list, 1, 0, &size);
    BOOL update = UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit,
                                            sizeof inherit, NULL, NULL);
    printf("init %d update %d\n", init, update);
    DeleteProcThreadAttributeList(list);

    DWORD old = 99;
    BOOL set = SetThreadErrorMode(SEM_FAILCRITICALERRORS, &old);
    printf("thread error mode: %d old %lu now %lu\n", set, old, GetThreadErrorMode());
    wchar_t target[64];
    DWORD len = QueryDosDeviceW(L"C:", target, 64);
    printf("C: is %ls (%lu)\n", target, len);
    HANDLE screen = CreateConsoleScreenBuffer(GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                              CONSOLE_TEXTMODE_BUFFER, NULL);
    BOOL active = SetConsoleActiveScreenBuffer(screen);
    printf("screen buffer %d active %d\n", screen != INVALID_HANDLE_VALUE, active);
    volatile double a = 0.1, b = 10, c = -1;
    printf("fma %.17g\n", fma(a, b, c));      /* rounded once: not 0.1 * 10 - 1 */
    PCREDENTIALW cred = (PCREDENTIALW)1;
    BOOL found = CredReadW(L"maturin", CRED_TYPE_GENERIC, 0, &cred);
    printf("credential: %d error %lu\n", found, GetLastError());
    printf("_wtoi64 %lld\n", _wtoi64(L"-9000000000"));
    return 0;
}
