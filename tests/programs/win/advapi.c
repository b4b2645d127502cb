/* advapi32: random bytes through RtlGenRandom (SystemFunction036) and the CryptoAPI, the
   process token and a privilege, the user name, a registry key that does not exist. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

int main(void)
{
    unsigned char a[32] = {0}, b[32] = {0};
    HCRYPTPROV prov;
    HANDLE token;
    LUID luid;
    TOKEN_PRIVILEGES privileges;
    char name[64];
    DWORD size = sizeof name;
    HKEY key;
    int differ = SystemFunction036(a, sizeof a) && memcmp(a, b, sizeof a) != 0;
    printf("random: %d\n", differ && CryptAcquireContextW(&prov, NULL, NULL, PROV_RSA_FULL,
                                                           CRYPT_VERIFYCONTEXT)
                           && CryptGenRandom(prov, sizeof b, b) && memcmp(a, b, sizeof a) != 0
                           && CryptReleaseContext(prov, 0));
    printf("token: %d\n", OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &token));
    printf("privilege: %d\n", LookupPrivilegeValueA(NULL, "SeDebugPrivilege", &luid));
    privileges.PrivilegeCount = 1;
    privileges.Privileges[0].Luid = luid;
    privileges.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
    BOOL adjusted = AdjustTokenPrivileges(token, FALSE, &privileges, 0, NULL, NULL);
    DWORD error = GetLastError();
    printf("adjusted: %d, error %lu\n", adjusted, error);
    printf("user: %d %s\n", GetUserNameA(name, &size), name);
    printf("key: %ld\n", RegOpenKeyExA(HKEY_CURRENT_USER, "Software\\Nothing", 0, KEY_READ, &key));
    return 0;
}
