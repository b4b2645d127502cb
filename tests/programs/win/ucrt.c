/* A program of the Universal CRT: built against mingw-w64's libucrt, it imports the
   api-ms-win-crt-* contracts (start-up through _configure_narrow_argv and friends, stdio
   through __acrt_iob_func and __stdio_common_v*, onexit functions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void goodbye(void)
{
    printf("atexit ran\n");
}

int main(int argc, char **argv)
{
    char small[8], *s = malloc(32);
    int n;
    atexit(goodbye);
    strcpy(s, "heap");
    printf("hello from the ucrt, argc=%d %s %s %5.2f\n", argc, argc > 1 ? argv[1] : "-", s, 3.14159);
    n = snprintf(small, sizeof small, "%s-%d", "truncated", 12345);
    printf("snprintf gave %d and \"%s\"\n", n, small);
    fprintf(stderr, "to stderr\n");
    free(s);
    return 7;
}
