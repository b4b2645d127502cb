/* FICLONE and FICLONERANGE (cp --reflink) on a file system without reflinks: ext4 answers
 * EOPNOTSUPP after vfs_clone_file_range's checks (another file system EXDEV, a directory
 * EISDIR, the source not readable or the destination not writable or appending EBADF).
 * Prints the same on Linux with /tmp on ext4. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef FICLONE
#define FICLONE _IOW(0x94, 9, int)
#define FICLONERANGE _IOW(0x94, 13, struct file_clone_range)
struct file_clone_range {
    long long src_fd;
    unsigned long long src_offset, src_length, dest_offset;
};
#endif

static const char *names(int e)
{
    switch (e) {
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EXDEV: return "EXDEV";
    case EISDIR: return "EISDIR";
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case ENOTTY: return "ENOTTY";
    default: return strerror(e);
    }
}

static void clone(const char *what, int dst, int src)
{
    int rc = ioctl(dst, FICLONE, src);
    printf("%s: %s\n", what, rc == 0 ? "0" : names(errno));
}

int main(void)
{
    int src = open("/tmp/clone_src", O_RDWR | O_CREAT | O_TRUNC, 0644);
    int dst = open("/tmp/clone_dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(src, "reflink me\n", 11);
    clone("FICLONE", dst, src);
    struct file_clone_range range = {src, 0, 11, 0};
    int rc = ioctl(dst, FICLONERANGE, &range);
    printf("FICLONERANGE: %s\n", rc == 0 ? "0" : names(errno));
    rc = ioctl(dst, FICLONERANGE, (void *)16);
    printf("FICLONERANGE of a bad pointer: %s\n", rc == 0 ? "0" : names(errno));
    clone("a source descriptor not open", dst, 999);
    clone("from another file system (/proc)", dst, open("/proc/self/status", O_RDONLY));
    clone("from a directory", dst, open("/tmp", O_RDONLY | O_DIRECTORY));
    clone("from a write-only descriptor", dst, open("/tmp/clone_src", O_WRONLY));
    clone("into a read-only descriptor", open("/tmp/clone_dst", O_RDONLY), src);
    clone("into an appending descriptor", open("/tmp/clone_dst", O_WRONLY | O_APPEND), src);
    unlink("/tmp/clone_src");
    unlink("/tmp/clone_dst");
    return 0;
}
