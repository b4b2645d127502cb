/* RegNotifyChangeKeyValue: an asynchronous watch signals its event once, for the changes
   its filter names (a value set, a subkey made, under the key with bWatchSubtree); a
   synchronous one returns when another thread changes the key. */
#include <windows.h>
#include <stdio.h>

static DWORD WINAPI writer(LPVOID arg)
{
    Sleep(100);
    HKEY key;
    RegOpenKeyExA(HKEY_CURRENT_USER, "Software\\regnotify", 0, KEY_ALL_ACCESS, &key);
    DWORD v = 2;
    RegSetValueExA(key, "late", 0, REG_DWORD, (BYTE *)&v, sizeof v);
    RegCloseKey(key);
    return 0;
}

int main(void)
{
    HKEY key;
    RegCreateKeyExA(HKEY_CURRENT_USER, "Software\\regnotify", 0, NULL, 0, KEY_ALL_ACCESS, NULL,
                    &key, NULL);
    HANDLE ev = CreateEventA(NULL, FALSE, FALSE, NULL);
    LONG r = RegNotifyChangeKeyValue(key, FALSE, REG_NOTIFY_CHANGE_LAST_SET, ev, TRUE);
    printf("watch: %ld, quiet %d\n", r, WaitForSingleObject(ev, 0) == WAIT_TIMEOUT);
    HKEY sub;
    RegCreateKeyExA(key, "child", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &sub, NULL);
    printf("a new subkey (not asked for): %d\n", WaitForSingleObject(ev, 0) == WAIT_TIMEOUT);
    DWORD v = 1;
    RegSetValueExA(key, "x", 0, REG_DWORD, (BYTE *)&v, sizeof v);
    printf("value set: %d\n", WaitForSingleObject(ev, 0) == WAIT_OBJECT_0);
    RegSetValueExA(key, "x", 0, REG_DWORD, (BYTE *)&v, sizeof v);
    printf("once only: %d\n", WaitForSingleObject(ev, 0) == WAIT_TIMEOUT);

    RegNotifyChangeKeyValue(key, TRUE, REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET, ev,
                            TRUE);
    RegSetValueExA(sub, "deep", 0, REG_DWORD, (BYTE *)&v, sizeof v);
    printf("subtree: %d\n", WaitForSingleObject(ev, 0) == WAIT_OBJECT_0);

    HANDLE t = CreateThread(NULL, 0, writer, NULL, 0, NULL);
    r = RegNotifyChangeKeyValue(key, FALSE, REG_NOTIFY_CHANGE_LAST_SET, NULL, FALSE);
    printf("synchronous: %ld\n", r);
    WaitForSingleObject(t, 5000);
    printf("bad filter: %ld, no event: %ld\n",
           RegNotifyChangeKeyValue(key, FALSE, 0, ev, TRUE),
           RegNotifyChangeKeyValue(key, FALSE, REG_NOTIFY_CHANGE_NAME, NULL, TRUE));
    RegCloseKey(sub);
    RegCloseKey(key);
    return 0;
}
