/* kernel32 calls programs import in numbers (measured over the wheels' executables): date
 * and time pictures, a console's input queue on a redirected handle, disk space, the
 * Windows directory, SearchPathA, ReOpenFile, GetCPInfoExW, heap information, a named
 * pipe's process ids, CancelSynchronousIo and the UCRT's _chsize_s. */
#include <windows.h>
#include <io.h>
#include <fcntl.h>
#include <stdio.h>

int main(void) {
    SYSTEMTIME st = {2024, 2, 4, 29, 13, 5, 9, 0};      /* a Thursday afternoon */
    wchar_t w[64]; char a[64];
    int n1 = GetDateFormatW(LOCALE_USER_DEFAULT, 0, &st, NULL, w, 64);
    printf("date %d [%ls]", n1, w);
    GetDateFormatW(LOCALE_USER_DEFAULT, DATE_LONGDATE, &st, NULL, w, 64);
    printf(" [%ls]", w);
    GetDateFormatA(LOCALE_USER_DEFAULT, 0, &st, "ddd',' dd MMM yy 'o''clock'", a, 64);
    printf(" [%s]", a);
    int need = GetTimeFormatW(LOCALE_USER_DEFAULT, 0, &st, NULL, NULL, 0);
    GetTimeFormatW(LOCALE_USER_DEFAULT, 0, &st, NULL, w, 64);
    printf(" time %d [%ls]", need, w);
    GetTimeFormatA(LOCALE_USER_DEFAULT, TIME_FORCE24HOURFORMAT | TIME_NOSECONDS, &st, NULL, a, 64);
    printf(" [%s]", a);
    int small = GetTimeFormatW(LOCALE_USER_DEFAULT, 0, &st, NULL, w, 3);
    printf(" small %d %lu\n", small, GetLastError());

    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD events = 99;
    BOOL console = GetNumberOfConsoleInputEvents(in, &events);
    DWORD e1 = GetLastError();
    COORD at = {1, 1};
    BOOL cursor = SetConsoleCursorPosition(GetStdHandle(STD_OUTPUT_HANDLE), at);
    printf("console %d %lu cursor %d %lu\n", console, e1, cursor, GetLastError());

    DWORD spc, bps, freec, total;
    BOOL disk = GetDiskFreeSpaceW(L"C:\\", &spc, &bps, &freec, &total);
    char windir[MAX_PATH];
    UINT wl = GetWindowsDirectoryA(windir, MAX_PATH);
    printf("disk %d %lu %lu %d windir %u %s\n", disk, spc, bps, total > 0, wl, windir);

    HANDLE f = CreateFileA("found.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n; WriteFile(f, "0123456789", 10, &n, NULL);
    char path[MAX_PATH]; char *part = NULL;
    DWORD sp = SearchPathA(NULL, "found", ".txt", MAX_PATH, path, &part);
    DWORD missing = SearchPathA(NULL, "nowhere.txt", NULL, MAX_PATH, path + 100, NULL);
    HANDLE again = ReOpenFile(f, GENERIC_READ, FILE_SHARE_READ, 0);
    printf("search %lu %s part %s missing %lu %lu reopen %d\n", sp, path, part ? part : "-", missing,
           GetLastError(), again != INVALID_HANDLE_VALUE);
    CloseHandle(again); CloseHandle(f);

    int fd = _open("found.txt", _O_RDWR);
    errno_t grow = _chsize_s(fd, 4);
    long len = _lseek(fd, 0, SEEK_END);
    errno_t bad = _chsize_s(fd, -1);
    _close(fd);
    printf("chsize %d len %ld bad %d\n", grow, len, bad);

    CPINFOEXW cp;
    BOOL cpok = GetCPInfoExW(CP_UTF8, 0, &cp);
    ULONG compat = 0; SIZE_T got = 0;
    BOOL heap = HeapQueryInformation(GetProcessHeap(), HeapCompatibilityInformation, &compat,
                                     sizeof compat, &got);
    HANDLE server = CreateNamedPipeA("\\\\.\\pipe\\ids", PIPE_ACCESS_DUPLEX, 0, 1, 512, 512, 0, NULL);
    ULONG pid = 0;
    BOOL pipe = GetNamedPipeServerProcessId(server, &pid);
    BOOL cancel = CancelSynchronousIo(GetCurrentThread());
    printf("cp %d %u %lu heap %d %lu %lu pipe %d %d cancel %d %lu\n", cpok, cp.MaxCharSize,
           cp.CodePage, heap, compat, (unsigned long)got, pipe, pid == GetCurrentProcessId(),
           cancel, GetLastError());
    return 0;
}
