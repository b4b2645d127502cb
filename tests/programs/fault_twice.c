/* Faults one after another in one process: three divisions by zero, a write through NULL,
   then a division by zero again, each caught (SIGFPE FPE_INTDIV, SIGSEGV) and left with
   siglongjmp. The engine took a second fault while an earlier one still counted as being
   delivered and made it a double fault: SIGSEGV with SI_KERNEL. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static sigjmp_buf back;
static volatile int zero;

static void caught(int sig, siginfo_t *info, void *context)
{
    (void)context;
    printf("signal %d code %d\n", sig, info->si_code);
    siglongjmp(back, 1);
}

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = caught;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    for (int i = 0; i < 5; i++) {
        if (sigsetjmp(back, 1) == 0) {
            if (i == 3)
                *(volatile int *)0 = 1;
            else
                printf("%d\n", 7 / zero);
        }
    }
    puts("done");
    return 0;
}
