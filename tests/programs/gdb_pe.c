/* A mingw program gdb debugs by its DWARF: main reads its arguments. */
#include <stdio.h>

int twice(int v)
{
    return v * 2;
}

int main(int argc, char **argv)
{
    int n = argc;
    printf("argc %d first %s\n", n, argv[1]);
    return twice(n);
}
