/* The working set: the pages that have memory. Of sixteen committed pages three are
   touched: those three are in it (read-write, private), the others not; a page of the
   program's code is in it, shareable, execute-read. QueryWorkingSet (kernel32's K32 form
   and psapi's) and QueryWorkingSetEx over NtQueryVirtualMemory's MemoryWorkingSetInformation,
   whose short buffer gets the count alone and STATUS_INFO_LENGTH_MISMATCH. psutil's
   memory_full_info() (its USS) failed with ERROR_INVALID_PARAMETER. */
#include <windows.h>
#include <psapi.h>
#include <stdio.h>

typedef LONG (NTAPI *query_vm)(HANDLE, void *, int, void *, SIZE_T, SIZE_T *);
typedef BOOL (WINAPI *query_ws)(HANDLE, void *, DWORD);

static ULONG_PTR *find(PSAPI_WORKING_SET_INFORMATION *ws, void *addr)
{
    ULONG_PTR page = (ULONG_PTR)addr >> 12;
    for (ULONG_PTR i = 0; i < ws->NumberOfEntries; i++)
        if (ws->WorkingSetInfo[i].VirtualPage == page)
            return (ULONG_PTR *)&ws->WorkingSetInfo[i];
    return NULL;
}

static void show(PSAPI_WORKING_SET_INFORMATION *ws, const char *what, void *addr)
{
    ULONG_PTR *entry = find(ws, addr);
    if (!entry) {
        printf("%s: not in it\n", what);
        return;
    }
    PSAPI_WORKING_SET_BLOCK *b = (PSAPI_WORKING_SET_BLOCK *)entry;
    printf("%s: protection %lu shared %lu count %lu\n", what, (unsigned long)b->Protection,
           (unsigned long)b->Shared, (unsigned long)b->ShareCount);
}

int main(void)
{
    char *mem = VirtualAlloc(NULL, 16 * 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    mem[0] = 1, mem[5 * 4096] = 1, mem[15 * 4096 + 100] = 1;
    DWORD size = 1 << 20;
    PSAPI_WORKING_SET_INFORMATION *ws = malloc(size);
    BOOL ok = QueryWorkingSet(GetCurrentProcess(), ws, size);
    int touched = 0, others = 0;
    for (int i = 0; i < 16; i++) {
        if (find(ws, mem + i * 4096))
            (i == 0 || i == 5 || i == 15) ? touched++ : others++;
    }
    printf("query %d: touched %d of 3, untouched %d\n", ok, touched, others);
    show(ws, "touched", mem + 5 * 4096);
    show(ws, "code", (void *)main);
    ULONG_PTR count = ws->NumberOfEntries;

    ULONG_PTR head[1] = {0};
    SetLastError(0);
    ok = QueryWorkingSet(GetCurrentProcess(), head, sizeof(head));
    DWORD error = GetLastError();
    printf("short: %d %lu count given %d\n", ok, error, head[0] > 0);

    query_vm nt = (query_vm)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryVirtualMemory");
    SIZE_T returned = 0;
    LONG st = nt(GetCurrentProcess(), NULL, 1, ws, 4, &returned);
    printf("nt tiny: %lx\n", (unsigned long)st);
    st = nt(GetCurrentProcess(), NULL, 1, ws, size, &returned);
    printf("nt: %lx returned %d same count %d\n", (unsigned long)st,
           returned == sizeof(ULONG_PTR) * (1 + ws->NumberOfEntries),
           ws->NumberOfEntries >= count - 2 && ws->NumberOfEntries <= count + 2);

    query_ws psapi = (query_ws)GetProcAddress(LoadLibraryA("psapi.dll"), "QueryWorkingSet");
    ok = psapi(GetCurrentProcess(), ws, size);
    printf("psapi: %d touched in it %d\n", ok, find(ws, mem + 15 * 4096) != NULL);

    PSAPI_WORKING_SET_EX_INFORMATION ex[3] = {{mem + 5 * 4096}, {mem + 6 * 4096}, {(void *)main}};
    ok = QueryWorkingSetEx(GetCurrentProcess(), ex, sizeof(ex));
    printf("ex %d\n", ok);
    const char *names[3] = {"touched", "untouched", "code"};
    for (int i = 0; i < 3; i++)
        printf("ex %s: valid %lu protection %lx shared %lu\n", names[i],
               (unsigned long)ex[i].VirtualAttributes.Valid,
               (unsigned long)ex[i].VirtualAttributes.Win32Protection,
               (unsigned long)ex[i].VirtualAttributes.Shared);
    return 0;
}
