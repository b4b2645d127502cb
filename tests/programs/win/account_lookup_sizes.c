/* LookupAccountName and LookupAccountSid that fail for a small buffer report every size
   needed, the NUL included, so a second call with those sizes succeeds, even for a name that
   would have fit. pywin32 asks with a domain buffer and no SID buffer first; the domain fit,
   its count came back without the NUL, and the second call failed with 122 again. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    WCHAR user[64], domain[256], name[256];
    DWORD n = 64;
    GetUserNameW(user, &n);
    DWORD sid_size = 0, domain_size = 256;
    SID_NAME_USE use;
    SetLastError(0);
    BOOL ok = LookupAccountNameW(NULL, user, NULL, &sid_size, domain, &domain_size, &use);
    DWORD first_domain = domain_size;
    printf("probe %d %lu sid %d domain %lu\n", ok, GetLastError(), sid_size > 8,
           domain_size);
    PSID sid = malloc(sid_size);
    ok = LookupAccountNameW(NULL, user, sid, &sid_size, domain, &domain_size, &use);
    printf("again %d domain %lu [%ls] user %d\n", ok, domain_size, domain, use == SidTypeUser);
    printf("sizes %d\n", domain_size + 1 == first_domain);

    DWORD name_size = 256;
    domain_size = 2;
    SetLastError(0);
    ok = LookupAccountSidW(NULL, sid, name, &name_size, domain, &domain_size, &use);
    printf("small domain %d %lu name %d domain %d\n", ok, GetLastError(),
           name_size == wcslen(user) + 1, domain_size == first_domain);
    ok = LookupAccountSidW(NULL, sid, name, &name_size, domain, &domain_size, &use);
    printf("again %d [%ls] %d\n", ok, name, wcscmp(name, user) == 0);
    free(sid);
    return 0;
}
