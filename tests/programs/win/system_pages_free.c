/* VirtualFree, VirtualProtect and VirtualAlloc(MEM_COMMIT) on pages no VirtualAlloc made --
   KUSER_SHARED_DATA, the image, the stack, a wild range -- are refused as Windows refuses
   them, and the shared page keeps its clocks; NtFreeVirtualMemory's own rules for a region
   VirtualAlloc did make (the range inside it, a size of 0 from its base, one free type);
   a release of part of a region leaves the rest a region of its own. */
#include <windows.h>
#include <stdio.h>

typedef LONG (NTAPI *free_fn)(HANDLE, PVOID *, SIZE_T *, ULONG);
#define SHARED ((char *)0x7ffe0000)

static free_fn nt_free;

static void vfree(const char *what, void *at, SIZE_T size, DWORD type)
{
    SetLastError(0);
    BOOL ok = VirtualFree(at, size, type);
    printf("%s: %d %lu\n", what, ok, ok ? 0 : GetLastError());
}

static void ntfree(const char *what, void *at, void *page, SIZE_T size, ULONG type)
{
    PVOID base = at;
    LONG status = nt_free(GetCurrentProcess(), &base, &size, type);
    if (status)
        printf("%s: %#lx\n", what, (unsigned long)status);
    else
        printf("%s: 0 at the page %d size %#lx\n", what, base == page, (unsigned long)size);
}

static ULONGLONG interrupt_time(void)
{
    return *(volatile ULONG *)(SHARED + 8) | (ULONGLONG)*(volatile LONG *)(SHARED + 12) << 32;
}

int main(void)
{
    int local = 0;
    DWORD old;
    nt_free = (free_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtFreeVirtualMemory");

    vfree("release shared page, a size", SHARED, 4096, MEM_RELEASE);
    vfree("release shared page", SHARED, 0, MEM_RELEASE);
    vfree("decommit shared page", SHARED, 4096, MEM_DECOMMIT);
    SetLastError(0);
    BOOL ok = VirtualProtect(SHARED, 4096, PAGE_READWRITE, &old);
    printf("protect shared page: %d %lu\n", ok, GetLastError());
    SetLastError(0);
    ok = VirtualAlloc(SHARED, 4096, MEM_COMMIT, PAGE_READWRITE) != NULL;
    printf("commit shared page: %d %lu\n", ok, GetLastError());
    vfree("release the image", GetModuleHandleA(NULL), 0, MEM_RELEASE);
    vfree("release the stack", &local, 0, MEM_RELEASE);
    vfree("release everything", (void *)0x10000, (SIZE_T)0x7ffe0000 - 0x10000, MEM_RELEASE);
    ntfree("nt release shared page", SHARED, SHARED, 0, MEM_RELEASE);
    ntfree("nt release the image", GetModuleHandleA(NULL), NULL, 0, MEM_RELEASE);

    ULONGLONG before = interrupt_time();
    Sleep(50);
    printf("shared page clocks go on: %d\n", interrupt_time() > before);

    char *region = VirtualAlloc(NULL, 0x3000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    ntfree("nt decommit past the end", region, region, 0x4000, MEM_DECOMMIT);
    ntfree("nt release all but from inside", region + 0x1000, region, 0, MEM_RELEASE);
    ntfree("nt release and decommit", region, region, 0, MEM_RELEASE | MEM_DECOMMIT);
    ntfree("nt release the first page", region + 1, region, 0xfff, MEM_RELEASE);
    MEMORY_BASIC_INFORMATION m;
    VirtualQuery(region, &m, sizeof m);
    printf("first page free: %d\n", m.State == MEM_FREE);
    region[0x1000] = 1;
    ntfree("nt decommit the second page", region + 0x1000, region + 0x1000, 0x1000,
           MEM_DECOMMIT);
    VirtualQuery(region + 0x1000, &m, sizeof m);
    printf("second page reserved: %d\n", m.State == MEM_RESERVE);
    vfree("release the rest, once", region + 0x1000, 0, MEM_RELEASE);
    vfree("release the rest, twice", region + 0x1000, 0, MEM_RELEASE);
    printf("still running\n");
    return 0;
}
