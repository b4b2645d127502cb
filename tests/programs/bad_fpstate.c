/* A signal handler that points the frame's FPU state at an unreadable address: Linux's
 * sigreturn cannot restore it and the process dies of SIGSEGV (it survived under sysvec,
 * which ignored the pointer). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static void handler(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    (void)sig, (void)info;
    uc->uc_mcontext.fpregs = (void *)0x10;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    puts("survived");
    return 0;
}
