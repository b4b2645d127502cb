/* A message with both a descriptor and credentials (SO_PASSCRED) gives SCM_CREDENTIALS
   first, then SCM_RIGHTS, as Linux's scm_recv puts them. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    int sv[2], one = 1, fd = dup(1);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    char c = 'x';
    struct iovec iov = {&c, 1};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } out;
    struct msghdr m = {0};
    m.msg_iov = &iov; m.msg_iovlen = 1;
    m.msg_control = out.buf; m.msg_controllen = sizeof out.buf;
    struct cmsghdr *h = CMSG_FIRSTHDR(&m);
    h->cmsg_level = SOL_SOCKET; h->cmsg_type = SCM_RIGHTS; h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &fd, sizeof fd);
    sendmsg(sv[0], &m, 0);
    union { char buf[256]; struct cmsghdr align; } in;
    struct msghdr r = {0};
    r.msg_iov = &iov; r.msg_iovlen = 1;
    r.msg_control = in.buf; r.msg_controllen = sizeof in.buf;
    recvmsg(sv[1], &r, 0);
    for (h = CMSG_FIRSTHDR(&r); h; h = CMSG_NXTHDR(&r, h))
        printf("%s\n", h->cmsg_type == SCM_CREDENTIALS ? "SCM_CREDENTIALS" :
               h->cmsg_type == SCM_RIGHTS ? "SCM_RIGHTS" : "other");
    return 0;
}
