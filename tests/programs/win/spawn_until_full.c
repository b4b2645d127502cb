/* Children that each hold an 8 MiB image, started until the machine's memory is spent:
   the CreateProcess that does not fit fails with ERROR_NOT_ENOUGH_MEMORY (it said
   ERROR_FILE_NOT_FOUND, and biome's client reported "the system cannot find the file"). */
#include <windows.h>
#include <stdio.h>

static volatile char ballast[8 << 20] = {1};

int main(int argc, char **argv)
{
    if (argc > 1) {                  /* a child: hold on until the parent's stdin pipe ends */
        char c;
        DWORD n;
        ReadFile(GetStdHandle(STD_INPUT_HANDLE), &c, 1, &n, NULL);
        return ballast[0];
    }
    char self[MAX_PATH], command[MAX_PATH + 16];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(command, sizeof command, "\"%s\" child", self);
    HANDLE read_end, write_end;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    CreatePipe(&read_end, &write_end, &sa, 0);
    SetHandleInformation(write_end, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = read_end;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    int started = 0;
    DWORD error = 0;
    for (int i = 0; i < 64; i++) {
        PROCESS_INFORMATION pi;
        if (!CreateProcessA(NULL, command, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
            error = GetLastError();
            break;
        }
        started++;
    }
    CloseHandle(write_end);
    printf("some started %d stopped with %lu\n", started > 0 && started < 64, error);
    return 0;
}
