/* /proc/self/cmdline reads the argument strings where they are (setproctitle writes a
 * title over them, nginx and postgres among others): a title within them shows with their
 * NULs, one that runs on into the environment strings shows up to its NUL. Prints the
 * same on Linux. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static void show(const char *what)
{
    char b[4096];
    FILE *f = fopen("/proc/self/cmdline", "r");
    size_t n = fread(b, 1, sizeof b - 1, f);
    fclose(f);
    if (n > 60)
        n = 60;          /* (the environment's length is the caller's) */
    for (size_t i = 0; i < n; i++)
        if (!b[i])
            b[i] = '|';
    b[n] = 0;
    printf("%s: [%s]\n", what, b);
}

int main(int argc, char **argv)
{
    show("as started");
    size_t room = argv[argc - 1] + strlen(argv[argc - 1]) - argv[0];
    memset(argv[0], 0, room);
    strcpy(argv[0], "worker: idle");
    show("a title inside");
    char *env_end = environ[0];
    for (char **e = environ; *e; e++)
        env_end = *e + strlen(*e);
    size_t all = env_end - argv[0];            /* the environment's room too */
    memset(argv[0], 'x', all);
    memcpy(argv[0], "master process: a title longer than the arguments", 49);
    argv[0][all - 3] = 0;
    FILE *f = fopen("/proc/self/cmdline", "r");
    char b[8192];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    printf("a title into the environment: [%.49s], up to its NUL %d\n", b, n == all - 2);
    return 0;
}
