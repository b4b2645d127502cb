/* What ntdll tells about files in Windows' own terms, as Zig's realpath asks it: a handle's
 * object name (\Device\HarddiskVolume1\...), its type, the mount point manager's drive letter
 * for that volume, a file's name on its volume, attributes without opening, a directory
 * opened with neither directory option, and byte-range locks through NtLockFile. */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

NTSTATUS NTAPI NtQueryAttributesFile(POBJECT_ATTRIBUTES, PFILE_BASIC_INFORMATION);
NTSTATUS NTAPI NtLockFile(HANDLE, HANDLE, PVOID, PVOID, PIO_STATUS_BLOCK, PLARGE_INTEGER,
                          PLARGE_INTEGER, ULONG, BOOLEAN, BOOLEAN);
NTSTATUS NTAPI NtUnlockFile(HANDLE, PIO_STATUS_BLOCK, PLARGE_INTEGER, PLARGE_INTEGER, ULONG);

#define IOCTL_MOUNTMGR_QUERY_POINTS 0x6D0008
typedef struct {
    ULONG SymbolicLinkNameOffset;
    USHORT SymbolicLinkNameLength, pad1;
    ULONG UniqueIdOffset;
    USHORT UniqueIdLength, pad2;
    ULONG DeviceNameOffset;
    USHORT DeviceNameLength, pad3;
} MOUNT_POINT;

static void put_counted(const char *what, const WCHAR *s, size_t bytes)
{
    printf("%s: %.*ls\n", what, (int)(bytes / 2), s);
}

int main(void)
{
    CreateDirectoryW(L"C:\\objdir", NULL);
    HANDLE h = CreateFileW(L"C:\\objdir\\file.txt", GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, CREATE_ALWAYS, 0, NULL);
    BYTE buf[1024];
    ULONG got = 0;
    NTSTATUS st = NtQueryObject(h, ObjectNameInformation, buf, sizeof buf, &got);
    UNICODE_STRING *name = (UNICODE_STRING *)buf;
    printf("name status %lx returned %d\n", (unsigned long)st, got == sizeof *name + name->Length + 2);
    put_counted("object name", name->Buffer, name->Length);
    st = NtQueryObject(h, ObjectNameInformation, buf, 20, &got);
    printf("small buffer %lx\n", (unsigned long)st);
    st = NtQueryObject(h, ObjectTypeInformation, buf, sizeof buf, &got);
    put_counted("type", ((UNICODE_STRING *)buf)->Buffer, ((UNICODE_STRING *)buf)->Length);

    /* the drive letter of the volume, as Zig's GetFinalPathNameByHandle asks the manager */
    HANDLE mgr = CreateFileW(L"\\\\.\\MountPointManager", 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
                             NULL, OPEN_EXISTING, 0, NULL);
    printf("manager open %d\n", mgr != INVALID_HANDLE_VALUE);
    BYTE in[256], out[1024];
    const WCHAR *volume = L"\\Device\\HarddiskVolume1";
    MOUNT_POINT *q = (MOUNT_POINT *)in;
    memset(in, 0, sizeof in);
    q->DeviceNameOffset = sizeof *q;
    q->DeviceNameLength = (USHORT)(wcslen(volume) * 2);
    memcpy(in + sizeof *q, volume, q->DeviceNameLength);
    DWORD n = 0;
    BOOL ok = DeviceIoControl(mgr, IOCTL_MOUNTMGR_QUERY_POINTS, in, sizeof *q + q->DeviceNameLength,
                              out, 8, &n, NULL);
    printf("too small: %d error %lu size %d\n", ok, GetLastError(), *(ULONG *)out > 8);
    ok = DeviceIoControl(mgr, IOCTL_MOUNTMGR_QUERY_POINTS, in, sizeof *q + q->DeviceNameLength,
                         out, sizeof out, &n, NULL);
    ULONG count = ((ULONG *)out)[1];
    printf("points: %d %lu\n", ok, count);
    for (ULONG i = 0; i < count; i++) {
        MOUNT_POINT *m = (MOUNT_POINT *)(out + 8 + i * sizeof(MOUNT_POINT));
        if (m->SymbolicLinkNameLength >= 24 &&
            memcmp(out + m->SymbolicLinkNameOffset, L"\\DosDevices\\", 24) == 0)
            put_counted("dos name", (WCHAR *)(out + m->SymbolicLinkNameOffset),
                        m->SymbolicLinkNameLength);
    }
    CloseHandle(mgr);

    IO_STATUS_BLOCK io;
    st = NtQueryInformationFile(h, &io, buf, sizeof buf, 9 /* FileNameInformation */);
    put_counted("file name", (WCHAR *)(buf + 4), *(ULONG *)buf);

    UNICODE_STRING path;
    OBJECT_ATTRIBUTES oa;
    FILE_BASIC_INFORMATION basic;
    RtlInitUnicodeString(&path, L"\\??\\C:\\objdir");
    InitializeObjectAttributes(&oa, &path, OBJ_CASE_INSENSITIVE, NULL, NULL);
    st = NtQueryAttributesFile(&oa, &basic);
    printf("attributes %lx %lx\n", (unsigned long)st, basic.FileAttributes);
    RtlInitUnicodeString(&path, L"\\Device\\HarddiskVolume1\\objdir\\file.txt");
    st = NtQueryAttributesFile(&oa, &basic);
    printf("by device name %lx %lx\n", (unsigned long)st, basic.FileAttributes);
    RtlInitUnicodeString(&path, L"\\??\\C:\\objdir\\none");
    printf("missing %lx\n", (unsigned long)NtQueryAttributesFile(&oa, &basic));

    HANDLE dir;
    RtlInitUnicodeString(&path, L"\\??\\C:\\objdir");
    st = NtCreateFile(&dir, DELETE | SYNCHRONIZE | GENERIC_WRITE, &oa, &io, NULL, 0, 7, FILE_OPEN,
                      FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    printf("directory opened %lx\n", (unsigned long)st);
    CloseHandle(dir);

    HANDLE h2 = CreateFileW(L"C:\\objdir\\file.txt", GENERIC_READ, FILE_SHARE_READ |
                            FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    LARGE_INTEGER off = {.QuadPart = 0}, len = {.QuadPart = 10};
    printf("lock %lx\n", (unsigned long)NtLockFile(h, NULL, NULL, NULL, &io, &off, &len, 0, TRUE, TRUE));
    printf("conflict %lx\n", (unsigned long)NtLockFile(h2, NULL, NULL, NULL, &io, &off, &len, 0, TRUE, FALSE));
    printf("not locked %lx\n", (unsigned long)NtUnlockFile(h2, &io, &off, &len, 0));
    printf("unlock %lx\n", (unsigned long)NtUnlockFile(h, &io, &off, &len, 0));
    printf("lock again %lx\n", (unsigned long)NtLockFile(h2, NULL, NULL, NULL, &io, &off, &len, 0, TRUE, TRUE));
    ok = LockFileEx(h, LOCKFILE_FAIL_IMMEDIATELY, 0, 10, 0, &(OVERLAPPED){0});
    printf("LockFileEx conflict %d %lu\n", ok, GetLastError());
    return 0;
}
