/* The old getdents (struct linux_dirent, d_type in the record's last byte), as static
   programs of old C libraries read directories: every entry across small reads, each
   record's length a multiple of a long, a buffer smaller than one record EINVAL. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct old_dirent {
    unsigned long d_ino;
    long d_off;
    unsigned short d_reclen;
    char d_name[];
};

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    mkdir("/tmp/gd", 0755);
    close(open("/tmp/gd/file-a", O_CREAT | O_WRONLY, 0644));
    close(open("/tmp/gd/file-b", O_CREAT | O_WRONLY, 0644));
    mkdir("/tmp/gd/folder", 0755);
    symlink("file-a", "/tmp/gd/link");
    int fd = open("/tmp/gd", O_RDONLY | O_DIRECTORY);
    char buf[48];
    errno = 0;
    long tiny = syscall(SYS_getdents, fd, buf, 8);
    printf("8-byte buffer: %ld %s\n", tiny, errno == EINVAL ? "EINVAL" : strerror(errno));
    char *lines[16];
    int count = 0, aligned = 1;
    long n;
    while ((n = syscall(SYS_getdents, fd, buf, sizeof buf)) > 0) {
        for (long at = 0; at < n;) {
            struct old_dirent *d = (struct old_dirent *)(buf + at);
            char type = buf[at + d->d_reclen - 1];
            aligned &= d->d_reclen % sizeof(long) == 0;
            lines[count] = malloc(64);
            snprintf(lines[count++], 64, "%s %s", d->d_name,
                     type == DT_DIR ? "dir" : type == DT_REG ? "file" : type == DT_LNK ? "link" : "?");
            at += d->d_reclen;
        }
    }
    qsort(lines, count, sizeof *lines, by_name);
    for (int i = 0; i < count; i++)
        printf("%s\n", lines[i]);
    printf("end %ld, records aligned %d\n", n, aligned);
    return 0;
}
