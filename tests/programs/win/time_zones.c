/* Windows' time zone database in the registry (Time Zones: a key per zone with its names
   and its TZI rules), and SystemTimeToTzSpecificLocalTime applying a zone's daylight time.
   pywin32 converts every FILETIME through "GMT Standard Time" and failed to find it; the
   conversion had applied the bias alone, never daylight time. */
#include <windows.h>
#include <stdio.h>

#define ZONES "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Time Zones"

typedef struct {
    LONG Bias, StandardBias, DaylightBias;
    SYSTEMTIME StandardDate, DaylightDate;
} REG_TZI;

static int zone(const char *name, TIME_ZONE_INFORMATION *tz)
{
    char path[256], std[64];
    HKEY key;
    REG_TZI tzi;
    DWORD size = sizeof tzi;
    snprintf(path, sizeof path, ZONES "\\%s", name);
    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &key))
        return 0;
    RegQueryValueExA(key, "TZI", NULL, NULL, (BYTE *)&tzi, &size);
    DWORD std_size = sizeof std;
    RegQueryValueExA(key, "Std", NULL, NULL, (BYTE *)std, &std_size);
    RegCloseKey(key);
    memset(tz, 0, sizeof *tz);
    tz->Bias = tzi.Bias;
    tz->StandardBias = tzi.StandardBias;
    tz->DaylightBias = tzi.DaylightBias;
    tz->StandardDate = tzi.StandardDate;
    tz->DaylightDate = tzi.DaylightDate;
    printf("%s: std [%s] tzi %lu bias %ld\n", name, std, size, tzi.Bias);
    return 1;
}

static void convert(const TIME_ZONE_INFORMATION *tz, WORD month, WORD day, WORD hour)
{
    SYSTEMTIME utc = {2024, month, 0, day, hour, 0, 0, 0}, local, back;
    SystemTimeToTzSpecificLocalTime(tz, &utc, &local);
    TzSpecificLocalTimeToSystemTime(tz, &local, &back);
    printf("  %02u-%02u %02u:00 UTC -> %02u-%02u %02u:%02u local, back %02u:00\n", month, day,
           hour, local.wMonth, local.wDay, local.wHour, local.wMinute, back.wHour);
}

int main(void)
{
    HKEY key;
    DWORD subkeys = 0;
    RegOpenKeyExA(HKEY_LOCAL_MACHINE, ZONES, 0, KEY_READ, &key);
    RegQueryInfoKeyA(key, NULL, NULL, NULL, &subkeys, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    RegCloseKey(key);
    printf("zones %d\n", subkeys >= 30);
    DYNAMIC_TIME_ZONE_INFORMATION here;
    GetDynamicTimeZoneInformation(&here);
    TIME_ZONE_INFORMATION tz;
    char name[128];
    WideCharToMultiByte(CP_ACP, 0, here.TimeZoneKeyName, -1, name, sizeof name, NULL, NULL);
    printf("this machine's key %d\n", zone(name, &tz));
    static const char *names[] = {"GMT Standard Time", "Pacific Standard Time",
                                  "AUS Eastern Standard Time", "India Standard Time"};
    for (int i = 0; i < 4; i++) {
        if (!zone(names[i], &tz))
            continue;
        convert(&tz, 1, 15, 12);
        convert(&tz, 7, 1, 12);
    }
    if (zone("GMT Standard Time", &tz)) {    /* the changes: 31 March 01:00, 27 October 01:00 */
        convert(&tz, 3, 31, 0);
        convert(&tz, 3, 31, 1);
        convert(&tz, 10, 27, 0);
        convert(&tz, 10, 27, 1);
    }
    printf("missing %d\n", zone("Nowhere Standard Time", &tz));
    return 0;
}
