/* Writes far larger than the machine's memory budget, from a read-only mapping that costs
 * the guest nothing: the kernel copies a chunk at a time, so the host's memory stays small,
 * and each call answers as Linux does (MAX_RW_COUNT, a pipe's room, a file's whole count). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define GiB (1UL << 30)
#define MiB (1UL << 20)

int main(void)
{
    char *zeros = mmap(0, GiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    /* 4 GiB where ssize_t holds it (Linux writes MAX_RW_COUNT of it), else 1 GiB */
    int count = sizeof(long) == 8 ? 4 : 1;
    struct iovec v[4];
    for (int i = 0; i < count; i++)
        v[i] = (struct iovec){zeros, GiB};
    int null = open("/dev/null", O_WRONLY);
    printf("writev /dev/null %d GiB: %ld\n", count, (long)writev(null, v, count));

    int fds[2];
    pipe(fds);
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    printf("write non-blocking pipe 1 GiB: %ld\n", (long)write(fds[1], zeros, GiB));

    int file = open("huge_writes.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
    printf("write file 96 MiB: %ld\n", (long)write(file, zeros, 96 * MiB));
    printf("pwrite file 80 MiB: %ld\n", (long)pwrite(file, zeros, 80 * MiB, 8));
    struct iovec part[2] = {{"12345678", 8}, {(void *)0x1000, 8}};
    lseek(file, 0, SEEK_SET);
    printf("writev file, second buffer unmapped: %ld\n", (long)writev(file, part, 2));
    ftruncate(file, 0);
    unlink("huge_writes.dat");

    int pair[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
    struct msghdr msg = {.msg_iov = v, .msg_iovlen = 1};
    long sent = sendmsg(pair[0], &msg, 0);
    printf("sendmsg datagram 1 GiB: %ld %s\n", sent, errno == EMSGSIZE ? "EMSGSIZE" : "");

    /* A blocking writev to a pipe returns once every byte is in, while a child reads. */
    int blocking[2];
    pipe(blocking);
    fflush(stdout);
    if (fork() == 0) {
        close(blocking[1]);
        static char buf[65536];
        long total = 0, n;
        while ((n = read(blocking[0], buf, sizeof buf)) > 0)
            total += n;
        printf("child read %ld\n", total);
        return 0;
    }
    close(blocking[0]);
    struct iovec three[3] = {{zeros, MiB}, {zeros, 3 * MiB}, {zeros, 5}};
    printf("writev blocking pipe 4 MiB + 5: %ld\n", (long)writev(blocking[1], three, 3));
    fflush(stdout);
    close(blocking[1]);
    wait(0);
    return 0;
}
