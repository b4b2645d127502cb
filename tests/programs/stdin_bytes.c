/* Reads stdin a byte at a time, polling before each read as a shell's `read` does, then
 * prints how many bytes and lines came and a checksum of them. */
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    unsigned long bytes = 0, lines = 0, sum = 0;
    char c;
    for (;;) {
        struct pollfd in = {0, POLLIN, 0};
        if (poll(&in, 1, -1) != 1)
            return 1;
        ssize_t n = read(0, &c, 1);
        if (n < 0)
            return 2;
        if (n == 0)
            break;
        bytes++;
        lines += c == '\n';
        sum = sum * 31 + (unsigned char)c;
    }
    printf("%lu bytes %lu lines %lx\n", bytes, lines, sum);
    return 0;
}
