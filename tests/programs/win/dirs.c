/* msvcrt directory helpers, and system() through cmd.exe (its dir, its output to NUL). */
#include <direct.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    char cwd[260];
    int a = _mkdir("sub"), b = _mkdir("sub"), c = _chdir("sub");
    _getcwd(cwd, sizeof cwd);
    FILE *f = fopen("x.txt", "w"); fputs("x", f); fclose(f);
    int d = _access("x.txt", 0), e = _access("nope.txt", 0), g = _unlink("x.txt");
    _chdir("..");
    int h = _rmdir("sub");
    printf("%d %d %d %s %d %d %d %d system(NULL)=%d system=%d\n", a, b, c, cwd, d, e, g, h, system(NULL), system("dir >nul"));
    return 0;
}
