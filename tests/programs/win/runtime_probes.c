/* What language runtimes (libuv in cmake, GHC's and Go's) ask Windows at start-up: the
   command line split by shell32, environment expansion, one-time initialisation with a
   callback, completion ports drained in batches, COM with no classes, automation strings,
   the version and error mode, Winsock's byte order and its sockets, a pipe's access and mode,
   thread-pool work, registered waits and timer-queue timers, vectored continue handlers,
   reparse points, ntdll without importing it, system times, winmm's timer, bcrypt's random
   bytes, and the C runtime's descriptors, wide strings and stat. */
#define _WIN32_WINNT 0x0A00
#include <winsock2.h>
#include <windows.h>
#include <bcrypt.h>
#include <fcntl.h>
#include <float.h>
#include <io.h>
#include <mmsystem.h>
#include <objbase.h>
#include <oleauto.h>
#include <shellapi.h>
#include <shlobj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

typedef LONG (WINAPI *query_file)(HANDLE, ULONG_PTR *, void *, ULONG, int);

static int runs;

static BOOL CALLBACK init_once(PINIT_ONCE once, PVOID param, PVOID *context)
{
    runs++;
    if (context)
        *context = (PVOID)(ULONG_PTR)0x1230;
    return *(int *)param;
}

static DWORD WINAPI work(LPVOID event)
{
    SetEvent((HANDLE)event);
    return 0;
}

static volatile LONG fired, timer_fired, continued;

static VOID CALLBACK on_signal(PVOID context, BOOLEAN timed_out)
{
    fired = timed_out ? -1 : (LONG)(ULONG_PTR)context;
}

static VOID CALLBACK on_tick(PVOID context, BOOLEAN timer)
{
    InterlockedIncrement(&timer_fired);
}

static LONG CALLBACK fix_it(EXCEPTION_POINTERS *info)
{
    return info->ExceptionRecord->ExceptionCode == 0xE0000001 ? EXCEPTION_CONTINUE_EXECUTION
                                                              : EXCEPTION_CONTINUE_SEARCH;
}

static LONG CALLBACK saw_it(EXCEPTION_POINTERS *info)
{
    continued = (LONG)info->ExceptionRecord->ExceptionCode;
    return EXCEPTION_CONTINUE_SEARCH;
}

static void print_wide(const char *label, const WCHAR *s)
{
    printf("%s[", label);
    for (; *s; s++)
        putchar(*s < 128 ? (char)*s : '?');
    printf("]\n");
}

int main(void)
{
    int n = 0;
    LPWSTR *argv = CommandLineToArgvW(
        L"\"C:\\Program Files\\a.exe\" one \"two words\" 3\\\"q x\\\\y", &n);
    printf("argc %d\n", n);
    for (int i = 0; i < n; i++)
        print_wide("arg ", argv[i]);
    LocalFree(argv);
    argv = CommandLineToArgvW(L"", &n);
    printf("empty: %d %d\n", n, argv[0][0] != 0);
    LocalFree(argv);

    WCHAR expanded[64];
    SetEnvironmentVariableW(L"FOO", L"bar");
    DWORD need = ExpandEnvironmentStringsW(L"%foo%-%NOPE%-100%", expanded, 64);
    printf("expand %lu ", need);
    print_wide("", expanded);
    printf("too small %lu\n", ExpandEnvironmentStringsW(L"%FOO%", expanded, 2));

    INIT_ONCE once = INIT_ONCE_STATIC_INIT, failing = INIT_ONCE_STATIC_INIT;
    int yes = 1, no = 0;
    void *ctx = NULL;
    BOOL first = InitOnceExecuteOnce(&once, init_once, &yes, &ctx);
    BOOL second = InitOnceExecuteOnce(&once, init_once, &yes, &ctx);
    printf("once %d %d runs %d context %#lx\n", first, second, runs, (unsigned long)(ULONG_PTR)ctx);
    BOOL failed = InitOnceExecuteOnce(&failing, init_once, &no, NULL);
    BOOL retried = InitOnceExecuteOnce(&failing, init_once, &yes, NULL);
    printf("failing %d then %d runs %d\n", failed, retried, runs);

    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    OVERLAPPED ov[2];
    PostQueuedCompletionStatus(port, 5, 11, &ov[0]);
    PostQueuedCompletionStatus(port, 7, 22, &ov[1]);
    OVERLAPPED_ENTRY entries[4];
    ULONG got = 0;
    BOOL ok = GetQueuedCompletionStatusEx(port, entries, 4, &got, 0, FALSE);
    printf("batch %d %lu: %lu/%lu %d, %lu/%lu %d\n", ok, got,
           (unsigned long)entries[0].lpCompletionKey, entries[0].dwNumberOfBytesTransferred,
           entries[0].lpOverlapped == &ov[0], (unsigned long)entries[1].lpCompletionKey,
           entries[1].dwNumberOfBytesTransferred, entries[1].lpOverlapped == &ov[1]);
    ok = GetQueuedCompletionStatusEx(port, entries, 4, &got, 0, FALSE);
    printf("empty port %d %lu %lu\n", ok, got, GetLastError());

    HRESULT com1 = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    HRESULT com2 = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    HRESULT apartment = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    printf("com %#lx %#lx %#lx\n", (unsigned long)com1, (unsigned long)com2,
           (unsigned long)apartment);
    void *unknown = (void *)1;
    static const GUID some_class = {0x42843719, 0xDB4C, 0x46C2,
                                    {0x8E, 0x7C, 0x64, 0xF1, 0x81, 0x6E, 0xFD, 0x5B}};
    HRESULT created = CoCreateInstance(&some_class, NULL, CLSCTX_INPROC_SERVER, &IID_IUnknown,
                                       &unknown);
    printf("create %#lx %d\n", (unsigned long)created, unknown == NULL);
    CoUninitialize();
    CoUninitialize();
    BSTR b = SysAllocString(L"hello");
    printf("bstr %u %u\n", SysStringLen(b), SysStringByteLen(b));
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_BSTR;
    v.bstrVal = b;
    HRESULT cleared = VariantClear(&v);
    printf("clear %#lx vt %d\n", (unsigned long)cleared, v.vt);

    OSVERSIONINFOW version = {sizeof version};
    GetVersionExW(&version);
    printf("version %lu.%lu.%lu\n", version.dwMajorVersion, version.dwMinorVersion,
           version.dwBuildNumber);
    UINT before = SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    UINT after = SetErrorMode(0);
    printf("error mode %u %u\n", before, after);
    BOOL wow = TRUE;
    IsWow64Process(GetCurrentProcess(), &wow);
    SYSTEM_INFO info;
    GetNativeSystemInfo(&info);
    printf("wow64 %d page %lu\n", wow, info.dwPageSize);

    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    printf("htons %#x ntohl %#lx socket %d %d\n", htons(0x1234), (unsigned long)ntohl(0x11223344),
           s != INVALID_SOCKET, closesocket(s));

    HANDLE r, w;
    CreatePipe(&r, &w, NULL, 0);
    query_file query = (query_file)GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                                  "NtQueryInformationFile");
    ULONG_PTR iosb[2];
    ULONG access_r = 0, access_w = 0, mode = 0;
    query(r, iosb, &access_r, sizeof access_r, 8);      /* FileAccessInformation */
    query(w, iosb, &access_w, sizeof access_w, 8);
    query(r, iosb, &mode, sizeof mode, 16);             /* FileModeInformation */
    printf("access read %d/%d write %d/%d mode %#lx\n", !!(access_r & FILE_READ_DATA),
           !!(access_r & FILE_WRITE_DATA), !!(access_w & FILE_READ_DATA),
           !!(access_w & FILE_WRITE_DATA), mode);
    DWORD pipe_mode = PIPE_READMODE_BYTE | PIPE_WAIT;
    printf("pipe state %d", SetNamedPipeHandleState(r, &pipe_mode, NULL, NULL));
    HANDLE file = CreateFileA("probe.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    BOOL on_file = SetNamedPipeHandleState(file, &pipe_mode, NULL, NULL);
    printf(", on a file %d %lu\n", on_file, GetLastError());
    char reparse[64];
    DWORD returned = 0;
    BOOL ioctl = DeviceIoControl(file, FSCTL_GET_REPARSE_POINT, NULL, 0, reparse,
                                 sizeof reparse, &returned, NULL);
    printf("reparse %d %lu\n", ioctl, GetLastError());
    CloseHandle(file);
    DeleteFileA("probe.txt");

    HANDLE done = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL queued = QueueUserWorkItem(work, done, WT_EXECUTELONGFUNCTION);
    printf("work %d waited %lu\n", queued, WaitForSingleObject(done, 5000));

    SYSTEMTIME st = {2024, 2, 0, 29, 12, 34, 56, 789}, back;
    FILETIME ft;
    SystemTimeToFileTime(&st, &ft);
    FileTimeToSystemTime(&ft, &back);
    printf("time %d %04u-%02u-%02u %02u:%02u:%02u.%03u\n", back.wDayOfWeek, back.wYear,
           back.wMonth, back.wDay, back.wHour, back.wMinute, back.wSecond, back.wMilliseconds);

    HANDLE signal_me = CreateEventA(NULL, FALSE, FALSE, NULL), wait = NULL;
    BOOL registered = RegisterWaitForSingleObject(&wait, signal_me, on_signal, (PVOID)7,
                                                  INFINITE, WT_EXECUTEONLYONCE);
    SetEvent(signal_me);
    for (int i = 0; i < 500 && !fired; i++)
        Sleep(1);
    printf("registered %d fired %ld", registered, fired);
    fired = 0;
    HANDLE never = CreateEventA(NULL, TRUE, FALSE, NULL), timed = NULL;
    RegisterWaitForSingleObject(&timed, never, on_signal, NULL, 20, WT_EXECUTEONLYONCE);
    for (int i = 0; i < 500 && !fired; i++)
        Sleep(1);
    printf(", timed out %ld unregistered %d\n", fired, UnregisterWaitEx(timed, NULL));
    HANDLE queue = CreateTimerQueue(), timer = NULL;
    BOOL made = CreateTimerQueueTimer(&timer, queue, on_tick, NULL, 5, 5, 0);
    for (int i = 0; i < 1000 && timer_fired < 3; i++)
        Sleep(1);
    BOOL deleted = DeleteTimerQueueEx(queue, NULL);
    printf("timer %d ticks>=3 %d deleted %d\n", made, timer_fired >= 3, deleted);

    PVOID vectored = AddVectoredExceptionHandler(1, fix_it);
    PVOID last = AddVectoredContinueHandler(0, saw_it);
    RaiseException(0xE0000001, 0, 0, NULL);
    printf("continued %#lx removed %lu %lu\n", (unsigned long)continued,
           RemoveVectoredContinueHandler(last), RemoveVectoredExceptionHandler(vectored));

    TIMECAPS caps;
    MMRESULT capped = timeGetDevCaps(&caps, sizeof caps);
    printf("winmm %u %u %u %u\n", timeBeginPeriod(1), timeEndPeriod(1), capped,
           caps.wPeriodMin);
    unsigned char random[16] = {0};
    NTSTATUS filled = BCryptGenRandom(NULL, random, sizeof random,
                                      BCRYPT_USE_SYSTEM_PREFERRED_RNG);
    int nonzero = 0;
    for (int i = 0; i < 16; i++)
        nonzero |= random[i];
    printf("bcrypt %#lx %d\n", (unsigned long)filled, nonzero != 0);
    _fpreset();
    printf("fp control %#x\n", _controlfp(0, 0) & (_MCW_RC | _MCW_EM));

    WCHAR folder[MAX_PATH], longer[MAX_PATH], copy[64] = L"ab";
    HRESULT got_folder = SHGetFolderPathW(NULL, CSIDL_APPDATA, NULL, 0, folder);
    printf("folder %#lx ", (unsigned long)got_folder);
    print_wide("", folder);
    DWORD long_len = GetLongPathNameW(L"C:\\bin\\probes.exe", longer, MAX_PATH);
    DWORD missing_len = GetLongPathNameW(L"C:\\nowhere", longer, MAX_PATH);
    printf("long %lu %lu %lu\n", long_len, missing_len, GetLastError());
    wcscat(wcscpy(copy, L"wide"), L"+cat");
    WCHAR *dup = _wcsdup(copy);
    printf("wcs %d %d %d %d ", wcscmp(dup, L"wide+cat"), wcsncmp(dup, L"wideX", 4) == 0,
           wcscmp(L"a", L"b") < 0, wcsncmp(L"abc", L"abd", 3) < 0);
    print_wide("", dup);
    free(dup);
    wchar_t converted[8];
    size_t n_conv = mbstowcs(converted, "abc", 8);
    printf("mbstowcs %u ", (unsigned)n_conv);
    print_wide("", converted);

    int fd = _open("probe2.txt", _O_CREAT | _O_RDWR | _O_BINARY, 0644);
    _write(fd, "12345", 5);
    int previous = _setmode(fd, _O_TEXT);
    int now = _setmode(fd, _O_BINARY);
    printf("setmode %#x %#x bad %d\n", previous, now, _setmode(99, _O_TEXT));
    intptr_t os = _get_osfhandle(fd);
    int again = _open_osfhandle(os, 0);
    int copy_fd = _dup(fd), moved = _dup2(fd, 20);
    struct _stat64 fst, by_name;
    int fstat_rc = _fstat64(copy_fd, &fst), stat_rc = _stat64("probe2.txt", &by_name);
    printf("os handle %d isatty %d dup %d dup2 %d fstat %d size %lld reg %d stat %d %lld\n",
           again == fd, _isatty(fd), copy_fd > fd, moved, fstat_rc, (long long)fst.st_size,
           (fst.st_mode & _S_IFMT) == _S_IFREG, stat_rc, (long long)by_name.st_size);
    struct _stat64 dir;
    int dir_rc = _stat64("C:\\bin", &dir);
    int is_dir = (dir.st_mode & _S_IFMT) == _S_IFDIR;
    printf("dir %d %d missing %d\n", dir_rc, is_dir, _stat64("nowhere.txt", &dir));
    _close(copy_fd);
    _close(20);
    _close(fd);
    DeleteFileA("probe2.txt");

    /* KUSER_SHARED_DATA: the clocks user code reads without a call, and the version. */
    volatile ULONG *shared = (volatile ULONG *)0x7FFE0000;
    ULONGLONG before_ns = ((ULONGLONG)shared[3] << 32 | shared[2]) * 100;
    Sleep(30);
    ULONGLONG after_ns = ((ULONGLONG)shared[3] << 32 | shared[2]) * 100;
    ULONGLONG system = (ULONGLONG)shared[6] << 32 | shared[5];
    FILETIME current;
    GetSystemTimeAsFileTime(&current);
    ULONGLONG now_ticks = (ULONGLONG)current.dwHighDateTime << 32 | current.dwLowDateTime;
    LONGLONG skew = (LONGLONG)(now_ticks - system);
    printf("shared data %lu.%lu advanced %d system within 1s %d\n", shared[0x26C / 4],
           shared[0x270 / 4], after_ns - before_ns >= 25000000ULL,
           skew >= 0 && skew < 10000000LL);

    /* The last error lives in the TEB, where Go's runtime reads it without a call. */
    volatile DWORD *last_error = (volatile DWORD *)((char *)NtCurrentTeb() +
                                                    (sizeof(void *) == 8 ? 0x68 : 0x34));
    SetLastError(4242);
    DWORD seen = *last_error;
    *last_error = 77;
    printf("teb last error %lu %lu\n", seen, GetLastError());

    /* Links, copies, times and information set through a handle. */
    HANDLE made_file = CreateFileW(L"src.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD wrote;
    WriteFile(made_file, "0123456789", 10, &wrote, NULL);
    CloseHandle(made_file);
    BOOL copied = CopyFileW(L"src.txt", L"copy.txt", TRUE);
    BOOL again_copy = CopyFileW(L"src.txt", L"copy.txt", TRUE);
    DWORD exists_error = GetLastError();
    BOOL hard = CreateHardLinkW(L"hard.txt", L"src.txt", NULL);
    BOOL soft = CreateSymbolicLinkW(L"soft.txt", L"src.txt", 0);
    HANDLE via_link = CreateFileW(L"soft.txt", GENERIC_READ, FILE_SHARE_READ, NULL,
                                  OPEN_EXISTING, 0, NULL);
    char through[16] = {0};
    DWORD got_bytes = 0;
    ReadFile(via_link, through, 10, &got_bytes, NULL);
    CloseHandle(via_link);
    printf("copy %d again %d %lu hard %d soft %d read %s\n", copied, again_copy, exists_error,
           hard, soft, through);
    HANDLE h = CreateFileW(L"copy.txt", GENERIC_READ | GENERIC_WRITE | DELETE, 0, NULL,
                           OPEN_EXISTING, 0, NULL);
    FILETIME written = {0x12345600, 0x01D00000}, read_back[3];
    BOOL set_time = SetFileTime(h, NULL, NULL, &written);
    GetFileTime(h, &read_back[0], &read_back[1], &read_back[2]);
    FILE_END_OF_FILE_INFO eof = {{.QuadPart = 4}};
    BOOL cut = SetFileInformationByHandle(h, FileEndOfFileInfo, &eof, sizeof eof);
    LARGE_INTEGER size;
    GetFileSizeEx(h, &size);
    FILE_DISPOSITION_INFO gone = {TRUE};
    BOOL deleted_file = SetFileInformationByHandle(h, FileDispositionInfo, &gone, sizeof gone);
    CloseHandle(h);
    printf("time %d %d size %d %lld delete %d exists %d\n", set_time,
           read_back[2].dwHighDateTime == written.dwHighDateTime &&
           read_back[2].dwLowDateTime == written.dwLowDateTime, cut, (long long)size.QuadPart,
           deleted_file, GetFileAttributesW(L"copy.txt") != INVALID_FILE_ATTRIBUTES);
    DeleteFileW(L"soft.txt");
    DeleteFileW(L"hard.txt");

    /* The C runtime's 64-bit conversions, C-locale characters, streams by wide name or
       descriptor, and stream positions. */
    char *end = NULL;
    long long big = _strtoi64("-9000000000000x", &end, 10);
    unsigned long long ubig = _strtoui64("ffffffffffffffff", NULL, 16);
    printf("strtoi64 %lld [%s] %llu\n", big, end, ubig);
    printf("wide ctype %c%c %d %d %d\n", (char)towupper(L'q'), (char)towlower(L'Q'),
           iswctype(L'a', _ALPHA) != 0, iswctype(L'5', _DIGIT) != 0,
           iswctype(L'!', _ALPHA) != 0);
    printf("collate %d %d\n", strcoll("abc", "abd") < 0, wcscoll(L"b", L"a") > 0);
    FILE *wide_stream = _wfopen(L"src.txt", L"rb");
    fpos_t at;
    fgetc(wide_stream);
    fgetc(wide_stream);
    fgetpos(wide_stream, &at);
    fgetc(wide_stream);
    fsetpos(wide_stream, &at);
    int third = fgetc(wide_stream);
    fclose(wide_stream);
    int raw = _open("src.txt", _O_RDONLY);
    long long length = _filelengthi64(raw);
    FILE *over = _fdopen(raw, "r");
    printf("streams %c %lld %c\n", third, length, fgetc(over));
    fclose(over);

    /* Byte-range locks between two handles of one file. */
    HANDLE first_h = CreateFileW(L"src.txt", GENERIC_READ | GENERIC_WRITE,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                                 NULL);
    HANDLE second_h = CreateFileW(L"src.txt", GENERIC_READ | GENERIC_WRITE,
                                  FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                                  NULL);
    OVERLAPPED at0 = {0};
    BOOL locked = LockFileEx(first_h, LOCKFILE_EXCLUSIVE_LOCK, 0, 4, 0, &at0);
    BOOL blocked = LockFileEx(second_h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0,
                              4, 0, &at0);
    DWORD violation = GetLastError();
    BOOL released = UnlockFileEx(first_h, 0, 4, 0, &at0);
    BOOL now_mine = LockFileEx(second_h, LOCKFILE_FAIL_IMMEDIATELY, 0, 4, 0, &at0);
    BOOL not_held = UnlockFileEx(first_h, 0, 4, 0, &at0);
    printf("locks %d %d %lu %d %d %d %lu\n", locked, blocked, violation, released, now_mine,
           not_held, GetLastError());
    CloseHandle(first_h);
    CloseHandle(second_h);
    DeleteFileW(L"src.txt");

    /* The computer's names, and a file without a version resource. */
    WCHAR computer[64];
    DWORD name_length = 64;
    BOOL named = GetComputerNameW(computer, &name_length);
    printf("computer %d %lu ", named, name_length);
    print_wide("", computer);
    name_length = 64;
    GetComputerNameExW(ComputerNameDnsHostname, computer, &name_length);
    print_wide("dns ", computer);
    name_length = 2;
    BOOL small = GetComputerNameW(computer, &name_length);
    printf("small %d %lu %lu\n", small, GetLastError(), name_length);
    DWORD ignored = 1;
    DWORD version_size = GetFileVersionInfoSizeW(L"C:\\bin\\probes.exe", &ignored);
    printf("version info %lu %lu\n", version_size, GetLastError());
    return 0;
}
