/* The C runtime's text mode on reads: fopen's "r" turns CRLF into LF for fgets and fread,
   "rb" keeps the bytes; a lone CR stays; positions move over the raw bytes. */
#include <stdio.h>
#include <string.h>

static void show(const char *what, const char *s, size_t n)
{
    printf("%s:", what);
    for (size_t i = 0; i < n; i++)
        printf(s[i] == '\r' ? "\\r" : s[i] == '\n' ? "\\n" : "%c", s[i]);
    printf("\n");
}

int main(void)
{
    FILE *f = fopen("crlf.txt", "wb");
    fputs("one\r\ntwo\r\nlone\rcr\r\nlast", f);
    fclose(f);
    char line[64], buf[64];
    f = fopen("crlf.txt", "r");
    while (fgets(line, sizeof line, f))
        show("text line", line, strlen(line));
    fclose(f);
    f = fopen("crlf.txt", "rb");
    fgets(line, sizeof line, f);
    show("binary line", line, strlen(line));
    fclose(f);
    f = fopen("crlf.txt", "r");
    size_t n = fread(buf, 1, 4, f);          /* "one\r" then the LF after it */
    show("text fread 4", buf, n);
    n = fread(buf, 1, sizeof buf, f);
    show("text fread rest", buf, n);
    printf("eof=%d\n", feof(f) != 0);
    fclose(f);
    /* Items read whole although CRs drop out of the middle of the file. */
    f = fopen("crlf.txt", "wb");
    for (int i = 0; i < 100; i++)
        fputs("ab\r\n", f);
    fclose(f);
    f = fopen("crlf.txt", "r");
    size_t items = 0, got;
    while ((got = fread(buf, 3, 5, f)) == 5)
        items += got;
    printf("items=%zu last=%zu eof=%d\n", items + got, got, feof(f) != 0);
    fclose(f);
    return 0;
}
