/* HKEY_CURRENT_USER is the user's to write (programs keep their settings there): keys made
 * with the keys on the way, values of each type written through W and A calls and read back
 * through both, enumeration, deleting values and keys (a key with subkeys refuses RegDeleteKey,
 * RegDeleteTree takes it all), and a child process seeing what its parent wrote. The machine's
 * hive refuses a user who is not elevated. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define BASE L"Software\\sysvec-test"

static int child(void)
{
    HKEY k;
    DWORD v = 0, size = sizeof v;
    LONG r = RegOpenKeyExW(HKEY_CURRENT_USER, BASE L"\\deep\\er", 0, KEY_READ, &k);
    LONG q = RegQueryValueExW(k, L"Count", NULL, NULL, (BYTE *)&v, &size);
    printf("child open %ld query %ld value %lu\n", r, q, v);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child();
    HKEY k, deep;
    DWORD disp = 0;
    LONG r = RegCreateKeyExW(HKEY_CURRENT_USER, BASE L"\\deep\\er", 0, NULL, 0, KEY_ALL_ACCESS,
                             NULL, &deep, &disp);
    printf("create %ld disposition %lu\n", r, disp);
    r = RegCreateKeyExW(HKEY_CURRENT_USER, BASE L"\\deep\\er", 0, NULL, 0, KEY_ALL_ACCESS,
                        NULL, &k, &disp);
    printf("again %ld disposition %lu\n", r, disp);
    RegCloseKey(k);

    DWORD count = 42;
    ULONGLONG big = 0x123456789ULL;
    const wchar_t multi[] = L"one\0two\0";
    const BYTE blob[3] = {1, 2, 3};
    printf("set %ld %ld %ld %ld %ld\n",
           RegSetValueExW(deep, L"Name", 0, REG_SZ, (const BYTE *)L"wide text", 20),
           RegSetValueExW(deep, L"Count", 0, REG_DWORD, (const BYTE *)&count, 4),
           RegSetValueExW(deep, L"Big", 0, REG_QWORD, (const BYTE *)&big, 8),
           RegSetValueExW(deep, L"List", 0, REG_MULTI_SZ, (const BYTE *)multi, sizeof multi),
           RegSetValueExA(deep, "Blob", 0, REG_BINARY, blob, 3));
    RegSetValueExA(deep, "Narrow", 0, REG_SZ, (const BYTE *)"ansi", 5);

    wchar_t wide[32];
    char narrow[32];
    DWORD type, size = sizeof wide;
    r = RegQueryValueExW(deep, L"name", NULL, &type, (BYTE *)wide, &size);   /* any case */
    printf("wide %ld type %lu size %lu [%ls]\n", r, type, size, wide);
    size = sizeof narrow;
    r = RegQueryValueExA(deep, "Narrow", NULL, &type, (BYTE *)narrow, &size);
    printf("narrow %ld size %lu [%s]\n", r, size, narrow);
    size = sizeof wide;
    r = RegGetValueW(HKEY_CURRENT_USER, BASE L"\\deep\\er", L"Narrow", RRF_RT_REG_SZ, &type,
                     wide, &size);
    printf("narrow as wide %ld [%ls]\n", r, wide);
    ULONGLONG got = 0;
    size = sizeof got;
    RegGetValueW(HKEY_CURRENT_USER, BASE L"\\deep\\er", L"Big", RRF_RT_REG_QWORD, NULL, &got,
                 &size);
    BYTE data[8] = {0};
    DWORD data_size = sizeof data;
    RegQueryValueExW(deep, L"Blob", NULL, &type, data, &data_size);
    printf("qword %d blob %lu %lu [%d %d %d]\n", got == big, type, data_size, data[0], data[1],
           data[2]);
    wchar_t list[16];
    size = sizeof list;
    RegQueryValueExW(deep, L"List", NULL, &type, (BYTE *)list, &size);
    printf("multi %lu size %lu [%ls] [%ls]\n", type, size, list, list + 4);

    DWORD values = 0, subkeys = 0;
    RegQueryInfoKeyW(deep, NULL, NULL, NULL, &subkeys, NULL, NULL, &values, NULL, NULL, NULL,
                     NULL);
    printf("info subkeys %lu values %lu\n", subkeys, values);
    LONG once = RegDeleteValueW(deep, L"Blob");
    printf("delete value %ld again %ld\n", once, RegDeleteValueW(deep, L"Blob"));

    /* a child sees the machine's registry */
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    char line[MAX_PATH + 8];
    snprintf(line, sizeof line, "\"%s\" child", argv[0]);
    fflush(stdout);
    if (CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        WaitForSingleObject(pi.hProcess, INFINITE);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }

    HKEY base;
    RegOpenKeyExW(HKEY_CURRENT_USER, BASE, 0, KEY_ALL_ACCESS, &base);
    wchar_t sub[32];
    DWORD sub_len = 32;
    r = RegEnumKeyExW(base, 0, sub, &sub_len, NULL, NULL, NULL, NULL);
    printf("enum %ld [%ls]\n", r, sub);
    printf("delete with subkeys %ld\n", RegDeleteKeyW(HKEY_CURRENT_USER, BASE L"\\deep"));
    printf("delete leaf %ld\n", RegDeleteKeyW(HKEY_CURRENT_USER, BASE L"\\deep\\er"));
    printf("value of deleted key %ld\n", RegSetValueExW(deep, L"x", 0, REG_DWORD,
                                                         (const BYTE *)&count, 4));
    RegCreateKeyW(base, L"a\\b", &k);
    RegCloseKey(k);
    LONG tree = RegDeleteTreeW(HKEY_CURRENT_USER, BASE);
    printf("tree %ld gone %ld\n", tree, RegOpenKeyExW(HKEY_CURRENT_USER, BASE, 0, KEY_READ, &k));

    /* the hive has a quota: 1 MiB values written in a loop stop at it, and deleting them
     * gives the room back */
    static BYTE huge[1 << 20];
    HKEY q;
    RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\sysvec-quota", 0, NULL, 0, KEY_ALL_ACCESS,
                    NULL, &q, NULL);
    int written = 0;
    LONG full = 0;
    for (; written < 200; written++) {
        wchar_t value[16];
        swprintf(value, 16, L"v%d", written);
        if ((full = RegSetValueExW(q, value, 0, REG_BINARY, huge, sizeof huge)) != 0)
            break;
    }
    RegCloseKey(q);
    LONG cleared = RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\sysvec-quota");
    RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\sysvec-quota", 0, NULL, 0, KEY_ALL_ACCESS,
                    NULL, &q, NULL);
    LONG again = RegSetValueExW(q, L"v", 0, REG_BINARY, huge, sizeof huge);
    printf("quota: stopped %d (%d values) error %ld, cleared %ld, room again %ld\n",
           written > 30 && written < 200, written >= 60 && written <= 64, full, cleared, again);
    RegCloseKey(q);
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\sysvec-quota");

    HKEY cpu;
    RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0", 0,
                  KEY_READ, &cpu);
    LONG set = RegSetValueExW(cpu, L"x", 0, REG_DWORD, (const BYTE *)&count, 4);
    printf("machine hive: set %ld create %ld\n", set,
           RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"Software\\sysvec-test", 0, NULL, 0,
                           KEY_ALL_ACCESS, NULL, &k, NULL));
    return 0;
}
