/* Runs its argument through system() (cmd.exe /c) and prints the status. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int status = system(argc > 1 ? argv[1] : NULL);
    printf("status=%d\n", status);
    return 0;
}
