/* ntdll's own vectored-handler calls (Zig's start code and wabt call them, not kernel32's
 * forwarders), and, on x64, RtlRestoreContext resuming a captured context (a WebAssembly
 * runtime's way back from a trap). */
#include <windows.h>
#include <setjmp.h>
#include <stdio.h>

PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG First, PVECTORED_EXCEPTION_HANDLER Handler);
ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID Handle);
PVOID NTAPI RtlAddVectoredContinueHandler(ULONG First, PVECTORED_EXCEPTION_HANDLER Handler);
ULONG NTAPI RtlRemoveVectoredContinueHandler(PVOID Handle);

static int seen, continued;

static LONG CALLBACK on_exception(EXCEPTION_POINTERS *e)
{
    if (e->ExceptionRecord->ExceptionCode != 0xE0000001)
        return EXCEPTION_CONTINUE_SEARCH;
    seen++;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static LONG CALLBACK on_continue(EXCEPTION_POINTERS *e)
{
    continued += e->ExceptionRecord->ExceptionCode == 0xE0000001;
    return EXCEPTION_CONTINUE_SEARCH;
}

int main(void)
{
    PVOID h = RtlAddVectoredExceptionHandler(1, on_exception);
    PVOID c = RtlAddVectoredContinueHandler(0, on_continue);
    RaiseException(0xE0000001, 0, 0, NULL);
    printf("handler saw %d, continue handler %d\n", seen, continued);
    ULONG gone = RtlRemoveVectoredExceptionHandler(h), gone_c = RtlRemoveVectoredContinueHandler(c);
    printf("removed %lu %lu, again %lu\n", gone, gone_c, RtlRemoveVectoredExceptionHandler(h));
#ifdef _WIN64
    static CONTEXT ctx;
    static volatile int rounds;
    RtlCaptureContext(&ctx);
    if (++rounds < 3)
        RtlRestoreContext(&ctx, NULL);
    printf("restored the context %d times\n", rounds - 1);
    /* a STATUS_LONGJUMP record: the jump buffer's registers over the context, as longjmp */
    static jmp_buf jump;
    int value = setjmp(jump);
    if (value == 0) {
        EXCEPTION_RECORD record = {0};
        record.ExceptionCode = 0x80000026;   /* STATUS_LONGJUMP */
        record.NumberParameters = 1;
        record.ExceptionInformation[0] = (ULONG_PTR)&jump;
        RtlCaptureContext(&ctx);
        ctx.Rax = 5;
        RtlRestoreContext(&ctx, &record);
        printf("RtlRestoreContext returned\n");
    }
    printf("setjmp returned %d\n", value);
#endif
    return 0;
}
