/* A directory stream lists the directory as it is when read, not when opened: a name
 * made between opendir and the first readdir shows, and one made before rewinddir. A
 * directory descriptor is not open for writing. Prints the same on Linux. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int has(DIR *d, const char *name)
{
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d)) != NULL)
        found |= strcmp(e->d_name, name) == 0;
    return found;
}

int main(void)
{
    mkdir("/tmp/listing", 0755);
    DIR *d = opendir("/tmp/listing");
    close(open("/tmp/listing/early", O_CREAT | O_WRONLY, 0644));
    printf("made after opendir, seen: %d\n", has(d, "early"));
    close(open("/tmp/listing/later", O_CREAT | O_WRONLY, 0644));
    rewinddir(d);
    close(open("/tmp/listing/last", O_CREAT | O_WRONLY, 0644));
    printf("made after rewinddir, seen: %d\n", has(d, "last"));
    errno = 0;
    long r = write(dirfd(d), "x", 1);
    printf("write to a directory: %ld %s\n", r, strerror(errno));
    closedir(d);
    unlink("/tmp/listing/early");
    unlink("/tmp/listing/later");
    unlink("/tmp/listing/last");
    rmdir("/tmp/listing");
    return 0;
}
