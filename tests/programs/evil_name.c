/* A process that names itself with terminal control sequences, then crashes: sysvec's
 * report of the crash names it, escaped. */
#include <sys/prctl.h>

int main(void)
{
    prctl(PR_SET_NAME, "\x1b[2J\x1b[31mX\r\n");
    *(volatile int *)0 = 1;
    return 0;
}
