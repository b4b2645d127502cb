/* memfd seals (Wayland buffers, systemd, PipeWire): F_ADD_SEALS/F_GET_SEALS, and what each
 * seal forbids: shrinking, growing, writing (through write and through a shared writable
 * mapping, which also makes F_SEAL_WRITE wait: EBUSY), and further seals. Prints the same on
 * Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef F_ADD_SEALS                /* musl has them, older headers may not */
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 1
#define F_SEAL_SHRINK 2
#define F_SEAL_GROW 4
#define F_SEAL_WRITE 8
#endif

static const char *result(long r)
{
    static char bufs[4][32];
    static int next;
    char *buf = bufs[next++ % 4];          /* two in one printf */
    if (r >= 0)
        snprintf(buf, 32, "%ld", r);
    else
        snprintf(buf, 32, "-1 %s", errno == EPERM ? "EPERM" : errno == EBUSY ? "EBUSY"
                                                : errno == EACCES ? "EACCES"
                                                : errno == EINVAL ? "EINVAL" : strerror(errno));
    return buf;
}

int main(void)
{
    int fd = syscall(SYS_memfd_create, "seals", 2 /* MFD_ALLOW_SEALING */);
    int plain = syscall(SYS_memfd_create, "plain", 0);
    printf("seals at first: %s, without MFD_ALLOW_SEALING %s\n", result(fcntl(fd, F_GET_SEALS)),
           result(fcntl(plain, F_GET_SEALS)));
    printf("sealing one that may not: %s\n", result(fcntl(plain, F_ADD_SEALS, F_SEAL_WRITE)));
    ftruncate(fd, 8192);
    printf("shrink and grow sealed: %s\n", result(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW)));
    printf("shrinking: %s\n", result(ftruncate(fd, 4096)));
    printf("growing: %s\n", result(ftruncate(fd, 16384)));
    printf("writing past the end: %s\n", result(pwrite(fd, "x", 1, 8192)));
    printf("writing inside: %s\n", result(pwrite(fd, "x", 1, 0)));
    char *map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);   /* mprotect could write */
    printf("write seal while mapped shared read-only: %s\n",
           result(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE)));
    munmap(map, 8192);
    map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("write seal while mapped writable: %s\n", result(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE)));
    munmap(map, 8192);
    printf("after the unmap: %s\n", result(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE)));
    printf("writing: %s\n", result(pwrite(fd, "y", 1, 0)));
    map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mapping shared writable: %s\n", map == MAP_FAILED ? result(-1) : "mapped");
    map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
    printf("read-only map sees %c, made writable: %s\n", map[0],
           result(mprotect(map, 8192, PROT_READ | PROT_WRITE)));
    printf("private writable map: %s\n",
           mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == MAP_FAILED ? "failed"
                                                                               : "mapped");
    fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL);
    printf("seals now %s, another after F_SEAL_SEAL: %s\n", result(fcntl(fd, F_GET_SEALS)),
           result(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK)));
    printf("a pipe's seals: %s\n", result(fcntl(0, F_GET_SEALS)));
    return 0;
}
