/* The C runtime's _spawn and _exec families: a child run and waited for (_P_WAIT gives its
 * exit code), one not waited for until _cwait, arguments joined unquoted as the CRT joins
 * them, an environment given with _spawnve, a missing program (ENOENT), and _execv, which
 * starts the last child and ends this process with 0. argv[1] == "child" is the child. */
#include <errno.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "child")) {
        printf("child argc %d:", argc);
        for (int i = 2; i < argc; i++)
            printf(" [%s]", argv[i]);
        const char *v = getenv("SPAWN_VAR");
        printf(" var %s\n", v ? v : "-");
        fflush(stdout);
        return argc;
    }
    char *self = argv[0];
    const char *waited[] = {self, "child", "a b", "c", NULL};
    intptr_t code = _spawnv(_P_WAIT, self, waited);
    printf("waited: %d\n", (int)code);
    const char *env[] = {"SPAWN_VAR=given", NULL};
    const char *plain[] = {self, "child", NULL};
    code = _spawnve(_P_WAIT, self, plain, env);
    printf("with env: %d\n", (int)code);
    intptr_t h = _spawnv(_P_NOWAIT, self, plain);
    int status = -1;
    intptr_t back = _cwait(&status, h, 0);
    printf("nowait then cwait: %d status %d\n", back == h, status);
    const char *none[] = {"no-such-program", NULL};
    code = _spawnvp(_P_WAIT, "no-such-program", none);
    printf("missing: %d errno %d\n", (int)code, errno);
    fflush(stdout);
    const char *last[] = {self, "child", "exec'd", NULL};
    _execv(self, last);
    printf("not reached\n");
    return 9;
}
