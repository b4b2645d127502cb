/* A signal whose default action dumps core: with RLIMIT_CORE 0 nothing is written and the
 * wait status has no core bit; with a limit, an ELF core file `core` appears in the dying
 * process's working directory (cut at the limit) and the status has the bit. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void die_by(int sig, rlim_t limit)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit rl = {limit, RLIM_INFINITY};
        setrlimit(RLIMIT_CORE, &rl);
        chdir("/tmp");
        raise(sig);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    struct stat st;
    int have = stat("/tmp/core", &st) == 0;
    char magic[4] = {0};
    if (have) {
        int fd = open("/tmp/core", O_RDONLY);
        read(fd, magic, 4);
        close(fd);
        unlink("/tmp/core");
    }
    printf("%s limit %lu: signaled %d sig %d core bit %d file %d elf %d size<=limit %d\n",
           strsignal(sig), (unsigned long)limit, WIFSIGNALED(status), WTERMSIG(status),
           WCOREDUMP(status) ? 1 : 0, have, have && !memcmp(magic, "\177ELF", 4),
           have && (rlim_t)st.st_size <= limit);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    die_by(SIGQUIT, 0);
    die_by(SIGABRT, 1 << 30);
    die_by(SIGSEGV, 4096);
    die_by(SIGTERM, 1 << 30);       /* terminates without a core */
    return 0;
}
