/* 6.4 MB to stdout with SIGXFSZ ignored: --max-output must hold all the same. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    static char buf[1 << 16];
    memset(buf, 'x', sizeof buf);
    signal(SIGXFSZ, SIG_IGN);
    for (int i = 0; i < 100; i++)
        write(1, buf, sizeof buf);
    return 0;
}