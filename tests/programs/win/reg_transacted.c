/* advapi32's transacted key calls over a KTM transaction: RegCreateKeyTransactedW makes a
   key (and RegOpenKeyTransactedW opens it) as the untransacted calls would, once the
   transaction is one; a handle that is no transaction, a committed transaction, and the
   reserved parameter are refused. uv imports both calls. */
#include <windows.h>
#include <ktmw32.h>
#include <stdio.h>

int main(void)
{
    HANDLE tx = CreateTransaction(NULL, NULL, 0, 0, 0, 0, L"sysvec");
    printf("transaction %d\n", tx != INVALID_HANDLE_VALUE && tx != NULL);
    HKEY key, again;
    DWORD disposition = 0;
    LONG rc = RegCreateKeyTransactedW(HKEY_CURRENT_USER, L"Software\\sysvec\\tx", 0, NULL, 0,
                                      KEY_ALL_ACCESS, NULL, &key, &disposition, tx, NULL);
    printf("create %ld disposition %lu\n", rc, disposition);
    DWORD value = 42;
    printf("set %ld\n", RegSetValueExW(key, L"v", 0, REG_DWORD, (BYTE *)&value, 4));
    RegCloseKey(key);
    rc = RegCreateKeyTransactedW(HKEY_CURRENT_USER, L"Software\\sysvec\\tx", 0, NULL, 0,
                                 KEY_ALL_ACCESS, NULL, &key, &disposition, tx, NULL);
    printf("create again %ld disposition %lu\n", rc, disposition);
    RegCloseKey(key);
    rc = RegOpenKeyTransactedW(HKEY_CURRENT_USER, L"Software\\sysvec\\tx", 0, KEY_READ, &key,
                               tx, NULL);
    DWORD got = 0, size = 4;
    RegQueryValueExW(key, L"v", NULL, NULL, (BYTE *)&got, &size);
    printf("open %ld value %lu\n", rc, got);
    RegCloseKey(key);
    rc = RegOpenKeyTransactedW(HKEY_CURRENT_USER, L"Software\\sysvec\\none", 0, KEY_READ,
                               &key, tx, NULL);
    printf("open missing %ld\n", rc);
    rc = RegOpenKeyTransactedW(HKEY_CURRENT_USER, L"Software\\sysvec\\tx", 0, KEY_READ, &key,
                               tx, (void *)1);
    printf("reserved given %ld\n", rc);
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    rc = RegOpenKeyTransactedW(HKEY_CURRENT_USER, L"Software\\sysvec\\tx", 0, KEY_READ, &key,
                               event, NULL);
    printf("an event %ld\n", rc);
    rc = RegOpenKeyTransactedW(HKEY_CURRENT_USER, L"Software\\sysvec\\tx", 0, KEY_READ, &key,
                               NULL, NULL);
    printf("no transaction %ld\n", rc);
    printf("commit %d\n", CommitTransaction(tx));
    SetLastError(0);
    BOOL twice = CommitTransaction(tx);
    printf("commit again %d %lu\n", twice, GetLastError());
    rc = RegOpenKeyTransactedW(HKEY_CURRENT_USER, L"Software\\sysvec\\tx", 0, KEY_READ, &again,
                               tx, NULL);
    printf("after commit %ld\n", rc);
    rc = RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\sysvec\\tx", 0, KEY_READ, &key);
    got = 0, size = 4;
    RegQueryValueExW(key, L"v", NULL, NULL, (BYTE *)&got, &size);
    printf("untransacted %ld value %lu\n", rc, got);
    printf("close %d\n", CloseHandle(tx));
    rc = RegOpenKeyTransactedW(HKEY_CURRENT_USER, L"Software\\sysvec\\tx", 0, KEY_READ, &key,
                               tx, NULL);
    printf("closed %ld\n", rc);
    return 0;
}
