/* Address space as JIT compilers use it (V8 in node.exe): a large reservation that costs no
   memory, commits inside it that get zero pages, decommit back to reserved, VirtualProtect
   refused on reserved pages, MEM_RESET and DiscardVirtualMemory keeping pages usable, and
   (x64) unwind data for code outside every image registered at run time. */
#include <windows.h>
#include <stdio.h>

#ifdef _WIN64
typedef DWORD (NTAPI *add_growable)(PVOID *, PRUNTIME_FUNCTION, DWORD, DWORD, ULONG_PTR, ULONG_PTR);
typedef void (NTAPI *grow)(PVOID, DWORD);
typedef void (NTAPI *delete_growable)(PVOID);
#endif
typedef DWORD (WINAPI *discard)(PVOID, SIZE_T);

static const char *state(void *p) {
    MEMORY_BASIC_INFORMATION m;
    VirtualQuery(p, &m, sizeof m);
    return m.State == MEM_RESERVE ? "reserve" : m.State == MEM_COMMIT ? "commit" : "free";
}

int main(void) {
    SIZE_T big = (SIZE_T)640 << 20;   /* two: more than a process may touch here (1 GB) */
    char *base = VirtualAlloc(NULL, big, MEM_RESERVE, PAGE_NOACCESS);
    char *more = VirtualAlloc(NULL, big, MEM_RESERVE, PAGE_NOACCESS);
    printf("reserved %d %d %s\n", base != NULL, more != NULL, state(base));
    char *page = VirtualAlloc(base + 0x10000, 0x2000, MEM_COMMIT, PAGE_READWRITE);
    printf("committed %d %s zero %d", page == base + 0x10000, state(page), page[0] == 0);
    page[0] = 42;
    printf(" kept %d\n", VirtualAlloc(page, 0x1000, MEM_COMMIT, PAGE_READWRITE) && page[0] == 42);
    /* reserving where something already is fails (V8's random placement hints rely on it) */
    SetLastError(0);
    char *taken = VirtualAlloc(base + 0x40000, 0x40000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    printf("taken %d %lu\n", taken != NULL, (unsigned long)GetLastError());
    DWORD old;
    SetLastError(0);
    BOOL ok = VirtualProtect(base + 0x100000, 0x1000, PAGE_READONLY, &old);
    printf("protect reserved %d %lu\n", ok, (unsigned long)GetLastError());
    printf("reset %d", VirtualAlloc(page, 0x1000, MEM_RESET, PAGE_READWRITE) == page);
    discard discard_fn = (discard)GetProcAddress(GetModuleHandleA("kernel32.dll"), "DiscardVirtualMemory");
    printf(" discard %lu", discard_fn ? (unsigned long)discard_fn(page, 0x1000) : 999UL);
    page[1] = 7;
    printf(" usable %d\n", page[1] == 7);
    ok = VirtualFree(page, 0x2000, MEM_DECOMMIT);
    printf("decommitted %d %s\n", ok, state(page));
    ok = VirtualFree(base, 0, MEM_RELEASE);
    printf("released %d %s\n", ok, state(base));
    VirtualFree(more, 0, MEM_RELEASE);
#ifdef _WIN64
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    add_growable add = (add_growable)GetProcAddress(ntdll, "RtlAddGrowableFunctionTable");
    grow grow_fn = (grow)GetProcAddress(ntdll, "RtlGrowFunctionTable");
    delete_growable del = (delete_growable)GetProcAddress(ntdll, "RtlDeleteGrowableFunctionTable");
    char *code = VirtualAlloc(NULL, 0x10000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    RUNTIME_FUNCTION *table = (RUNTIME_FUNCTION *)(code + 0x8000);
    table[0] = (RUNTIME_FUNCTION){0x100, 0x180, 0x9000};
    table[1] = (RUNTIME_FUNCTION){0x200, 0x280, 0x9010};
    PVOID handle = NULL;
    DWORD status = add(&handle, table, 1, 2, (ULONG_PTR)code, (ULONG_PTR)code + 0x8000);
    DWORD64 image = 0;
    PRUNTIME_FUNCTION first = RtlLookupFunctionEntry((DWORD64)code + 0x120, &image, NULL);
    PRUNTIME_FUNCTION second = RtlLookupFunctionEntry((DWORD64)code + 0x220, &image, NULL);
    printf("growable %lu first %d base %d second %d", (unsigned long)status, first == &table[0],
           image == (DWORD64)code, second == NULL);
    grow_fn(handle, 2);
    second = RtlLookupFunctionEntry((DWORD64)code + 0x220, &image, NULL);
    printf(" grown %d", second == &table[1]);
    del(handle);
    printf(" deleted %d\n", RtlLookupFunctionEntry((DWORD64)code + 0x120, &image, NULL) == NULL);
#else
    printf("growable 0 first 1 base 1 second 1 grown 1 deleted 1\n");
#endif
    return 0;
}
