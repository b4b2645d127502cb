/* FormatMessage as programs use it to report errors (Rust's io::Error, Go's Errno, the STL's
   system_category, gai_strerror): the system's texts, inserts from an array or a va_list,
   escapes, the width mask, allocated and too-small buffers; and the errors CreateFile sets
   (an invalid name, CREATE_NEW on a file that exists, OPEN_ALWAYS telling whether it did),
   the volume a path is on, the process's memory counters and strnlen. */
#include <windows.h>
#include <direct.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <psapi.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void show(const char *label, DWORD n, const char *text) {
    printf("%s %lu [", label, (unsigned long)n);
    for (; *text; text++) {
        if (*text == '\r') printf("\\r");
        else if (*text == '\n') printf("\\n");
        else putchar(*text);
    }
    printf("]\n");
}

static DWORD from_va_list(char *out, DWORD size, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING, format, 0, 0, out, size, &ap);
    va_end(ap);
    return n;
}

int main(void) {
    char buf[512];
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                             ERROR_FILE_NOT_FOUND, 0, buf, sizeof buf, NULL);
    show("system 2", n, buf);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                       ERROR_ACCESS_DENIED, 0, buf, sizeof buf, NULL);
    show("system 5", n, buf);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                       ERROR_BAD_EXE_FORMAT, 0, buf, sizeof buf, NULL);
    show("system 193", n, buf);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                       0x80070005, 0, buf, sizeof buf, NULL);
    show("hresult", n, buf);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                       FORMAT_MESSAGE_MAX_WIDTH_MASK, NULL, 11001, 0, buf, sizeof buf, NULL);
    show("width", n, buf);
    SetLastError(0);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 0x12345, 0, buf, sizeof buf, NULL);
    printf("unknown %lu %lu\n", (unsigned long)n, (unsigned long)GetLastError());
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                       ERROR_FILE_NOT_FOUND, 0, buf, 10, NULL);
    printf("small %lu %lu\n", (unsigned long)n, (unsigned long)GetLastError());

    DWORD_PTR array[] = {(DWORD_PTR)"disk", (DWORD_PTR)-7, (DWORD_PTR)"ab", 255};
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                       "%1 has %2!d! items%n[%3!-4s!] %4!04x! 100%% %.%0 not this", 0, 0, buf,
                       sizeof buf, (va_list *)array);
    show("array", n, buf);
    n = from_va_list(buf, sizeof buf, "%2 before %1, twice %2", "one", "two");
    show("va_list", n, buf);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_IGNORE_INSERTS,
                       "keep %1 and %2!d!", 0, 0, buf, sizeof buf, NULL);
    show("ignored", n, buf);

    WCHAR *wide = NULL;
    n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER |
                       FORMAT_MESSAGE_IGNORE_INSERTS, NULL, ERROR_PATH_NOT_FOUND, 0,
                       (LPWSTR)&wide, 0, NULL);
    WideCharToMultiByte(CP_UTF8, 0, wide, -1, buf, sizeof buf, NULL, NULL);
    show("wide", n, buf);
    printf("freed %d\n", LocalFree(wide) == NULL);
    DWORD_PTR wargs[] = {(DWORD_PTR)L"w\u00e9", (DWORD_PTR)"narrow"};
    WCHAR wout[64];
    n = FormatMessageW(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                       L"%1 and %2!S!", 0, 0, wout, 64, (va_list *)wargs);
    WideCharToMultiByte(CP_UTF8, 0, wout, -1, buf, sizeof buf, NULL, NULL);
    show("wide inserts", n, buf);

    /* CreateFile's errors, as kernelbase sets them */
    HANDLE h = CreateFileA("a<b", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("invalid name %d %lu\n", h == INVALID_HANDLE_VALUE, (unsigned long)GetLastError());
    DeleteFileA("made.txt");
    h = CreateFileA("made.txt", GENERIC_WRITE, 0, NULL, OPEN_ALWAYS, 0, NULL);
    printf("open always new %d %lu\n", h != INVALID_HANDLE_VALUE, (unsigned long)GetLastError());
    CloseHandle(h);
    h = CreateFileA("made.txt", GENERIC_WRITE, 0, NULL, OPEN_ALWAYS, 0, NULL);
    printf("open always again %d %lu\n", h != INVALID_HANDLE_VALUE, (unsigned long)GetLastError());
    CloseHandle(h);
    h = CreateFileA("made.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    printf("create always %d %lu\n", h != INVALID_HANDLE_VALUE, (unsigned long)GetLastError());
    CloseHandle(h);
    h = CreateFileA("made.txt", GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    printf("create new %d %lu\n", h == INVALID_HANDLE_VALUE, (unsigned long)GetLastError());
    SetLastError(1234);
    h = CreateFileA("made.txt", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("open existing %lu\n", (unsigned long)GetLastError());
    CloseHandle(h);
    DeleteFileA("made.txt");
    if (!CreateDirectoryA("made.d", NULL) || CreateDirectoryA("made.d", NULL))
        printf("mkdir twice succeeded\n");
    printf("mkdir again %lu\n", (unsigned long)GetLastError());
    RemoveDirectoryA("made.d");

    WCHAR volume[MAX_PATH];
    BOOL ok = GetVolumePathNameW(L"C:\\Windows\\system32\\x.dll", volume, MAX_PATH);
    WideCharToMultiByte(CP_UTF8, 0, volume, -1, buf, sizeof buf, NULL, NULL);
    printf("volume %d [%s]", ok, buf);
    ok = GetVolumePathNameW(L"relative\\name", volume, 2);
    printf(" small %d %lu\n", ok, (unsigned long)GetLastError());
    PROCESS_MEMORY_COUNTERS counters;
    ok = GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof counters);
    printf("memory %d %d %d\n", ok, counters.cb == sizeof counters,
           counters.WorkingSetSize > 4096 && counters.PeakWorkingSetSize >= counters.WorkingSetSize);
    ok = GetProcessMemoryInfo(GetCurrentProcess(), &counters, 8);
    printf("memory small %d %lu\n", ok, (unsigned long)GetLastError());
    char two[16] = "ab", seven[7] = {'a', 'b', 'c', 'd', 'e', 'f', 'g'};
    printf("strnlen %u %u %u %u\n", (unsigned)strnlen("abcdef", 3), (unsigned)strnlen(two, 9),
           (unsigned)strnlen((const char *)1, 0), (unsigned)strnlen(seven, 7));

    /* the C runtime's errno: Windows' values and texts, mapped from the Win32 error */
    printf("strerror [%s] [%s] [%s]\n", strerror(ENAMETOOLONG), strerror(ENOMEM), strerror(99));
    errno = 0;
    int fd = _open("missing.txt", _O_RDONLY);
    printf("open missing %d %d", fd, errno);
    _mkdir("made.d");
    errno = 0;
    int result = _mkdir("made.d");
    printf(" mkdir again %d %d", result, errno);
    _mkdir("made.d\\sub");
    errno = 0;
    result = _rmdir("made.d");
    printf(" rmdir full %d %d\n", result, errno);
    _rmdir("made.d\\sub");
    _rmdir("made.d");
    return 0;
}
