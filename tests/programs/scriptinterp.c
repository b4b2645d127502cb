/* A stand-in script interpreter for Windows launchers (distlib's t64.exe): started as
   `scriptinterp C:\path\launcher.exe ARGS...`, it opens that file inside the root, finds the
   script appended to it (a stored zip entry), prints its `say:` line and the arguments, and
   exits with the status the script's `exit:` line names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    static char data[1 << 20];
    char path[4096];
    size_t n, i, j = 0;
    FILE *f;
    char *say, *code;

    if (argc < 2)
        return 100;
    for (i = 0; argv[1][i] && j + 1 < sizeof path; i++) {
        if (i == 0 && argv[1][1] == ':') { i++; continue; }   /* drop the drive */
        path[j++] = argv[1][i] == '\\' ? '/' : argv[1][i];
    }
    path[j] = 0;
    f = fopen(path, "rb");
    if (!f) {
        printf("scriptinterp: cannot open %s\n", path);
        return 101;
    }
    n = fread(data, 1, sizeof data - 1, f);
    fclose(f);
    data[n] = 0;
    for (i = 0, say = NULL; i + 4 < n && !say; i++)
        if (memcmp(data + i, "say:", 4) == 0)
            say = data + i + 4;
    for (i = 0, code = NULL; i + 5 < n && !code; i++)
        if (memcmp(data + i, "exit:", 5) == 0)
            code = data + i + 5;
    if (!say || !code)
        return 102;
    printf("script says:%.*s\n", (int)strcspn(say, "\r\n"), say);
    for (int k = 2; k < argc; k++)
        printf("arg %d: %s\n", k - 1, argv[k]);
    return atoi(code);
}
