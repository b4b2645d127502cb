/* A SIGSEGV handler on an alternate stack catches a stack overflow; sigaltstack reports the
 * stack, and SS_ONSTACK from inside the handler. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static sigjmp_buf back;
static volatile int on_alt = -1;

static void handler(int sig)
{
    stack_t now;
    sigaltstack(NULL, &now);
    on_alt = (now.ss_flags & SS_ONSTACK) != 0;
    siglongjmp(back, sig);
}

static int deep(int n)
{
    volatile char pad[4096];
    pad[0] = (char)n;
    return deep(n + 1) + pad[0];
}

int main(void)
{
    stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16, .ss_flags = 0}, old;
    printf("set: %d\n", sigaltstack(&ss, &old));
    printf("before: disabled %d\n", (old.ss_flags & SS_DISABLE) != 0);
    struct sigaction sa = {.sa_handler = handler, .sa_flags = SA_ONSTACK};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    int sig = sigsetjmp(back, 1);
    if (sig == 0)
        deep(0);
    printf("caught signal %d on the alternate stack: %d\n", sig, on_alt);
    return 0;
}
