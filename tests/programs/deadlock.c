/* Two processes each read a pipe only they hold the write end of: nothing can ever wake them. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    char b;
    pipe(p);
    if (fork() == 0) {
        read(p[0], &b, 1);
        _exit(0);
    }
    read(p[0], &b, 1);
    return 0;
}
