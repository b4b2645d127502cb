/* A working directory (and a directory descriptor) is the directory, not its name
   (hostile36 2c): once it is removed, or another directory is renamed over it, nothing can
   be made in it, getcwd fails ENOENT, and a directory that takes its name is not written to;
   `..` still leads to the parent; a rename of a live cwd is followed. Prints one line per
   check, the same lines as on Linux. Run in a root with an empty /tmp. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define R(what, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s: %s\n", what, r_ < 0 ? strerrorname_np(errno) : "ok"); } while (0)

static void cwd(const char *when)
{
    char b[256];
    errno = 0;
    char *r = getcwd(b, sizeof b);
    printf("%s: getcwd %s\n", when, r ? b : strerrorname_np(errno));
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    /* removed, then made again under the same name (inode numbers may be reused) */
    for (int round = 0; round < 3; round++) {
        mkdir("/tmp/w1", 0755);
        chdir("/tmp/w1");
        rmdir("/tmp/w1");
        mkdir("/tmp/w1", 0755);
        errno = 0;
        int fd = open("f", O_CREAT | O_WRONLY, 0644);
        if (round == 0) {
            printf("create in the removed cwd: %s\n", fd < 0 ? strerrorname_np(errno) : "ok");
            printf("a file in the new /tmp/w1: %d\n", exists("/tmp/w1/f"));
            cwd("removed");
            R("mkdir in the removed cwd", mkdir("d", 0755));
            R("stat of a name in it", access("f", F_OK));
            pid_t c = fork();
            if (c == 0) {
                R("child: create in the inherited cwd", open("g", O_CREAT | O_WRONLY, 0644));
                _exit(0);
            }
            waitpid(c, 0, 0);
            R("chdir ..", chdir(".."));
            cwd("after ..");
        } else if (fd >= 0) {
            printf("round %d: created in the new directory\n", round);
        }
        chdir("/");
        unlink("/tmp/w1/f");
        unlink("/tmp/w1/g");
        rmdir("/tmp/w1");
    }
    /* another directory renamed over the cwd */
    mkdir("/tmp/rn", 0755);
    mkdir("/tmp/rn/c", 0755);
    mkdir("/tmp/rn/empty", 0755);
    chdir("/tmp/rn/c");
    R("rename over the cwd", rename("/tmp/rn/empty", "/tmp/rn/c"));
    cwd("replaced");
    R("mkdir in the replaced cwd", mkdir("newdir", 0755));
    printf("newdir in the directory that took its name: %d\n", exists("/tmp/rn/c/newdir"));
    R("rmdir of the new one", rmdir("/tmp/rn/c"));
    /* a live cwd follows a rename of its parent */
    mkdir("/tmp/rn/a", 0755);
    mkdir("/tmp/rn/a/b", 0755);
    chdir("/tmp/rn/a/b");
    rename("/tmp/rn/a", "/tmp/rn/x");
    cwd("renamed");
    R("create in the renamed cwd", open("h", O_CREAT | O_WRONLY, 0644));
    printf("it is in /tmp/rn/x/b: %d\n", exists("/tmp/rn/x/b/h"));
    /* a directory descriptor, and fchdir to it, once the directory is gone */
    mkdir("/tmp/dd", 0755);
    int dfd = open("/tmp/dd", O_RDONLY | O_DIRECTORY);
    rmdir("/tmp/dd");
    mkdir("/tmp/dd", 0755);
    R("openat creating in a removed directory", openat(dfd, "k", O_CREAT | O_WRONLY, 0644));
    R("fchdir to it", fchdir(dfd));
    cwd("fchdir");
    R("create there", open("k", O_CREAT | O_WRONLY, 0644));
    printf("k in the new /tmp/dd: %d\n", exists("/tmp/dd/k"));
    return 0;
}
