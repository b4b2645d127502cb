/* MAP_SHARED: an anonymous counter incremented by parent and child under a shared spin
   flag, a file mapping seen by a forked child and written back to the file, memfd_create. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sock_check.h"

#define ROUNDS 2000

static void counter(void) {
    volatile long *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED, "mmap shared");
    /* shared[0]: the counter; shared[1]: whose turn (0 parent, 1 child) */
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < ROUNDS; i++) {
            while (shared[1] != 1) sched_yield();
            shared[0]++;
            shared[1] = 0;
        }
        _exit(0);
    }
    for (int i = 0; i < ROUNDS; i++) {
        while (shared[1] != 0) sched_yield();
        shared[0]++;
        shared[1] = 1;
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child");
    CHECK(shared[0] == 2 * ROUNDS, "both increments seen");
    printf("ok shared counter %ld\n", shared[0]);
    char *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    priv[0] = 'p';
    if ((pid = fork()) == 0) {
        priv[0] = 'c';
        _exit(0);
    }
    waitpid(pid, &st, 0);
    CHECK(priv[0] == 'p', "a private mapping stays private");
    OK("private stays private");
}

static void file_mapping(void) {
    mkdir("/tmp", 0777);
    int fd = open("/tmp/shared.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && ftruncate(fd, 8192) == 0, "file");
    CHECK(pwrite(fd, "from the file", 13, 4096) == 13, "pwrite");
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED && !memcmp(m + 4096, "from the file", 13), "mapping shows the file");
    pid_t pid = fork();
    if (pid == 0) {
        /* a second, independent mapping of the same file in the child */
        int fd2 = open("/tmp/shared.dat", O_RDWR);
        char *m2 = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
        memcpy(m2, "child wrote this", 16);
        memcpy(m + 100, "through fork", 12);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    CHECK(!memcmp(m, "child wrote this", 16), "the child's mapping is the parent's");
    CHECK(!memcmp(m + 100, "through fork", 12), "the inherited mapping is shared");
    CHECK(msync(m, 8192, MS_SYNC) == 0, "msync");
    char buf[16];
    CHECK(pread(fd, buf, 16, 0) == 16 && !memcmp(buf, "child wrote this", 16), "in the file");
    struct stat sb;
    CHECK(fstat(fd, &sb) == 0 && sb.st_size == 8192, "size unchanged");
    munmap(m, 8192);
    close(fd);
    OK("shared file mapping");
}

static void memfd(void) {
    int fd = memfd_create("region", MFD_CLOEXEC);
    CHECK(fd >= 0 && ftruncate(fd, 4096) == 0, "memfd_create");
    CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "MFD_CLOEXEC");
    int *v = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(v != MAP_FAILED, "map the memfd");
    pid_t pid = fork();
    if (pid == 0) {
        *v = 42;
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(*v == 42, "the child's store is seen");
    OK("memfd_create");
}

int main(void) {
    counter();
    file_mapping();
    memfd();
    return 0;
}
