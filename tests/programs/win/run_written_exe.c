/* A program writes an .exe (as a linker does: no execute bit on the host file) and runs it with
 * CreateProcess: Windows has no execute bit to want. */
#include <windows.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    if (argc > 1) { printf("child ran\n"); return 7; }
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    HANDLE in = CreateFileA(self, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    HANDLE out = CreateFileA("C:\\made.exe", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    char buf[65536]; DWORD n, w;
    while (ReadFile(in, buf, sizeof buf, &n, NULL) && n) WriteFile(out, buf, n, &w, NULL);
    CloseHandle(in); CloseHandle(out);
    STARTUPINFOA si = {sizeof si}; PROCESS_INFORMATION pi;
    char cmd[] = "C:\\made.exe child";
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess failed %lu\n", GetLastError()); return 1;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code; GetExitCodeProcess(pi.hProcess, &code);
    printf("child exit %lu\n", code);
    return 0;
}
