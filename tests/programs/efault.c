/* Every system call that takes a pointer must answer EFAULT for a bad one: unmapped, the
 * kernel half, wrapping around the top, and read-only memory for calls that write. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int failures;

#define CHECK(name, expr)                                                          \
    do {                                                                           \
        errno = 0;                                                                 \
        long rc = (expr);                                                          \
        if (rc != -1 || errno != EFAULT) {                                         \
            printf("%s(%p) = %ld errno %d\n", name, p, rc, errno);                 \
            failures++;                                                            \
        }                                                                          \
    } while (0)

int main(void)
{
    unsigned long bad[] = {0x8, 0x1000, 0xffff800000000000ul, 0xfffffffffffff000ul,
                           (unsigned long)main /* read-only: fails only for writes */};
    int fds[2];
    char drain[8];
    pipe(fds);
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    {   /* setsockopt copies optlen bytes whatever the option: NULL too */
        void *p = NULL;
        CHECK("setsockopt", syscall(SYS_setsockopt, sock, SOL_SOCKET, SO_SNDBUF, p, 4));
    }
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        void *p = (void *)bad[i];
        int ro = i == 4;
        write(fds[1], "12345678", 8);
        CHECK("read", syscall(SYS_read, fds[0], p, 8));
        syscall(SYS_read, fds[0], drain, 8);
        CHECK("stat", syscall(SYS_stat, "/", p));
        CHECK("clock_gettime", syscall(SYS_clock_gettime, 0, p));
        CHECK("uname", syscall(SYS_uname, p));
        CHECK("pipe", syscall(SYS_pipe, p));
        CHECK("getcwd", syscall(SYS_getcwd, p, 64));
        CHECK("getrandom", syscall(SYS_getrandom, p, 8, 0));
        CHECK("fstat", syscall(SYS_fstat, 0, p));
        if (!ro) {
            CHECK("write", syscall(SYS_write, 1, p, 8));
            CHECK("open", syscall(SYS_open, p, 0));
            CHECK("rt_sigaction", syscall(SYS_rt_sigaction, 10, p, 0, 8));
            CHECK("nanosleep", syscall(SYS_nanosleep, p, 0));
            CHECK("execve", syscall(SYS_execve, p, 0, 0));
            CHECK("setsockopt", syscall(SYS_setsockopt, sock, SOL_SOCKET, SO_RCVBUF, p, 4));
        }
    }
    printf("%d failures\n", failures);
    return failures != 0;
}
