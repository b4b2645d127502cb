/* Security structures a program builds in its own memory: SIDs from an authority, an ACL
   with ACEs added, read back and inserted, a security descriptor's DACL; a restricted token
   and its default DACL; CreateProcessAsUser with it (PostgreSQL's initdb and server do this
   to drop administrator rights). */
#include <windows.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("restricted child %s\n", argv[1]);
        return 5;
    }
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY, world = SECURITY_WORLD_SID_AUTHORITY;
    PSID admins, everyone;
    BOOL ok = AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                       DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0, &admins);
    ok &= AllocateAndInitializeSid(&world, 1, SECURITY_WORLD_RID, 0, 0, 0, 0, 0, 0, 0, &everyone);
    printf("sids %d len=%lu count=%u rid=%lu valid=%d\n", ok, GetLengthSid(admins),
           *GetSidSubAuthorityCount(admins), *GetSidSubAuthority(admins, 1), IsValidSid(everyone));

    char buffer[256];
    PACL acl = (PACL)buffer;
    InitializeAcl(acl, sizeof buffer, ACL_REVISION);
    AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_READ, everyone);
    AddAccessAllowedAceEx(acl, ACL_REVISION, OBJECT_INHERIT_ACE, GENERIC_ALL, admins);
    ACL_SIZE_INFORMATION size;
    GetAclInformation(acl, &size, sizeof size, AclSizeInformation);
    ACCESS_ALLOWED_ACE *ace;
    GetAce(acl, 1, (void **)&ace);
    printf("acl count=%lu used=%lu free=%lu ace1 flags=%u mask=%lx admins=%d valid=%d\n",
           size.AceCount, size.AclBytesInUse, size.AclBytesFree, ace->Header.AceFlags,
           ace->Mask, EqualSid(&ace->SidStart, admins), IsValidAcl(acl));
    GetAce(acl, 0, (void **)&ace);
    AddAce(acl, ACL_REVISION, 0, ace, ace->Header.AceSize);     /* a copy of ACE 0 in front */
    GetAclInformation(acl, &size, sizeof size, AclSizeInformation);
    printf("after AddAce count=%lu\n", size.AceCount);

    SECURITY_DESCRIPTOR sd;
    InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION);
    SetSecurityDescriptorDacl(&sd, TRUE, acl, FALSE);
    BOOL present = FALSE, defaulted = TRUE;
    PACL back = NULL;
    GetSecurityDescriptorDacl(&sd, &present, &back, &defaulted);
    printf("sd present=%d same=%d defaulted=%d\n", present, back == acl, defaulted);

    HANDLE token, restricted;
    OpenProcessToken(GetCurrentProcess(), TOKEN_ALL_ACCESS, &token);
    SID_AND_ATTRIBUTES disable = {admins, 0};
    ok = CreateRestrictedToken(token, DISABLE_MAX_PRIVILEGE, 1, &disable, 0, NULL, 0, NULL,
                               &restricted);
    DWORD needed = 0;
    char info[512];
    BOOL got = GetTokenInformation(restricted, TokenDefaultDacl, info, sizeof info, &needed);
    PACL dacl = ((TOKEN_DEFAULT_DACL *)info)->DefaultDacl;
    printf("restricted %d default dacl %d aces=%u\n", ok, got, dacl ? dacl->AceCount : 0);
    printf("set dacl %d\n", SetTokenInformation(restricted, TokenDefaultDacl, info, needed));

    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    char line[MAX_PATH + 16];
    snprintf(line, sizeof line, "\"%s\" child", argv[0]);
    fflush(stdout);
    ok = CreateProcessAsUserA(restricted, NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("as user %d exit=%lu\n", ok, code);
    FreeSid(admins);
    FreeSid(everyone);
    return 0;
}
