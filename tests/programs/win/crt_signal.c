/* The C runtime's signal() and raise(): a handler is called with the signal (its action then back
 * to SIG_DFL), SIG_IGN does nothing, an unknown signal is SIG_ERR. */
#include <signal.h>
#include <stdio.h>
static volatile int seen;
static void on_signal(int sig) { seen = sig; }
int main(void)
{
    void (*old)(int) = signal(SIGINT, on_signal);
    int r = raise(SIGINT);
    printf("old default %d raise %d seen %d\n", old == SIG_DFL, r, seen);
    printf("reset to default %d\n", signal(SIGINT, SIG_IGN) == SIG_DFL);
    printf("ignored raise %d\n", raise(SIGINT));
    printf("bad signal %d\n", signal(99, on_signal) == SIG_ERR);
    signal(SIGTERM, on_signal);
    raise(SIGTERM);
    printf("term seen %d\n", seen);
    return 0;
}
