/* Security descriptors from SDDL text, as PyInstaller's one-file bootloader restricts its
 * unpack folder and services guard their pipes: the DACL's ACEs (type, flags, rights, SID)
 * read back through the ACL calls, owner and group aliases, flags, a bad string's error, and
 * string SIDs converted both ways. */
#include <windows.h>
#include <sddl.h>
#include <stdio.h>

static void show_acl(PACL acl)
{
    for (DWORD i = 0; i < acl->AceCount; i++) {
        ACCESS_ALLOWED_ACE *ace;
        GetAce(acl, i, (void **)&ace);
        char *sid = NULL;
        ConvertSidToStringSidA(&ace->SidStart, &sid);
        printf("  ace %lu type %u flags %#x mask %#lx %s\n", i, ace->Header.AceType,
               ace->Header.AceFlags, ace->Mask, sid);
        LocalFree(sid);
    }
}

int main(void)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    ULONG size = 0;
    BOOL ok = ConvertStringSecurityDescriptorToSecurityDescriptorW(
        L"O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;;FRFX;;;S-1-5-21-1-2-3-1000)(D;;0x40000000;;;WD)",
        SDDL_REVISION_1, &sd, &size);
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    DWORD revision = 0;
    GetSecurityDescriptorControl(sd, &control, &revision);
    printf("converted %d valid %d size %d control %#x\n", ok, IsValidSecurityDescriptor(sd),
           size > 20, control);
    BOOL present = FALSE, defaulted = FALSE;
    PACL dacl = NULL;
    GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted);
    printf("dacl present %d aces %u\n", present, dacl ? dacl->AceCount : 0);
    show_acl(dacl);
    PSID owner = NULL, group = NULL;
    GetSecurityDescriptorOwner(sd, &owner, &defaulted);
    GetSecurityDescriptorGroup(sd, &group, &defaulted);
    char *o = NULL, *g = NULL;
    ConvertSidToStringSidA(owner, &o);
    ConvertSidToStringSidA(group, &g);
    printf("owner %s group %s\n", o, g);
    LocalFree(o);
    LocalFree(g);
    LocalFree(sd);

    sd = NULL;
    ok = ConvertStringSecurityDescriptorToSecurityDescriptorA("D:(X;;FA;;;WD)", SDDL_REVISION_1,
                                                              &sd, NULL);
    printf("bad ace %d error %d\n", ok, GetLastError() != 0);
    ok = ConvertStringSecurityDescriptorToSecurityDescriptorA("D:(A;;FA;;;WD)", 2, &sd, NULL);
    printf("bad revision %d %lu\n", ok, GetLastError());

    PSID sid = NULL;
    ok = ConvertStringSidToSidW(L"S-1-5-32-544", &sid);
    char *text = NULL;
    ConvertSidToStringSidA(sid, &text);
    printf("string sid %d %s valid %d\n", ok, text, IsValidSid(sid));
    LocalFree(text);
    LocalFree(sid);
    ok = ConvertStringSidToSidW(L"BU", &sid);
    ConvertSidToStringSidA(sid, &text);
    printf("alias %d %s\n", ok, text);
    ok = ConvertStringSidToSidW(L"S-1-x", &sid);
    printf("bad sid %d %lu\n", ok, GetLastError());
    return 0;
}
