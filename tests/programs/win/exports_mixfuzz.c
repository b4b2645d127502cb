/* Random mixed arguments for every export of a generated DLL: exports_mixfuzz DLL FIRST SEED
   ITER calls each export from index FIRST on ITER times, each of its eleven arguments drawn
   from what a hostile program passes: 0, -1, small and huge counts, a writable buffer with a
   guard page after it, a buffer of random bytes, a no-access page, a read-only page, 8 bytes
   before a reserved page, strings, and real handles (a file, an event, the process, the
   console). Exports that end the process, run guest callbacks, block or free memory are left
   out, as in exports_fuzz.c. Each export is named before it is called; a fault in guest code
   it was given goes on with the next export. Every buffer sits in memory of its own, apart
   from the fuzzer's state, so a call told to write anywhere in them cannot change it. */
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
    "Rtl", "Ldr", "Nt", "Zw",
    "Critical", "SRW", "Condition", "Enter", "Leave", "Acquire", "Release", "Mtx", "Cnd",
    "system", "spawn", "exec", "CreateProcess", "Heap", "free", "realloc", "Local", "Global",
    "VirtualFree", "ConnectNamedPipe", "Read", "getc", "gets", "scanf", "fgetwc", "getwc",
    "_getch", "Peek", "Input", "Close", "fclose", "_close", "_dup2", "_endthread",
    /* what this fuzzer's own output and recovery need left as they are */
    "SetStdHandle", "closeall", "freopen", "_setmode", "setvbuf", "setbuf", "VirtualProtect",
    "VirtualAlloc", "UnmapView", "FreeLibrary", "Vectored", "SetThreadContext",
    "SetUnhandledExceptionFilter", "DuplicateHandle", "Suspend", "select", "accept", "recv",
    "connect", "Sock", "Accept", "Recv", "Connect", "Select", "Pipe", "Message", "Dialog",
    "PlaySound", "Beep", "Snd", "Event", "Signal", "CtrlRoutine", NULL};

static jmp_buf next_export;
static unsigned long long rng;

static ULONG_PTR next(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (ULONG_PTR)(rng >> 17);
}

static LONG CALLBACK recover(EXCEPTION_POINTERS *info)
{
    longjmp(next_export, 1);
    return EXCEPTION_CONTINUE_SEARCH;
}

static ULONG_PTR values[64];
static int nvalues;

static char *region(SIZE_T size, DWORD prot)
{
    /* size bytes, then a reserved page nothing may touch */
    char *p = VirtualAlloc(NULL, size + 4096, MEM_RESERVE, PAGE_NOACCESS);
    VirtualAlloc(p, size, MEM_COMMIT, PAGE_READWRITE);
    if (prot != PAGE_READWRITE) {
        DWORD old;
        VirtualProtect(p, size, prot, &old);
    }
    return p;
}

int main(int argc, char **argv)
{
    HMODULE dll = LoadLibraryA(argv[1]);
    int first = atoi(argv[2]), iter = argc > 4 ? atoi(argv[4]) : 4;
    unsigned seed = argc > 3 ? (unsigned)atoi(argv[3]) : 1;
    void *veh = AddVectoredExceptionHandler(1, recover);
    char *rw = region(1 << 16, PAGE_READWRITE), *noise = region(1 << 16, PAGE_READWRITE);
    char *none = region(4096, PAGE_NOACCESS), *ro = region(4096, PAGE_READWRITE);
    char *edge = region(4096, PAGE_READWRITE), *strings = region(4096, PAGE_READWRITE);
    strcpy(ro, "C:\\");
    DWORD old;
    VirtualProtect(ro, 4096, PAGE_READONLY, &old);
    strcpy(strings, "C:\\fz.txt");
    memcpy(strings + 64, L"C:\\fz.txt", 20);
    strcpy(strings + 128, "NUL");
    memcpy(strings + 192, L"\\\\?\\C:\\..\\..\\x", 30);
    HANDLE file = CreateFileA("C:\\fzfile", GENERIC_READ | GENERIC_WRITE, 7, NULL, OPEN_ALWAYS,
                              0, NULL);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    ULONG_PTR v[] = {0, 1, 2, 3, 4, 8, 16, 64, 255, 256, 4096, 65536, (ULONG_PTR)-1,
                     (ULONG_PTR)-2, 0x7fffffff, 0x80000000UL, 0xffffffffUL, 0x10, 0x1000,
#ifdef _WIN64
                     0xffff800000000000ULL, 0x7fffffffffffffffULL,
#endif
                     (ULONG_PTR)rw, (ULONG_PTR)rw + 60000, (ULONG_PTR)noise, (ULONG_PTR)none,
                     (ULONG_PTR)ro, (ULONG_PTR)edge + 4096 - 8, (ULONG_PTR)edge + 4096,
                     (ULONG_PTR)strings, (ULONG_PTR)strings + 64, (ULONG_PTR)strings + 128,
                     (ULONG_PTR)strings + 192, (ULONG_PTR)file, (ULONG_PTR)event,
                     (ULONG_PTR)GetCurrentProcess(), (ULONG_PTR)GetCurrentThread(),
                     (ULONG_PTR)GetStdHandle(STD_ERROR_HANDLE), (ULONG_PTR)dll};
    nvalues = sizeof v / sizeof v[0];
    memcpy(values, v, sizeof v);
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
        any_fn f = (any_fn)GetProcAddress(dll, name);
        rng = (unsigned long long)seed * 1000003ULL + i;
        for (volatile int k = 0; k < iter; k++) {
            if (setjmp(next_export))
                continue;
            for (int j = 0; j < 1 << 16; j += sizeof(ULONG_PTR))
                *(ULONG_PTR *)(noise + j) = next() * 2654435761UL;
            ULONG_PTR a[11];
            for (int j = 0; j < 11; j++)
                a[j] = next() % 6 == 0 ? next() % 4096 : values[next() % nvalues];
            f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]);
        }
    }
    /* Calls given garbage may have left callbacks that run at exit (an FLS callback, an
       exit routine): end here, past the fuzzer's recovery, rather than run them */
    RemoveVectoredExceptionHandler(veh);
    printf("done\n");
    fflush(stdout);
    TerminateProcess(GetCurrentProcess(), 0);
    return 0;
}
