/* Bulk transfer through a socket pair: a child writes N MiB of a pseudo-random stream in
   odd-sized writes, the parent reads it in odd-sized reads and checks an FNV-1a hash of
   what arrived against the hash of what was sent. Prints MiB and the hash. */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sock_check.h"

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

static void fill(unsigned char *buf, size_t n, uint32_t *state) {
    for (size_t i = 0; i < n; i++) {
        *state = *state * 1103515245u + 12345u;
        buf[i] = *state >> 24;
    }
}

int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 100;
    long total = mib << 20;
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    static unsigned char buf[200000];
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        uint32_t state = 1;
        uint64_t h = 0xcbf29ce484222325ULL;
        for (long sent = 0; sent < total;) {
            size_t n = total - sent < 150001 ? total - sent : 150001;
            fill(buf, n, &state);
            h = fnv(h, buf, n);
            if (write(sv[1], buf, n) != (ssize_t)n) _exit(1);   /* a blocking write is whole */
            sent += n;
        }
        if (write(sv[1], &h, sizeof h) != sizeof h) _exit(2);
        _exit(0);
    }
    close(sv[1]);
    uint64_t h = 0xcbf29ce484222325ULL, theirs;
    long got = 0;
    while (got < total) {
        size_t want = total - got < 65537 ? total - got : 65537;
        ssize_t n = read(sv[0], buf, want);
        CHECK(n > 0, "read");
        h = fnv(h, buf, n);
        got += n;
    }
    long hn = 0;
    while (hn < (long)sizeof theirs) {
        ssize_t n = read(sv[0], (char *)&theirs + hn, sizeof theirs - hn);
        CHECK(n > 0, "read hash");
        hn += n;
    }
    CHECK(read(sv[0], buf, 1) == 0, "EOF after the last byte");
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer");
    CHECK(h == theirs, "hash of what arrived = hash of what was sent");
    printf("ok %ld MiB, fnv1a %016llx\n", mib, (unsigned long long)h);
    return 0;
}
