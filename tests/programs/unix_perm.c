/* AF_UNIX sockets by path follow the socket file's mode (unix_find_bsd's write check), and
 * SCM_CREDENTIALS must be the sender's own (scm_check_creds): a uid-1000 child can neither
 * reach root's 0600 sockets nor claim to be root. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static struct sockaddr_un at(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, path);
    return a;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir("/tmp", 01777);
    unlink("/tmp/stream");
    unlink("/tmp/dgram");
    struct sockaddr_un sa = at("/tmp/stream"), da = at("/tmp/dgram");
    int ls = socket(AF_UNIX, SOCK_STREAM, 0), ds = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(ls, (void *)&sa, sizeof sa);
    listen(ls, 4);
    bind(ds, (void *)&da, sizeof da);
    chmod("/tmp/stream", 0600);
    chmod("/tmp/dgram", 0600);
    int pair[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
    int on = 1;
    setsockopt(pair[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    if (fork() == 0) {
        setgid(1000);
        setuid(1000);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        int r = connect(c, (void *)&sa, sizeof sa);
        printf("connect to root's 0600 socket: %d %s\n", r, r ? strerrorname_np(errno) : "");
        int d = socket(AF_UNIX, SOCK_DGRAM, 0);
        r = sendto(d, "x", 1, 0, (void *)&da, sizeof da);
        printf("sendto root's 0600 socket: %d %s\n", r, r < 0 ? strerrorname_np(errno) : "");
        struct ucred fake = {.pid = 1, .uid = 0, .gid = 0};
        char cbuf[CMSG_SPACE(sizeof fake)];
        struct iovec iov = {"y", 1};
        struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                           .msg_controllen = sizeof cbuf};
        struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_CREDENTIALS;
        cm->cmsg_len = CMSG_LEN(sizeof fake);
        memcpy(CMSG_DATA(cm), &fake, sizeof fake);
        r = sendmsg(pair[1], &m, 0);
        printf("claim to be root: %d %s\n", r, r < 0 ? strerrorname_np(errno) : "");
        struct ucred mine = {.pid = getpid(), .uid = 1000, .gid = 1000};
        memcpy(CMSG_DATA(cm), &mine, sizeof mine);
        r = sendmsg(pair[1], &m, 0);
        printf("own credentials: %d\n", r);
        _exit(0);
    }
    wait(NULL);
    struct sockaddr_un ra;
    socklen_t rl;
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("root connects: %d\n", connect(c, (void *)&sa, sizeof sa));
    return 0;
}
