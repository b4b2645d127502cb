/* What psutil asks Windows at import and in its first calls. */
#define UNICODE
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <psapi.h>
#include <pdh.h>
#include <stdio.h>

typedef struct { USHORT Length, MaximumLength; PWSTR Buffer; } USTR;
typedef struct { HANDLE ProcessId; USTR ImageName; } PROC_ID_INFO;

int main(void)
{
    HMODULE nt = GetModuleHandleW(L"ntdll.dll");
    char *(NTAPI *v4)(const struct in_addr *, char *) = (void *)GetProcAddress(nt, "RtlIpv4AddressToStringA");
    char *(NTAPI *v6)(const struct in6_addr *, char *) = (void *)GetProcAddress(nt, "RtlIpv6AddressToStringA");
    struct in_addr a4 = {{{127, 0, 0, 1}}};
    struct in6_addr a6 = {{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}};
    char t4[32], t6[64];
    char *e4 = v4(&a4, t4), *e6 = v6(&a6, t6);
    printf("addresses %s (%d) %s (%d)\n", t4, (int)(e4 - t4), t6, (int)(e6 - t6));
    DWORD pids[64], needed = 0, handles = 0;
    BOOL ok = EnumProcesses(pids, sizeof pids, &needed);
    int found = 0;
    for (DWORD i = 0; i < needed / 4; i++)
        found |= pids[i] == GetCurrentProcessId();
    printf("EnumProcesses %d, self listed %d\n", ok, found);
    printf("handle count %d\n", GetProcessHandleCount(GetCurrentProcess(), &handles) && handles > 0);
    SYSTEM_POWER_STATUS power;
    GetSystemPowerStatus(&power);
    printf("power: AC %d, battery flag %d\n", power.ACLineStatus, power.BatteryFlag);
    HANDLE token;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token);
    BYTE buf[256];
    DWORD len = 0;
    GetTokenInformation(token, TokenUser, buf, sizeof buf, &len);
    wchar_t name[64], domain[64];
    DWORD nlen = 64, dlen = 64;
    SID_NAME_USE use;
    ok = LookupAccountSidW(NULL, ((TOKEN_USER *)buf)->User.Sid, name, &nlen, domain, &dlen, &use);
    printf("account: %d %ls %d\n", ok, name, use);
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ENUMERATE_SERVICE);
    DWORD more = 0, count = 5;
    ok = EnumServicesStatusExW(scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_STATE_ALL, NULL,
                               0, &more, &count, NULL, NULL);
    SC_HANDLE none = OpenServiceW(scm, L"Spooler", SERVICE_QUERY_STATUS);
    DWORD err = GetLastError();
    printf("services: %d listed %lu, open %d err %lu, close %d\n", ok, count, none != NULL, err,
           CloseServiceHandle(scm));
    int secret = 0x5eed;
    int copy = 0;
    SIZE_T got = 0;
    ok = ReadProcessMemory(GetCurrentProcess(), &secret, &copy, sizeof copy, &got);
    printf("ReadProcessMemory %d %x %d\n", ok, copy, (int)got);
    HMODULE mods[64];
    DWORD mods_size = 0;
    BOOL listed = EnumProcessModulesEx(GetCurrentProcess(), mods, sizeof mods, &mods_size,
                                       LIST_MODULES_ALL);
    printf("EnumProcessModulesEx %d, the program first %d\n", listed,
           mods_size && mods[0] == GetModuleHandleW(NULL));
    HRESULT (WINAPI *ro_init)(int) = (void *)GetProcAddress(LoadLibraryA("combase.dll"),
                                                            "RoInitialize");
    HRESULT first = ro_init(1);
    printf("RoInitialize %lx, again %lx\n", (unsigned long)first, (unsigned long)ro_init(1));
    /* a page that can be read, then a reserved one: the first page only */
    char *two = VirtualAlloc(NULL, 0x2000, MEM_RESERVE, PAGE_NOACCESS);
    VirtualAlloc(two, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    two[0] = 'x';
    static char into[0x2000];
    ok = ReadProcessMemory(GetCurrentProcess(), two, into, 0x2000, &got);
    printf("partial copy %d %lu %d %c\n", ok, GetLastError(), (int)got, into[0]);
    LONG (NTAPI *qsi)(ULONG, void *, ULONG, ULONG *) = (void *)GetProcAddress(nt, "NtQuerySystemInformation");
    wchar_t image[260];
    PROC_ID_INFO info = {(HANDLE)(ULONG_PTR)GetCurrentProcessId(), {0, sizeof image, image}};
    LONG st = qsi(88, &info, sizeof info, NULL);
    printf("image by id: %lx %.*ls\n", st, info.ImageName.Length / 2, image);
    PDH_HQUERY q;
    PDH_HCOUNTER c;
    PDH_FMT_COUNTERVALUE v;
    LONG r1 = PdhOpenQueryW(NULL, 0, &q);
    LONG r2 = PdhAddEnglishCounterW(q, L"\\System\\Processor Queue Length", 0, &c);
    LONG r3 = PdhCollectQueryData(q);
    LONG r4 = PdhGetFormattedCounterValue(c, PDH_FMT_DOUBLE, NULL, &v);
    printf("pdh %ld %ld %ld %ld value %g, close %ld\n", r1, r2, r3, r4, v.doubleValue,
           PdhCloseQuery(q));
    DWORD size = 0;
    DWORD rt = GetExtendedTcpTable(NULL, &size, FALSE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0);
    printf("tcp table: %lu size %lu\n", rt, size);
    return 0;
}
