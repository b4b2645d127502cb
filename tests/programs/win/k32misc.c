/* kernel32 memory, heap, time and command line; ReadFile from stdin. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

int main(void)
{
    char *mem = VirtualAlloc(NULL, 1 << 16, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    strcpy(mem, "virtual");
    MEMORY_BASIC_INFORMATION mbi;
    VirtualQuery(mem, &mbi, sizeof mbi);
    DWORD old;
    BOOL prot = VirtualProtect(mem, 4096, PAGE_READONLY, &old);
    printf("%s committed=%d protect=%d old=%lx\n", mem, mbi.State == MEM_COMMIT, prot, old);
    printf("freed=%d\n", VirtualFree(mem, 0, MEM_RELEASE));
    char *h = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, 100);
    printf("heap zero=%d freed=%d\n", h[50] == 0, HeapFree(GetProcessHeap(), 0, h));
    DWORD t0 = GetTickCount();
    Sleep(50);
    printf("slept=%d\n", GetTickCount() - t0 >= 40);
    printf("cmdline has arg=%d\n", strstr(GetCommandLineA(), "xyzzy") != NULL);
    char buf[32] = {0};
    DWORD n = 0;
    ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, sizeof buf - 1, &n, NULL);
    printf("read %lu: %s", n, buf);
    return 0;
}
