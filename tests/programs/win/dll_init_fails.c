/* A DLL imported at start-up whose DllMain says FALSE: Windows refuses to start the program
 * ("unable to start correctly (0xc0000142)"). */
#include <windows.h>

BOOL WINAPI DllMain(HINSTANCE self, DWORD reason, LPVOID reserved)
{
    return reason != DLL_PROCESS_ATTACH;
}

__declspec(dllexport) int five(void)
{
    return 5;
}
