/* Linux's checks of a buffer before anything else (access_ok): a kernel-half address is
 * EFAULT even for /dev/null or a count of 0; a non-socket is ENOTSOCK for sendmmsg even with
 * no messages, and recvmmsg reads its timeout first; arch_prctl refuses a kernel-half base. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what, long r) {
    printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void) {
    int null = open("/dev/null", O_RDWR);
    char *kernel = (char *)0xffff800000000000ul;
    show("write from the kernel half", syscall(SYS_write, null, kernel, 1ul << 40));
    show("read into the kernel half", syscall(SYS_read, null, kernel, 16));
    show("write of nothing from there", syscall(SYS_write, null, kernel, 0));
    show("pread into the kernel half", syscall(SYS_pread64, null, kernel, 16, 0));
    show("sendmmsg on a file", syscall(SYS_sendmmsg, null, NULL, 0, 0));
    show("recvmmsg with a bad timeout", syscall(SYS_recvmmsg, null, NULL, 0, 0, (void *)8));
    show("arch_prctl kernel base", syscall(SYS_arch_prctl, 0x1002, 0xffff800000000000ul));
    return 0;
}
