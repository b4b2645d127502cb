/* Hostile arguments for every export of a generated DLL: exports-fuzz DLL FIRST PATTERN calls
   each export from index FIRST on with eleven copies of one argument (PATTERN 0: a zeroed
   buffer, 1: a small bad pointer, 2: all ones), naming it first. Exports that end the
   process, run guest callbacks, block or free memory are left out: their legitimate
   answers to garbage (a crash in the guest, a wait for ever) are not what this tests, which
   is that no handler fails inside sysvec. With NT defined, ntdll's Rtl and Nt calls too. */
#include <windows.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef ULONG_PTR (*any_fn)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                            ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR);

static const char *skip[] = {"Exit", "Terminate", "abort", "exit", "_exit", "longjmp",
    "Raise", "Callback", "qsort", "bsearch", "Thread", "_beginthread", "atexit", "signal",
    "Sleep", "Wait", "onexit", "_initterm", "__sysvec", "Fiber", "Unwind", "Throw",
    "Frame", "Handler", "Catch", "_cexit", "Debug", "Fail", "InitOnce", "_c_exit",
    "QueueUserWorkItem", "Register", "Timer", "Alert", "Execute", "Delay", "Contin", "Restore",
#ifndef NT
    "Rtl", "Ldr", "Nt", "Zw",
#endif
    "Critical", "SRW", "Condition", "Enter", "Leave", "Acquire", "Release", "Mtx", "Cnd",
    "system", "spawn", "exec", "CreateProcess", "Heap", "free", "realloc", "Local", "Global",
    "VirtualFree", "ConnectNamedPipe", "Read", "getc", "gets", "scanf", "fgetwc", "getwc",
    "_getch", "Peek", "Input", "Close", "fclose", "_close", "_dup2", "_endthread", NULL};

static jmp_buf next_export;

/* A fault in guest code an export was given (a garbage function pointer): go on with the
   next export in this process rather than start another. */
static LONG CALLBACK recover(EXCEPTION_POINTERS *info)
{
    longjmp(next_export, 1);
    return EXCEPTION_CONTINUE_SEARCH;
}

int main(int argc, char **argv)
{
    HMODULE dll = LoadLibraryA(argv[1]);
    AddVectoredExceptionHandler(1, recover);
    int first = atoi(argv[2]), pattern = atoi(argv[3]);
    static unsigned char buffer[1 << 16];
    IMAGE_DOS_HEADER *dos = (IMAGE_DOS_HEADER *)dll;
    IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)((char *)dll + dos->e_lfanew);
    IMAGE_EXPORT_DIRECTORY *dir = (IMAGE_EXPORT_DIRECTORY *)((char *)dll +
        nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT].VirtualAddress);
    DWORD *names = (DWORD *)((char *)dll + dir->AddressOfNames);
    for (DWORD i = first; i < dir->NumberOfNames; i++) {
        const char *name = (char *)dll + names[i];
        int bad = 0;
        for (const char **s = skip; *s; s++)
            if (strstr(name, *s))
                bad = 1;
        if (bad)
            continue;
        printf("%lu %s\n", (unsigned long)i, name);
        fflush(stdout);
        if (setjmp(next_export))
            continue;
        memset(buffer, 0, sizeof buffer);
        ULONG_PTR a = pattern == 0 ? (ULONG_PTR)buffer : pattern == 1 ? 0x10 : (ULONG_PTR)-1;
        any_fn f = (any_fn)GetProcAddress(dll, name);
        f(a, a, a, a, a, a, a, a, a, a, a);
    }
    printf("done\n");
    return 0;
}
