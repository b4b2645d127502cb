/* Waits in pause() for ^C with a SIGINT handler: nothing in the machine can wake it, only a
 * key on the terminal. Exits 3 once the handler has run. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t caught;
static void on_int(int sig) { (void)sig; caught = 1; }

int main(void)
{
    signal(SIGINT, on_int);
    printf("waiting for a key\n");
    fflush(stdout);
    while (!caught)
        pause();
    printf("caught SIGINT\n");
    return 3;
}
