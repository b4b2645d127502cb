/* Reading a file through a stream: getc, ungetc, fgets, fread, ftell and fseek mixed, their
   answers printed for the test to check against the file's bytes (data.bin, which the test
   made); "r+" and "w+" streams switching between reading and writing over fseek and fflush,
   ferror after a failed write; a text stream's CRLF; "count" reads data.bin with getc to its
   end (the test counts the NtReadFile calls that takes). */
#include <stdio.h>
#include <string.h>

static unsigned sum(const unsigned char *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s = s * 31 + p[i];
    return s;
}

static void mixed(const char *mode_name, int unbuffered)
{
    static unsigned char buf[20000];
    FILE *f = fopen("data.bin", "rb");
    if (unbuffered)
        setvbuf(f, NULL, _IONBF, 0);
    int a = getc(f), b = getc(f), c = getc(f);
    printf("%s getc %d %d %d ftell %ld\n", mode_name, a, b, c, ftell(f));
    ungetc('X', f);
    long pos = ftell(f);
    a = getc(f);
    printf("ungetc ftell %ld getc %d next %d\n", pos, a, getc(f));
    fseek(f, 100, SEEK_CUR);
    pos = ftell(f);
    printf("seek_cur ftell %ld getc %d\n", pos, getc(f));
    char line[20];
    fgets(line, sizeof line, f);
    printf("fgets %u ftell %ld\n", (unsigned)strlen(line), ftell(f));
    size_t n = fread(buf, 1, 5000, f);
    printf("fread %u sum %u ftell %ld\n", (unsigned)n, sum(buf, n), ftell(f));
    n = fread(buf, 1, sizeof buf, f);
    printf("fread rest %u sum %u eof %d\n", (unsigned)n, sum(buf, n), feof(f) != 0);
    fseek(f, -10, SEEK_END);
    pos = ftell(f);
    n = fread(buf, 1, 100, f);
    printf("end ftell %ld fread %u eof %d", pos, (unsigned)n, feof(f) != 0);
    clearerr(f);
    printf(" cleared %d\n", feof(f) != 0);
    rewind(f);
    n = 0;
    while ((c = getc(f)) != EOF)
        buf[n++] = (unsigned char)c;
    printf("getc all %u sum %u eof %d ftell %ld\n", (unsigned)n, sum(buf, n), feof(f) != 0,
           ftell(f));
    fclose(f);
}

static void read_write(void)
{
    FILE *f = fopen("rw.bin", "r+b");
    char got[16] = {0};
    for (int i = 0; i < 5; i++)
        got[i] = (char)getc(f);
    fseek(f, 0, SEEK_CUR);                 /* reading to writing */
    fputs("abc", f);
    fflush(f);                             /* writing to reading */
    int c = getc(f);
    printf("r+ read %s then %c ftell %ld\n", got, c, ftell(f));
    fseek(f, 0, SEEK_SET);
    fread(got, 1, 12, f);
    printf("r+ back %.12s\n", got);
    fseek(f, 9996, SEEK_SET);
    fputs("END!", f);
    fclose(f);
    f = fopen("rw.bin", "rb");                 /* a write to a read-only stream: ferror */
    int put = fputc('x', f);
    int err = ferror(f) != 0;
    clearerr(f);
    printf("r fputc %d ferror %d cleared %d\n", put, err, ferror(f) != 0);
    fclose(f);
    f = fopen("rw.bin", "rb");
    fseek(f, -6, SEEK_END);
    memset(got, 0, sizeof got);
    fread(got, 1, 6, f);
    printf("r+ tail %s\n", got);
    fclose(f);

    f = fopen("new.bin", "w+b");
    for (int i = 0; i < 300; i++)
        fprintf(f, "line %d\n", i);
    rewind(f);
    char line[32];
    int lines = 0;
    while (fgets(line, sizeof line, f))
        lines++;
    printf("w+ lines %d last %s", lines, line);
    fseek(f, 7, SEEK_SET);
    fgets(line, sizeof line, f);
    printf("w+ at 7 %s", line);
    fclose(f);
}

static void text(void)
{
    FILE *f = fopen("crlf.txt", "r");
    printf("text");
    int c;
    while ((c = getc(f)) != EOF) {
        printf(" %d", c);
        if (c == '\n')
            printf("@%ld", ftell(f));
    }
    printf("\n");
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "count") == 0) {
        FILE *f = fopen("data.bin", "rb");
        long n = 0;
        while (getc(f) != EOF)
            n++;
        printf("count %ld\n", n);
        return 0;
    }
    mixed("buffered", 0);
    mixed("unbuffered", 1);
    read_write();
    text();
    return 0;
}
