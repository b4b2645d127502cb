/* vfork: the child exits at once; the parent then reports the child's status + 1. */
#include <sys/wait.h>
#include <unistd.h>

int after_vfork(int s) { return s + 1; }

int main(void)
{
    pid_t pid = vfork();
    if (pid == 0)
        _exit(3);
    int status = 0;
    waitpid(pid, &status, 0);
    return after_vfork(WEXITSTATUS(status));
}
