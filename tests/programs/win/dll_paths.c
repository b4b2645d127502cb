/* How a program finds modules: its own exports through GetProcAddress (node's addons call
 * napi_* exported by node.exe), a DLL named in the \\?\ file namespace (node's require of a
 * .node file), and two DLLs of one file name in two directories, each a module of its own
 * (plugins). */
#include <windows.h>
#include <stdio.h>

__declspec(dllexport) int doubled(int a) { return a * 2; }

int main(void)
{
    HMODULE self = GetModuleHandleW(NULL);
    int (*twice)(int) = (int (*)(int))GetProcAddress(self, "doubled");
    printf("own export: %d\n", twice ? twice(21) : -1);
    HMODULE spaced = LoadLibraryExW(L"\\\\?\\C:\\app\\pa\\plug.dll", NULL,
                                    LOAD_WITH_ALTERED_SEARCH_PATH);
    printf("\\\\?\\ name: %d\n", spaced != NULL);
    HMODULE a = LoadLibraryW(L"C:\\app\\pa\\plug.dll");
    HMODULE b = LoadLibraryW(L"C:\\app\\pb\\plug.dll");
    const char *(*wa)(void) = (void *)GetProcAddress(a, "which");
    const char *(*wb)(void) = (void *)GetProcAddress(b, "which");
    wchar_t path_b[MAX_PATH] = L"";
    GetModuleFileNameW(b, path_b, MAX_PATH);
    printf("same name: %s %s, two modules %d, same as the \\\\?\\ one %d, b is %ls\n",
           wa ? wa() : "?", wb ? wb() : "?", a != b, a == spaced, path_b);
    printf("by name: the first %d\n", GetModuleHandleW(L"plug.dll") == a);
    FreeLibrary(spaced);
    FreeLibrary(a);                        /* (both of a's loads) */
    HMODULE again = LoadLibraryW(L"C:\\app\\pb\\plug.dll");
    printf("b by its path again: the same module %d\n", again == b);
    return 0;
}
