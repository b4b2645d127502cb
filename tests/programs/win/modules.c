/* Modules at run time: LoadLibrary of a DLL the program does not import, GetProcAddress by
   name and by ordinal, GetModuleHandle of an API-set contract name. */
#include <windows.h>
#include <stdio.h>

typedef size_t (__cdecl *strlen_fn)(const char *);

int main(void)
{
    HMODULE ucrt = LoadLibraryA("ucrtbase.dll");
    strlen_fn by_name = ucrt ? (strlen_fn)GetProcAddress(ucrt, "strlen") : NULL;
    FARPROC by_ordinal = ucrt ? GetProcAddress(ucrt, (LPCSTR)1) : NULL;
    HMODULE k32 = GetModuleHandleA("kernel32.dll");
    HMODULE contract = GetModuleHandleA("api-ms-win-core-synch-l1-2-0.dll");
    printf("loaded %d, strlen(\"modules\") = %d, ordinal 1 %s\n", ucrt != NULL,
           by_name ? (int)by_name("modules") : -1, by_ordinal ? "found" : "missing");
    HMODULE none = LoadLibraryA("nosuch.dll");
    DWORD error = GetLastError();
    printf("contract is kernel32: %d, missing dll: %d (error %lu)\n", contract == k32,
           none != NULL, error);
    return 0;
}
