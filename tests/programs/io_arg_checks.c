/* Argument checks of copy_file_range, sendfile, splice, tee, fallocate, lseek, posix_fadvise
 * and their kin: 44 edge cases, each printed with its result; tests/test_fidelity.py compares
 * them with the host line for line (from the ninth Debian sweep: sendfile to an O_APPEND file
 * wrote, posix_fadvise took advice 99). Works in the current directory (files a, b, c). */
#define _GNU_SOURCE
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/mman.h>
#define R(x) do { errno = 0; long _r = (long)(x); printf("%-60s = %ld %s\n", #x, _r, _r < 0 ? strerror(errno) : ""); } while (0)
int main(void) {
    char buf[64]; loff_t o1 = 0, o2 = 0; int p[2];
    int a = open("a", O_RDWR|O_CREAT|O_TRUNC, 0644); write(a, "0123456789abcdef", 16);
    int b = open("b", O_RDWR|O_CREAT|O_TRUNC, 0644);
    int ap = open("c", O_WRONLY|O_CREAT|O_APPEND|O_TRUNC, 0644);
    int ro = open("a", O_RDONLY);
    R(copy_file_range(a, &o1, b, &o2, 8, 0)); printf("o1=%lld o2=%lld\n", (long long)o1, (long long)o2);
    o1 = 100; R(copy_file_range(a, &o1, b, NULL, 8, 0));
    o1 = 0; o2 = 4; R(copy_file_range(a, &o1, a, &o2, 8, 0));
    o1 = 0; o2 = 20; R(copy_file_range(a, &o1, a, &o2, 4, 0));
    R(copy_file_range(a, NULL, ap, NULL, 4, 0));
    R(copy_file_range(a, NULL, ro, NULL, 4, 0));
    R(copy_file_range(a, NULL, b, NULL, 4, 1));
    pipe(p); R(copy_file_range(a, NULL, p[1], NULL, 4, 0));
    R(lseek(a, 0, SEEK_CUR));
    o1 = 2; R(sendfile(p[1], a, &o1, 5)); printf("o1=%lld\n", (long long)o1);
    R(read(p[0], buf, 64));
    R(sendfile(b, a, NULL, 3)); R(lseek(a, 0, SEEK_CUR)); R(lseek(b, 0, SEEK_CUR));
    o1 = 0; R(sendfile(ap, a, &o1, 4));
    R(sendfile(a, p[0], NULL, 4));
    R(splice(a, NULL, p[1], NULL, 4, 0)); R(splice(p[0], NULL, b, NULL, 10, 0));
    R(splice(a, NULL, b, NULL, 4, 0));
    o1 = 1; R(splice(p[0], &o1, b, NULL, 4, SPLICE_F_NONBLOCK));
    R(fstat(b, &(struct stat){0}));
    struct stat st; fstat(b, &st); printf("b size %lld\n", (long long)st.st_size);
    R(tee(p[0], p[1], 4, 0));
    R(fallocate(b, FALLOC_FL_PUNCH_HOLE, 0, 4));
    R(fallocate(b, FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE, 0, 4));
    R(pread(b, buf, 8, 0)); printf("%d %d\n", buf[0], buf[4]);
    R(fallocate(b, FALLOC_FL_COLLAPSE_RANGE, 0, 4096));
    R(fallocate(b, FALLOC_FL_ZERO_RANGE, 100, 10)); fstat(b, &st); printf("b size %lld\n", (long long)st.st_size);
    R(posix_fadvise(b, 0, 0, 99)); R(readahead(b, 0, 100)); R(readahead(p[0], 0, 10));
    R(syncfs(b)); R(sync_file_range(b, 0, 0, 8)); R(sync_file_range(b, 0, 0, 99));
    R(ftruncate(ap, 5)); R(ftruncate(ro, 5)); R(truncate("a", -1));
    R(lseek(a, 0, SEEK_DATA)); R(lseek(a, 100, SEEK_DATA)); R(lseek(a, 0, SEEK_HOLE)); R(lseek(a, -1, SEEK_SET));
    R(lseek(p[0], 0, SEEK_CUR));
    return 0;
}
