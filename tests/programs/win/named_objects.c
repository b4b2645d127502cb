/* Named kernel objects across processes, and the kernel32/user32/advapi32 odds 7-Zip
 * imports. The child (argv[1] == "child") opens the parent's named event and mutex. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#ifdef __i386__
extern long long _ftol(void);
static long long ftol_of(double d) {
    long long r;
    __asm__ volatile("fldl %1\n\tcall __ftol" : "=A"(r) : "m"(d) : "ecx", "memory");
    return r;
}
#endif

int main(int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[1], "child")) {
        HANDLE e = OpenEventA(EVENT_MODIFY_STATE, FALSE, "Global\\sysvec-test-event");
        HANDLE m = OpenMutexW(SYNCHRONIZE, FALSE, L"sysvec-test-mutex");
        printf("child opened event %d mutex %d\n", e != NULL, m != NULL);
        fflush(stdout);
        return SetEvent(e) ? 0 : 1;
    }
    HANDLE m = CreateMutexA(NULL, TRUE, "Local\\sysvec-test-mutex");
    DWORD first = GetLastError();
    HANDLE m2 = CreateMutexW(NULL, FALSE, L"sysvec-test-mutex");
    DWORD second = GetLastError();
    HANDLE clash = CreateEventA(NULL, TRUE, FALSE, "sysvec-test-mutex");
    DWORD third = GetLastError();
    printf("mutex new %lu again %lu (%d) as event %d %lu\n", first, second, m2 != NULL,
           clash != NULL, third);
    HANDLE none = OpenEventA(SYNCHRONIZE, FALSE, "sysvec-no-such-event");
    DWORD fourth = GetLastError();
    printf("open missing %d %lu\n", none != NULL, fourth);
    HANDLE e = CreateEventA(NULL, TRUE, FALSE, "Global\\sysvec-test-event");
    char self[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return 2;
    DWORD waited = WaitForSingleObject(e, 60000);
    WaitForSingleObject(pi.hProcess, INFINITE);
    printf("child set the event: %lu\n", waited);
    CloseHandle(e);
    CloseHandle(m);
    CloseHandle(m2);
    m = CreateMutexA(NULL, FALSE, "sysvec-test-mutex");
    DWORD fifth = GetLastError();
    printf("after the last close: new %lu\n", fifth);

    char drives[16];
    DWORD n = GetLogicalDriveStringsA(sizeof drives, drives);
    printf("drives %lu [%s] next %d\n", n, drives, drives[4]);
    FILETIME ft, local;
    WORD date, clock;
    DosDateTimeToFileTime((46 << 9) | (12 << 5) | 5, (18 << 11) | (7 << 5) | 21, &ft);
    FileTimeToLocalFileTime(&ft, &local);
    FileTimeToDosDateTime(&local, &date, &clock);
    SYSTEMTIME st;
    FileTimeToSystemTime(&ft, &st);
    printf("dos %04d-%02d-%02d %02d:%02d:%02d back %#x %#x\n", st.wYear, st.wMonth, st.wDay,
           st.wHour, st.wMinute, st.wSecond, date, clock);
    WCHAR text[] = L"straße";
    CharUpperW(text);
    printf("upper %.4ls %#x %c\n", text, text[4], (char)(ULONG_PTR)CharUpperA((LPSTR)(ULONG_PTR)'q'));
    MEMORYSTATUS ms = {0};
    GlobalMemoryStatus(&ms);
    printf("memory status %lu total>0 %d\n", ms.dwLength, ms.dwTotalPhys > 0);
    printf("affinity %lu\n", (unsigned long)SetThreadAffinityMask(GetCurrentThread(), 1));
    DWORD need = 0;
    BOOL got = GetFileSecurityA(self, OWNER_SECURITY_INFORMATION, NULL, 0, &need);
    DWORD err = GetLastError();
    printf("security %d %lu need>0 %d\n", got, err, need > 0);
    SetFileApisToOEM();
    printf("ansi %d\n", AreFileApisANSI());
#ifdef __i386__
    printf("ftol %lld %lld\n", ftol_of(-7.9), ftol_of(5e12 + 0.5));
#else
    printf("ftol %lld %lld\n", (long long)-7.9, (long long)(5e12 + 0.5));
#endif
    return 0;
}
