/* The C runtime's zone names are Windows' (GetTimeZoneInformation's StandardName and
   DaylightName, "Coordinated Universal Time" for UTC): msvcrt's _tzname, ucrtbase's
   __tzname() and _get_tzname, and strftime's %Z. They had been "UTC", the host's name. */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef char **(__cdecl *tzname_fn)(void);
typedef int (__cdecl *get_tzname_fn)(size_t *, char *, size_t, int);

int main(void)
{
    TIME_ZONE_INFORMATION tzi;
    GetTimeZoneInformation(&tzi);
    char standard[64];
    WideCharToMultiByte(CP_ACP, 0, tzi.StandardName, -1, standard, 64, NULL, NULL);
    printf("kernel32: %s\n", standard);
    _tzset();
    printf("msvcrt: [%s] [%s]\n", _tzname[0], _tzname[1]);

    HMODULE ucrt = LoadLibraryA("ucrtbase.dll");
    char **names = ((tzname_fn)GetProcAddress(ucrt, "__tzname"))();
    printf("ucrtbase: [%s] [%s]\n", names[0], names[1]);
    get_tzname_fn get = (get_tzname_fn)GetProcAddress(ucrt, "_get_tzname");
    size_t size = 0;
    char buffer[64];
    int rc = get(&size, NULL, 0, 0);
    printf("_get_tzname size: %d %u\n", rc, (unsigned)size);
    rc = get(&size, buffer, sizeof(buffer), 1);
    printf("_get_tzname 1: %d [%s]\n", rc, buffer);
    rc = get(&size, buffer, 10, 0);
    printf("_get_tzname short: %d\n", rc);

    struct tm tm = {0, 30, 12, 1, 0, 124, 1, 0, 0};
    char text[128];
    strftime(text, sizeof(text), "%Y-%m-%d %H:%M %Z|%%Z|%#Z", &tm);
    printf("strftime: %s\n", text);
    return 0;
}
