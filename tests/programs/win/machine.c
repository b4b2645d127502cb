/* What a program learns about the machine: the registry's well-known keys (the processor,
   the Windows version), which cannot be written; the processors' layout and times
   (GetLogicalProcessorInformation, NtQuerySystemInformation); the environment every Windows
   process has. */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <tlhelp32.h>
#include <winternl.h>
#include <stdio.h>
#include <stdlib.h>

typedef NTSTATUS (NTAPI *query_system)(ULONG, PVOID, ULONG, PULONG);

int main(void) {
    HKEY key;
    LONG err = RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"hardware\\DESCRIPTION\\System\\CentralProcessor\\0",
                             0, KEY_READ, &key);
    DWORD mhz = 0, size = sizeof mhz, type = 0;
    LONG q = RegQueryValueExW(key, L"~MHz", NULL, &type, (BYTE *)&mhz, &size);
    WCHAR name[64];
    DWORD name_size = 4;
    LONG small = RegQueryValueExW(key, L"ProcessorNameString", NULL, &type, (BYTE *)name, &name_size);
    name_size = sizeof name;
    LONG got = RegQueryValueExW(key, L"ProcessorNameString", NULL, &type, (BYTE *)name, &name_size);
    printf("cpu key %ld mhz %ld %lu type %lu small %ld name %ld %d [%ls]\n", err, q,
           (unsigned long)mhz, (unsigned long)type, small, got, name_size == (wcslen(name) + 1) * 2, name);
    LONG missing = RegQueryValueExW(key, L"nope", NULL, NULL, NULL, NULL);
    printf("missing value %ld close %ld\n", missing, RegCloseKey(key));
    char product[64];
    DWORD product_size = sizeof product;
    err = RegGetValueA(HKEY_LOCAL_MACHINE, "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                       "ProductName", RRF_RT_REG_SZ, NULL, product, &product_size);
    DWORD major = 0, major_size = sizeof major;
    LONG wrong = RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                              L"CurrentMajorVersionNumber", RRF_RT_REG_SZ, NULL, &major, &major_size);
    LONG right = RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                              L"CurrentMajorVersionNumber", RRF_RT_REG_DWORD, NULL, &major, &major_size);
    printf("product %ld [%s] major %ld %ld %lu\n", err, product, wrong, right, (unsigned long)major);
    HKEY parent;
    RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor", 0,
                  KEY_READ, &parent);
    WCHAR child[16];
    DWORD child_size = 16;
    LONG first = RegEnumKeyExW(parent, 0, child, &child_size, NULL, NULL, NULL, NULL);
    child_size = 16;
    LONG second = RegEnumKeyExW(parent, 1, child, &child_size, NULL, NULL, NULL, NULL);
    printf("subkey %ld [%ls] then %ld\n", first, child, second);
    RegCloseKey(parent);
    HKEY cpu;
    RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0", 0,
                  KEY_READ, &cpu);
    DWORD subkeys = 9, values = 0, maxname = 0, maxdata = 0;
    LONG queried = RegQueryInfoKeyW(cpu, NULL, NULL, NULL, &subkeys, NULL, NULL, &values, &maxname,
                                 &maxdata, NULL, NULL);
    WCHAR vname[32]; DWORD vlen = 32, vtype = 0, vsize = 128; BYTE vdata[128];
    LONG e0 = RegEnumValueW(cpu, 0, vname, &vlen, NULL, &vtype, vdata, &vsize);
    DWORD n2 = 32;
    LONG past = RegEnumValueW(cpu, values, vname + 16, &n2, NULL, NULL, NULL, NULL);
    printf("info %ld subkeys %lu values %lu names %lu data %lu, value %ld [%ls] %lu %lu, past %ld\n",
           queried, subkeys, values, maxname, maxdata, e0, vname, vtype, vsize, past);
    RegCloseKey(cpu);
    HKEY made;
    LONG no_key = RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\Nobody", 0, KEY_READ, &made);
    /* a user who is not elevated makes no keys in the machine's hive */
    LONG create = RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"Software\\Nobody", 0, NULL, 0, KEY_WRITE,
                                  NULL, &made, NULL);
    printf("no key %ld create %ld\n", no_key, create);

    DWORD length = 0;
    GetLogicalProcessorInformation(NULL, &length);
    SYSTEM_LOGICAL_PROCESSOR_INFORMATION info[16];
    length = sizeof info;
    BOOL ok = GetLogicalProcessorInformation(info, &length);
    int cores = 0, caches = 0;
    for (DWORD i = 0; i < length / sizeof info[0]; i++) {
        cores += info[i].Relationship == RelationProcessorCore;
        caches += info[i].Relationship == RelationCache;
    }
    printf("processors %d cores %d caches %d\n", ok, cores, caches);
    query_system query = (query_system)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQuerySystemInformation");
    SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION perf;
    ULONG returned = 0;
    NTSTATUS st = query(SystemProcessorPerformanceInformation, &perf, sizeof perf, &returned);
    printf("performance %#lx %d %d\n", (unsigned long)st, returned == sizeof perf,
           perf.KernelTime.QuadPart >= perf.IdleTime.QuadPart);
    printf("env [%s] [%s] [%s]\n", getenv("SystemRoot"), getenv("windir"), getenv("OS"));

    /* the process snapshot Go's os.Getppid reads */
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32W entry = {.dwSize = sizeof entry};
    int found = 0, count = 0;
    for (BOOL more = Process32FirstW(snap, &entry); more; more = Process32NextW(snap, &entry)) {
        count++;
        if (entry.th32ProcessID == GetCurrentProcessId())
            found = entry.cntThreads == 1 && wcsstr(entry.szExeFile, L"machine.exe") != NULL;
    }
    DWORD end = GetLastError();
    CloseHandle(snap);
    printf("snapshot %d self %d end %lu\n", count >= 1, found, (unsigned long)end);

    /* global memory and the clipboard */
    HGLOBAL mem = GlobalAlloc(GMEM_MOVEABLE | GMEM_ZEROINIT, 16);
    char *text = GlobalLock(mem);
    lstrcpyA(text, "on the clipboard");
    GlobalUnlock(mem);
    BOOL opened = OpenClipboard(NULL);
    EmptyClipboard();
    BOOL set = SetClipboardData(CF_TEXT, mem) != NULL;
    CloseClipboard();
    BOOL there = IsClipboardFormatAvailable(CF_TEXT), other = IsClipboardFormatAvailable(CF_BITMAP);
    OpenClipboard(NULL);
    HANDLE back = GetClipboardData(CF_TEXT);
    printf("clipboard %d %d %d %d [%s] size %d\n", opened, set, there, other,
           back ? (char *)GlobalLock(back) : "?", (int)GlobalSize(mem) >= 16);
    CloseClipboard();
    printf("free %d\n", GlobalFree(GlobalAlloc(GMEM_FIXED, 8)) == NULL);

    char user[64];
    ULONG user_size = 2;
    BOOLEAN small_name = GetUserNameExA(NameSamCompatible, user, &user_size);
    DWORD small_error = GetLastError();
    ULONG needed = user_size;
    user_size = sizeof user;
    BOOLEAN named = GetUserNameExA(NameSamCompatible, user, &user_size);
    printf("user name %d %lu %d %d [%s]\n", small_name, (unsigned long)small_error,
           needed == user_size + 1, named, user);
    return 0;
}
