/* /proc/self/maps' file columns: prints, for each line naming the data file or the program,
 * its permissions, offset, whether the device and inode are the file's own (stat), and
 * whether the name starts at column 73; addresses are left out, so the host prints the same. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void show(const char *what, const char *path)
{
    struct stat st;
    stat(path, &st);
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char perms[8];
        unsigned long long lo, hi, offset, ino;
        unsigned maj, min;
        int name_at = 0;
        if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &lo, &hi, perms, &offset, &maj,
                   &min, &ino, &name_at) < 7 || !name_at)
            continue;
        line[strcspn(line, "\n")] = 0;
        if (strcmp(line + name_at, path) != 0)
            continue;
        printf("%s: %s offset %08llx same inode %d column %d pages %llu\n", what, perms, offset,
               ino == (unsigned long long)st.st_ino && major(st.st_dev) == maj &&
               minor(st.st_dev) == min, name_at, (hi - lo) / 4096);
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    show("program", argv[2]);
    int fd = open(argv[1], O_RDONLY);
    char *p = mmap(NULL, 4 * 4096, PROT_READ, MAP_PRIVATE, fd, 2 * 4096);
    show("mapped at 2 pages", argv[1]);
    munmap(p, 4096);
    show("first page unmapped", argv[1]);
    char *q = mremap(p + 4096, 3 * 4096, 5 * 4096, MREMAP_MAYMOVE);
    show("grown by mremap", argv[1]);
    munmap(q, 5 * 4096);
    char *s = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096);
    show("shared at 1 page", argv[1]);
    munmap(s, 4096);
    return 0;
}
