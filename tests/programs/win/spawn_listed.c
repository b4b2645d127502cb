/* The l-forms of _spawn: the child's arguments listed in the call up to a NULL (and the
 * environment after it for e). The child is this program again, saying what it got. Also
 * _filelength, the long form of _filelengthi64; the wide forms, _wspawnl and _wspawnlpe,
 * with a name and an argument beyond ASCII. */
#include <fcntl.h>
#include <io.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

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
    fflush(stdout);
    wchar_t self[MAX_PATH];
    MultiByteToWideChar(CP_ACP, 0, argv[0], -1, self, MAX_PATH);
    code = _wspawnl(_P_WAIT, self, self, L"w\u00e9", NULL);
    printf("_wspawnl: %d\n", (int)code);
    fflush(stdout);
    const wchar_t *wenv[] = {L"SPAWN_X=\u00e9t\u00e9", NULL};
    code = _wspawnlpe(_P_WAIT, L"prog.exe", L"prog.exe", L"a", L"b", L"c", NULL, wenv);
    printf("_wspawnlpe: %d\n", (int)code);
    FILE *f = fopen("length.txt", "wb");
    fputs("twelve bytes", f);
    fclose(f);
    int fd = _open("length.txt", _O_RDONLY);
    printf("_filelength %ld, bad %ld\n", _filelength(fd), _filelength(999));
    return 0;
}
