/* LoadLibrary of DLLs every Windows has that sysvec does not make (shcore, uxtheme,
   dwmapi, wininet ...): a module, whose functions GetProcAddress does not find (programs
   probe for SetProcessDpiAwareness and the like so); FreeLibrary lets it go; a DLL that is
   nowhere and not Windows' own still fails with ERROR_MOD_NOT_FOUND. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    static const char *names[] = {"shcore.dll", "uxtheme.dll", "dwmapi", "WININET.DLL"};
    for (int i = 0; i < 4; i++) {
        HMODULE h = LoadLibraryA(names[i]);
        FARPROC f = h ? GetProcAddress(h, "SetProcessDpiAwareness") : NULL;
        DWORD proc_error = GetLastError();
        char path[MAX_PATH] = "";
        GetModuleFileNameA(h, path, sizeof path);
        int same = h == GetModuleHandleA(names[i]);
        int freed = FreeLibrary(h);
        printf("%s: module %d same-again %d proc %d %lu path %s freed %d\n", names[i], h != NULL,
               same, f != NULL, proc_error, path, freed);
    }
    HMODULE none = LoadLibraryA("no-such-library.dll");
    DWORD error = GetLastError();
    printf("nowhere %d %lu\n", none != NULL, error);
    return 0;
}
