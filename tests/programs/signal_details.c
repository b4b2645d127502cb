/* What a handler learns: SIGBUS from a page past a file's end names the byte accessed;
 * an F_SETSIG signal names the descriptor and the band (fcntl(2)). Same on Linux. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

static siginfo_t got;
static sigjmp_buf back;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
    got = *si;
    siglongjmp(back, 1);
}

static void on_io(int sig, siginfo_t *si, void *uc)
{
    got = *si;
}

int main(void)
{
    int fd = open("/tmp/short_file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "x", 1);
    char *p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    if (!sigsetjmp(back, 1))
        (void)*(volatile char *)(p + 4096 + 10);
    printf("SIGBUS at offset %ld, code %d\n", (long)((char *)got.si_addr - p), got.si_code);
    unlink("/tmp/short_file");

    sa.sa_sigaction = on_io;
    sigaction(SIGUSR2, &sa, NULL);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    fcntl(sv[0], F_SETOWN, getpid());
    fcntl(sv[0], F_SETSIG, SIGUSR2);
    fcntl(sv[0], F_SETFL, O_ASYNC | O_NONBLOCK);
    memset(&got, 0, sizeof got);
    write(sv[1], "a", 1);
    usleep(50000);
    printf("F_SETSIG: signal %d, fd is ours %d, band %#lx, code %d\n", got.si_signo,
           got.si_fd == sv[0], (long)got.si_band, got.si_code);
    return 0;
}
