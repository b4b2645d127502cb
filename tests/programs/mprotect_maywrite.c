/* What a mapping may become: a shared mapping of a file opened read-only can never be made
 * writable (EACCES, VM_MAYWRITE), a private one can; madvise refuses to drop locked pages
 * (EINVAL), to punch a hole in a private mapping, and KSM advice on a kernel without KSM. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static int result(long r) { return r < 0 ? -errno : (int)r; }

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    char *shared, *private, *anon;

    ftruncate(fd, page);
    close(fd);
    fd = open("f", O_RDONLY);
    printf("shared writable map of a read-only fd: %d\n",
           result((long)mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)));
    shared = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    private = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("mprotect shared to write: %d\n", result(mprotect(shared, page, PROT_WRITE)));
    printf("mprotect private to write: %d\n", result(mprotect(private, page, PROT_WRITE)));
    printf("MADV_REMOVE on a read-only shared map: %d\n",
           result(madvise(shared, page, MADV_REMOVE)));
    anon = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("MADV_REMOVE on anonymous memory: %d\n", result(madvise(anon, page, MADV_REMOVE)));
    mlock(anon, page);
    printf("MADV_DONTNEED on locked memory: %d\n", result(madvise(anon, page, MADV_DONTNEED)));
    printf("MADV_DONTNEED next to it: %d\n", result(madvise(anon + page, page, MADV_DONTNEED)));
    printf("MADV_MERGEABLE: %d\n", result(madvise(anon, page, MADV_MERGEABLE)));
    return 0;
}
