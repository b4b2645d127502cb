/* The machine's accounts as the Rust sysinfo crate lists them: NetUserEnum (level 0), each
   user's local groups, NetUserGetInfo, and LSA's logon sessions (none). */
#include <stdio.h>
#include <windows.h>
#include <lm.h>
#include <ntsecapi.h>

int main(void)
{
    USER_INFO_0 *users;
    LOCALGROUP_USERS_INFO_0 *groups;
    DWORD read = 0, total = 0, resume = 0, gread = 0, gtotal = 0;
    NET_API_STATUS r = NetUserEnum(NULL, 0, FILTER_NORMAL_ACCOUNT, (LPBYTE *)&users,
                                   MAX_PREFERRED_LENGTH, &read, &total, &resume);
    printf("NetUserEnum %lu: %lu of %lu, %ls\n", r, read, total, read ? users[0].usri0_name : L"");
    r = NetUserGetLocalGroups(NULL, users[0].usri0_name, 0, LG_INCLUDE_INDIRECT,
                              (LPBYTE *)&groups, MAX_PREFERRED_LENGTH, &gread, &gtotal);
    printf("groups %lu: %lu, %ls\n", r, gread, gread ? groups[0].lgrui0_name : L"");
    NetApiBufferFree(groups);
    NetApiBufferFree(users);
    printf("unknown user %lu, level 1 %lu\n",
           NetUserGetLocalGroups(NULL, L"nobody", 0, 0, (LPBYTE *)&groups, MAX_PREFERRED_LENGTH,
                                 &gread, &gtotal),
           NetUserEnum(NULL, 1, 0, (LPBYTE *)&users, MAX_PREFERRED_LENGTH, &read, &total, NULL));
    ULONG count = 99;
    PLUID sessions;
    NTSTATUS s = LsaEnumerateLogonSessions(&count, &sessions);
    printf("sessions %#lx: %lu, free %#lx\n", (unsigned long)s, count,
           (unsigned long)LsaFreeReturnBuffer(sessions));
    return 0;
}
