/* CreateWellKnownSid for the types programs ask about (kingfisher's cache directory ACL asks
   for LocalSystem), a domain group under a given domain SID and refused without one, and
   IsWellKnownSid on what it made. */
#include <windows.h>
#include <sddl.h>
#include <stdio.h>

int main(void)
{
    int types[] = {0, 1, 2, 3, 4, 5, 7, 11, 13, 16, 17, 18, 19, 20, 22, 23, 24, 26, 27, 28, 32,
                   37, 51, 66, 84};
    for (unsigned i = 0; i < sizeof types / sizeof *types; i++) {
        BYTE sid[SECURITY_MAX_SID_SIZE];
        DWORD cb = sizeof sid;
        char *text = NULL;
        BOOL ok = CreateWellKnownSid((WELL_KNOWN_SID_TYPE)types[i], NULL, sid, &cb);
        if (ok)
            ConvertSidToStringSidA(sid, &text);
        printf("%d %s %d\n", types[i], ok ? text : "FAIL",
               ok && IsWellKnownSid(sid, (WELL_KNOWN_SID_TYPE)types[i]));
    }
    PSID domain;
    ConvertStringSidToSidA("S-1-5-21-1-2-3", &domain);
    BYTE sid[SECURITY_MAX_SID_SIZE];
    DWORD cb = sizeof sid;
    char *text = NULL;
    BOOL ok = CreateWellKnownSid(WinAccountDomainUsersSid, domain, sid, &cb);
    ConvertSidToStringSidA(sid, &text);
    printf("domain users %d %s\n", ok, text);
    cb = sizeof sid;
    ok = CreateWellKnownSid(WinAccountDomainUsersSid, NULL, sid, &cb);
    printf("without the domain %d %lu\n", ok, GetLastError());
    return 0;
}
