/* The calls Dart's VM, GraalVM's native images, GnuTLS, SQLCipher, workerd and Rust's
 * command-group were found to need: api-ms-win-core-path's PathCch functions, file URLs,
 * addresses as text, sequential UUIDs, the thread's stack limits, Tool Help's threads (a
 * suspended child resumed through them), locked pages and the working set, the PE image
 * lookups of ntdll, InitOnceInitialize, CRL enumeration and dbghelp's module walk.
 * argv[1] == "child": the suspended child, which only prints. */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <dbghelp.h>
#include <pathcch.h>
#include <rpc.h>
#include <shlwapi.h>
#include <stdio.h>
#include <string.h>
#include <tlhelp32.h>
#include <wincrypt.h>

PIMAGE_NT_HEADERS NTAPI RtlImageNtHeader(PVOID Base);
PVOID NTAPI RtlImageDirectoryEntryToData(PVOID Base, BOOLEAN MappedAsImage, USHORT Entry,
                                         PULONG Size);

static int modules_seen;

static BOOL CALLBACK count_module(PCWSTR name, DWORD64 base, ULONG size, PVOID context) {
    if (base == (DWORD64)(ULONG_PTR)GetModuleHandleW(NULL) && size > 0 && wcsstr(name, L".exe"))
        *(int *)context = 1;
    modules_seen++;
    return TRUE;
}

int main(int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[1], "child")) {
        printf("the child runs\n");
        return 0;
    }
    WCHAR out[MAX_PATH];
    PathCchCanonicalize(out, MAX_PATH, L"C:\\a\\.\\b\\..\\c\\");
    printf("canonical %ls\n", out);
    PathCchCombine(out, MAX_PATH, L"C:\\dart\\bin", L"..\\lib\\x.dart");
    printf("combined %ls\n", out);
    HRESULT hr = PathCchCombine(out, 8, L"C:\\long\\directory", L"file");
    printf("too small %#lx\n", (unsigned long)hr);
    wcscpy(out, L"C:\\a\\b.txt");
    hr = PathCchRemoveFileSpec(out, MAX_PATH);
    printf("file spec removed %ld %ls\n", (long)hr, out);
    wcscpy(out, L"C:\\");
    printf("from a root %ld\n", (long)PathCchRemoveFileSpec(out, MAX_PATH));
    PWSTR alloc = NULL;
    PathAllocCanonicalize(L"\\\\?\\C:\\x\\..\\y", 0, &alloc);
    printf("allocated %ls\n", alloc);
    LocalFree(alloc);
    PCWSTR ext = NULL;
    PathCchFindExtension(L"C:\\dir.d\\name.tar.gz", MAX_PATH, &ext);
    printf("extension %ls\n", ext);
    wcscpy(out, L"\\\\?\\UNC\\server\\share\\f");
    PathCchStripPrefix(out, MAX_PATH);
    printf("stripped %ls root %d\n", out, PathCchIsRoot(L"C:\\"));

    DWORD n = MAX_PATH;
    printf("url %d file %d path %d\n", UrlIsW(L"https://x/", URLIS_URL),
           UrlIsW(L"file:///C:/a", URLIS_FILEURL), UrlIsW(L"C:\\a", URLIS_URL));
    PathCreateFromUrlW(L"file:///C:/Program%20Files/x.dart", out, &n, 0);
    printf("from url %ls %lu\n", out, n);

    struct sockaddr_in6 six = {AF_INET6, htons(8080)};
    six.sin6_addr.s6_addr[15] = 1;
    n = MAX_PATH;
    WSAAddressToStringW((struct sockaddr *)&six, sizeof six, NULL, out, &n);
    printf("address %ls\n", out);
    struct sockaddr_in four = {AF_INET, 0, {.s_addr = htonl(0x7F000001)}};
    n = 4;
    int r = WSAAddressToStringW((struct sockaddr *)&four, sizeof four, NULL, out, &n);
    printf("too small %d %d need %lu\n", r, WSAGetLastError(), n);

    UUID a, b;
    RPC_STATUS s1 = UuidCreateSequential(&a), s2 = UuidCreateSequential(&b);
    printf("uuids %ld %ld version %d different %d\n", s1, s2, a.Data3 >> 12,
           memcmp(&a, &b, sizeof a) != 0);

    ULONG_PTR low, high;
    GetCurrentThreadStackLimits(&low, &high);
    printf("stack holds a local %d\n", (ULONG_PTR)&low > low && (ULONG_PTR)&low < high);

    char self[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    CreateProcessA(NULL, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, &pi);
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 te = {sizeof te};
    int resumed = 0;
    for (BOOL more = Thread32First(snap, &te); more; more = Thread32Next(snap, &te)) {
        if (te.th32OwnerProcessID != pi.dwProcessId)
            continue;
        HANDLE t = OpenThread(THREAD_SUSPEND_RESUME, FALSE, te.th32ThreadID);
        resumed += ResumeThread(t) == 1;
        CloseHandle(t);
    }
    CloseHandle(snap);
    WaitForSingleObject(pi.hProcess, 30000);
    printf("resumed through the snapshot %d\n", resumed);

    char *page = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE);
    SIZE_T min_ws, max_ws;
    GetProcessWorkingSetSize(GetCurrentProcess(), &min_ws, &max_ws);
    printf("lock %d unlock %d working set %d\n", VirtualLock(page, 4096),
           VirtualUnlock(page, 4096), min_ws > 0 && max_ws > min_ws);

    HMODULE me = GetModuleHandleW(NULL);
    PIMAGE_NT_HEADERS nt = RtlImageNtHeader(me);
    ULONG size = 0;
    PVOID imports = RtlImageDirectoryEntryToData(me, TRUE, IMAGE_DIRECTORY_ENTRY_IMPORT, &size);
    printf("nt headers %d imports %d\n", nt && nt->Signature == IMAGE_NT_SIGNATURE,
           imports != NULL && size > 0);

    INIT_ONCE once;
    InitOnceInitialize(&once);
    BOOL pending = FALSE;
    InitOnceBeginInitialize(&once, 0, &pending, NULL);
    printf("init once pending %d\n", pending);

    HCERTSTORE store = CertOpenSystemStoreW(0, L"ROOT");
    PCCRL_CONTEXT crl = CertEnumCRLsInStore(store, NULL);
    printf("crl %d error %#lx\n", crl != NULL, (unsigned long)GetLastError());
    CertCloseStore(store, 0);

    HANDLE first = CreateNamedPipeW(L"\\\\.\\pipe\\sysvec-first", PIPE_ACCESS_DUPLEX |
                                    FILE_FLAG_FIRST_PIPE_INSTANCE, 0, 2, 512, 512, 0, NULL);
    HANDLE again = CreateNamedPipeW(L"\\\\.\\pipe\\sysvec-first", PIPE_ACCESS_DUPLEX |
                                    FILE_FLAG_FIRST_PIPE_INSTANCE, 0, 2, 512, 512, 0, NULL);
    DWORD pipe_error = GetLastError();
    HANDLE second = CreateNamedPipeW(L"\\\\.\\pipe\\sysvec-first", PIPE_ACCESS_DUPLEX, 0, 2,
                                     512, 512, 0, NULL);
    printf("first instance %d again %d error %lu, a second instance %d\n",
           first != INVALID_HANDLE_VALUE, again != INVALID_HANDLE_VALUE, pipe_error,
           second != INVALID_HANDLE_VALUE);

    int found_program = 0;
    EnumerateLoadedModulesW64(GetCurrentProcess(), count_module, &found_program);
    printf("modules: the program %d, more %d\n", found_program, modules_seen > 1);
    return 0;
}
