/* Starts a daemon (fork, setsid, a sleeping loop) and a background job of its own session,
 * then exits at once: `tblc run` waits for the job, not for the daemon. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
    if (fork() == 0) {
        setsid();
        if (fork() == 0)
            for (;;)
                sleep(100);
        _exit(0);
    }
    if (fork() == 0) {
        sleep(1);
        printf("the job of the session finished\n");
        exit(0);
    }
    printf("the program exits\n");
    fflush(stdout);
    return 3;
}
