/* A parent rewrites a function in its child's text through /proc/PID/mem, three times, and
 * the child calls it after each: the first write breaks the copy-on-write sharing, the later
 * ones land in place, under code the child already ran (gdb sets breakpoints so). */
#define _FILE_OFFSET_BITS 64
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline, aligned(64))) int f(void) { return 1; }
static int (*volatile fp)(void) = f;

int main(void)
{
    int to_child[2], to_parent[2];
    if (pipe(to_child) || pipe(to_parent))
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        char go;
        for (int round = 0; round < 4; round++) {
            int v = 0;
            for (int i = 0; i < 1000; i++)      /* hot: translated, and chained */
                v = fp();
            write(to_parent[1], &v, sizeof v);
            if (read(to_child[0], &go, 1) != 1)
                break;
        }
        _exit(0);
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
    int fd = open(path, O_RDWR);
    if (fd < 0) {
        perror("open");
        return 1;
    }
    for (int round = 0; round < 4; round++) {
        int v;
        if (read(to_parent[0], &v, sizeof v) != sizeof v)
            return 1;
        printf("round %d: f() = %d\n", round, v);
        unsigned char code[] = {0xb8, (unsigned char)(round + 2), 0, 0, 0, 0xc3};  /* mov eax, N; ret */
        if (pwrite(fd, code, sizeof code, (off_t)(uintptr_t)fp) != sizeof code)
            perror("pwrite");
        write(to_child[1], "x", 1);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child status %d\n", status);
    return 0;
}
