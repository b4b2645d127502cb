/* Small writes to the host's stdout and stderr as a program that prints line by line makes
 * them, one larger than the C trap path copies, one from a bad buffer (EFAULT), then, when
 * argv[1] is "flood", lines until a write fails (a closed reader: SIGPIPE, or with argv[2]
 * "ignore" EPIPE). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char line[64];
    static char big[20000];
    if (argc > 1 && strcmp(argv[1], "flood") == 0) {
        if (argc > 2 && strcmp(argv[2], "ignore") == 0)
            signal(SIGPIPE, SIG_IGN);
        for (long i = 0;; i++) {
            int n = snprintf(line, sizeof line, "flood %ld\n", i);
            if (write(1, line, n) < 0)
                return errno == EPIPE ? 3 : 4;   /* SIGPIPE ignored: the error */
        }
    }
    for (int i = 0; i < 2000; i++) {
        int n = snprintf(line, sizeof line, "line %d\n", i);
        if (write(1, line, n) != n)
            return 1;
        if (i % 500 == 0)
            write(2, "e\n", 2);   /* stderr may be closed */
    }
    memset(big, 'b', sizeof big - 1);
    big[sizeof big - 1] = '\n';
    long wrote = write(1, big, sizeof big);
    long bad = write(1, (char *)16, 4);
    int bad_errno = errno;
    printf("big %ld bad %ld %s\n", wrote, bad, bad_errno == EFAULT ? "EFAULT" : "?");
    return 0;
}
