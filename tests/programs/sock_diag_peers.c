/* Sockets for ss to list, then ss itself (argv[1...]): a TCP listener on 127.0.0.1:7101
 * with backlog 5, a connection to it whose accepted end has 3 bytes unread, a UDP socket on
 * 127.0.0.1:7102, a unix listener at /tmp/diag.sock and a unix socketpair with 5 bytes
 * unread at one end. All close-on-exec: ss itself holds none of them. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    struct sockaddr_in tcp = {.sin_family = AF_INET, .sin_port = htons(7101),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct sockaddr_in udp = tcp;
    udp.sin_port = htons(7102);
    int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (bind(l, (void *)&tcp, sizeof tcp) || listen(l, 5) || connect(c, (void *)&tcp, sizeof tcp)
        || accept4(l, NULL, NULL, SOCK_CLOEXEC) < 0 || send(c, "abc", 3, 0) != 3
        || bind(u, (void *)&udp, sizeof udp))
        return 3;
    struct sockaddr_un un = {.sun_family = AF_UNIX, .sun_path = "/tmp/diag.sock"};
    unlink(un.sun_path);
    int x = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int pair[2];
    if (bind(x, (void *)&un, sizeof un) || listen(x, 7)
        || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) || send(pair[0], "12345", 5, 0) != 5)
        return 4;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[1], argv + 1);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    unlink(un.sun_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}
