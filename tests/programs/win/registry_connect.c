/* RegConnectRegistry to this computer, and the time zone keys dateutil and tzlocal read. */
#define UNICODE
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HKEY hklm = NULL, tz = NULL, utc = NULL;
    LONG r = RegConnectRegistryW(NULL, HKEY_LOCAL_MACHINE, &hklm);
    printf("connect: %ld\n", r);
    r = RegOpenKeyExW(hklm, L"SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation", 0,
                      KEY_READ, &tz);
    wchar_t name[64];
    DWORD size = sizeof name, type = 0;
    LONG q = RegQueryValueExW(tz, L"TimeZoneKeyName", NULL, &type, (BYTE *)name, &size);
    printf("zone: %ld %ld %ls\n", r, q, name);
    r = RegOpenKeyExW(hklm, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Time Zones\\UTC",
                      0, KEY_READ, &utc);
    BYTE tzi[64];
    size = sizeof tzi;
    q = RegQueryValueExW(utc, L"TZI", NULL, &type, tzi, &size);
    printf("UTC key: %ld %ld TZI %lu bytes\n", r, q, size);
    /* Go's time package reads the zone's names so (MUI_Std first, then Std) */
    LONG (WINAPI *load_mui)(HKEY, LPCWSTR, LPWSTR, DWORD, LPDWORD, DWORD, LPCWSTR) =
        (void *)GetProcAddress(GetModuleHandleW(L"advapi32.dll"), "RegLoadMUIStringW");
    DWORD got = 0;
    LONG mui = load_mui(utc, L"MUI_Std", name, sizeof name, &got, 0, NULL);
    LONG std = load_mui(utc, L"Std", name, sizeof name, &got, 0, NULL);
    printf("RegLoadMUIStringW: MUI_Std %ld, Std %ld %ls (%lu bytes)\n", mui, std, name, got);
    HKEY other;
    printf("another computer: %ld\n", RegConnectRegistryW(L"\\\\elsewhere", HKEY_LOCAL_MACHINE,
                                                          &other));
    printf("close: %ld\n", RegCloseKey(hklm));
    return 0;
}
