/* A DLL dll_user loads at run time: it imports dll_sample too, exports by name and by
   ordinal (dll_plugin.def), forwards one export to dll_sample, and holds pointers that need
   relocating (it is linked at dll_sample's base, so one of them must move). */
#include <windows.h>
#include <stdio.h>

__declspec(dllimport) int sample_add(int a, int b);
static const char *names[] = {"zero", "one", "two"};

int plugin_value(void) { return sample_add(100, 0); }
int plugin_ordinal(void) { return 55; }
const char *plugin_name(int i) { return names[i]; }

BOOL WINAPI DllMain(HINSTANCE self, DWORD reason, LPVOID reserved)
{
    if (reason == DLL_PROCESS_ATTACH || reason == DLL_PROCESS_DETACH) {
        printf("plugin %s static=%d\n", reason ? "attach" : "detach", reserved != NULL);
        fflush(stdout);
    }
    if (reason == DLL_PROCESS_ATTACH)
        DisableThreadLibraryCalls(self);
    return TRUE;
}
