/* ntdll's NtQueryKey (a key handle's NT name and counts: Qt6Core asks so) and
   NtQueryInformationThread (the TEB and client id: zig and py-spy ask so). */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <wchar.h>

typedef NTSTATUS NTAPI query_key_fn(HANDLE, int, void *, ULONG, ULONG *);
typedef NTSTATUS NTAPI query_thread_fn(HANDLE, int, void *, ULONG, ULONG *);

typedef struct {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    struct { HANDLE UniqueProcess, UniqueThread; } ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority, BasePriority;
} BASIC;

int main(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    query_key_fn *query_key = (query_key_fn *)GetProcAddress(ntdll, "NtQueryKey");
    query_thread_fn *query_thread = (query_thread_fn *)GetProcAddress(ntdll,
                                                                       "NtQueryInformationThread");
    HKEY key;
    RegCreateKeyExA(HKEY_CURRENT_USER, "Software\\ntq", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key,
                    NULL);
    DWORD one = 1;
    RegSetValueExA(key, "v", 0, REG_DWORD, (BYTE *)&one, sizeof one);
    BYTE buf[512];
    ULONG need = 0;
    NTSTATUS st = query_key(key, 3, buf, sizeof buf, &need);      /* KeyNameInformation */
    ULONG len = *(ULONG *)buf;
    WCHAR *name = (WCHAR *)(buf + 4);
    printf("name: %#lx user hive %d ends %d\n", (unsigned long)st,
           wcsncmp(name, L"\\REGISTRY\\USER\\S-1-5-21-", 24) == 0,
           len >= 24 && wcsncmp(name + len / 2 - 12, L"Software\\ntq", 12) == 0);
    st = query_key(key, 3, buf, 8, &need);
    printf("short: %#lx need %d\n", (unsigned long)st, need == len + 4);
    st = query_key(key, 2, buf, sizeof buf, &need);                /* KeyFullInformation */
    printf("full: %#lx values %lu\n", (unsigned long)st, *(ULONG *)(buf + 32));
    st = query_key((HANDLE)0x1234, 3, buf, sizeof buf, &need);
    printf("bad handle: %#lx\n", (unsigned long)st);

    BASIC basic;
    st = query_thread(GetCurrentThread(), 0, &basic, sizeof basic, &need);
    printf("thread: %#lx teb %d id %d status %#lx\n", (unsigned long)st,
           basic.TebBaseAddress == NtCurrentTeb(),
           (DWORD)(ULONG_PTR)basic.ClientId.UniqueThread == GetCurrentThreadId(),
           (unsigned long)basic.ExitStatus);
    ULONG last = 0;
    st = query_thread(GetCurrentThread(), 12, &last, sizeof last, NULL);
    printf("last thread: %#lx %lu\n", (unsigned long)st, last);
    st = query_thread(GetCurrentThread(), 99, &last, sizeof last, NULL);
    printf("unknown class: %#lx\n", (unsigned long)st);
    return 0;
}
