/* Thread-pool work objects: three submissions of one work run its callback three times on
 * a pool thread with the work's context; WaitForThreadpoolWorkCallbacks waits for them; a
 * work closed with submissions outstanding still runs them. Then dbghelp as a crash handler
 * uses it: the symbol handler starts, finds no symbol, walks no frame, knows the module. */
#include <windows.h>
#include <dbghelp.h>
#include <stdio.h>

static volatile LONG runs;
static volatile DWORD main_thread, pool_thread;

static VOID CALLBACK count(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work) {
    InterlockedAdd(&runs, *(LONG *)context);
    pool_thread = GetCurrentThreadId();
    Sleep(5);
}

int main(void) {
    LONG step = 10;
    main_thread = GetCurrentThreadId();
    PTP_WORK work = CreateThreadpoolWork(count, &step, NULL);
    for (int i = 0; i < 3; i++) SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    LONG after = runs;
    SubmitThreadpoolWork(work);
    CloseThreadpoolWork(work);
    for (int i = 0; i < 2000 && runs != 40; i++) Sleep(5);
    printf("work %d runs %ld then %ld elsewhere %d\n", work != NULL, after, runs,
           pool_thread != 0 && pool_thread != main_thread);

    HANDLE self = GetCurrentProcess();
    SymSetOptions(SYMOPT_UNDNAME | SYMOPT_LOAD_LINES);
    BOOL init = SymInitialize(self, NULL, TRUE);
    char buf[sizeof(SYMBOL_INFO) + 256];
    SYMBOL_INFO *sym = (SYMBOL_INFO *)buf;
    sym->SizeOfStruct = sizeof(SYMBOL_INFO); sym->MaxNameLen = 255;
    DWORD64 disp = 0;
    BOOL found = SymFromAddr(self, (DWORD64)(ULONG_PTR)main, &disp, sym);
    DWORD err = GetLastError();
    STACKFRAME64 frame; memset(&frame, 0, sizeof frame);
    CONTEXT ctx; RtlCaptureContext(&ctx);
    int walked = 0;
    DWORD64 first = 0;
    while (walked < 64 && StackWalk64(sizeof(void *) == 8 ? IMAGE_FILE_MACHINE_AMD64 : IMAGE_FILE_MACHINE_I386,
                                      self, GetCurrentThread(), &frame, &ctx, NULL,
                                      SymFunctionTableAccess64, SymGetModuleBase64, NULL)) {
        if (!walked) first = frame.AddrPC.Offset;
        walked++;
    }
    /* x64 walks from main up through the C runtime's start-up; i386 walks none */
    int in_main = first >= (DWORD64)(ULONG_PTR)main && first < (DWORD64)(ULONG_PTR)main + 0x400;
    walked = walked > 1 && in_main;
    DWORD64 base = SymGetModuleBase64(self, (DWORD64)(ULONG_PTR)main);
    printf("sym %d options %#lx found %d %lu walked %d module %d cleanup %d\n", init,
           SymGetOptions(), found, err, walked, base == (DWORD64)(ULONG_PTR)GetModuleHandleA(NULL),
           SymCleanup(self));
    return 0;
}
