#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    char *heap = malloc(64);
    strcpy(heap, "heap");
    printf("hello from %s: argc=%d %s %d %x %c\n", argc > 1 ? argv[1] : "nobody", argc, heap,
           -42, 0xbeef, 'z');
    free(heap);
    return argc > 2 ? atoi(argv[2]) : 0;
}
