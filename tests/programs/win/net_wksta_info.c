/* netapi32's NetWkstaGetInfo at levels 100, 101 and 102: Windows NT's platform, this
   computer's NetBIOS name (GetComputerName's), the workgroup, the version GetVersionEx
   gives; an unknown level, another server. pywin32's win32net.NetWkstaGetInfo died calling
   it. NetApiBufferFree frees each block. */
#include <windows.h>
#include <lm.h>
#include <stdio.h>

int main(void)
{
    WCHAR name[64];
    DWORD size = 64;
    GetComputerNameW(name, &size);
    WKSTA_INFO_100 *i100;
    NET_API_STATUS st = NetWkstaGetInfo(NULL, 100, (BYTE **)&i100);
    printf("100: %lu platform %lu name same %d group %ls version %lu.%lu\n", st,
           i100->wki100_platform_id, !wcscmp(i100->wki100_computername, name),
           i100->wki100_langroup, i100->wki100_ver_major, i100->wki100_ver_minor);
    printf("free %lu\n", NetApiBufferFree(i100));
    WKSTA_INFO_101 *i101;
    st = NetWkstaGetInfo(NULL, 101, (BYTE **)&i101);
    printf("101: %lu name same %d group %ls lanroot [%ls]\n", st,
           !wcscmp(i101->wki101_computername, name), i101->wki101_langroup,
           i101->wki101_lanroot);
    NetApiBufferFree(i101);
    WKSTA_INFO_102 *i102;
    st = NetWkstaGetInfo(NULL, 102, (BYTE **)&i102);
    printf("102: %lu version %lu.%lu users %lu\n", st, i102->wki102_ver_major,
           i102->wki102_ver_minor, i102->wki102_logged_on_users);
    NetApiBufferFree(i102);
    WCHAR server[80] = L"\\\\";
    wcscat(server, name);
    st = NetWkstaGetInfo(server, 100, (BYTE **)&i100);
    printf("by name: %lu\n", st);
    if (st == 0)
        NetApiBufferFree(i100);
    BYTE *none;
    printf("level 7: %lu\n", NetWkstaGetInfo(NULL, 7, &none));
    printf("elsewhere: %lu\n", NetWkstaGetInfo(L"\\\\ELSEWHERE", 100, &none));
    return 0;
}
