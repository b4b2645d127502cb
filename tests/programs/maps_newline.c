/* A newline in a mapped file's name is written \012 in /proc/PID/maps and smaps (Linux's
 * seq_file_path escape): the name cannot forge a mapping line for readers of another
 * process's maps (ps, pmap, sanitizers, debuggers). Prints the same on Linux. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FORGED "7f0000000000-7f0000001000 rwxp 00000000 00:00 0"

static void scan(const char *path)
{
    static char buf[1 << 16];
    int fd = open(path, O_RDONLY);
    long n = 0, got;
    while ((got = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
        n += got;
    buf[n] = 0;
    close(fd);
    int named = 0, forged = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        if (strstr(line, "/tmp/evil\\012" FORGED " [fake]"))
            named++;
        if (strncmp(line, FORGED, strlen(FORGED)) == 0)
            forged++;
    }
    printf("%s: lines naming the file with \\012: %d, forged lines: %d\n", path, named, forged);
}

int main(void)
{
    const char *name = "/tmp/evil\n" FORGED " [fake]";
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, 4096) != 0 ||
        mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
        return 1;
    scan("/proc/self/maps");
    scan("/proc/self/smaps");
    unlink(name);
    return 0;
}
