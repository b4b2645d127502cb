/* Writing a file through a stream, whose writes the C runtime buffers: what the file holds
   after the stream is closed, after exit() or a return from main or ExitProcess with it
   open, after a crash; ftell with bytes pending, fseek then a write, an "a+" stream read
   after a write, direct I/O on the stream's descriptor and handle between stream writes, a
   child started while bytes are pending (it must see them); "count" and "setvbuf" write
   many bytes a character at a time (the test counts the NtWriteFile calls that take). */
#include <io.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

/* What a file is given: 9,750 bytes through fputc, fputs, fprintf and fwrite. */
static void fill(FILE *f)
{
    for (int i = 0; i < 2500; i++)
        fputc('a' + i % 26, f);
    for (int i = 0; i < 250; i++)
        fputs(i % 2 ? "odd line\n" : "even line\n", f);
    for (int i = 0; i < 250; i++)
        fprintf(f, "%04d|%s\n", i, "fmt");
    static char block[2625];
    for (int i = 0; i < (int)sizeof block; i++)
        block[i] = (char)('0' + i % 10);
    fwrite(block, 1, sizeof block, f);
}

static int ending(const char *how)
{
    FILE *f = fopen("out.txt", "w");
    fill(f);
    if (!strcmp(how, "fclose")) {
        printf("fclose %d\n", fclose(f));
        return 0;
    }
    if (!strcmp(how, "exit"))
        exit(3);
    if (!strcmp(how, "ExitProcess"))
        ExitProcess(4);
    if (!strcmp(how, "crash")) {
        fprintf(f, "flushed\n");
        fflush(f);
        fprintf(f, "pending\n");
        return *(volatile int *)16;
    }
    return 5;                                                  /* "return" */
}

static void positions(void)
{
    FILE *f = fopen("pos.txt", "w+");
    fputs("hello", f);
    long a = ftell(f);
    fprintf(f, " world %d", 42);
    long b = ftell(f);
    fseek(f, 0, SEEK_SET);
    fputc('H', f);
    long c = ftell(f);
    fseek(f, 6, SEEK_SET);
    fputs("W", f);
    fpos_t pos;
    fgetpos(f, &pos);
    fseek(f, 0, SEEK_END);
    long d = ftell(f);
    rewind(f);
    char line[64] = {0};
    fgets(line, sizeof line, f);
    printf("ftell %ld %ld %ld %ld fgetpos %lld read [%s]\n", a, b, c, d, (long long)pos, line);
    fclose(f);
}

static void append(void)
{
    FILE *f = fopen("app.txt", "w");
    fputs("first\n", f);
    fclose(f);
    f = fopen("app.txt", "a+");
    fputs("second\n", f);
    long at = ftell(f);
    rewind(f);
    char line[32], got[64] = "";
    while (fgets(line, sizeof line, f))
        strcat(got, line);
    fseek(f, 0, SEEK_SET);
    fputs("third\n", f);                                       /* at the end all the same */
    fclose(f);
    for (char *s = got; *s; s++)
        if (*s == '\n')
            *s = '/';
    printf("a+ ftell %ld read %s\n", at, got);
}

static void direct(void)
{
    FILE *f = fopen("direct.txt", "wb");
    HANDLE h = (HANDLE)_get_osfhandle(_fileno(f));
    fputs("stream1\n", f);
    DWORD done, size = GetFileSize(h, NULL);
    WriteFile(h, "handle\n", 7, &done, NULL);
    fputs("stream2\n", f);
    _write(_fileno(f), "fd\n", 3);
    fputs("stream3\n", f);
    LARGE_INTEGER big;
    GetFileSizeEx(h, &big);
    fputs("stream4\n", f);
    DWORD at = SetFilePointer(h, 0, NULL, FILE_CURRENT);
    fputs("stream5\n", f);
    FlushFileBuffers(h);
    long long end = _lseeki64(_fileno(f), 0, SEEK_CUR);
    fputs("tail\n", f);
    printf("direct size %lu %lld at %lu lseek %lld fclose %d\n", size, big.QuadPart, at, end,
           fclose(f));
}

static void spawn(const char *self)
{
    FILE *f = fopen("spawn.txt", "w");
    fputs("written before system\n", f);
    printf("system:\n");
    int rc = system("type spawn.txt");
    fputs("written before _spawnv\n", f);
    printf("system %d, _spawnv:\n", rc);
    const char *args[] = {self, "show", "spawn.txt", NULL};
    intptr_t code = _spawnv(_P_WAIT, self, args);
    fputs("written after\n", f);
    fclose(f);
    printf("_spawnv %d\n", (int)code);
}

static int show(const char *name)
{
    FILE *f = fopen(name, "r");
    int c;
    while ((c = getc(f)) != EOF)
        putchar(c);
    fclose(f);
    return 7;
}

static void count(int mode, int size, int n)
{
    FILE *f = fopen("count.txt", "wb");
    if (mode >= 0)
        setvbuf(f, NULL, mode, size);
    for (int i = 0; i < n; i++)
        fputc(i % 64 == 63 ? '\n' : 'x', f);
    fclose(f);
    printf("count %d\n", n);
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "end"))
        return ending(argv[2]);
    if (argc > 2 && !strcmp(argv[1], "show"))
        return show(argv[2]);
    if (argc > 1 && !strcmp(argv[1], "spawn")) {
        spawn(argv[0]);
        return 0;
    }
    if (argc > 2 && !strcmp(argv[1], "count"))
        count(-1, 0, atoi(argv[2]));
    if (argc > 4 && !strcmp(argv[1], "setvbuf")) {
        int mode = !strcmp(argv[2], "none") ? _IONBF : !strcmp(argv[2], "line") ? _IOLBF : _IOFBF;
        count(mode, atoi(argv[3]), atoi(argv[4]));
    }
    if (argc == 1) {
        positions();
        append();
        direct();
    }
    return 0;
}
