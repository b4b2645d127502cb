/* Open /dev/null until it fails; print the errno name and how many fit. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

int main(void)
{
    int n = 0;
    for (;;) {
        if (open("/dev/null", O_RDONLY) < 0)
            break;
        n++;
    }
    printf("%s after %d\n", errno == EMFILE ? "EMFILE" : "other", n);
    return 0;
}
