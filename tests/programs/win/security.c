/* Who owns a file, and who the process is, as libgit2 checks before it opens a repository:
   the token's user SID, the owner of a file the process made (the same SID), SID validity,
   length, copies and comparison, membership of Everyone and Administrators. */
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>

int main(void) {
    HANDLE token;
    BYTE buffer[256];
    DWORD needed = 0;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token);
    BOOL small = GetTokenInformation(token, TokenUser, NULL, 0, &needed);
    printf("size query %d %lu %d\n", small, (unsigned long)GetLastError(), needed > sizeof(TOKEN_USER));
    BOOL ok = GetTokenInformation(token, TokenUser, buffer, sizeof buffer, &needed);
    PSID user = ((TOKEN_USER *)buffer)->User.Sid;
    printf("user %d valid %d length %lu\n", ok, IsValidSid(user), (unsigned long)GetLengthSid(user));

    CreateDirectoryA("mine", NULL);
    PSID owner = NULL;
    PSECURITY_DESCRIPTOR descriptor = NULL;
    DWORD err = GetNamedSecurityInfoW(L"mine", SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner,
                                      NULL, NULL, NULL, &descriptor);
    printf("owner %lu same %d\n", (unsigned long)err, err == 0 && EqualSid(owner, user));
    BYTE copy[SECURITY_MAX_SID_SIZE];
    BOOL copied = CopySid(sizeof copy, copy, owner);
    BOOL equal = EqualSid(copy, user);
    BOOL too_small = CopySid(4, copy, owner);
    printf("copy %d equal %d too small %d %lu\n", copied, equal, too_small,
           (unsigned long)GetLastError());
    LocalFree(descriptor);
    err = GetNamedSecurityInfoW(L"missing", SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner,
                                NULL, NULL, NULL, &descriptor);
    printf("missing %lu\n", (unsigned long)err);

    BYTE admins[SECURITY_MAX_SID_SIZE], everyone[SECURITY_MAX_SID_SIZE];
    DWORD size = sizeof admins;
    CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, admins, &size);
    size = sizeof everyone;
    CreateWellKnownSid(WinWorldSid, NULL, everyone, &size);
    BOOL admin = TRUE, world = FALSE;
    CheckTokenMembership(NULL, admins, &admin);
    CheckTokenMembership(NULL, everyone, &world);
    printf("administrator %d everyone %d well known %d %d\n", admin, world,
           IsWellKnownSid(admins, WinBuiltinAdministratorsSid), IsWellKnownSid(user, WinWorldSid));
    LPSTR text = NULL;
    ConvertSidToStringSidA(admins, &text);
    printf("admins [%s]\n", text ? text : "?");
    LocalFree(text);
    RemoveDirectoryA("mine");
    return 0;
}
