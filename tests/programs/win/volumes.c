/* The machine's one volume by its GUID name (Python's os.listvolumes and os.listmounts), and
 * the loopback interface by index and name. Link with -liphlpapi. */
#include <winsock2.h>
#include <windows.h>
#include <iphlpapi.h>
#include <netioapi.h>
#include <stdio.h>

int main(void)
{
    wchar_t name[MAX_PATH], paths[MAX_PATH], again[MAX_PATH];
    HANDLE find = FindFirstVolumeW(name, MAX_PATH);
    printf("first %d %ls\n", find != INVALID_HANDLE_VALUE, name);
    BOOL more = FindNextVolumeW(find, again, MAX_PATH);
    printf("next %d error %lu\n", more, GetLastError());
    printf("close %d\n", FindVolumeClose(find));

    DWORD needed = 0;
    BOOL ok = GetVolumePathNamesForVolumeNameW(name, paths, 2, &needed);
    printf("short buffer %d error %lu needed %lu\n", ok, GetLastError(), needed);
    ok = GetVolumePathNamesForVolumeNameW(name, paths, MAX_PATH, &needed);
    printf("mount points %d [%ls] then [%ls]\n", ok, paths, paths + wcslen(paths) + 1);
    ok = GetVolumePathNamesForVolumeNameW(L"\\\\?\\Volume{00000000-0000-0000-0000-000000000000}\\",
                                          paths, MAX_PATH, &needed);
    printf("unknown volume %d error %lu\n", ok, GetLastError());

    ok = GetVolumeNameForVolumeMountPointW(L"C:\\", again, MAX_PATH);
    printf("volume of C: %d same %d\n", ok, wcscmp(again, name) == 0);
    ok = GetVolumeNameForVolumeMountPointW(L"C:\\Windows\\", again, MAX_PATH);
    printf("not a mount point %d\n", ok);

    char ifname[257];   /* IF_NAMESIZE: NDIS_IF_MAX_STRING_SIZE + 1 */
    const char *one = if_indextoname(1, ifname);
    printf("interface 1 %s\n", one ? one : "none");
    printf("index of it %lu\n", (unsigned long)if_nametoindex(ifname));
    printf("interface 7 %s\n", if_indextoname(7, ifname) ? "yes" : "none");
    return 0;
}
