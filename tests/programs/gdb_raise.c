/* Ends by SIGUSR1: Linux numbers it 10, gdb 30. */
#include <signal.h>

int main(void)
{
    raise(SIGUSR1);
    return 0;
}
