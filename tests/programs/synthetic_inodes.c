/* stat() and fstat() of one synthesised file name the same inode, as cp and install check
 * before they copy ("skipping file, as it was replaced while being copied"), and two opens
 * of it agree. Prints the same on Linux (run as root; /etc/hostname is the machine's own
 * when the root has none). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(const char *path, int flags)
{
    struct stat byname, open1, open2;
    if (stat(path, &byname) != 0) {
        printf("%s: stat failed\n", path);
        return;
    }
    int a = open(path, flags), b = open(path, O_RDONLY);
    if (a < 0 || b < 0 || fstat(a, &open1) != 0 || fstat(b, &open2) != 0) {
        printf("%s: open or fstat failed\n", path);
        return;
    }
    printf("%s%s: stat and fstat agree %d, two opens agree %d\n", path,
           flags == O_RDWR ? " (read-write)" : "",
           byname.st_ino == open1.st_ino && byname.st_dev == open1.st_dev,
           open1.st_ino == open2.st_ino && open1.st_dev == open2.st_dev);
    close(a);
    close(b);
}

int main(void)
{
    check("/proc/cpuinfo", O_RDONLY);
    check("/proc/meminfo", O_RDONLY);
    check("/proc/self/status", O_RDONLY);
    check("/proc/sys/kernel/hostname", O_RDONLY);
    check("/proc/sys/kernel/hostname", O_RDWR);
    check("/sys/devices/system/cpu/online", O_RDONLY);
    check("/etc/hostname", O_RDONLY);
    return 0;
}
