/* A file handle is inheritable only when it was opened so: CreateFile with
   SECURITY_ATTRIBUTES.bInheritHandle, the C runtime's _open without _O_NOINHERIT, fopen
   without "N". A child made to inherit gets those and no others (every file handle had been
   inheritable: a Rust parent, which always creates children to inherit, handed each its open
   files, and one opened without FILE_SHARE_DELETE could not be deleted while a child ran). */
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>

static void show(const char *what, HANDLE h)
{
    DWORD flags = 0;
    BOOL ok = GetHandleInformation(h, &flags);
    printf("%s: %s\n", what, !ok ? "closed" : flags & HANDLE_FLAG_INHERIT ? "inherit" : "private");
}

int main(int argc, char **argv)
{
    static const char *names[] = {"plain", "asked", "nul", "crt", "crt noinherit", "fopen",
                                  "fopen N"};
    HANDLE h[7];
    if (argc > 1) {                      /* the child: which of the parent's handles it holds */
        for (int i = 0; i < 7; i++)
            show(names[i], (HANDLE)(ULONG_PTR)strtoull(argv[i + 1], NULL, 16));
        return 0;
    }
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    h[0] = CreateFileA("C:\\plain.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    h[1] = CreateFileA("C:\\asked.txt", GENERIC_WRITE, 0, &sa, CREATE_ALWAYS, 0, NULL);
    h[2] = CreateFileA("NUL", GENERIC_WRITE, 0, &sa, OPEN_EXISTING, 0, NULL);
    h[3] = (HANDLE)_get_osfhandle(_open("C:\\crt.txt", _O_CREAT | _O_WRONLY, 0666));
    h[4] = (HANDLE)_get_osfhandle(_open("C:\\crt2.txt", _O_CREAT | _O_WRONLY | _O_NOINHERIT,
                                        0666));
    h[5] = (HANDLE)_get_osfhandle(_fileno(fopen("C:\\stream.txt", "w")));
    h[6] = (HANDLE)_get_osfhandle(_fileno(fopen("C:\\stream2.txt", "wN")));
    for (int i = 0; i < 7; i++)
        show(names[i], h[i]);

    char self[MAX_PATH], line[1024];
    GetModuleFileNameA(NULL, self, sizeof self);
    int n = snprintf(line, sizeof line, "\"%s\"", self);
    for (int i = 0; i < 7; i++)
        n += snprintf(line + n, sizeof line - n, " %llx", (unsigned long long)(ULONG_PTR)h[i]);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(NULL, line, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi))
        return 1;
    CloseHandle(h[0]);       /* the suspended child holds what it inherited */
    printf("deleted while the child lives: %d\n", DeleteFileA("C:\\plain.txt"));
    fflush(stdout);
    ResumeThread(pi.hThread);
    WaitForSingleObject(pi.hProcess, INFINITE);
    return 0;
}
