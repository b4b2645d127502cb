/* RtlVirtualUnwind's context pointers: where each nonvolatile register the frame restored was
 * saved (a push, or a save of XMM6 in the prologue), and nothing for the ones it did not save.
 * NativeAOT's stack walk restores a funclet's frame registers through them. */
#include <windows.h>
#include <stdio.h>

__attribute__((noinline)) static int inner(int x)
{
    /* Clobbering them makes the prologue save rbx, rsi, rdi and xmm6. */
    __asm__ volatile("" : "+r"(x) : : "rbx", "rsi", "rdi", "xmm6");
    CONTEXT ctx;
    RtlCaptureContext(&ctx);
    DWORD64 base = 0;
    PRUNTIME_FUNCTION fn = RtlLookupFunctionEntry(ctx.Rip, &base, NULL);
    KNONVOLATILE_CONTEXT_POINTERS ptrs;
    memset(&ptrs, 0, sizeof ptrs);
    PVOID data = NULL;
    DWORD64 frame = 0;
    RtlVirtualUnwind(UNW_FLAG_NHANDLER, base, ctx.Rip, fn, &ctx, &data, &frame, &ptrs);
    PDWORD64 *gpr = ptrs.IntegerContext;   /* by register number: rbx 3, rsi 6, rdi 7 */
    printf("rbx %d rsi %d rdi %d\n", gpr[3] && *gpr[3] == ctx.Rbx, gpr[6] && *gpr[6] == ctx.Rsi,
           gpr[7] && *gpr[7] == ctx.Rdi);
    printf("xmm6 %d\n", ptrs.FloatingContext[6] && !memcmp(ptrs.FloatingContext[6], &ctx.Xmm6, 16));
    printf("untouched r12 %d r15 %d\n", gpr[12] == NULL, gpr[15] == NULL);
    return x;
}

int main(void)
{
    return inner(0);
}
