/* process_vm_readv and process_vm_writev between a parent and its child: reads and writes
 * across several iovecs on both sides, a transfer cut at the first page that cannot be
 * read or written (the bytes before it count), EFAULT when nothing moved, the checks made
 * before any copy (flags, an empty local vector, a missing pid) and a process of another
 * user (EPERM). Every line is what Linux prints. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static char *area;     /* 3 pages in the child: rw, read-only, and a hole (unmapped) */

static void show(const char *what, ssize_t n)
{
    printf("%s: %zd %s\n", what, n, n < 0 ? strerror(errno) : "ok");
}

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    setvbuf(stdout, NULL, _IOLBF, 0);        /* lines in the order they happen, once */
    area = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(area, "hello from the child's memory", 30);
    memcpy(area + page - 4, "edge", 4);
    memcpy(area + page, "read-only page", 15);
    mprotect(area + page, page, PROT_READ);
    munmap(area + 2 * page, page);
    int go[2], done[2];
    pipe(go);
    pipe(done);
    pid_t child = fork();
    if (child == 0) {
        char c;
        read(go[0], &c, 1);                  /* the parent has written: show it */
        printf("child sees: %.30s\n", area);
        fflush(stdout);
        write(done[1], "x", 1);
        read(go[0], &c, 1);
        _exit(0);
    }
    char a[8], b[16], c[16];
    struct iovec local[3] = {{a, 8}, {b, 16}, {c, 16}};
    struct iovec remote[2] = {{area, 10}, {area + 10, 20}};
    memset(a, 0, 8); memset(b, 0, 16); memset(c, 0, 16);
    show("readv 2 remote into 3 local", process_vm_readv(child, local, 3, remote, 2, 0));
    printf("  got: %.8s|%.16s|%.6s\n", a, b, c);

    /* across the end of the read-write page into the read-only one: both readable */
    char edge[12] = {0};
    struct iovec l1 = {edge, 12}, r1 = {area + page - 4, 12};
    show("readv across two pages", process_vm_readv(child, &l1, 1, &r1, 1, 0));
    printf("  got: %.12s\n", edge);

    /* into the hole: the bytes of the readable page count, the rest does not */
    char big[64];
    struct iovec l2 = {big, 64}, r2 = {area + 2 * page - 8, 64};
    show("readv into a hole", process_vm_readv(child, &l2, 1, &r2, 1, 0));
    struct iovec r3 = {area + 2 * page, 8};
    show("readv of a hole", process_vm_readv(child, &l2, 1, &r3, 1, 0));

    /* writes: into the rw page; into the read-only page (no FOLL_FORCE: EFAULT) */
    struct iovec w[2] = {{"HELLO", 5}, {" FROM", 5}};
    struct iovec rw = {area, 10};
    show("writev 2 local into 1 remote", process_vm_writev(child, w, 2, &rw, 1, 0));
    struct iovec ro = {area + page, 4};
    show("writev into a read-only page", process_vm_writev(child, w, 1, &ro, 1, 0));
    struct iovec straddle = {area + page - 2, 5};
    show("writev across into read-only", process_vm_writev(child, w, 1, &straddle, 1, 0));

    /* a local buffer that cannot take the data */
    struct iovec badlocal = {(void *)16, 8};
    show("readv into a bad local buffer", process_vm_readv(child, &badlocal, 1, remote, 1, 0));

    /* checks before any copy */
    show("flags 1", process_vm_readv(child, local, 1, remote, 1, 1));
    struct iovec empty = {a, 0};
    show("empty local vector, no such pid", process_vm_readv(999999, &empty, 1, remote, 1, 0));
    show("no such pid", process_vm_readv(999999, local, 1, remote, 1, 0));
    show("bad remote vector", process_vm_readv(child, local, 1, (struct iovec *)16, 1, 0));
    show("too many iovecs", process_vm_readv(child, local, 1025, remote, 1, 0));

    write(go[1], "x", 1);
    char ch;
    read(done[0], &ch, 1);
    write(go[1], "x", 1);
    waitpid(child, NULL, 0);

    /* another user's process: EPERM */
    pid_t other = fork();
    if (other == 0) {
        if (setuid(1000) != 0) {
            printf("setuid: %s\n", strerror(errno));
            _exit(1);
        }
        char mine[8];
        struct iovec lm = {mine, 8}, rp = {area, 8};
        show("uid 1000 reads root's process", process_vm_readv(getppid(), &lm, 1, &rp, 1, 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(other, NULL, 0);
    return 0;
}
