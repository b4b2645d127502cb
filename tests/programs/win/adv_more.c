/* advapi32 and ole32 imports programs make: SetEntriesInAcl (winpty's pipe security),
   GetSecurityInfo/SetSecurityInfo by handle, the event log (OpenSSL, node), and COM's
   process security (WMI users) and PropVariantClear. */
#define COBJMACROS
#include <windows.h>
#include <aclapi.h>
#include <objbase.h>
#include <propidl.h>
#include <stdio.h>

static void show_acl(const char *what, PACL acl)
{
    ACL_SIZE_INFORMATION info;
    GetAclInformation(acl, &info, sizeof info, AclSizeInformation);
    printf("%s: %lu aces:", what, info.AceCount);
    for (DWORD i = 0; i < info.AceCount; i++) {
        ACCESS_ALLOWED_ACE *ace;
        GetAce(acl, i, (void **)&ace);
        SID *sid = (SID *)&ace->SidStart;
        printf(" %s/%#lx/S-1-%u-%lu", ace->Header.AceType ? "deny" : "allow", ace->Mask,
               sid->IdentifierAuthority.Value[5], sid->SubAuthority[0]);
    }
    printf("\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    EXPLICIT_ACCESS_W ea[2] = {0};
    ea[0].grfAccessPermissions = GENERIC_READ;
    ea[0].grfAccessMode = GRANT_ACCESS;
    ea[0].grfInheritance = NO_INHERITANCE;
    ea[0].Trustee.TrusteeForm = TRUSTEE_IS_NAME;
    ea[0].Trustee.ptstrName = L"Everyone";
    PSID admins;
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS,
                             0, 0, 0, 0, 0, 0, &admins);
    ea[1].grfAccessPermissions = GENERIC_WRITE;
    ea[1].grfAccessMode = DENY_ACCESS;
    ea[1].Trustee.TrusteeForm = TRUSTEE_IS_SID;
    ea[1].Trustee.ptstrName = (LPWSTR)admins;
    PACL acl = NULL;
    printf("SetEntriesInAclW: %lu\n", SetEntriesInAclW(2, ea, NULL, &acl));
    show_acl("new", acl);
    ea[0].grfAccessPermissions = GENERIC_EXECUTE;
    PACL more = NULL;
    SetEntriesInAclW(1, ea, acl, &more);
    show_acl("granted more", more);
    ea[1].grfAccessMode = REVOKE_ACCESS;
    PACL fewer = NULL;
    SetEntriesInAclW(1, ea + 1, more, &fewer);
    show_acl("revoked", fewer);
    ea[0].Trustee.ptstrName = L"nobody-such";
    PACL none = NULL;
    printf("unknown name: %lu\n", SetEntriesInAclW(1, ea, NULL, &none));
    LocalFree(acl);
    LocalFree(more);
    LocalFree(fewer);

    HANDLE f = CreateFileA("C:\\sec.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           0, NULL);
    PSID owner = NULL;
    PACL dacl = (PACL)1;
    PSECURITY_DESCRIPTOR sd = NULL;
    DWORD r = GetSecurityInfo(f, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION |
                              DACL_SECURITY_INFORMATION, &owner, NULL, &dacl, NULL, &sd);
    printf("GetSecurityInfo: %lu owner %d null dacl %d\n", r, IsValidSid(owner), dacl == NULL);
    LocalFree(sd);
    HANDLE ev = CreateEventA(NULL, FALSE, FALSE, NULL);
    r = GetSecurityInfo(ev, SE_KERNEL_OBJECT, OWNER_SECURITY_INFORMATION, &owner, NULL, NULL,
                        NULL, &sd);
    printf("kernel object: %lu owner %d\n", r, IsValidSid(owner));
    printf("SetSecurityInfo: %lu\n", SetSecurityInfo(f, SE_FILE_OBJECT,
                                                     DACL_SECURITY_INFORMATION, NULL, NULL,
                                                     NULL, NULL));
    CloseHandle(f);

    HANDLE source = RegisterEventSourceW(NULL, L"adv_more");
    LPCWSTR strings[] = {L"first", L"second"};
    BOOL ok = ReportEventW(source, EVENTLOG_ERROR_TYPE, 0, 1001, NULL, 2, 0, strings, NULL);
    printf("event log: %d %d", source != NULL, ok);
    printf(" deregister %d", DeregisterEventSource(source));
    ok = ReportEventW(source, EVENTLOG_ERROR_TYPE, 0, 1, NULL, 0, 0, NULL, NULL);
    DWORD err = GetLastError();
    printf(" after: %d %lu\n", ok, err);
    HANDLE remote = RegisterEventSourceW(L"\\\\elsewhere", L"adv_more");
    err = GetLastError();
    printf("remote: %d %lu\n", remote != NULL, err);

    printf("CoInitializeSecurity before COM: %#lx\n", (unsigned long)CoInitializeSecurity(
        NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_IMP_LEVEL_IMPERSONATE, NULL,
        EOAC_NONE, NULL));
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    HRESULT first = CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT,
                                         RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL);
    HRESULT second = CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT,
                                          RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL);
    printf("CoInitializeSecurity: %#lx then %#lx\n", (unsigned long)first,
           (unsigned long)second);
    PROPVARIANT pv;
    PropVariantInit(&pv);
    pv.vt = VT_LPWSTR;
    pv.pwszVal = CoTaskMemAlloc(8);
    HRESULT cleared = PropVariantClear(&pv);
    printf("PropVariantClear: %#lx vt %u\n", (unsigned long)cleared, pv.vt);
    CoUninitialize();
    return 0;
}
