/* NtQuerySystemInformation lists every process's handles (SystemHandleInformation and the
   extended form): a handle the process opened is there under its process id and value, an
   inheritable one marked OBJ_INHERIT, and a duplicate points at the same object. psutil's
   open_files() reads the extended list (it failed with ERROR_INVALID_PARAMETER). */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>

typedef struct {
    PVOID Object;
    ULONG_PTR UniqueProcessId, HandleValue;
    ULONG GrantedAccess;
    USHORT CreatorBackTraceIndex, ObjectTypeIndex;
    ULONG HandleAttributes, Reserved;
} ENTRY_EX;

typedef struct {
    ULONG_PTR NumberOfHandles, Reserved;
    ENTRY_EX Handles[1];
} INFO_EX;

typedef struct {
    USHORT UniqueProcessId, CreatorBackTraceIndex;
    UCHAR ObjectTypeIndex, HandleAttributes;
    USHORT HandleValue;
    PVOID Object;
    ULONG GrantedAccess;
} ENTRY;

typedef struct {
    ULONG NumberOfHandles;
    ENTRY Handles[1];
} INFO;

typedef NTSTATUS (NTAPI *query_fn)(ULONG, PVOID, ULONG, PULONG);

static void *query(query_fn fn, ULONG cls, ULONG *tries)
{
    ULONG size = 16, needed = 0;
    void *buf = malloc(size);
    NTSTATUS st;
    *tries = 1;
    while ((st = fn(cls, buf, size, &needed)) == (NTSTATUS)0xC0000004L) {
        size = needed > size ? needed : size * 2;
        buf = realloc(buf, size);
        ++*tries;
    }
    return st ? NULL : buf;
}

static const ENTRY_EX *find(const INFO_EX *info, HANDLE h)
{
    for (ULONG_PTR i = 0; i < info->NumberOfHandles; i++)
        if (info->Handles[i].UniqueProcessId == GetCurrentProcessId() &&
            info->Handles[i].HandleValue == (ULONG_PTR)h)
            return &info->Handles[i];
    return NULL;
}

int main(void)
{
    query_fn fn = (query_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                           "NtQuerySystemInformation");
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE a = CreateFileA("C:\\held-a.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    HANDLE b = CreateFileA("C:\\held-b.txt", GENERIC_WRITE, 0, &inherit, CREATE_ALWAYS, 0, NULL);
    HANDLE copy;
    DuplicateHandle(GetCurrentProcess(), a, GetCurrentProcess(), &copy, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    ULONG tries;
    INFO_EX *ex = query(fn, 64, &tries);
    printf("extended %d grew %d\n", ex != NULL, tries > 1);
    const ENTRY_EX *ea = find(ex, a), *eb = find(ex, b), *ec = find(ex, copy);
    printf("a %d inherit %lu\n", ea != NULL, ea ? ea->HandleAttributes & 2 : 9);
    printf("b %d inherit %lu\n", eb != NULL, eb ? eb->HandleAttributes & 2 : 9);
    printf("copy %d same object %d\n", ec != NULL, ec && ea && ec->Object == ea->Object);
    printf("other object %d\n", ea && eb && ea->Object != eb->Object);
    printf("a writes %d, generic bits %d\n", ea && (ea->GrantedAccess & FILE_WRITE_DATA) != 0,
           ea && (ea->GrantedAccess & 0xF0000000) != 0);
    ULONG mine = 0;
    for (ULONG_PTR i = 0; i < ex->NumberOfHandles; i++)
        mine += ex->Handles[i].UniqueProcessId == GetCurrentProcessId();
    DWORD counted = 0;
    GetProcessHandleCount(GetCurrentProcess(), &counted);
    printf("mine match count %d\n", mine == counted);

    INFO *old = query(fn, 16, &tries);
    int found = 0;
    for (ULONG i = 0; old && i < old->NumberOfHandles; i++)
        found += old->Handles[i].UniqueProcessId == (USHORT)GetCurrentProcessId() &&
                 old->Handles[i].HandleValue == (USHORT)(ULONG_PTR)b &&
                 old->Handles[i].Object == eb->Object;
    printf("legacy %d b %d\n", old != NULL, found);
    CloseHandle(copy);
    CloseHandle(a);
    CloseHandle(b);
    free(ex);
    free(old);
    return 0;
}
