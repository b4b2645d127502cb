/* ConPTY as pywinpty and node-pty use it: a pseudo console over two pipes, a child started
   on it (this program with "child"), keys written into the input pipe, the screen read from
   the output pipe. The child checks it has a console, colours a word, reads a cooked line
   (echoed by the console) and answers. With "cmd", the child is an interactive cmd.exe and
   the screen is printed with its control bytes escaped. With "typeahead", the child's
   answer is typed before it asks: conhost echoes keys when a read takes them. With
   "cmdahead", cmd gets both its lines in one write: the second waits unechoed until cmd
   reads again. */
#define _WIN32_WINNT 0x0A00   /* ConPTY: Windows 10 1809 (RS5) */
#define NTDDI_VERSION 0x0A000006
#include <windows.h>
#include <stdio.h>
#include <string.h>

static int child(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode = 0, n;
    CONSOLE_SCREEN_BUFFER_INFO info;
    BOOL console = GetConsoleMode(in, &mode);
    GetConsoleScreenBufferInfo(out, &info);
    char line[128];
    int len = snprintf(line, sizeof line, "console %d line-input %d size %dx%d\n", console,
                       (mode & ENABLE_LINE_INPUT) != 0, info.srWindow.Right + 1,
                       info.srWindow.Bottom + 1);
    WriteConsoleA(out, line, len, &n, NULL);
    SetConsoleTextAttribute(out, FOREGROUND_RED | FOREGROUND_INTENSITY);
    WriteConsoleA(out, "red", 3, &n, NULL);
    SetConsoleTextAttribute(out, FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE);
    WriteConsoleA(out, "\nname? ", 7, &n, NULL);
    char name[64] = {0};
    DWORD got = 0;
    ReadConsoleA(in, name, sizeof name - 1, &got, NULL);
    name[strcspn(name, "\r\n")] = 0;
    len = snprintf(line, sizeof line, "hello <%s>\n", name);
    WriteFile(out, line, len, &n, NULL);
    return 5;
}

static void show(const char *screen, size_t have)
{
    for (size_t i = 0; i < have; i++) {
        unsigned char c = screen[i];
        if (c < 32 || c > 126)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('\n');
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return child();
    int both = argc > 1 && strcmp(argv[1], "cmdahead") == 0;
    int shell = both || (argc > 1 && strcmp(argv[1], "cmd") == 0);
    int ahead = argc > 1 && strcmp(argv[1], "typeahead") == 0;
    setvbuf(stdout, NULL, _IONBF, 0);
    HANDLE in_read, in_write, out_read, out_write;
    CreatePipe(&in_read, &in_write, NULL, 0);
    CreatePipe(&out_read, &out_write, NULL, 0);
    HPCON pc;
    COORD size = {100, 30};
    HRESULT hr = CreatePseudoConsole(size, in_read, out_write, 0, &pc);
    printf("CreatePseudoConsole: %#lx\n", (unsigned long)hr);
    CloseHandle(in_read);              /* the console holds its own ends now */
    CloseHandle(out_write);

    STARTUPINFOEXA si = {0};
    si.StartupInfo.cb = sizeof si;
    SIZE_T bytes = 0;
    InitializeProcThreadAttributeList(NULL, 1, 0, &bytes);
    si.lpAttributeList = HeapAlloc(GetProcessHeap(), 0, bytes);
    InitializeProcThreadAttributeList(si.lpAttributeList, 1, 0, &bytes);
    UpdateProcThreadAttribute(si.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE, pc,
                              sizeof pc, NULL, NULL);
    char cmd[MAX_PATH + 8];
    if (shell) {
        strcpy(cmd, "cmd.exe");
    } else {
        GetModuleFileNameA(NULL, cmd, MAX_PATH);
        strcat(cmd, " child");
    }
    PROCESS_INFORMATION pi;
    DWORD n_ahead;
    int typed = 0;
    BOOL ok = CreateProcessA(NULL, cmd, NULL, NULL, FALSE, EXTENDED_STARTUPINFO_PRESENT, NULL,
                             NULL, &si.StartupInfo, &pi);
    printf("CreateProcess: %d\n", ok);
    if (ahead) {
        WriteFile(in_write, "Ada\r", 4, &n_ahead, NULL);
        typed = 1;
    }

    char screen[4096] = {0};
    size_t have = 0;
    DWORD n;
    while (have < sizeof screen - 1) {
        DWORD avail = 0;
        if (!PeekNamedPipe(out_read, NULL, 0, NULL, &avail, NULL))
            break;
        if (avail) {
            if (!ReadFile(out_read, screen + have, sizeof screen - 1 - have, &n, NULL) || !n)
                break;
            have += n;
        } else if (WaitForSingleObject(pi.hProcess, 20) == WAIT_OBJECT_0) {
            if (!PeekNamedPipe(out_read, NULL, 0, NULL, &avail, NULL) || !avail)
                break;
        }
        if (!shell && !typed && strstr(screen, "name? ")) {
            WriteFile(in_write, "Ada\r", 4, &n, NULL);
            typed = 1;
        }
        if (both && !typed && strstr(screen, ">")) {
            WriteFile(in_write, "echo hi there\rexit 4\r", 21, &n, NULL);
            typed = 2;
        }
        if (shell && !typed && strstr(screen, ">")) {
            WriteFile(in_write, "echo hi there\r", 14, &n, NULL);
            typed = 1;
        }
        if (shell && typed == 1 && strstr(screen, "\nhi there\r\n")) {
            WriteFile(in_write, "exit 4\r", 7, &n, NULL);
            typed = 2;
        }
    }
    DWORD code = 0;
    WaitForSingleObject(pi.hProcess, 10000);
    GetExitCodeProcess(pi.hProcess, &code);
    printf("child exit: %lu\n", code);
    if (shell) {
        show(screen, have);
        ClosePseudoConsole(pc);
        return 0;
    }
    printf("first line: %d\n", strstr(screen, "console 1 line-input 1 size 100x30\r\n") != NULL);
    printf("red in colour: %d\n", strstr(screen, "\x1b[") != NULL && strstr(screen, "red"));
    printf("echoed: %d\n", strstr(screen, "name? Ada\r\n") != NULL);
    printf("answer: %d\n", strstr(screen, "hello <Ada>\r\n") != NULL);
    printf("resize: %#lx\n", (unsigned long)ResizePseudoConsole(pc, (COORD){120, 40}));
    ClosePseudoConsole(pc);
    ok = ReadFile(out_read, screen, sizeof screen, &n, NULL);
    printf("after close: %d %lu\n", ok, ok ? 0 : GetLastError());
    return 0;
}
