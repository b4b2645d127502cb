/* reg.exe and the program share the machine's registry: a value reg adds is read with
   RegGetValue, one the program sets is listed by reg query, one reg deletes is gone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

int main(void)
{
    DWORD n = 0, size = sizeof n;
    HKEY key;
    int added = system("reg add HKCU\\Software\\sysvec /v count /t REG_DWORD /d 42 /f >NUL");
    LONG got = RegGetValueA(HKEY_CURRENT_USER, "Software\\sysvec", "count", RRF_RT_REG_DWORD,
                            NULL, &n, &size);
    printf("reg add %d, RegGetValue %ld: %lu\n", added, got, (unsigned long)n);
    RegOpenKeyExA(HKEY_CURRENT_USER, "Software\\sysvec", 0, KEY_ALL_ACCESS, &key);
    RegSetValueExA(key, "name", 0, REG_SZ, (const BYTE *)"from the program", 17);
    fflush(stdout);
    printf("reg query %d\n", system("reg query HKCU\\Software\\sysvec"));
    fflush(stdout);
    int deleted = system("reg delete HKCU\\Software\\sysvec /v count /f >NUL");
    printf("reg delete %d, RegQueryValueEx %ld\n", deleted,
           RegQueryValueExA(key, "count", NULL, NULL, NULL, NULL));
    RegCloseKey(key);
    return 0;
}
