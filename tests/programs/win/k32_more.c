/* kernel32 and advapi32 calls programs import that were missing: GetNamedPipeInfo and
   TransactNamedPipe, the Tool Help module list, TerminateJobObject, cycle times, group
   affinity, GetTempFileNameA and RegEnumKeyExA. */
#include <windows.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <string.h>

static DWORD WINAPI echo_server(LPVOID arg)
{
    HANDLE server = (HANDLE)arg;
    char buf[64];
    DWORD got = 0, put = 0;
    ConnectNamedPipe(server, NULL);
    while (ReadFile(server, buf, sizeof buf, &got, NULL)) {
        char answer[80];
        int n = snprintf(answer, sizeof answer, "answer to %.*s, a long one", (int)got, buf);
        WriteFile(server, answer, n, &put, NULL);
    }
    return 0;
}

static void pipes(void)
{
    const char *name = "\\\\.\\pipe\\k32more";
    HANDLE server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX,
                                     PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT,
                                     4, 1024, 2048, 0, NULL);
    DWORD flags, out, in, max;
    GetNamedPipeInfo(server, &flags, &out, &in, &max);
    printf("server end: flags %lu out %lu in %lu max %lu\n", flags, out, in, max);
    HANDLE t = CreateThread(NULL, 0, echo_server, server, 0, NULL);
    HANDLE client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                                NULL);
    GetNamedPipeInfo(client, &flags, &out, &in, &max);
    printf("client end: flags %lu out %lu in %lu max %lu\n", flags, out, in, max);
    char reply[64];
    DWORD got = 0;
    SetLastError(0);
    BOOL ok = TransactNamedPipe(client, "q1", 2, reply, sizeof reply, &got, NULL);
    printf("byte mode transact: %d error %lu\n", ok, GetLastError());
    DWORD mode = PIPE_READMODE_MESSAGE;
    SetNamedPipeHandleState(client, &mode, NULL, NULL);
    ok = TransactNamedPipe(client, "q2", 2, reply, sizeof reply, &got, NULL);
    printf("transact: %d '%.*s'\n", ok, (int)got, reply);
    ok = TransactNamedPipe(client, "q3", 2, reply, 10, &got, NULL);
    DWORD err = GetLastError();
    printf("short buffer: %d error %lu '%.*s'\n", ok, err, (int)got, reply);
    ok = ReadFile(client, reply, sizeof reply, &got, NULL);
    printf("rest: %d '%.*s'\n", ok, (int)got, reply);
    CloseHandle(client);
    WaitForSingleObject(t, 5000);

    HANDLE r, w;
    CreatePipe(&r, &w, NULL, 0);
    GetNamedPipeInfo(r, &flags, &out, &in, &max);
    printf("anonymous read end: flags %lu max %lu\n", flags, max);
    GetNamedPipeInfo(w, &flags, &out, &in, &max);
    printf("anonymous write end: flags %lu\n", flags);
}

static void modules(void)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPMODULE, 0);
    MODULEENTRY32W me = {.dwSize = sizeof me};
    int count = 0, self = 0, k32 = 0;
    for (BOOL ok = Module32FirstW(snap, &me); ok; ok = Module32NextW(snap, &me)) {
        count++;
        if (me.hModule == GetModuleHandleW(NULL) && me.th32ProcessID == GetCurrentProcessId()
            && wcsstr(me.szExePath, me.szModule) && me.modBaseSize > 0)
            self++;
        if (_wcsicmp(me.szModule, L"kernel32.dll") == 0 &&
            me.modBaseAddr == (BYTE *)GetModuleHandleW(L"kernel32.dll"))
            k32++;
    }
    printf("modules: many %d, the program %d, kernel32 %d, end %lu\n", count > 2, self, k32,
           GetLastError());
    MODULEENTRY32 ma = {.dwSize = sizeof ma};
    Module32First(snap, &ma);
    char exe[MAX_PATH];
    GetModuleFileNameA(NULL, exe, sizeof exe);
    printf("first (A): the program %d\n", strcmp(ma.szExePath, exe) == 0);
    ma.dwSize = 8;
    SetLastError(0);
    BOOL ok = Module32Next(snap, &ma);
    printf("small entry: %d error %lu\n", ok, GetLastError());
    CloseHandle(snap);
}

static void jobs(void)
{
    HANDLE job = CreateJobObjectA(NULL, NULL);
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    char cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, cmd, MAX_PATH);
    strcat(cmd, " sleep");
    CreateProcessA(NULL, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, &pi);
    AssignProcessToJobObject(job, pi.hProcess);
    ResumeThread(pi.hThread);
    printf("terminate job: %d\n", TerminateJobObject(job, 7));
    DWORD code = 0;
    WaitForSingleObject(pi.hProcess, 10000);
    GetExitCodeProcess(pi.hProcess, &code);
    printf("member's exit code: %lu\n", code);
    printf("bad job: %d\n", TerminateJobObject((HANDLE)0x4321, 1));
}

static void cpu(void)
{
    ULONG64 before = 0, after = 0, proc = 0;
    QueryThreadCycleTime(GetCurrentThread(), &before);
    volatile unsigned x = 0;
    for (unsigned i = 0; i < 20000000; i++)
        x += i;
    QueryThreadCycleTime(GetCurrentThread(), &after);
    QueryProcessCycleTime(GetCurrentProcess(), &proc);
    printf("cycles grow: %d, process at least thread: %d\n", after > before, proc >= after);
    GROUP_AFFINITY ga, prev;
    GetThreadGroupAffinity(GetCurrentThread(), &ga);
    printf("group %u mask %llu\n", ga.Group, (unsigned long long)ga.Mask);
    ga.Mask = 3;
    BOOL ok = SetThreadGroupAffinity(GetCurrentThread(), &ga, &prev);
    printf("two processors: %d error %lu\n", ok, GetLastError());
    ga.Mask = 1;
    printf("processor 0: %d\n", SetThreadGroupAffinity(GetCurrentThread(), &ga, &prev));
}

static void names(void)
{
    char dir[MAX_PATH], path[MAX_PATH];
    GetTempPathA(sizeof dir, dir);
    UINT u = GetTempFileNameA(dir, "abc", 0, path);
    DWORD attrs = GetFileAttributesA(path);
    const char *leaf = strrchr(path, '\\') + 1;
    printf("temp file: made %d prefix %d tmp %d\n", u != 0 && attrs != INVALID_FILE_ATTRIBUTES,
           strncmp(leaf, "abc", 3) == 0, strstr(leaf, ".TMP") != NULL);
    DeleteFileA(path);
    u = GetTempFileNameA(dir, "x", 0x1f, path);
    printf("composed: %u %s\n", u, strrchr(path, '\\') + 1);

    HKEY key;
    RegCreateKeyExA(HKEY_CURRENT_USER, "Software\\k32more\\child", 0, NULL, 0, KEY_ALL_ACCESS,
                    NULL, &key, NULL);
    RegCloseKey(key);
    RegOpenKeyExA(HKEY_CURRENT_USER, "Software\\k32more", 0, KEY_READ, &key);
    char sub[32];
    DWORD len = sizeof sub;
    LONG rc = RegEnumKeyExA(key, 0, sub, &len, NULL, NULL, NULL, NULL);
    printf("RegEnumKeyExA: %ld %s %lu\n", rc, sub, len);
    len = 3;
    printf("small: %ld\n", RegEnumKeyExA(key, 0, sub, &len, NULL, NULL, NULL, NULL));
    len = sizeof sub;
    printf("past the end: %ld\n", RegEnumKeyExA(key, 1, sub, &len, NULL, NULL, NULL, NULL));
    RegCloseKey(key);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        Sleep(60000);
        return 3;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    pipes();
    modules();
    jobs();
    cpu();
    names();
    return 0;
}
