/* The l-forms of _spawn: the child's arguments listed in the call up to a NULL (and the
 * environment after it for e). The child is this program again, saying what it got. Also
 * _filelength, the long form of _filelengthi64. */
#include <fcntl.h>
#include <io.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("child: %d args:", argc);
        for (int i = 1; i < argc; i++)
            printf(" [%s]", argv[i]);
        const char *x = getenv("SPAWN_X");
        printf(" SPAWN_X=%s\n", x ? x : "(unset)");
        fflush(stdout);
        return argc;
    }
    intptr_t code = _spawnl(_P_WAIT, argv[0], argv[0], "one", "two", NULL);
    printf("_spawnl: %d\n", (int)code);
    fflush(stdout);
    const char *env[] = {"SPAWN_X=42", NULL};
    code = _spawnle(_P_WAIT, argv[0], argv[0], "e", NULL, env);
    printf("_spawnle: %d\n", (int)code);
    FILE *f = fopen("length.txt", "wb");
    fputs("twelve bytes", f);
    fclose(f);
    int fd = _open("length.txt", _O_RDONLY);
    printf("_filelength %ld, bad %ld\n", _filelength(fd), _filelength(999));
    return 0;
}
