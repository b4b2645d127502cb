/* jupyter_core's secure_write sequence: a file's self-relative descriptor split with
   MakeAbsoluteSD (sized first), a new DACL for the user alone, packed again with
   MakeSelfRelativeSD and set on the file; then AccessCheck of that DACL with the thread's
   impersonation token, and CredEnumerate of the empty credential store. */
#include <windows.h>
#include <wincred.h>
#include <stdio.h>

int main(void)
{
    HANDLE f = CreateFileA("C:\\secret.json", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CloseHandle(f);
    DWORD need = 0;
    GetFileSecurityW(L"C:\\secret.json", DACL_SECURITY_INFORMATION, NULL, 0, &need);
    PSECURITY_DESCRIPTOR relative = malloc(need);
    BOOL got = GetFileSecurityW(L"C:\\secret.json", DACL_SECURITY_INFORMATION, relative, need, &need);

    DWORD abs_size = 0, dacl_size = 0, sacl_size = 0, owner_size = 0, group_size = 0;
    BOOL sized = MakeAbsoluteSD(relative, NULL, &abs_size, NULL, &dacl_size, NULL, &sacl_size,
                                NULL, &owner_size, NULL, &group_size);
    DWORD sizing_error = GetLastError();
    PSECURITY_DESCRIPTOR absolute = malloc(abs_size);
    PACL dacl = malloc(dacl_size + 1), sacl = malloc(sacl_size + 1);
    PSID owner = malloc(owner_size), group = malloc(group_size);
    BOOL split = MakeAbsoluteSD(relative, absolute, &abs_size, dacl, &dacl_size, sacl, &sacl_size,
                                owner, &owner_size, group, &group_size);
    printf("get %d sized %d %lu split %d owner %d group %d\n", got, sized, sizing_error, split,
           IsValidSid(owner), IsValidSid(group));

    HANDLE token;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token);
    BYTE user_buffer[256];
    DWORD user_size;
    GetTokenInformation(token, TokenUser, user_buffer, sizeof user_buffer, &user_size);
    PSID user = ((TOKEN_USER *)user_buffer)->User.Sid;
    BYTE acl_buffer[256];
    PACL new_dacl = (PACL)acl_buffer;
    InitializeAcl(new_dacl, sizeof acl_buffer, ACL_REVISION);
    AddAccessAllowedAce(new_dacl, ACL_REVISION, FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE, user);
    SetSecurityDescriptorDacl(absolute, TRUE, new_dacl, FALSE);

    DWORD packed_size = 0;
    BOOL packed_sized = MakeSelfRelativeSD(absolute, NULL, &packed_size);
    DWORD pack_error = GetLastError();
    PSECURITY_DESCRIPTOR packed = malloc(packed_size);
    BOOL pack = MakeSelfRelativeSD(absolute, packed, &packed_size);
    SECURITY_DESCRIPTOR_CONTROL control;
    DWORD revision;
    GetSecurityDescriptorControl(packed, &control, &revision);
    BOOL present, defaulted;
    PACL back = NULL;
    GetSecurityDescriptorDacl(packed, &present, &back, &defaulted);
    ACL_SIZE_INFORMATION info;
    GetAclInformation(back, &info, sizeof info, AclSizeInformation);
    printf("packed %d %lu %d length-match %d self-relative %d aces %lu set %d\n", packed_sized,
           pack_error, pack, GetSecurityDescriptorLength(packed) == packed_size,
           (control & SE_SELF_RELATIVE) != 0, info.AceCount,
           SetFileSecurityW(L"C:\\secret.json", DACL_SECURITY_INFORMATION, packed));

    GENERIC_MAPPING mapping = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE,
                               FILE_ALL_ACCESS};
    PRIVILEGE_SET privileges;
    DWORD privileges_size = sizeof privileges, granted = 0;
    BOOL status = FALSE;
    HANDLE thread_token = NULL;
    BOOL primary = AccessCheck(packed, token, GENERIC_READ, &mapping, &privileges,
                               &privileges_size, &granted, &status);
    DWORD primary_error = GetLastError();
    ImpersonateSelf(SecurityImpersonation);
    BOOL opened = OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &thread_token);
    BOOL read = AccessCheck(packed, thread_token, GENERIC_READ, &mapping, &privileges,
                            &privileges_size, &granted, &status);
    printf("primary %d %lu opened %d read %d status %d granted-read %d\n", primary,
           primary_error, opened, read, status, granted == FILE_GENERIC_READ);
    AccessCheck(packed, thread_token, FILE_EXECUTE, &mapping, &privileges, &privileges_size,
                &granted, &status);
    DWORD execute_error = GetLastError();
    printf("execute status %d granted %lu error %lu\n", status, granted, execute_error);
    AccessCheck(packed, thread_token, MAXIMUM_ALLOWED, &mapping, &privileges, &privileges_size,
                &granted, &status);
    printf("maximum status %d delete %d execute %d\n", status, (granted & DELETE) != 0,
           (granted & FILE_EXECUTE) != 0);
    RevertToSelf();

    DWORD count = 7;
    PCREDENTIALW *credentials = (PCREDENTIALW *)1;
    BOOL listed = CredEnumerateW(NULL, 0, &count, &credentials);
    printf("credentials %d %lu count %lu null %d\n", listed, GetLastError(), count,
           credentials == NULL);
    return 0;
}
