/* Blocks in the kernel: gdb's interrupt must reach a machine with nothing to run. */
#include <unistd.h>

int main(void)
{
    sleep(60);
    return 0;
}
