/* /proc/locks lists this process's locks as Linux writes them (lslocks reads it): a flock,
   two POSIX record locks (a write lock on bytes 0-9, a read lock from 20 to the end) and
   an OFD lock; the lines of its own files, their id and pid made generic. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int main(void)
{
    int a = open("a.lock", O_CREAT | O_RDWR, 0600), b = open("b.lock", O_CREAT | O_RDWR, 0600);
    int c = open("c.lock", O_CREAT | O_RDWR, 0600);
    flock(a, LOCK_EX);
    struct flock w = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    struct flock r = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 20, .l_len = 0};
    fcntl(b, F_SETLK, &w);
    fcntl(b, F_SETLK, &r);
    struct flock o = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 5};
    fcntl(c, F_OFD_SETLK, &o);
    char self[16];
    snprintf(self, sizeof self, "%d", getpid());
    const char *names[] = {"a.lock", "b.lock", "c.lock"};
    for (int i = 0; i < 3; i++) {
        struct stat st;
        stat(names[i], &st);
        char key[64];
        snprintf(key, sizeof key, "%02x:%02x:%lu", major(st.st_dev), minor(st.st_dev),
                 (unsigned long)st.st_ino);
        FILE *f = fopen("/proc/locks", "r");
        char line[256];
        while (f && fgets(line, sizeof line, f)) {
            char kind[16], adv[16], type[16], pid[16], where[64], start[32], end[32];
            if (sscanf(line, "%*s %15s %15s %15s %15s %63s %31s %31s", kind, adv, type, pid,
                       where, start, end) != 7 || strcmp(where, key) != 0)
                continue;
            printf("%s %s %s %s %s %s %s\n", names[i], kind, adv, type,
                   strcmp(pid, self) == 0 ? "self" : pid, start, end);
        }
        if (f)
            fclose(f);
    }
    unlink("a.lock"); unlink("b.lock"); unlink("c.lock");
    return 0;
}
