/* A DLL the dll_user program imports: data and functions, a DllMain that reports how it is
   called, implicit TLS of its own (a variable in the image's .tls template, reached as MSVC's
   __declspec(thread) code reaches it: the TEB's TLS array at the DLL's _tls_index), and a
   path it learns for itself. */
#include <windows.h>
#include <stdio.h>

__declspec(dllexport) int sample_counter = 40;
static volatile LONG thread_attaches, thread_detaches;

/* mingw's tlssup gives the image its TLS directory: the template starts at _tls_start. */
extern char _tls_start;
extern ULONG _tls_index;
__attribute__((section(".tls$B"))) int per_thread_template = 7;

static int *per_thread(void)
{
    char **array;
#ifdef _WIN64
    array = *(char ***)((char *)NtCurrentTeb() + 0x58);
#else
    array = *(char ***)((char *)NtCurrentTeb() + 0x2C);
#endif
    return (int *)(array[_tls_index] + ((char *)&per_thread_template - &_tls_start));
}

__declspec(dllexport) int sample_add(int a, int b) { return a + b + sample_counter; }
__declspec(dllexport) int sample_threads(void) { return thread_attaches * 10 + thread_detaches; }
__declspec(dllexport) int sample_tls(int add) { return *per_thread() += add; }

__declspec(dllexport) const char *sample_where(void)
{
    static char path[MAX_PATH];
    HMODULE self = 0;
    GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                       GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, (LPCSTR)sample_where, &self);
    GetModuleFileNameA(self, path, sizeof path);
    return path;
}

BOOL WINAPI DllMain(HINSTANCE self, DWORD reason, LPVOID reserved)
{
    switch (reason) {
    case DLL_PROCESS_ATTACH:
        printf("sample attach static=%d\n", reserved != NULL);
        fflush(stdout);
        break;
    case DLL_THREAD_ATTACH: InterlockedIncrement(&thread_attaches); break;
    case DLL_THREAD_DETACH: InterlockedIncrement(&thread_detaches); break;
    case DLL_PROCESS_DETACH:
        printf("sample detach static=%d\n", reserved != NULL);
        fflush(stdout);
        break;
    }
    return TRUE;
}
