/* statfs and fstatfs name the kernel's own file systems: proc, sysfs, devpts and tmpfs. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/vfs.h>
#include <unistd.h>

int main(void)
{
    const char *paths[] = {"/proc", "/proc/self/status", "/dev", "/dev/pts", "/dev/null"};
    for (unsigned i = 0; i < sizeof paths / sizeof *paths; i++) {
        struct statfs s;
        int r = statfs(paths[i], &s);
        printf("%s: %d type 0x%lx\n", paths[i], r, (unsigned long)s.f_type);
    }
    int fd = open("/proc/self/status", O_RDONLY);
    struct statfs s;
    fstatfs(fd, &s);
    printf("fstatfs /proc/self/status: type 0x%lx blocks %lu\n", (unsigned long)s.f_type,
           (unsigned long)s.f_blocks);
    return 0;
}
