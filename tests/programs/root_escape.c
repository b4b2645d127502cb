/* Ways out of the root a guest might try: a symbolic link, /proc/self/root and /proc/self/fd
 * followed by "..", openat2, the classic chroot breakout, device nodes it makes, a port or a
 * unix socket of the host, another uid's process. Prints what each gives; a line ending in
 * LEAK or HOSTPATH is a way out (a secret file outside the root read, the root's host path
 * shown). usage: root_escape HOST-ROOT-PATH HOST-TCP-PORT HOST-UNIX-SOCKET-PATH */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *secret = "HOSTSECRET";

static void check_read(const char *what, int fd)
{
    char buf[4096];
    if (fd < 0) {
        printf("%s: open %s\n", what, strerrorname_np(errno));
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n < 0) {
        printf("%s: read %s\n", what, strerrorname_np(errno));
    } else {
        buf[n] = 0;
        printf("%s: read %zd%s\n", what, n, memmem(buf, n, secret, strlen(secret)) ? " LEAK" : "");
    }
    close(fd);
}

static void show_link(const char *path)
{
    char buf[4096];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0)
        printf("readlink %s: %s\n", path, strerrorname_np(errno));
    else {
        buf[n] = 0;
        printf("readlink %s: %s\n", path, buf);
    }
}

static void grep_file(const char *path, const char *needle)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%s: %s\n", path, strerrorname_np(errno));
        return;
    }
    static char buf[1 << 20];
    ssize_t n, total = 0;
    while ((n = read(fd, buf + total, sizeof buf - 1 - total)) > 0)
        total += n;
    buf[total] = 0;
    printf("%s: %zd bytes%s\n", path, total, strstr(buf, needle) ? " HOSTPATH" : "");
    close(fd);
}

int main(int argc, char **argv)
{
    const char *hostroot = argv[1];   /* the root's host path, which must never show */
    int port = atoi(argv[2]);
    mkdir("/tmp", 0777);
    symlink("/../../../../../", "/tmp/up");
    check_read("symlink up", open("/tmp/up/secret.txt", O_RDONLY));
    check_read("proc self root", open("/proc/self/root/../../../secret.txt", O_RDONLY));
    int dfd = open("/", O_PATH);
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d/../../secret.txt", dfd);
    check_read("proc fd dotdot", open(p, O_RDONLY));
    struct open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_IN_ROOT};
    check_read("openat2 in_root", syscall(SYS_openat2, dfd, "../../secret.txt", &how, sizeof how));
    how.resolve = 0;
    check_read("openat2 plain", syscall(SYS_openat2, AT_FDCWD, "/../../secret.txt", &how, sizeof how));
    /* chroot breakout, the classic one */
    mkdir("/tmp/jail", 0777);
    int keep = open("/", O_RDONLY | O_DIRECTORY);
    if (chroot("/tmp/jail") == 0) {
        fchdir(keep);
        for (int i = 0; i < 20; i++)
            chdir("..");
        chroot(".");
        check_read("chroot breakout", open("secret.txt", O_RDONLY));
        check_read("chroot breakout abs", open("/secret.txt", O_RDONLY));
        char cwd[4096];
        printf("cwd after breakout: %s\n", getcwd(cwd, sizeof cwd) ? cwd : strerrorname_np(errno));
    } else {
        printf("chroot: %s\n", strerrorname_np(errno));
    }
    /* links and files that name the host */
    show_link("/proc/self/exe");
    show_link("/proc/self/cwd");
    show_link("/proc/self/root");
    char fdp[64];
    snprintf(fdp, sizeof fdp, "/proc/self/fd/%d", dfd);
    show_link(fdp);
    grep_file("/proc/self/maps", hostroot);
    grep_file("/proc/self/mountinfo", hostroot);
    grep_file("/proc/self/mounts", hostroot);
    grep_file("/proc/mounts", hostroot);
    grep_file("/proc/self/environ", hostroot);
    grep_file("/proc/self/cmdline", hostroot);
    grep_file("/proc/self/status", hostroot);
    grep_file("/proc/self/stat", hostroot);
    grep_file("/proc/cmdline", hostroot);
    grep_file("/proc/self/smaps", hostroot);
    grep_file("/proc/self/numa_maps", hostroot);
    grep_file("/proc/self/fdinfo/3", hostroot);
    grep_file("/proc/net/unix", hostroot);
    grep_file("/proc/self/net/unix", hostroot);
    grep_file("/proc/locks", hostroot);
    /* device nodes made by the guest name no host device */
    if (mknod("/tmp/sda", S_IFBLK | 0600, makedev(8, 0)) == 0 || errno == EEXIST) {
        int fd = open("/tmp/sda", O_RDONLY);
        char buf[512];
        printf("blk 8,0: open %s", fd < 0 ? strerrorname_np(errno) : "ok");
        if (fd >= 0) {
            ssize_t n = read(fd, buf, sizeof buf);
            printf(" read %zd", n);
        }
        printf("\n");
    } else
        printf("mknod blk: %s\n", strerrorname_np(errno));
    if (mknod("/tmp/mem", S_IFCHR | 0600, makedev(1, 1)) == 0 || errno == EEXIST) {
        int fd = open("/tmp/mem", O_RDONLY);
        printf("chr 1,1: open %s\n", fd < 0 ? strerrorname_np(errno) : "ok");
    }
    if (mknod("/tmp/kmsg", S_IFCHR | 0600, makedev(1, 11)) == 0 || errno == EEXIST) {
        int fd = open("/tmp/kmsg", O_RDONLY | O_NONBLOCK);
        char buf[512];
        ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
        printf("chr 1,11: open %s read %zd\n", fd < 0 ? strerrorname_np(errno) : "ok", n);
    }
    if (mknod("/tmp/tty0", S_IFCHR | 0600, makedev(4, 1)) == 0 || errno == EEXIST) {
        int fd = open("/tmp/tty0", O_RDWR | O_NONBLOCK);
        printf("chr 4,1: open %s\n", fd < 0 ? strerrorname_np(errno) : "ok");
    }
    if (mknod("/tmp/ttyhost", S_IFCHR | 0600, makedev(5, 0)) == 0 || errno == EEXIST) {
        int fd = open("/tmp/ttyhost", O_RDWR | O_NONBLOCK);
        printf("chr 5,0 (/dev/tty): open %s\n", fd < 0 ? strerrorname_np(errno) : "ok");
    }
    if (mknod("/tmp/pts", S_IFCHR | 0600, makedev(136, 0)) == 0 || errno == EEXIST) {
        int fd = open("/tmp/pts", O_RDWR | O_NONBLOCK);
        printf("chr 136,0 (pts/0): open %s\n", fd < 0 ? strerrorname_np(errno) : "ok");
    }
    /* a FIFO made in the root that a host process might open: fine; a unix socket path */
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    memset(sun.sun_path, 'a', sizeof sun.sun_path);
    int us = socket(AF_UNIX, SOCK_STREAM, 0);
    int r = bind(us, (struct sockaddr *)&sun, sizeof sun);
    printf("bind 108-byte unix path: %d %s\n", r, r ? strerrorname_np(errno) : "");
    sun.sun_path[0] = '/';
    strcpy(sun.sun_path, "/tmp/up/escaped.sock");
    int us2 = socket(AF_UNIX, SOCK_STREAM, 0);
    r = bind(us2, (struct sockaddr *)&sun, sizeof sun);
    printf("bind through symlink up: %d %s\n", r, r ? strerrorname_np(errno) : "");
    /* the host's network */
    int ts = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
    r = connect(ts, (struct sockaddr *)&sin, sizeof sin);
    printf("connect host port: %d %s\n", r, r ? strerrorname_np(errno) : "CONNECTED");
    int ts6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6.sin6_addr);
    r = connect(ts6, (struct sockaddr *)&sin6, sizeof sin6);
    printf("connect host port v4-mapped: %d %s\n", r, r ? strerrorname_np(errno) : "CONNECTED");
    int ts3 = socket(AF_INET, SOCK_STREAM, 0);
    inet_pton(AF_INET, "127.0.0.2", &sin.sin_addr);
    r = connect(ts3, (struct sockaddr *)&sin, sizeof sin);
    printf("connect 127.0.0.2: %d %s\n", r, r ? strerrorname_np(errno) : "CONNECTED");
    int ts4 = socket(AF_INET, SOCK_STREAM, 0);
    inet_pton(AF_INET, "0.0.0.0", &sin.sin_addr);
    r = connect(ts4, (struct sockaddr *)&sin, sizeof sin);
    printf("connect 0.0.0.0: %d %s\n", r, r ? strerrorname_np(errno) : "CONNECTED");
    int us3 = socket(AF_UNIX, SOCK_STREAM, 0);
    strcpy(sun.sun_path, argv[3]);   /* a host unix socket path */
    r = connect(us3, (struct sockaddr *)&sun, sizeof sun);
    printf("connect host unix path: %d %s\n", r, r ? strerrorname_np(errno) : "CONNECTED");
    /* another process's memory: a child of another uid reads its parent */
    static char parent_secret[64] = "PARENTMEMORY";
    pid_t parent = getpid();
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        setgid(1000);
        setuid(1000);
        char buf[64] = {0};
        struct iovec local = {buf, sizeof buf}, remote = {parent_secret, sizeof parent_secret};
        long n = syscall(SYS_process_vm_readv, parent, &local, 1, &remote, 1, 0);
        printf("uid 1000 process_vm_readv of root's process: %ld %s %s\n", n,
               n < 0 ? strerrorname_np(errno) : "", strstr(buf, "PARENT") ? "LEAK" : "");
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/mem", parent);
        int fd = open(path, O_RDONLY);
        printf("uid 1000 open root's /proc/pid/mem: %s\n", fd < 0 ? strerrorname_np(errno) : "ok");
        snprintf(path, sizeof path, "/proc/%d/root/secret.txt", parent);
        check_read("uid 1000 /proc/parent/root", open(path, O_RDONLY));
        snprintf(path, sizeof path, "/proc/%d/environ", parent);
        fd = open(path, O_RDONLY);
        printf("uid 1000 open root's environ: %s\n", fd < 0 ? strerrorname_np(errno) : "ok");
        long pr = syscall(SYS_ptrace, 16 /* PTRACE_ATTACH */, parent, 0, 0);
        printf("uid 1000 ptrace attach root: %ld %s\n", pr, pr ? strerrorname_np(errno) : "");
        int pfd = syscall(SYS_pidfd_open, parent, 0);
        long gfd = syscall(SYS_pidfd_getfd, pfd, 1, 0);
        printf("uid 1000 pidfd_getfd root's fd: %ld %s\n", gfd, gfd < 0 ? strerrorname_np(errno) : "");
        long k = syscall(SYS_kill, parent, 0);
        printf("uid 1000 kill root 0: %ld %s\n", k, k ? strerrorname_np(errno) : "");
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    return 0;
}
