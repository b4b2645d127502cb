/* execveat: fexecve of a memfd holding a copy of this program and of an O_PATH descriptor,
 * a path relative to a directory descriptor, AT_SYMLINK_NOFOLLOW, and the errors in Linux's
 * order. Children print "child WHAT"; the program runs as /prog. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define AT_EMPTY 0x1000
#define AT_NOFOLLOW 0x100

static char **env;

static void attempt(const char *what, int dirfd, const char *path, int flags) {
    char *argv[] = {"prog", "never", NULL};
    syscall(SYS_execveat, dirfd, path, argv, env, flags);
    printf("%s: %s\n", what, strerror(errno));
}

static void child(const char *what, int dirfd, const char *path, int flags) {
    fflush(stdout);
    if (fork() == 0) {
        char *argv[] = {"prog", (char *)what, NULL};
        syscall(SYS_execveat, dirfd, path, argv, env, flags);
        printf("%s failed: %s\n", what, strerror(errno));
        _exit(1);
    }
    wait(NULL);
}

int main(int argc, char **argv, char **envp) {
    if (argc > 1) {
        printf("child %s\n", argv[1]);
        return 0;
    }
    env = envp;
    int self = open("/prog", O_RDONLY);
    int m = memfd_create("copy", MFD_CLOEXEC);
    char buf[65536];
    ssize_t n;
    while ((n = read(self, buf, sizeof buf)) > 0)
        write(m, buf, n);
    mkdir("/tmp/d", 0755);
    symlink("/prog", "/tmp/d/link");
    int d = open("/tmp/d", O_RDONLY | O_DIRECTORY);
    attempt("with a name on a memfd", m, "x", AT_EMPTY);
    attempt("missing", AT_FDCWD, "/nonexistent", 0);
    attempt("empty without AT_EMPTY_PATH", m, "", 0x4000);
    attempt("bad flags", m, "", AT_EMPTY | 0x4000);
    attempt("nofollow on a link", d, "link", AT_NOFOLLOW);
    child("o_path", open("/prog", O_PATH), "", AT_EMPTY);
    child("memfd", m, "", AT_EMPTY);
    child("relative", d, "link", 0);
    return 0;
}
