/* The PEB fields code reads without kernel32 (Zig's standard library takes FastPebLock):
   ProcessHeap, NumberOfProcessors, the OS version, and a FastPebLock one can enter. */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
int main(void) {
#ifdef _WIN64
    unsigned char *peb = (unsigned char *)__readgsqword(0x60);
    HANDLE heap = *(HANDLE *)(peb + 0x30); ULONG procs = *(ULONG *)(peb + 0xB8);
    ULONG major = *(ULONG *)(peb + 0x118), minor = *(ULONG *)(peb + 0x11C); USHORT build = *(USHORT *)(peb + 0x120);
    PRTL_CRITICAL_SECTION lock = *(PRTL_CRITICAL_SECTION *)(peb + 0x38);
#else
    unsigned char *peb = (unsigned char *)__readfsdword(0x30);
    HANDLE heap = *(HANDLE *)(peb + 0x18); ULONG procs = *(ULONG *)(peb + 0x64);
    ULONG major = *(ULONG *)(peb + 0xA4), minor = *(ULONG *)(peb + 0xA8); USHORT build = *(USHORT *)(peb + 0xAC);
    PRTL_CRITICAL_SECTION lock = *(PRTL_CRITICAL_SECTION *)(peb + 0x1C);
#endif
    EnterCriticalSection(lock); LeaveCriticalSection(lock);
    printf("heap %d procs %lu version %lu.%lu.%u locked ok\n", heap == GetProcessHeap(), procs, major, minor, build);
    return 0;
}
