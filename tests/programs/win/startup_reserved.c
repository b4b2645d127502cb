/* STARTUPINFO's lpReserved2: the C runtime's descriptor block a parent hands its child (how
 * libuv gives node's child its IPC pipe as descriptor 3). The child finds it in
 * GetStartupInfoW and as its C runtime's descriptor 3. */
#include <windows.h>
#include <io.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1) {                                       /* the child */
        STARTUPINFOW si;
        GetStartupInfoW(&si);
        int count = si.cbReserved2 ? *(int *)si.lpReserved2 : 0;
        printf("child: block %d bytes, %d descriptors, flags of 3: %#x\n", si.cbReserved2,
               count, count > 3 ? si.lpReserved2[4 + 3] : 0);
        fflush(stdout);
        HANDLE h;
        memcpy(&h, si.lpReserved2 + 4 + count + 3 * sizeof(HANDLE), sizeof h);
        DWORD n;
        WriteFile(h, "by handle;", 10, &n, NULL);
        _write(3, "by descriptor 3", 15);
        return 0;
    }
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE rd, wr;
    CreatePipe(&rd, &wr, &sa, 0);
    SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
    /* int count; BYTE flags[4]; HANDLE handles[4] (unaligned) */
    unsigned char block[4 + 4 + 4 * sizeof(HANDLE)] = {0};
    *(int *)block = 4;
    HANDLE none = INVALID_HANDLE_VALUE;
    for (int i = 0; i < 3; i++)
        memcpy(block + 8 + i * sizeof(HANDLE), &none, sizeof none);
    block[4 + 3] = 0x01 | 0x08;                           /* FOPEN | FPIPE */
    memcpy(block + 8 + 3 * sizeof(HANDLE), &wr, sizeof wr);
    STARTUPINFOA si = {sizeof si};
    si.cbReserved2 = sizeof block;
    si.lpReserved2 = block;
    PROCESS_INFORMATION pi;
    char cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, cmd, MAX_PATH);
    strcat(cmd, " child");
    fflush(stdout);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess failed: %lu\n", GetLastError());
        return 1;
    }
    CloseHandle(wr);
    char buf[64] = {0};
    DWORD got, total = 0;
    while (ReadFile(rd, buf + total, sizeof buf - 1 - total, &got, NULL) && got)
        total += got;
    WaitForSingleObject(pi.hProcess, INFINITE);
    printf("parent read: %s\n", buf);
    return 0;
}
