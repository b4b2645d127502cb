/* A DLL (an extension module, say) that imports from Windows' own wtsapi32.dll, and from a
 * library of its own that is missing when built with -DMISSING. */
#include <windows.h>
#include <wtsapi32.h>

#ifdef MISSING
__declspec(dllimport) int nowhere_to_be_found(void);
#endif

__declspec(dllexport) int answer(void) { return 42; }

__declspec(dllexport) int protected_check(void)
{
#ifdef MISSING
    return nowhere_to_be_found();
#else
    WTSFreeMemory(NULL);
    return 0;
#endif
}
