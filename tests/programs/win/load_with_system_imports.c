/* LoadLibrary of a DLL that imports from a Windows DLL sysvec does not make (it loads: its
 * imports from it are stubs) and of one that imports from a DLL that is nowhere (126). */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HMODULE ok = LoadLibraryA("uses_windows.dll");
    int (*answer)(void) = ok ? (void *)GetProcAddress(ok, "answer") : NULL;
    printf("with wtsapi32.dll's imports: loaded %d, answer %d\n", ok != NULL, answer ? answer() : -1);
    SetLastError(0);
    HMODULE bad = LoadLibraryA("uses_missing.dll");
    printf("with a missing library's: loaded %d error %lu\n", bad != NULL, GetLastError());
    return 0;
}
