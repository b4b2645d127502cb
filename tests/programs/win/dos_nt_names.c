/* RtlDosPathNameToNtPathName_U(_WithStatus): the NT names of DOS paths (absolute, relative
   to the current directory, verbatim, UNC), the file part, a name NtCreateFile opens, and
   RtlFreeUnicodeString emptying the string. filelock 4 opens its lock files this way. */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>

typedef NTSTATUS (NTAPI *with_status_fn)(PCWSTR, PUNICODE_STRING, PWSTR *, PVOID);
typedef BOOLEAN (NTAPI *boolean_fn)(PCWSTR, PUNICODE_STRING, PWSTR *, PVOID);
typedef VOID (NTAPI *free_fn)(PUNICODE_STRING);
typedef NTSTATUS (NTAPI *create_fn)(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PIO_STATUS_BLOCK,
                                    PLARGE_INTEGER, ULONG, ULONG, ULONG, ULONG, PVOID, ULONG);

int main(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    with_status_fn with_status = (with_status_fn)GetProcAddress(nt, "RtlDosPathNameToNtPathName_U_WithStatus");
    boolean_fn boolean = (boolean_fn)GetProcAddress(nt, "RtlDosPathNameToNtPathName_U");
    free_fn free_string = (free_fn)GetProcAddress(nt, "RtlFreeUnicodeString");
    create_fn create = (create_fn)GetProcAddress(nt, "NtCreateFile");
    static const wchar_t *names[] = {L"C:\\data\\a.lock", L"sub\\..\\b.txt", L"\\\\?\\C:\\v\\x",
                                     L"\\\\server\\share\\f", L"C:\\data\\",
                                     L"//server/share/g"};
    CreateDirectoryA("C:\\data", NULL);
    SetCurrentDirectoryA("C:\\data");
    for (int i = 0; i < 6; i++) {
        UNICODE_STRING u;
        PWSTR part = NULL;
        NTSTATUS status = with_status(names[i], &u, &part, NULL);
        printf("0x%lx [%.*ls] part [%ls] max %d\n", (unsigned long)status, u.Length / 2,
               u.Buffer, part ? part : L"(none)", u.MaximumLength == u.Length + 2);
        free_string(&u);
        printf("freed %d %d\n", u.Buffer == NULL, u.Length);
    }
    UNICODE_STRING u;
    printf("boolean %d\n", boolean(L"b.txt", &u, NULL, NULL));
    OBJECT_ATTRIBUTES attributes;
    IO_STATUS_BLOCK io;
    HANDLE file;
    InitializeObjectAttributes(&attributes, &u, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = create(&file, GENERIC_WRITE | SYNCHRONIZE, &attributes, &io, NULL,
                             FILE_ATTRIBUTE_NORMAL, 0, FILE_OVERWRITE_IF,
                             FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    DWORD wrote = 0;
    if (status == 0) {
        WriteFile(file, "lock", 4, &wrote, NULL);
        CloseHandle(file);
    }
    free_string(&u);
    printf("created 0x%lx wrote %lu exists %d\n", (unsigned long)status, wrote,
           GetFileAttributesA("C:\\data\\b.txt") != INVALID_FILE_ATTRIBUTES);
    return 0;
}
