/* The argument checks of munmap, mprotect and statx, in Linux's order: a range past the user
 * half, a wrapping range, unknown protection bits, statx's reserved mask bit and flags. Each
 * line is a call's result and errno; run natively and under sysvec, the output is the same. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what, long r)
{
    printf("%s %ld %d\n", what, r, r < 0 ? errno : 0);
    errno = 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("munmap everything", syscall(SYS_munmap, 0, -4096L));
    show("munmap past the top", syscall(SYS_munmap, -8192L, 4096));
    show("munmap wraps", syscall(SYS_munmap, m, -4096L));
    show("mprotect all bits", syscall(SYS_mprotect, m, 4096, 0xffffffffL));
    show("mprotect sem", syscall(SYS_mprotect, m, 4096, PROT_READ | PROT_WRITE | 0x8));
    show("mprotect both growths", syscall(SYS_mprotect, m, 4096, 0x03000000 | PROT_READ));
    show("mprotect nothing bad bits", syscall(SYS_mprotect, m, 0, 0xffffL));
#ifdef __x86_64__   /* (an i386 length never wraps the 64-bit kernel's arithmetic) */
    show("mprotect wraps", syscall(SYS_mprotect, m, -4096L, PROT_READ));
#endif
    m[0] = 1;
    show("still mapped", m[0]);
    char buf[256];
    show("statx reserved mask", syscall(SYS_statx, AT_FDCWD, "/", 0, 0xffffffffL, buf));
    show("statx unknown flag", syscall(SYS_statx, AT_FDCWD, "/", 0x1, 0x7ff, buf));
    show("statx both sync types", syscall(SYS_statx, AT_FDCWD, "/", 0x6000, 0x7ff, buf));
    int fd = open("/", O_RDONLY);
    show("statx fd reserved", syscall(SYS_statx, fd, "", AT_EMPTY_PATH, 0x80000000L, buf));
    show("statx fd sync types", syscall(SYS_statx, fd, "", AT_EMPTY_PATH | 0x6000, 0x7ff, buf));
    show("statx fd ok", syscall(SYS_statx, fd, "", AT_EMPTY_PATH, 0x7ff, buf));
    return 0;
}
