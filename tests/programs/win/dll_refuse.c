/* A DLL whose DllMain refuses to load: LoadLibrary must fail with ERROR_DLL_INIT_FAILED. */
#include <windows.h>
#include <stdio.h>

BOOL WINAPI DllMain(HINSTANCE self, DWORD reason, LPVOID reserved)
{
    printf("refuse reason=%lu\n", reason);
    fflush(stdout);
    return reason != DLL_PROCESS_ATTACH;
}
