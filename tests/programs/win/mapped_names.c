/* VirtualQuery tells an image's pages (MEM_IMAGE, the image's base as the allocation base)
   and a file view's (MEM_MAPPED) from private memory, and GetMappedFileName names the file
   behind them as an NT path. psutil's memory_maps() walks the address space so and died on
   the missing GetMappedFileNameW. */
#include <windows.h>
#include <psapi.h>
#include <stdio.h>

static const char *kind(DWORD type)
{
    return type == MEM_IMAGE ? "image" : type == MEM_MAPPED ? "mapped" :
           type == MEM_PRIVATE ? "private" : "?";
}

static void show(const char *what, void *at, void *base)
{
    MEMORY_BASIC_INFORMATION mbi;
    WCHAR name[MAX_PATH];
    VirtualQuery(at, &mbi, sizeof mbi);
    SetLastError(0);
    DWORD n = GetMappedFileNameW(GetCurrentProcess(), at, name, MAX_PATH);
    printf("%s: %s base %d name %lu %ls err %lu\n", what, kind(mbi.Type),
           mbi.AllocationBase == base, n, n ? name : L"-", GetLastError());
}

int main(void)
{
    HMODULE self = GetModuleHandleA(NULL), k32 = GetModuleHandleA("kernel32.dll");
    show("program", (char *)self + 0x1000, self);
    show("kernel32", (char *)k32 + 0x1000, k32);

    HANDLE f = CreateFileA("C:\\mapme.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           0, NULL);
    DWORD written;
    WriteFile(f, "0123456789abcdef", 16, &written, NULL);
    HANDLE section = CreateFileMappingA(f, NULL, PAGE_READONLY, 0, 0, NULL);
    char *view = MapViewOfFile(section, FILE_MAP_READ, 0, 0, 0);
    show("view", view + 3, view);

    HANDLE anon = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, NULL);
    char *shared = MapViewOfFile(anon, FILE_MAP_WRITE, 0, 0, 0);
    show("pagefile view", shared, shared);

    char *heap = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE);
    show("private", heap, heap);
    VirtualFree(heap, 0, MEM_RELEASE);
    show("free", heap, NULL);

    char narrow[9] = "........";
    DWORD n = GetMappedFileNameA(GetCurrentProcess(), view, narrow, 8);
    printf("small A %lu [%s] %lu\n", n, narrow, GetLastError());
    UnmapViewOfFile(view);
    UnmapViewOfFile(shared);
    CloseHandle(section);
    CloseHandle(anon);
    CloseHandle(f);
    return 0;
}
