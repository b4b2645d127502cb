/* A stack walk through ntdll's exports, as Rust's backtraces do: RtlCaptureContext, then
 * RtlLookupFunctionEntry and RtlVirtualUnwind frame by frame until main is reached. */
#include <windows.h>
#include <stdio.h>

typedef PRUNTIME_FUNCTION (NTAPI *lookup_fn)(DWORD64, PDWORD64, PUNWIND_HISTORY_TABLE);
typedef PEXCEPTION_ROUTINE (NTAPI *unwind_fn)(DWORD, DWORD64, DWORD64, PRUNTIME_FUNCTION,
                                              PCONTEXT, PVOID *, PDWORD64,
                                              PKNONVOLATILE_CONTEXT_POINTERS);
typedef VOID (NTAPI *capture_fn)(PCONTEXT);

__declspec(noinline) int walk(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    capture_fn capture = (capture_fn)GetProcAddress(nt, "RtlCaptureContext");
    lookup_fn lookup = (lookup_fn)GetProcAddress(nt, "RtlLookupFunctionEntry");
    unwind_fn unwind = (unwind_fn)GetProcAddress(nt, "RtlVirtualUnwind");
    printf("exported: %d %d\n", lookup != NULL, unwind != NULL);
    CONTEXT ctx;
    capture(&ctx);
    DWORD64 main_at = (DWORD64)GetProcAddress(GetModuleHandleA(NULL), "main");
    (void)main_at;
    for (int depth = 0; depth < 8; depth++) {
        DWORD64 base = 0;
        PRUNTIME_FUNCTION fn = lookup(ctx.Rip, &base, NULL);
        if (!fn)
            return -1;
        if (base == (DWORD64)GetModuleHandleA(NULL) && depth > 0)
            return depth;       /* out of walk(): a frame of the program that called it */
        PVOID data;
        DWORD64 frame;
        unwind(0, base, ctx.Rip, fn, &ctx, &data, &frame, NULL);
    }
    return -2;
}

int main(void)
{
    printf("caller found after %d frame(s)\n", walk());
    return 0;
}
