/* x86-64: a handler finds the interrupted code's FPU and SSE state where uc_mcontext.fpregs
 * points (FXSAVE format), and what it changes there is what the code resumes with, as Linux
 * restores it at sigreturn. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <xmmintrin.h>

static int had_fpregs, control_word, rounding_seen;

static void handler(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    (void)sig, (void)info;
    had_fpregs = uc->uc_mcontext.fpregs != NULL;
    if (!had_fpregs)
        return;
    control_word = uc->uc_mcontext.fpregs->cwd;
    rounding_seen = uc->uc_mcontext.fpregs->mxcsr & 0x6000;
    uc->uc_mcontext.fpregs->mxcsr |= 0x6000;        /* the code resumes rounding to zero */
    _mm_setcsr(_mm_getcsr() & ~0x6000u);             /* the handler's own: not kept */
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    _mm_setcsr((_mm_getcsr() & ~0x6000u) | 0x2000);   /* round down */
    raise(SIGUSR1);
    printf("fpregs %d cwd %#x rounding seen %#x after %#x\n", had_fpregs, control_word,
           rounding_seen, _mm_getcsr() & 0x6000);
    return 0;
}
