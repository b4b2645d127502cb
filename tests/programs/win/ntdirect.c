/* Call ntdll's NtWriteFile directly, with the console handle from the PEB's parameters. */
#include <windows.h>
#include <winternl.h>

NTSTATUS NTAPI NtWriteFile(HANDLE, HANDLE, PVOID, PVOID, PIO_STATUS_BLOCK, PVOID, ULONG,
                           PLARGE_INTEGER, PULONG);
NTSTATUS NTAPI NtTerminateProcess(HANDLE, NTSTATUS);

int mainCRTStartup(void)
{
    IO_STATUS_BLOCK iosb;
    char *params = (char *)NtCurrentTeb()->ProcessEnvironmentBlock->ProcessParameters;
    HANDLE out = *(HANDLE *)(params + (sizeof(void *) == 8 ? 0x28 : 0x1c)); /* StandardOutput */
    NTSTATUS status = NtWriteFile(out, NULL, NULL, NULL, &iosb, "hello from ntdll\n", 17, NULL, NULL);
    NtTerminateProcess((HANDLE)-1, status == 0 && iosb.Information == 17 ? 5 : 1);
    return 0;
}
