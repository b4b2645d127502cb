/* A write past RLIMIT_FSIZE: SIGXFSZ (caught) with si_code SI_USER and the writer's own
   pid, as Linux's send_sig gives it, and the write fails with EFBIG. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

static volatile int code = -1, from_self = 0;

static void caught(int sig, siginfo_t *info, void *context)
{
    (void)sig; (void)context;
    code = info->si_code;
    from_self = info->si_pid == getpid();
}

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = caught;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGXFSZ, &sa, NULL);
    struct rlimit small = {4, 4};
    setrlimit(RLIMIT_FSIZE, &small);
    int fd = open("xfsz-probe", O_CREAT | O_TRUNC | O_WRONLY, 0600);
    write(fd, "abcd", 4);
    int n = write(fd, "e", 1);
    printf("write %d %s, SIGXFSZ code %d from itself %d\n", n, n < 0 && errno == EFBIG ?
           "EFBIG" : "?", code, from_self);
    unlink("xfsz-probe");
    return 0;
}
