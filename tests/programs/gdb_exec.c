/* Execs the program named by its first argument. */
#include <unistd.h>

int main(int argc, char **argv)
{
    execv(argv[1], argv + 1);
    return 127;
}
