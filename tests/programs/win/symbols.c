/* dbghelp's symbols from the modules' exports: SymFromName and SymFromAddr (with the
   displacement) in this process, SymGetModuleInfoW64, no line information, and another
   process's modules after SymRefreshModuleList (py-spy reads python312.dll's so). */
#include <windows.h>
#include <dbghelp.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        Sleep(3000);
        return 0;
    }
    HANDLE self = GetCurrentProcess();
    BOOL started = SymInitializeW(self, NULL, TRUE);
    char buffer[sizeof(SYMBOL_INFOW) + 128 * sizeof(WCHAR)] = {0};
    SYMBOL_INFOW *sym = (SYMBOL_INFOW *)buffer;
    sym->SizeOfStruct = sizeof(SYMBOL_INFOW);
    sym->MaxNameLen = 128;
    FARPROC real = GetProcAddress(GetModuleHandleA("kernel32.dll"), "GetTickCount");
    BOOL by_name = SymFromNameW(self, L"kernel32!GetTickCount", sym);
    int same = sym->Address == (DWORD64)(ULONG_PTR)real;
    DWORD64 displacement = 0;
    BOOL by_address = SymFromAddrW(self, (DWORD64)(ULONG_PTR)real + 2, &displacement, sym);
    printf("started %d name %d same %d address %d [%ls] +%llu\n", started, by_name, same,
           by_address, sym->Name, (unsigned long long)displacement);
    IMAGEHLP_MODULEW64 module = {sizeof module};
    BOOL info = SymGetModuleInfoW64(self, (DWORD64)(ULONG_PTR)real, &module);
    printf("module %d [%ls] base %d symbols %d\n", info, module.ModuleName,
           module.BaseOfImage == (DWORD64)(ULONG_PTR)GetModuleHandleA("kernel32.dll"),
           module.NumSyms > 100);
    IMAGEHLP_LINEW64 line = {sizeof line};
    DWORD line_displacement;
    BOOL has_line = SymGetLineFromAddrW64(self, (DWORD64)(ULONG_PTR)real, &line_displacement,
                                          &line);
    DWORD line_error = GetLastError();
    printf("line %d %lu\n", has_line, line_error);

    char me[MAX_PATH], command[MAX_PATH + 16];
    GetModuleFileNameA(NULL, me, sizeof me);
    snprintf(command, sizeof command, "\"%s\" sleep", me);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    Sleep(300);
    BOOL other = SymInitializeW(pi.hProcess, NULL, FALSE);
    BOOL refreshed = SymRefreshModuleList(pi.hProcess);
    BOOL found = SymFromNameW(pi.hProcess, L"Sleep", sym);
    printf("other %d %d %d same %d\n", other, refreshed, found,
           sym->Address == (DWORD64)(ULONG_PTR)GetProcAddress(GetModuleHandleA("kernel32.dll"),
                                                               "Sleep"));
    BOOL missing = SymFromNameW(self, L"NoSuchFunction", sym);
    DWORD missing_error = GetLastError();
    printf("missing %d %lu\n", missing, missing_error);
    TerminateProcess(pi.hProcess, 0);
    SymCleanup(self);
    return 0;
}
