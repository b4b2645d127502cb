/* The working directory and a directory descriptor are directories, not names: renamed,
 * relative lookups still land in them, getcwd and /proc/self/fd name the new path, and a
 * new directory made under the old name is another one. Prints the same on Linux. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    char buf[256];
    mkdir("/tmp/cwd_a", 0755);
    chdir("/tmp/cwd_a");
    rename("/tmp/cwd_a", "/tmp/cwd_b");
    int fd = open("made_after", O_CREAT | O_WRONLY, 0644);
    printf("relative open: %d, getcwd %s, in cwd_b %d\n", fd >= 0, getcwd(buf, sizeof buf),
           access("/tmp/cwd_b/made_after", F_OK) == 0);
    mkdir("/tmp/cwd_a", 0755);
    close(open("second", O_CREAT | O_WRONLY, 0644));
    printf("old name made again: second in cwd_b %d, in the new cwd_a %d\n",
           access("/tmp/cwd_b/second", F_OK) == 0, access("/tmp/cwd_a/second", F_OK) == 0);
    mkdir("/tmp/dir_c", 0755);
    int dfd = open("/tmp/dir_c", O_RDONLY | O_DIRECTORY);
    int file = open("/tmp/dir_c/inside", O_CREAT | O_WRONLY, 0644);
    rename("/tmp/dir_c", "/tmp/dir_d");
    int made = openat(dfd, "via_dirfd", O_CREAT | O_WRONLY, 0644);
    snprintf(buf, sizeof buf, "/proc/self/fd/%d", file);
    char link[256] = {0};
    readlink(buf, link, sizeof link - 1);
    printf("openat: %d, in dir_d %d, open file now %s\n", made >= 0,
           access("/tmp/dir_d/via_dirfd", F_OK) == 0, link);
    return 0;
}
