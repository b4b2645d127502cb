/* Stats of paths, repeated across every change that can move where a path leads: the C trap
 * path answers repeated lookups from a cache (csrc/lookups.c), which must never show a
 * stale answer. Prints one line a stat; tests/test_lookup_cache.py compares them with what
 * Linux prints.
 *
 *   stat_lookups            the guest's own changes (names, links, cwd, chroot, creds, mounts)
 *   stat_lookups host       stats, "ready" on stdout, waits for a byte on stdin (the host
 *                           changes the tree meanwhile), stats again */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *tag, const char *path, int follow)
{
    struct stat st;
    for (int i = 0; i < 3; i++) {   /* the first walks, the others may be answered from the cache */
        long rc = syscall(SYS_newfstatat, AT_FDCWD, path, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW);
        if (i < 2)
            continue;
        if (rc)
            printf("%s %s: %s\n", tag, path, strerror(errno));
        else
            printf("%s %s: %o %ld\n", tag, path, st.st_mode, (long)st.st_size);
    }
}

/* struct statx by its offsets: musl's headers have none */
static void show_statx(const char *tag, const char *path)
{
    unsigned char sx[256];
    for (int i = 0; i < 3; i++) {
        long rc = syscall(SYS_statx, AT_FDCWD, path, 0, 0x7ff /* STATX_BASIC_STATS */, sx);
        if (i < 2)
            continue;
        uint16_t mode;
        uint64_t size;
        memcpy(&mode, sx + 28, sizeof mode);
        memcpy(&size, sx + 40, sizeof size);
        if (rc)
            printf("%s %s: %s\n", tag, path, strerror(errno));
        else
            printf("%s %s: %o %llu\n", tag, path, mode, (unsigned long long)size);
    }
}

static void put(const char *path, const char *text, int mode)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    if (fd < 0 || write(fd, text, strlen(text)) < 0)
        perror(path);
    close(fd);
}

static int host_changes(void)
{
    char byte;
    mkdir("h", 0755);
    mkdir("h/d", 0755);
    mkdir("h/e", 0755);
    put("h/d/f", "old", 0644);
    put("h/e/f", "other", 0644);
    symlink("d", "h/l");
    show("before", "h/d/f", 1);
    show("before", "/h/d/f", 1);
    show("before", "h/l/f", 1);
    printf("ready\n");
    if (read(0, &byte, 1) != 1)
        return 1;
    show("after", "h/d/f", 1);
    show("after", "/h/d/f", 1);
    show("after", "h/l/f", 1);
    return 0;
}

/* /proc/self/fd/N leads where descriptor N is open, for this process, now */
static void through_descriptors(void)
{
    char path[64];
    int d = open("d", O_RDONLY | O_DIRECTORY);
    snprintf(path, sizeof path, "/proc/self/fd/%d/x/f", d);
    show("via-fd", path, 1);
    int other = open("p", O_RDONLY | O_DIRECTORY);
    dup2(other, d);
    close(other);
    show("via-fd-redirected", path, 1);
    close(d);
    show("via-fd-closed", path, 1);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);   /* children's lines in order, none twice */
    if (argc > 1)
        return host_changes();
    mkdir("d", 0755);
    mkdir("d/e", 0755);
    put("d/e/f", "abc", 0644);
    show("file", "d/e/f", 1);
    show_statx("statx", "d/e/f");
    put("d/e/f", "abcdefg", 0644);
    show("grown", "d/e/f", 1);
    show("absolute", "/d/e/f", 1);
    show("dotted", "./d/./e/f", 1);

    /* names */
    rename("d/e", "d/x");
    show("renamed-away", "d/e/f", 1);
    show("renamed-to", "d/x/f", 1);
    symlink("x", "d/e");
    show("via-link", "d/e/f", 1);
    show("link-itself", "d/e", 0);
    show("link-followed", "d/e", 1);
    unlink("d/e");
    symlink("/d/x/f", "d/e");
    show("relinked", "d/e", 1);
    show_statx("relinked-statx", "d/e");
    unlink("d/e");
    show("unlinked", "d/e", 1);
    unlink("d/x/f");
    show("file-gone", "d/x/f", 1);
    put("d/x/f", "z", 0600);
    show("file-back", "d/x/f", 1);
    rmdir("d/y");
    mkdir("d/y", 0700);
    put("d/y/g", "gg", 0644);
    show("made", "d/y/g", 1);
    unlink("d/y/g");
    rmdir("d/y");
    show("dir-gone", "d/y/g", 1);
    int fd = open("d/x/f", O_WRONLY);
    ftruncate(fd, 1000);
    close(fd);
    show("truncated", "d/x/f", 1);

    /* the working directory */
    chdir("d");
    show("in-d", "x/f", 1);
    show("in-d", "d/x/f", 1);
    chdir("/");
    show("back", "d/x/f", 1);

    /* another process: its own cwd */
    pid_t child = fork();
    if (child == 0) {
        chdir("d/x");
        show("child", "f", 1);
        show("child", "d/x/f", 1);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    show("parent", "f", 1);

    /* a mount over a directory on the way, and its unmount */
    mkdir("m", 0755);
    put("m/under", "u", 0644);
    show("unmounted", "m/under", 1);
    if (mount("none", "m", "tmpfs", 0, NULL) == 0) {
        show("mounted", "m/under", 1);
        put("m/over", "oo", 0644);
        show("mounted", "m/over", 1);
        umount("m");
        show("unmounted-again", "m/under", 1);
        show("unmounted-again", "m/over", 1);
    }

    /* search permission: another user, a directory it cannot search, then can */
    mkdir("p", 0700);
    put("p/secret", "s", 0644);
    show("root", "p/secret", 1);
    child = fork();
    if (child == 0) {
        if (setresuid(1000, 1000, 1000) != 0)
            perror("setresuid");
        show("user", "p/secret", 1);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    chmod("p", 0755);
    child = fork();
    if (child == 0) {
        setresuid(1000, 1000, 1000);
        show("user-after-chmod", "p/secret", 1);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    chmod("p", 0700);
    child = fork();
    if (child == 0) {
        show("root-child", "p/secret", 1);
        setresuid(1000, 1000, 1000);   /* the same thread, new credentials */
        show("user-again", "p/secret", 1);
        _exit(0);
    }
    waitpid(child, NULL, 0);

    /* chroot */
    child = fork();
    if (child == 0) {
        show("outside", "/e", 1);
        chroot("d");
        show("chrooted", "/x/f", 1);
        show("chrooted", "/d/x/f", 1);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    show("unchrooted", "/d/x/f", 1);
    through_descriptors();
    return 0;
}
