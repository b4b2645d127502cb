/* The loader's module lists as code that skips kernel32 reads them (Zig's std.debug, custom
 * GetModuleHandle implementations, backtrace libraries): PEB->Ldr's three lists walked by
 * hand, a LoadLibrary'd DLL appearing and leaving with FreeLibrary, and ntdll's
 * LdrFindEntryForAddress and LdrGetDllHandle. */
#include <windows.h>
#include <intrin.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    USHORT Length, MaximumLength;
    PWSTR Buffer;
} USTR;

typedef struct {
    ULONG Length;
    BOOLEAN Initialized;
    PVOID SsHandle;
    LIST_ENTRY InLoadOrder, InMemoryOrder, InInitializationOrder;
} LDR_DATA;

typedef struct {
    LIST_ENTRY InLoadOrderLinks, InMemoryOrderLinks, InInitializationOrderLinks;
    PVOID DllBase, EntryPoint;
    ULONG SizeOfImage;
    USTR FullDllName, BaseDllName;
    ULONG Flags;
    USHORT LoadCount, TlsIndex;
    LIST_ENTRY HashLinks;
    ULONG TimeDateStamp;
} ENTRY;

typedef LONG (NTAPI *FIND)(PVOID, ENTRY **);
typedef LONG (NTAPI *GET_HANDLE)(PWSTR, PULONG, USTR *, PVOID *);

#define ENTRY_OF(link, field) ((ENTRY *)((char *)(link) - offsetof(ENTRY, field)))

static LDR_DATA *ldr(void)
{
#ifdef _WIN64
    char *peb = (char *)__readgsqword(0x60);
    return *(LDR_DATA **)(peb + 0x18);
#else
    char *peb = (char *)__readfsdword(0x30);
    return *(LDR_DATA **)(peb + 0x0C);
#endif
}

static const char *narrow(const USTR *s)
{
    static char out[4][MAX_PATH];
    static int turn;
    char *o = out[turn++ % 4];
    int n = s->Length / 2 < MAX_PATH - 1 ? s->Length / 2 : MAX_PATH - 1;
    for (int i = 0; i < n; i++)
        o[i] = (char)s->Buffer[i];
    o[n] = 0;
    return o;
}

/* The base names on one list, blank-separated; 0 when a link does not point back. */
static int walk(LIST_ENTRY *head, size_t offset, char *names)
{
    int consistent = 1;
    names[0] = 0;
    for (LIST_ENTRY *l = head->Flink; l != head; l = l->Flink) {
        ENTRY *e = (ENTRY *)((char *)l - offset);
        consistent &= l->Flink->Blink == l && l->Blink->Flink == l;
        strcat(names, names[0] ? " " : "");
        strcat(names, narrow(&e->BaseDllName));
    }
    return consistent;
}

static ENTRY *named(const wchar_t *name)
{
    LIST_ENTRY *head = &ldr()->InLoadOrder;
    for (LIST_ENTRY *l = head->Flink; l != head; l = l->Flink) {
        ENTRY *e = ENTRY_OF(l, InLoadOrderLinks);
        if (_wcsnicmp(e->BaseDllName.Buffer, name, e->BaseDllName.Length / 2) == 0 &&
                wcslen(name) == e->BaseDllName.Length / 2u)
            return e;
    }
    return NULL;
}

int main(void)
{
    static char load[4096], memory[4096], init[4096];
    LDR_DATA *data = ldr();
    if (!data) {
        printf("no PEB->Ldr\n");
        return 1;
    }
    printf("initialized %d, length ok %d\n", data->Initialized,
           data->Length >= (ULONG)sizeof(LDR_DATA));
    int ok = walk(&data->InLoadOrder, offsetof(ENTRY, InLoadOrderLinks), load);
    ok &= walk(&data->InMemoryOrder, offsetof(ENTRY, InMemoryOrderLinks), memory);
    ok &= walk(&data->InInitializationOrder, offsetof(ENTRY, InInitializationOrderLinks), init);
    printf("load: %s\n", load);
    printf("memory order is load order %d, links consistent %d\n", !strcmp(load, memory), ok);
    printf("init: %s\n", init);

    /* Every entry against what kernel32 says of the same module. */
    int handles = 1, paths = 1, sizes = 1;
    LIST_ENTRY *head = &data->InLoadOrder;
    for (LIST_ENTRY *l = head->Flink; l != head; l = l->Flink) {
        ENTRY *e = ENTRY_OF(l, InLoadOrderLinks);
        wchar_t path[MAX_PATH];
        HMODULE h = l == head->Flink ? GetModuleHandleW(NULL)
                                     : GetModuleHandleW(e->BaseDllName.Buffer);
        GetModuleFileNameW(h, path, MAX_PATH);
        handles &= h == e->DllBase;
        paths &= _wcsicmp(path, e->FullDllName.Buffer) == 0 &&
            e->FullDllName.Buffer + (e->FullDllName.Length - e->BaseDllName.Length) / 2 ==
            e->BaseDllName.Buffer;
        IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)
            ((char *)e->DllBase + ((IMAGE_DOS_HEADER *)e->DllBase)->e_lfanew);
        sizes &= e->SizeOfImage == nt->OptionalHeader.SizeOfImage &&
            e->TimeDateStamp == nt->FileHeader.TimeDateStamp;
    }
    ENTRY *k32 = named(L"kernel32.dll");
    printf("handles %d, paths %d, sizes %d, kernel32 %s\n", handles, paths, sizes,
           k32 ? narrow(&k32->FullDllName) : "(none)");

    HMODULE dll = LoadLibraryW(L"uxtheme.dll");
    ENTRY *e = named(L"uxtheme.dll");
    printf("loaded: in the list %d, base matches %d\n", e != NULL, e && e->DllBase == dll);
    BOOL freed = FreeLibrary(dll);
    printf("freed %d: in the list %d\n", freed, named(L"uxtheme.dll") != NULL);

    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    FIND find = (FIND)GetProcAddress(ntdll, "LdrFindEntryForAddress");
    GET_HANDLE get_handle = (GET_HANDLE)GetProcAddress(ntdll, "LdrGetDllHandle");
    if (!find || !get_handle) {
        printf("no LdrFindEntryForAddress or LdrGetDllHandle\n");
        return 2;
    }
    ENTRY *found = NULL;
    char *code = (char *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "GetTickCount");
    LONG status = find(code + 1, &found);
    printf("find kernel32 code: %#lx %s, same entry %d\n", (unsigned long)status,
           found ? narrow(&found->BaseDllName) : "(none)", found == k32);
    found = NULL;
    status = find((PVOID)main, &found);
    printf("find main: %#lx %s\n", (unsigned long)status,
           found ? narrow(&found->BaseDllName) : "(none)");
    found = (ENTRY *)1;
    status = find((PVOID)0x10, &found);
    printf("find 0x10: %#lx\n", (unsigned long)status);

    PVOID handle = NULL;
    USTR name = {24, 26, L"kernel32.dll"};
    status = get_handle(NULL, NULL, &name, &handle);
    printf("LdrGetDllHandle: %#lx, matches %d\n", (unsigned long)status,
           handle == GetModuleHandleW(L"kernel32.dll"));
    USTR none = {22, 24, L"nothere.dll"};
    status = get_handle(NULL, NULL, &none, &handle);
    printf("LdrGetDllHandle nothere: %#lx\n", (unsigned long)status);
    return 0;
}
