/* SearchPath with no path looks where Windows looks: the program's own directory, the
   current directory, System32 and the Windows directory, then PATH; SetSearchPathMode's safe
   mode puts the current directory after Windows' own, and made permanent it stays (mpv sets
   it first thing, and died on the missing call). */
#include <windows.h>
#include <stdio.h>

static void find(const char *what, const char *name, const char *ext)
{
    char out[MAX_PATH], *part = NULL;
    DWORD n = SearchPathA(NULL, name, ext, sizeof out, out, &part);
    if (n)
        printf("%s: %s (%s)\n", what, out, part);
    else
        printf("%s: none %lu\n", what, GetLastError());
}

static void mode(DWORD flags)
{
    SetLastError(0);
    BOOL ok = SetSearchPathMode(flags);
    printf("mode %lx: %d %lu\n", flags, ok, ok ? 0 : GetLastError());
}

static void make(const char *name)
{
    HANDLE h = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CloseHandle(h);
}

int main(void)
{
    char self[MAX_PATH], beside[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    *strrchr(self, '\\') = 0;
    snprintf(beside, sizeof beside, "%s\\beside.txt", self);
    make(beside);
    CreateDirectoryA("C:\\spm", NULL);
    SetCurrentDirectoryA("C:\\spm");
    make("kernel32.dll");
    make("here.txt");
    SetEnvironmentVariableA("PATH", "C:\\nowhere");

    find("beside", "beside.txt", NULL);
    find("here", "here", ".txt");
    find("cmd", "cmd", ".exe");
    find("kernel32", "kernel32.dll", NULL);
    mode(BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE);
    find("safe kernel32", "kernel32.dll", NULL);
    find("safe here", "here.txt", NULL);
    mode(BASE_SEARCH_PATH_DISABLE_SAFE_SEARCHMODE);
    find("unsafe kernel32", "kernel32.dll", NULL);
    mode(0);
    mode(BASE_SEARCH_PATH_PERMANENT);
    mode(BASE_SEARCH_PATH_DISABLE_SAFE_SEARCHMODE | BASE_SEARCH_PATH_PERMANENT);
    mode(BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE | BASE_SEARCH_PATH_DISABLE_SAFE_SEARCHMODE);
    mode(BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE | BASE_SEARCH_PATH_PERMANENT);
    mode(BASE_SEARCH_PATH_DISABLE_SAFE_SEARCHMODE);
    mode(BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE);
    find("permanent kernel32", "kernel32.dll", NULL);
    char out[MAX_PATH];
    DWORD n = SearchPathA("C:\\nowhere;C:\\spm", "here.txt", NULL, sizeof out, out, NULL);
    printf("path given: %lu %s\n", n, n ? out : "-");
    return 0;
}
