/* A page the parent wrote before fork (so its translation is writable and cached) is
 * copy-on-write after it: the parent's next store, in the same time slice, must not reach
 * the child's view. The child reports what it sees in its exit status. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile char page[4096] __attribute__((aligned(4096)));

int main(void)
{
    page[0] = 1;                 /* a writable translation for the page, before fork */
    pid_t child = fork();
    if (child == 0) {
        for (volatile int i = 0; i < 1000000; i++)
            ;                    /* the parent's store has happened by now */
        _exit(page[0]);
    }
    page[0] = 2;                 /* right after fork: the stale translation's moment */
    int status;
    waitpid(child, &status, 0);
    printf("parent %d child %d\n", page[0], WEXITSTATUS(status));
    return 0;
}
