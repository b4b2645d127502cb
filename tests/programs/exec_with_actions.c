/* Sets actions exec keeps -- SIGUSR1 ignored with a mask, SA_RESTART and glibc's restorer --
 * then execs argv[1]: the new program must see them without flags, mask or restorer. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sa.sa_flags = SA_RESTART;
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGUSR1, &sa, 0);
    if (argc > 1)
        execv(argv[1], argv + 1);
    perror("execv");
    return 1;
}
