/* More advapi32 and ntdll imports: RegEnumValueA and RegQueryInfoKeyA, LookupAccountName,
   LsaNtStatusToWinError, DuplicateToken, AddAccessDeniedAceEx, ImpersonateAnonymousToken,
   and ntdll's RtlFillMemory. */
#include <windows.h>
#include <sddl.h>
#include <stdio.h>

typedef NTSTATUS NTAPI lsa_fn(NTSTATUS);

int main(void)
{
    HKEY key;
    RegCreateKeyExA(HKEY_CURRENT_USER, "Software\\adv2", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key,
                    NULL);
    RegSetValueExA(key, "greeting", 0, REG_SZ, (const BYTE *)"hello", 6);
    DWORD values = 0, longest = 0, longest_data = 0;
    RegQueryInfoKeyA(key, NULL, NULL, NULL, NULL, NULL, NULL, &values, &longest, &longest_data,
                     NULL, NULL);
    printf("RegQueryInfoKeyA: %lu %lu %lu\n", values, longest, longest_data);
    char name[32], data[32];
    DWORD name_len = sizeof name, data_len = sizeof data, type = 0;
    LONG r = RegEnumValueA(key, 0, name, &name_len, NULL, &type, (BYTE *)data, &data_len);
    printf("RegEnumValueA: %ld %s %lu %lu %s\n", r, name, name_len, type, data);
    RegCloseKey(key);

    BYTE sid[SECURITY_MAX_SID_SIZE];
    DWORD sid_len = sizeof sid, domain_len = 32;
    char domain[32];
    SID_NAME_USE use;
    BOOL ok = LookupAccountNameA(NULL, "Everyone", sid, &sid_len, domain, &domain_len, &use);
    char *text = NULL;
    ConvertSidToStringSidA(sid, &text);
    printf("LookupAccountNameA: %d %s '%s' %d\n", ok, text, domain, use);
    char user[64];
    DWORD user_len = sizeof user;
    GetUserNameA(user, &user_len);
    sid_len = sizeof sid;
    domain_len = sizeof domain;
    ok = LookupAccountNameA(NULL, user, sid, &sid_len, domain, &domain_len, &use);
    char back[64];
    DWORD back_len = sizeof back;
    domain_len = sizeof domain;
    SID_NAME_USE back_use;
    LookupAccountSidA(NULL, sid, back, &back_len, domain, &domain_len, &back_use);
    printf("the user: %d round trip %d use %d\n", ok, strcmp(back, user) == 0, use);
    sid_len = sizeof sid;
    domain_len = sizeof domain;
    ok = LookupAccountNameA(NULL, "nobody-such", sid, &sid_len, domain, &domain_len, &use);
    DWORD err = GetLastError();
    printf("unknown: %d %lu\n", ok, err);

    lsa_fn *lsa = (lsa_fn *)GetProcAddress(LoadLibraryA("advapi32.dll"), "LsaNtStatusToWinError");
    printf("LsaNtStatusToWinError: %lu\n", (unsigned long)lsa((NTSTATUS)0xC0000022));

    HANDLE token, copy;
    OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &token);
    printf("DuplicateToken: %d\n", DuplicateToken(token, SecurityImpersonation, &copy));
    BYTE acl_buf[256];
    PACL acl = (PACL)acl_buf;
    InitializeAcl(acl, sizeof acl_buf, ACL_REVISION);
    PSID everyone;
    ConvertStringSidToSidA("S-1-1-0", &everyone);
    ok = AddAccessDeniedAceEx(acl, ACL_REVISION, CONTAINER_INHERIT_ACE, GENERIC_WRITE, everyone);
    ACCESS_DENIED_ACE *ace;
    GetAce(acl, 0, (void **)&ace);
    printf("AddAccessDeniedAceEx: %d type %d flags %d\n", ok, ace->Header.AceType,
           ace->Header.AceFlags);
    printf("anonymous: %d revert %d\n", ImpersonateAnonymousToken(GetCurrentThread()),
           RevertToSelf());

    void (NTAPI *fill)(void *, SIZE_T, BYTE) =
        (void (NTAPI *)(void *, SIZE_T, BYTE))GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                                             "RtlFillMemory");
    char buf[8] = "abcdefg";
    fill(buf + 1, 3, 'z');
    printf("RtlFillMemory: %s\n", buf);
    return 0;
}
