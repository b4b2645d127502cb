/* An open(O_CREAT) that finds no free descriptor fails EMFILE before it makes the file
 * (Linux takes the descriptor before the path walk). Prints the same on Linux. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void)
{
    struct rlimit rl = {16, 16};
    setrlimit(RLIMIT_NOFILE, &rl);
    while (open("/dev/null", O_RDONLY) >= 0)
        ;
    int fd = open("/tmp/emfile.new", O_RDWR | O_CREAT, 0600);
    int e = errno;
    printf("open(O_CREAT) with no free descriptor: %d %s, made the file: %d\n", fd,
           e == EMFILE ? "EMFILE" : strerror(e), access("/tmp/emfile.new", F_OK) == 0);
    return 0;
}
