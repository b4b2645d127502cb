/* Commands through cmd.exe: system() with exit codes, && || &, redirections and a pipeline;
   _popen reading a command's output and writing a command's input; %VAR% and cd. The
   program runs itself as the command ("shell child N" prints and exits with N). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "child") == 0) {
        printf("child %s\n", argv[2]);
        return atoi(argv[2]);
    }
    if (argc > 1 && strcmp(argv[1], "upper") == 0) {      /* stdin to stdout, upper-cased */
        int c;
        while ((c = getchar()) != EOF)
            putchar(c >= 'a' && c <= 'z' ? c - 32 : c);
        return 0;
    }
    char line[256];
    printf("shell=%d\n", system(NULL) != 0);
    fflush(stdout);
    printf("status=%d\n", system("shell child 7"));
    fflush(stdout);
    printf("status=%d\n", system("shell child 0 && echo and-ran || echo or-ran"));
    fflush(stdout);
    printf("status=%d\n", system("shell child 3 && echo and-ran || echo or-ran"));
    fflush(stdout);
    printf("status=%d\n", system("echo to-file> out.txt & type out.txt & del out.txt"));
    fflush(stdout);
    printf("status=%d\n", system("shell child 5 >nul 2>&1 & echo level %ERRORLEVEL%"));
    fflush(stdout);
    printf("status=%d\n", system("echo piped words| shell upper"));
    fflush(stdout);
    printf("status=%d\n", system("no-such-program 2>nul"));
    fflush(stdout);
    FILE *in = _popen("shell child 2", "r");
    while (fgets(line, sizeof line, in))
        printf("read: %s", line);
    printf("pclose=%d\n", _pclose(in));
    FILE *out = _popen("shell upper", "w");
    fputs("written through a pipe\n", out);
    fflush(stdout);
    printf("pclose=%d\n", _pclose(out));
    /* cmd /c "echo quoted": the quotes go (they name no program), as Python's
     * subprocess.run(['cmd', '/c', 'echo hi']) quotes it */
    printf("status=%d\n", system("\"echo quoted\""));
    fflush(stdout);
    _putenv("GREETING=hi there");
    fflush(stdout);
    system("echo %GREETING% & mkdir sub & cd sub & cd");
    return 0;
}
