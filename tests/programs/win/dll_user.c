/* A program with DLLs of its own: libsample.dll imported (functions and data), plugin.dll
   loaded at run time (LoadLibrary, GetProcAddress by name, ordinal and forwarder, FreeLibrary),
   a DLL that refuses to load, a missing one, and a thread the DLLs hear about. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

__declspec(dllimport) int sample_counter;
__declspec(dllimport) int sample_add(int a, int b);
__declspec(dllimport) int sample_threads(void);
__declspec(dllimport) int sample_tls(int add);
__declspec(dllimport) const char *sample_where(void);

static DWORD WINAPI worker(LPVOID arg)
{
    return sample_tls(1);      /* a fresh thread starts from the DLL's TLS template */
}

int main(void)
{
    printf("add=%d\n", sample_add(1, 2));
    sample_counter = 0;
    printf("add=%d\n", sample_add(1, 2));
    printf("where=%s\n", strrchr(sample_where(), '\\') + 1);
    printf("tls=%d\n", sample_tls(3));

    HANDLE t = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    DWORD code = 0;
    WaitForSingleObject(t, INFINITE);
    GetExitCodeThread(t, &code);
    printf("thread tls=%lu threads=%d\n", code, sample_threads());

    HMODULE plugin = LoadLibraryA("PLUGIN");
    printf("plugin loaded=%d handle=%d\n", plugin != NULL,
           GetModuleHandleA("plugin.dll") == plugin);
    int (*value)(void) = (int (*)(void))GetProcAddress(plugin, "plugin_value");
    int (*ordinal)(void) = (int (*)(void))GetProcAddress(plugin, MAKEINTRESOURCEA(5));
    int (*forwarded)(int, int) = (int (*)(int, int))GetProcAddress(plugin, "forwarded_add");
    const char *(*name)(int) = (const char *(*)(int))GetProcAddress(plugin, "plugin_name");
    printf("value=%d ordinal=%d forwarded=%d name=%s\n", value(), ordinal(), forwarded(2, 3),
           name(2));
    FARPROC nothing = GetProcAddress(plugin, "nothing");
    printf("missing export=%d err=%lu\n", nothing != NULL, GetLastError());
    HMODULE again = LoadLibraryA("plugin.dll");
    printf("again same=%d\n", again == plugin);
    FreeLibrary(again);
    printf("still loaded=%d\n", GetModuleHandleA("plugin.dll") != NULL);
    FreeLibrary(plugin);
    printf("unloaded=%d\n", GetModuleHandleA("plugin.dll") == NULL);

    SetLastError(0);
    HMODULE refuse = LoadLibraryA("refuse.dll");
    printf("refuse=%d err=%lu\n", refuse != NULL, GetLastError());
    HMODULE none = LoadLibraryA("no-such-library.dll");
    printf("none=%d err=%lu\n", none != NULL, GetLastError());
    /* for its resources only: mapped, nothing run, no module GetModuleHandle finds */
    HMODULE data = LoadLibraryExA("plugin.dll", NULL, LOAD_LIBRARY_AS_DATAFILE);
    printf("datafile=%d module=%d\n", data != NULL, GetModuleHandleA("plugin.dll") != NULL);
    return 0;
}
