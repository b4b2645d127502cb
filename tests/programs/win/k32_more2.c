/* More kernel32 imports programs make (7-Zip's streams, ffmpeg's NUMA mask, onnxruntime's
   processor counts, the ANSI string and file calls of distlib's launchers and PostgreSQL's
   tools, the thread pool's *WhenCallbackReturns of msvcp140). */
#define _WIN32_WINNT 0x0A00
#define NTDDI_VERSION 0x0A000006
#include <windows.h>
#include <stdio.h>
#include <string.h>

static VOID CALLBACK work(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK w)
{
    SetEventWhenCallbackReturns(instance, (HANDLE)context);
    printf("callback may run long: %d\n", CallbackMayRunLong(instance));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("MulDiv: %d %d %d %d %d\n", MulDiv(10, 3, 4), MulDiv(-10, 3, 4), MulDiv(7, 1, 2),
           MulDiv(1, 1, 0), MulDiv(0x40000000, 4, 1));
    printf("CompareStringA: %d %d\n",
           CompareStringA(LOCALE_USER_DEFAULT, NORM_IGNORECASE, "abc", -1, "ABC", -1),
           CompareStringA(LOCALE_USER_DEFAULT, 0, "abc", 2, "abd", 2));
    WORD types[4];
    GetStringTypeA(LOCALE_USER_DEFAULT, CT_CTYPE1, "a1 ", 3, types);
    printf("GetStringTypeA: %d %d %d\n", (types[0] & C1_ALPHA) != 0, (types[1] & C1_DIGIT) != 0,
           (types[2] & C1_SPACE) != 0);
    char upper[8] = {0};
    int n = LCMapStringA(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, "mixEd", -1, upper, sizeof upper);
    printf("LCMapStringA: %d %s\n", n, upper);

    FILE *f = fopen("C:\\a.txt", "w");
    fputs("data", f);
    fclose(f);
    printf("CopyFileA: %d", CopyFileA("C:\\a.txt", "C:\\b.txt", TRUE));
    BOOL again = CopyFileA("C:\\a.txt", "C:\\b.txt", TRUE);
    printf(" again: %d %lu\n", again, GetLastError());
    printf("CreateHardLinkA: %d\n", CreateHardLinkA("C:\\hard.txt", "C:\\a.txt", NULL));
    BOOL moved = MoveFileWithProgressW(L"C:\\b.txt", L"C:\\c.txt", NULL, NULL, 0);
    printf("MoveFileWithProgressW: %d %d\n", moved,
           GetFileAttributesA("C:\\c.txt") != INVALID_FILE_ATTRIBUTES);

    WIN32_FIND_STREAM_DATA sd;
    HANDLE s = FindFirstStreamW(L"C:\\a.txt", FindStreamInfoStandard, &sd, 0);
    printf("FindFirstStreamW: %d %lld %ls", s != INVALID_HANDLE_VALUE, sd.StreamSize.QuadPart,
           sd.cStreamName);
    BOOL more = FindNextStreamW(s, &sd);
    printf(" next %d %lu", more, GetLastError());
    FindClose(s);
    s = FindFirstStreamW(L"C:\\", FindStreamInfoStandard, &sd, 0);
    printf(" folder %d %lu\n", s != INVALID_HANDLE_VALUE, GetLastError());

    HANDLE m = CreateMutexExW(NULL, L"k32more2", CREATE_MUTEX_INITIAL_OWNER, MUTEX_ALL_ACCESS);
    printf("CreateMutexExW: %d owned %d\n", m != NULL, ReleaseMutex(m));

    GROUP_AFFINITY ga;
    BOOL numa = GetNumaNodeProcessorMaskEx(0, &ga);
    printf("NUMA mask: %d %llu %u\n", numa, (unsigned long long)ga.Mask, ga.Group);
    printf("groups %u max %lu all %lu session %lu\n", GetActiveProcessorGroupCount(),
           GetMaximumProcessorCount(0), GetMaximumProcessorCount(ALL_PROCESSOR_GROUPS),
           WTSGetActiveConsoleSessionId());
    BOOL debugged = TRUE;
    CheckRemoteDebuggerPresent(GetCurrentProcess(), &debugged);
    printf("debugger %d\n", debugged);
    EXECUTION_STATE before = SetThreadExecutionState(ES_CONTINUOUS | ES_SYSTEM_REQUIRED);
    EXECUTION_STATE after = SetThreadExecutionState(ES_CONTINUOUS);
    printf("execution state: %#lx then %#lx\n", before, after);

    static const char constant[] = "read only";
    char local[16];
    printf("IsBadReadPtr: %d %d %d, IsBadWritePtr: %d %d\n", IsBadReadPtr(NULL, 4),
           IsBadReadPtr(local, sizeof local), IsBadReadPtr((void *)main, 16),
           IsBadWritePtr(local, sizeof local), IsBadWritePtr((void *)main, 1));

    USHORT process = 1, native = 0;
    IsWow64Process2(GetCurrentProcess(), &process, &native);
    printf("IsWow64Process2: %#x %#x\n", process, native);
    PROCESS_MITIGATION_DEP_POLICY dep = {.Flags = 0xFF};
    BOOL policy = GetProcessMitigationPolicy(GetCurrentProcess(), ProcessDEPPolicy, &dep,
                                             sizeof dep);
    printf("mitigation: %d %lu\n", policy, dep.Flags);

    HANDLE done = CreateEventA(NULL, TRUE, FALSE, NULL);
    PTP_WORK w = CreateThreadpoolWork(work, done, NULL);
    SubmitThreadpoolWork(w);
    printf("event set when the callback returned: %d\n", WaitForSingleObject(done, 5000) == 0);
    WaitForThreadpoolWorkCallbacks(w, FALSE);
    CloseThreadpoolWork(w);
    (void)constant;
    return 0;
}
