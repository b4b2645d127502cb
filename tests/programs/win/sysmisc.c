/* Odds and ends several programs import: the process's modules (psapi), GetBinaryTypeW,
 * the clock a guest cannot set, NUMA, CreateDirectoryExW, GetTempFileNameW, writing the
 * read-only registry, RegEnumKeyW, GUIDs and UUID strings, and DebugBreak caught by a
 * vectored handler that continues. */
#include <windows.h>
#include <psapi.h>
#include <rpc.h>
#include <objbase.h>
#include <stdio.h>
#include <string.h>

static int breaks;

static LONG CALLBACK on_break(EXCEPTION_POINTERS *info) {
    if (info->ExceptionRecord->ExceptionCode == EXCEPTION_BREAKPOINT) {
        breaks++;
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

int main(void) {
    HMODULE mods[64]; DWORD needed = 0;
    BOOL en = EnumProcessModules(GetCurrentProcess(), mods, sizeof mods, &needed);
    MODULEINFO info;
    BOOL mi = GetModuleInformation(GetCurrentProcess(), NULL, &info, sizeof info);
    wchar_t name[MAX_PATH];
    DWORD nl = GetModuleFileNameExW(GetCurrentProcess(), NULL, name, MAX_PATH);
    printf("modules %d first-is-exe %d count>1 %d info %d base %d size>0 %d name %d [%ls]\n", en,
           mods[0] == GetModuleHandleW(NULL), needed / sizeof(HMODULE) > 1, mi,
           info.lpBaseOfDll == (void *)GetModuleHandleW(NULL), info.SizeOfImage > 0, nl > 0,
           wcsrchr(name, L'\\') + 1);
    DWORD type = 99;
    BOOL bt = GetBinaryTypeW(name, &type);
    SYSTEMTIME st; GetSystemTime(&st);
    BOOL set = SetSystemTime(&st);
    DWORD e1 = GetLastError();
    DWORD adj, inc; BOOL disabled;
    GetSystemTimeAdjustment(&adj, &inc, &disabled);
    ULONG node = 9; GetNumaHighestNodeNumber(&node);
    printf("binary %d %lu settime %d %lu adjust %lu %d numa %lu\n", bt, type, set, e1, inc, disabled, node);
    BOOL dir = CreateDirectoryExW(L".", L"made", NULL);
    wchar_t tmp[MAX_PATH];
    UINT unique = GetTempFileNameW(L"made", L"abcd", 0, tmp);
    DWORD attrs = GetFileAttributesW(tmp);
    UINT fixed = GetTempFileNameW(L"made", L"x", 0x2a, tmp);
    printf("dir %d temp %d exists %d fixed %u [%ls]\n", dir, unique != 0, attrs != INVALID_FILE_ATTRIBUTES, fixed, tmp);
    HKEY key;
    RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor", 0, KEY_READ, &key);
    LONG write = RegSetValueExW(key, L"x", 0, REG_DWORD, (const BYTE *)&node, 4);
    wchar_t sub[16];
    LONG e0 = RegEnumKeyW(key, 0, sub, 16);
    printf("registry write %ld enum %ld [%ls]\n", write, e0, sub);
    GUID g; CoCreateGuid(&g);
    UUID u; UuidCreate(&u);
    RPC_WSTR text = NULL;
    UuidToStringW(&u, &text);
    size_t len = wcslen((wchar_t *)text);
    int dashes = text[8] == L'-' && text[13] == L'-' && text[18] == L'-' && text[23] == L'-';
    RpcStringFreeW(&text);
    printf("uuid %u dashes %d freed %d version4 %d\n", (unsigned)len, dashes, text == NULL,
           (u.Data3 >> 12) == 4);
    AddVectoredExceptionHandler(1, on_break);
    DebugBreak();
    DebugBreak();
    printf("breaks %d\n", breaks);
    return 0;
}
