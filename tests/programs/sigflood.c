/* Signals by the hundred thousand, as LTP's signal06 sends them: a thread signals itself in a
 * loop (each handler on the alternate stack) while a second thread keeps making that stack
 * read-only and writable again; a handler whose frame cannot be written is replaced by a
 * SIGSEGV the kernel forces, which the process handles on its normal stack. The vector
 * registers the interrupted code had survive every handler. Then the frame failure alone,
 * deterministic: a SIGSEGV handler runs, and without one the process dies of SIGSEGV.
 * Build with -pthread. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOOPS 30000          /* one case of signal06 */

static char altstack[4096 * 10] __attribute__((aligned(4096)));
static volatile double value;
static volatile int done;
static volatile long handled, segvs;

static void on_hup(int sig) { (void)sig; handled++; }
static void on_segv(int sig) { (void)sig; segvs++; }

static void *toggler(void *arg)
{
    (void)arg;
    while (!done) {
        mprotect(altstack, sizeof altstack, PROT_READ);
        mprotect(altstack, sizeof altstack, PROT_READ | PROT_WRITE);
    }
    return NULL;
}

static void on(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

static void flood(void)
{
    stack_t st = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&st, NULL);
    on(SIGSEGV, on_segv, 0);
    on(SIGHUP, on_hup, SA_ONSTACK);
    pthread_t t;
    pthread_create(&t, NULL, toggler, NULL);
    int pid = getpid(), loop = 0;
    value = 123.456;
    while (value == 123.456 && loop < LOOPS) {
        long unused;
        /* tkill straight from asm: no C call saves the vector registers around it */
        __asm__ volatile("syscall" : "=a"(unused) : "a"(SYS_tkill), "D"(pid), "S"(SIGHUP)
                         : "rcx", "r11", "memory");
        loop++;
    }
    done = 1;
    pthread_join(t, NULL);
    printf("loops %d, vector registers %s\n", loop, value == 123.456 ? "kept" : "LOST");
    printf("every signal handled: %s\n", handled + segvs == loop ? "yes" : "no");
}

/* SIGUSR1's handler asks for the alternate stack, which is read-only. */
static void unwritable_frame(int with_segv_handler)
{
    char *stack = mmap(NULL, 65536, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    stack_t st = {.ss_sp = stack, .ss_size = 65536};
    sigaltstack(&st, NULL);
    segvs = handled = 0;
    on(SIGSEGV, with_segv_handler ? on_segv : SIG_DFL, 0);
    on(SIGUSR1, on_hup, SA_ONSTACK);
    raise(SIGUSR1);
    printf("frame on a read-only stack: SIGUSR1 handled %ld, SIGSEGV handled %ld\n",
           handled, segvs);
}

int main(void)
{
    flood();
    unwritable_frame(1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        unwritable_frame(0);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("without a SIGSEGV handler: %s\n",
           WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? "killed by SIGSEGV" : "lived");
    return 0;
}
