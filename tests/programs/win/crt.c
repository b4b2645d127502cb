/* A default-CRT mingw-w64 program: main, printf with %s %d %x %c, argv, exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    char *copy = malloc(32);
    strcpy(copy, argc > 1 ? argv[1] : "nobody");
    printf("hello %s: argc=%d hex=%x char=%c neg=%d\n", copy, argc, 0xbeef, 'w', -17);
    fprintf(stderr, "to stderr %05d\n", 42);
    free(copy);
    return argc > 2 ? atoi(argv[2]) : 0;
}
