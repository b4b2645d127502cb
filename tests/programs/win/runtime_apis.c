/* What language runtimes ask kernel32 at start-up and on their threads (.NET NativeAOT's GC
 * and thread pool, Rust's std, Go, MSVC's UCRT): thread names, a worker ended by
 * TerminateThread, the processor number, interrupt time, memory resource notifications, the
 * (absent) package identity, preferred UI languages, a local-time conversion, a timer set with
 * SetWaitableTimerEx, and the console's attach rules. */
#define _WIN32_WINNT 0x0A00
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

static DWORD WINAPI spin(LPVOID arg)
{
    volatile LONG *started = arg;
    *started = 1;
    for (;;)
        Sleep(10);
    return 0;
}

typedef void (WINAPI *interrupt_time_fn)(PULONGLONG);
typedef LONG (WINAPI *package_fn)(UINT32 *, void *);
typedef HRESULT (WINAPI *set_description_fn)(HANDLE, PCWSTR);
typedef HRESULT (WINAPI *get_description_fn)(HANDLE, PWSTR *);

/* Looked up by name: calls the headers here do not declare all have. */
static FARPROC kernel32(const char *name)
{
    return GetProcAddress(GetModuleHandleA("kernel32.dll"), name);
}

int main(void)
{
    /* Thread names. */
    PWSTR name = NULL;
    HRESULT set = ((set_description_fn)kernel32("SetThreadDescription"))(GetCurrentThread(),
                                                                          L"main worker");
    HRESULT got = ((get_description_fn)kernel32("GetThreadDescription"))(GetCurrentThread(),
                                                                          &name);
    printf("description %ld %ld [%ls]\n", (long)set, (long)got, name ? name : L"?");
    LocalFree(name);

    /* A thread ended from outside keeps the code it was given. */
    volatile LONG started = 0;
    HANDLE worker = CreateThread(NULL, 0, spin, (LPVOID)&started, 0, NULL);
    while (!started)
        Sleep(1);
    BOOL ended = TerminateThread(worker, 42);
    DWORD wait = WaitForSingleObject(worker, 5000), code = 0;
    GetExitCodeThread(worker, &code);
    printf("terminated %d wait %lu code %lu\n", ended, wait, code);
    CloseHandle(worker);

    PROCESSOR_NUMBER number = {7, 7, 7};
    GetCurrentProcessorNumberEx(&number);
    MEMORY_PRIORITY_INFORMATION priority = {MEMORY_PRIORITY_LOW};
    BOOL hinted = SetThreadInformation(GetCurrentThread(), ThreadMemoryPriority, &priority,
                                       sizeof priority);
    printf("processor %u.%u hint %d\n", number.Group, number.Number, hinted);

    ULONGLONG t1 = 0, t2 = 0, t3 = 0;
    BOOL unbiased = QueryUnbiasedInterruptTime(&t1);
    Sleep(20);
    interrupt_time_fn precise = (interrupt_time_fn)kernel32("QueryInterruptTimePrecise");
    if (precise)
        precise(&t2);
    QueryUnbiasedInterruptTime(&t3);
    printf("interrupt time %d advances %d precise %d\n", unbiased, t3 - t1 >= 150000,
           precise != NULL && t2 >= t1);

    HANDLE low = CreateMemoryResourceNotification(LowMemoryResourceNotification);
    HANDLE high = CreateMemoryResourceNotification(HighMemoryResourceNotification);
    BOOL low_state = 2, high_state = 2;
    QueryMemoryResourceNotification(low, &low_state);
    QueryMemoryResourceNotification(high, &high_state);
    printf("memory low %d high %d, high waits %lu\n", low_state, high_state,
           WaitForSingleObject(high, 0));

    UINT32 length = 0, id_length = 64;
    BYTE id[64];
    LONG package = ((package_fn)kernel32("GetCurrentPackageFullName"))(&length, NULL);
    LONG package_id = ((package_fn)kernel32("GetCurrentPackageId"))(&id_length, id);
    printf("package %ld %ld\n", package, package_id);

    ULONG languages = 0, chars = 0;
    BOOL sized = GetUserPreferredUILanguages(MUI_LANGUAGE_NAME, &languages, NULL, &chars);
    WCHAR list[32];
    ULONG room = 32;
    BOOL listed = GetUserPreferredUILanguages(MUI_LANGUAGE_NAME, &languages, list, &room);
    ULONG tiny = 2;
    BOOL small = GetThreadPreferredUILanguages(MUI_LANGUAGE_ID, &languages, list, &tiny);
    DWORD small_error = GetLastError();
    room = 32;
    GetThreadPreferredUILanguages(MUI_LANGUAGE_ID, &languages, list + 10, &room);
    printf("languages %d %lu chars %d [%ls] small %d %lu id [%ls]\n", sized, languages, (int)chars,
           list, small, small_error, list + 10);

    TIME_ZONE_INFORMATION zone = {0};
    zone.Bias = -120;                       /* UTC+2 */
    SYSTEMTIME local = {2024, 3, 0, 1, 1, 30, 0, 0}, utc;
    TzSpecificLocalTimeToSystemTime(&zone, &local, &utc);
    printf("utc %u-%02u-%02u %02u:%02u\n", utc.wYear, utc.wMonth, utc.wDay, utc.wHour,
           utc.wMinute);

    HANDLE timer = CreateWaitableTimerW(NULL, TRUE, NULL);
    LARGE_INTEGER due = {.QuadPart = -200000};  /* 20 ms */
    BOOL armed = SetWaitableTimerEx(timer, &due, 0, NULL, NULL, NULL, 0);
    printf("timer %d fired %lu\n", armed, WaitForSingleObject(timer, 5000));

    BOOL alloc = AllocConsole();
    DWORD alloc_error = GetLastError();
    BOOL freed = FreeConsole();
    BOOL attached = AttachConsole(ATTACH_PARENT_PROCESS);
    printf("console alloc %d %lu free %d attach %d\n", alloc, alloc_error, freed, attached);

    /* MSVC's std::chrono::system_clock::now, and the temporary folder from %USERPROFILE%
     * when neither TMP nor TEMP is set (the root here has no /tmp). */
    typedef long long (*ticks_fn)(void);
    ticks_fn ticks = (ticks_fn)GetProcAddress(LoadLibraryA("msvcp140.dll"), "_Xtime_get_ticks");
    long long since_1970 = ticks ? ticks() / 10000000 : 0;
    printf("xtime ticks %d\n", since_1970 > 1700000000LL && since_1970 < 4000000000LL);
    typedef DWORD (WINAPI *temp2_fn)(DWORD, LPWSTR);
    WCHAR temp[MAX_PATH], temp2[MAX_PATH];
    GetTempPathW(MAX_PATH, temp);
    ((temp2_fn)kernel32("GetTempPath2W"))(MAX_PATH, temp2);
    printf("temp [%ls] [%ls]\n", temp, temp2);
    fflush(stdout);
    return 0;
}
