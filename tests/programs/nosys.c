/* syscall(N) for each number N given: the result and errno, one line each. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        errno = 0;
        long r = syscall(strtol(argv[i], NULL, 0), 0, 0, 0, 0, 0, 0);
        printf("%s: %ld %d\n", argv[i], r, errno);
    }
    return 0;
}
