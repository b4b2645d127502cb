/* A handler finds the interrupted code's FPU state where uc_mcontext.fpregs points (x86-64:
 * FXSAVE's layout, SSE included; i386: FSAVE's), and on x86-64 what it changes there is what
 * the code resumes with, as Linux restores it at sigreturn. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#ifdef __x86_64__
#include <xmmintrin.h>
#endif

static int had_fpregs, control_word, rounding_seen;

static void handler(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    (void)sig, (void)info;
    had_fpregs = uc->uc_mcontext.fpregs != NULL;
    if (!had_fpregs)
        return;
#ifdef __x86_64__
    control_word = uc->uc_mcontext.fpregs->cwd;
    rounding_seen = uc->uc_mcontext.fpregs->mxcsr & 0x6000;
    uc->uc_mcontext.fpregs->mxcsr |= 0x6000;        /* the code resumes rounding to zero */
    _mm_setcsr(_mm_getcsr() & ~0x6000u);             /* the handler's own: not kept */
#else
    control_word = uc->uc_mcontext.fpregs->cw & 0xffff;
#endif
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
#ifdef __x86_64__
    _mm_setcsr((_mm_getcsr() & ~0x6000u) | 0x2000);   /* round down */
    raise(SIGUSR1);
    printf("fpregs %d cwd %#x rounding seen %#x after %#x\n", had_fpregs, control_word,
           rounding_seen, _mm_getcsr() & 0x6000);
#else
    raise(SIGUSR1);
    printf("fpregs %d cwd %#x\n", had_fpregs, control_word);
#endif
    return 0;
}
