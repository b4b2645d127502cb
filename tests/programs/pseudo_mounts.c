/* The pseudo file systems as mountpoint(1) and findmnt see them. For each directory named
   on the command line: whether it is a mountpoint by st_dev (busybox mountpoint: its st_dev
   differs from its parent's), whether fstat of the open directory agrees with stat, the
   statfs type; then each /proc/self/mountinfo line but the root's, with whether its device
   is the st_dev stat reports for its mountpoint. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        struct stat st, up, fst;
        char parent[256];
        snprintf(parent, sizeof parent, "%s/..", argv[i]);
        if (stat(argv[i], &st) != 0 || stat(parent, &up) != 0) {
            printf("%s: missing\n", argv[i]);
            continue;
        }
        int fd = open(argv[i], O_RDONLY | O_DIRECTORY);
        int agrees = fd >= 0 && fstat(fd, &fst) == 0 && fst.st_dev == st.st_dev &&
                     fst.st_ino == st.st_ino;
        struct statfs sfs;
        statfs(argv[i], &sfs);
        printf("%s: mountpoint %d fstat agrees %d type 0x%lx\n", argv[i],
               st.st_dev != up.st_dev, agrees, (unsigned long)sfs.f_type);
        if (fd >= 0) close(fd);
    }
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[1024];
    while (f && fgets(line, sizeof line, f)) {
        unsigned id, parent, major, minor;
        char root[256], point[256], opts[256], fstype[64];
        if (sscanf(line, "%u %u %u:%u %255s %255s %255s - %63s", &id, &parent, &major,
                   &minor, root, point, opts, fstype) != 8 || !strcmp(point, "/"))
            continue;
        struct stat st;
        int same = stat(point, &st) == 0 && st.st_dev == makedev(major, minor);
        printf("mountinfo %s %s under %u, st_dev agrees %d\n", point, fstype, parent, same);
    }
    return 0;
}
