/* More of the C runtime: fopen/fprintf/fgets on a file, snprintf, strtol, getenv, rand, ctype. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    FILE *f = fopen("notes.txt", "w");
    if (!f) { perror("fopen"); return 1; }
    fprintf(f, "line %d\nsecond %s\n", 1, "two");
    fclose(f);
    char line[64];
    f = fopen("notes.txt", "r");
    while (fgets(line, sizeof line, f))
        printf("got: %s", line);
    fclose(f);
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%08.3f|%-5s|%5d", 3.14159, "ab", 42);
    printf("snprintf %d [%s]\n", n, buf);
    char *end;
    long v = strtol("  0x1fz", &end, 0);
    printf("strtol %ld rest %s\n", v, end);
    srand(7);
    int r1 = rand();
    srand(7);
    printf("rand repeats %s, upper %c, digit %d\n", r1 == rand() ? "yes" : "no", toupper('q'), isdigit('5') != 0);
    printf("env %s\n", getenv("SYSVEC_DEMO") ? getenv("SYSVEC_DEMO") : "(unset)");
    remove("notes.txt");
    printf("removed %s\n", fopen("notes.txt", "r") ? "no" : "yes");
    return 0;
}
