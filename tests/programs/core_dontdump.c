/* A core file named by core_pattern (%p: the pid), holding a marked anonymous mapping's
 * memory unless MADV_DONTDUMP left it out; /proc/self/coredump_filter reads and writes in hex. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int has_marker(pid_t pid)
{
    char name[64], buf[65536];
    int fd, n, found = 0;

    snprintf(name, sizeof name, "/tmp/dump-%d", (int)pid);
    fd = open(name, O_RDONLY);
    if (fd < 0)
        return -1;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        for (int i = 0; i + 8 <= n; i++)
            if (!memcmp(buf + i, "MARKER42", 8))
                found = 1;
    close(fd);
    return found;
}

static pid_t crash(char *mem, int advice)
{
    pid_t pid = fork();

    if (pid == 0) {
        madvise(mem, 4096, advice);
        abort();
    }
    return pid;
}

int main(void)
{
    struct rlimit core = {RLIM_INFINITY, RLIM_INFINITY};
    char filter[16] = "";
    int fd, st;
    pid_t a, b;
    char *mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    memcpy(mem, "MARKER", 6);
    memcpy(mem + 6, "42", 2);
    setrlimit(RLIMIT_CORE, &core);
    fd = open("/proc/sys/kernel/core_pattern", O_WRONLY);
    write(fd, "/tmp/dump-%p", 12);
    close(fd);
    fd = open("/proc/self/coredump_filter", O_RDONLY);
    read(fd, filter, sizeof filter - 1);
    close(fd);
    printf("filter %s", filter);

    a = crash(mem, MADV_DONTDUMP);
    waitpid(a, &st, 0);
    printf("dontdump: core bit %d marker %d\n", WCOREDUMP(st) ? 1 : 0, has_marker(a));
    b = crash(mem, MADV_DODUMP);
    waitpid(b, &st, 0);
    printf("dodump: core bit %d marker %d\n", WCOREDUMP(st) ? 1 : 0, has_marker(b));

    fd = open("/proc/self/coredump_filter", O_WRONLY);
    write(fd, "0x32", 4);           /* no anonymous private memory */
    close(fd);
    b = crash(mem, MADV_DODUMP);
    waitpid(b, &st, 0);
    printf("filtered: core bit %d marker %d\n", WCOREDUMP(st) ? 1 : 0, has_marker(b));
    return 0;
}
