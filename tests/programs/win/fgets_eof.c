/* fgets: lines of a file read a chunk at a time (the position left right after each line, a
   short buffer's rest read next), feof set at the end (a while (!feof) loop ends), and the
   same for standard input. */
#include <stdio.h>
int main(void) {
    FILE *f = fopen("lines.txt", "w"); fputs("one\ntwo\nthree", f); fclose(f);
    char buf[64]; int n = 0;
    f = fopen("lines.txt", "r");
    while (!feof(f)) { if (fgets(buf, sizeof buf, f)) n++; if (n > 10) break; }
    long pos = ftell(f);
    fclose(f);
    f = fopen("lines.txt", "r"); fgets(buf, 3, f); int c = fgetc(f); fclose(f);
    remove("lines.txt");
    printf("lines=%d pos=%ld part=%s next=%c\n", n, pos, buf, c);
    n = 0; while (fgets(buf, sizeof buf, stdin)) n++;
    printf("stdin lines=%d eof=%d\n", n, feof(stdin) != 0);
    return 0;
}
