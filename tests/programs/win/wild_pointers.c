/* Win32 functions given a wild pointer: DLL code touching it takes an access violation at
   the call, which the program's handler sees (with the address it touched), instead of the
   call "succeeding" with nothing written (ERROR_SUCCESS, WAIT_OBJECT_0, S_OK). An NT
   service probes its pointers and fails with STATUS_ACCESS_VIOLATION. */
#include <winsock2.h>
#include <windows.h>
#include <setjmp.h>
#include <stdio.h>

static jmp_buf back;
static DWORD code;
static ULONG_PTR where;

static LONG CALLBACK caught(EXCEPTION_POINTERS *info)
{
    code = info->ExceptionRecord->ExceptionCode;
    where = info->ExceptionRecord->ExceptionInformation[1];
    longjmp(back, 1);
    return EXCEPTION_CONTINUE_SEARCH;
}

#define TRY(name, call)                                                          \
    do {                                                                         \
        code = 0;                                                                \
        if (!setjmp(back)) {                                                     \
            ULONG_PTR result = (ULONG_PTR)(call);                                \
            printf("%s returned %lu\n", name, (unsigned long)result);            \
        } else {                                                                 \
            printf("%s: exception 0x%lx at 0x%lx\n", name, code, (unsigned long)where); \
        }                                                                        \
    } while (0)

typedef LONG (NTAPI *close_fn)(HANDLE);
typedef LONG (NTAPI *query_fn)(HANDLE, PVOID, PVOID, ULONG, PULONG);

int main(void)
{
    AddVectoredExceptionHandler(1, caught);
    TRY("WaitForMultipleObjects", WaitForMultipleObjects(2, (HANDLE *)0x10, FALSE, 100));
    TRY("WSAStartup", WSAStartup(0x202, (WSADATA *)0x20));
    TRY("RegOpenKeyExA", RegOpenKeyExA(HKEY_CURRENT_USER, "Software", 0, KEY_READ, (HKEY *)0x30));
    TRY("GetSystemInfo", (GetSystemInfo((SYSTEM_INFO *)0x40), 7));
    query_fn query = (query_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryPerformanceCounter");
    TRY("NtQueryPerformanceCounter", query((HANDLE)0x50, NULL, NULL, 0, NULL));
    printf("still running\n");
    return 0;
}
