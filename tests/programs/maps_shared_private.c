/* A private page mapped (MAP_FIXED) into a shared anonymous mapping is a mapping of its own:
 * /proc/self/maps shows it apart, with its own 'p', and the shared rest keeps its 's'. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void show(const char *what, char *addr)
{
    char buf[16384], want[32], *line;
    int fd = open("/proc/self/maps", O_RDONLY), n = 0, r;

    while ((r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
        n += r;
    close(fd);
    buf[n] = 0;
    snprintf(want, sizeof want, "%08lx-", (unsigned long)(uintptr_t)addr);
    for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        if (!strncmp(line, want, strlen(want)))
            printf("%s: %.4s\n", what, strchr(line, ' ') + 1);
}

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    char *shared = mmap(NULL, 2 * page, PROT_NONE, MAP_ANONYMOUS | MAP_SHARED, -1, 0);
    char *private = mmap(shared + page, page, PROT_NONE, MAP_ANONYMOUS | MAP_PRIVATE | MAP_FIXED,
                         -1, 0);
    char *p2 = mmap(NULL, 2 * page, PROT_READ, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    char *s2 = mmap(p2 + page, page, PROT_READ, MAP_ANONYMOUS | MAP_SHARED | MAP_FIXED, -1, 0);

    show("shared page", shared);
    show("private page in it", private);
    show("private page", p2);
    show("shared page in it", s2);
    return 0;
}
