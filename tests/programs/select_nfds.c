/* select and pselect6 with nfds past the descriptor table (hostile36 6a): Linux cuts nfds
   to the table's size (core_sys_select: 64 descriptors for a small process, more once a
   high descriptor is open) and reads and writes no bit beyond it; only a negative nfds is
   EINVAL. Prints Linux's lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/syscall.h>

#define R(what, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s %ld %s\n", what, r_, r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

#define WILD ((fd_set *)0x10)

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    struct timeval tv = {0, 0};
    fd_set w, big[4];
    R("select(1<<30) nothing", select(1 << 30, 0, 0, 0, &tv));
    FD_ZERO(&w);
    FD_SET(1, &w);
    tv.tv_sec = 0;
    R("select(2000) stdout writable", select(2000, 0, &w, 0, &tv));
    printf("  bit 1 %d\n", FD_ISSET(1, &w));
    R("select(1<<30) wild set", select(1 << 30, WILD, 0, 0, &tv));
    R("select(-1)", select(-1, 0, 0, 0, &tv));
    memset(big, 0, sizeof big);
    FD_SET(1, &big[0]);
    FD_SET(70, &big[0]);           /* past a 64-descriptor table: not looked at */
    FD_SET(3000, (fd_set *)((char *)big + 0));
    R("select(4096) with bits past the table", select(4096, 0, big, 0, &tv));
    printf("  bit 1 %d, bit 70 still %d, bit 3000 still %d\n", FD_ISSET(1, &big[0]),
           FD_ISSET(70, &big[0]), FD_ISSET(3000, (fd_set *)big));
    FD_ZERO(&w);
    FD_SET(50, &w);                /* closed, inside the table */
    R("select(1<<30) a closed descriptor", select(1 << 30, 0, &w, 0, &tv));
    dup2(1, 100);                  /* the table grows to 128 */
    memset(big, 0, sizeof big);
    FD_SET(100, &big[0]);
    FD_SET(200, (fd_set *)big);
    R("select(4096) descriptor 100", select(4096, 0, big, 0, &tv));
    printf("  bit 100 %d, bit 200 still %d\n", FD_ISSET(100, &big[0]), FD_ISSET(200, (fd_set *)big));
    struct timespec ts = {0, 0};
    R("pselect6(1<<30) nothing", syscall(SYS_pselect6, 1 << 30, 0, 0, 0, &ts, 0));
    R("pselect6(-5)", syscall(SYS_pselect6, -5, 0, 0, 0, &ts, 0));
    return 0;
}
