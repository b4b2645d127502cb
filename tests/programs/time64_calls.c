/* i386's 64-bit time calls, made directly: utimensat_time64 sets a date past 2038 (touch -d
 * 2050 and cp -p of such a file failed with EOVERFLOW), futex_time64 waits out a timeout. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ts64 { int64_t sec; int64_t nsec; };

int main(void)
{
    int fd = open("/tmp/late", O_CREAT | O_WRONLY, 0644);
    close(fd);
    struct ts64 times[2] = {{2524608000LL, 5}, {2524608000LL, 500}};   /* 2050-01-01 */
    long r = syscall(412 /* utimensat_time64 */, AT_FDCWD, "/tmp/late", times, 0);
    struct stat st;
    stat("/tmp/late", &st);
    printf("utimensat_time64 %ld, stat says %s\n", r,
           st.st_mtime == (time_t)-1 || errno == EOVERFLOW ? "overflow" : "fits");
    struct statx sx;
    syscall(SYS_statx, AT_FDCWD, "/tmp/late", 0, STATX_MTIME, &sx);
    printf("mtime %lld.%u\n", (long long)sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec);
    int word = 0;
    struct ts64 wait = {0, 20 * 1000 * 1000};
    r = syscall(422 /* futex_time64 */, &word, 0 /* FUTEX_WAIT */, 0, &wait, NULL, 0);
    printf("futex_time64 %ld %s\n", r, r < 0 && errno == ETIMEDOUT ? "ETIMEDOUT" : "other");
    return 0;
}
