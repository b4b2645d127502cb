/* fclose of the standard streams: fclose(stdout) writes what stdout's buffer holds, closes
   descriptor 1 and returns 0; then writes to the stream fail, _write(1) with EBADF, and a
   second fclose is EOF. fclose(stdin) closes descriptor 0. "gnulib" is gnulib's close_stdout
   at exit: ferror, then fclose, of stdout and stderr, "write error" and status 1 if either
   fails (win_bison, m4, grep, sed ...). */
#include <errno.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int close_stream(FILE *stream)
{
    int prev_fail = ferror(stream) != 0;
    int fclose_fail = fclose(stream) != 0;
    if (prev_fail || (fclose_fail && errno != EBADF))
        return EOF;
    return 0;
}

static void close_stdout(void)
{
    if (close_stream(stdout) != 0) {
        fprintf(stderr, "%s\n", "write error");
        _exit(1);
    }
    if (close_stream(stderr) != 0)
        _exit(1);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "gnulib") == 0) {
        atexit(close_stdout);
        printf("output before exit\n");
        fputs("more output\n", stdout);
        return 0;
    }
    printf("buffered text\n");
    errno = 0;
    int r = fclose(stdout);
    fprintf(stderr, "fclose(stdout)=%d errno=%d\n", r, errno);
    int n = fputs("lost\n", stdout);
    fprintf(stderr, "fputs after=%d puts after=%d\n", n, puts("lost"));
    errno = 0;
    n = _write(1, "late\n", 5);
    fprintf(stderr, "_write(1)=%d ebadf=%d\n", n, errno == EBADF);
    fprintf(stderr, "fclose again=%d\n", fclose(stdout));
    r = fclose(stdin);
    char c;
    errno = 0;
    n = _read(0, &c, 1);
    fprintf(stderr, "fclose(stdin)=%d getchar=%d _read(0)=%d ebadf=%d\n", r, getchar(), n,
            errno == EBADF);
    r = fclose(stderr);
    n = fputs("gone\n", stderr);
    return r == 0 && n < 0 ? 0 : 3;
}
