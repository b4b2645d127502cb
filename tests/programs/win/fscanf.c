/* The UCRT's fscanf and scanf (__stdio_common_vfscanf): values across calls, after ungetc,
   ftell after a scan, EOF; scanf reading numbers from piped standard input to its end. */
#include <stdio.h>
int main(void) {
    FILE *f = fopen("nums.txt", "w"); fputs("512 17\n33 x", f); fclose(f);
    f = fopen("nums.txt", "r");
    int a = 0, b = 0, c = 0;
    int n1 = fscanf(f, "%d", &a);
    int ch = fgetc(f); ungetc(ch, f);
    int n2 = fscanf(f, "%d %d", &b, &c);
    long pos = ftell(f);
    char word[8] = {0}; int n3 = fscanf(f, "%7s", word);
    int n4 = fscanf(f, "%d", &a);
    printf("%d %d %d %d %d %ld %s %d %d\n", n1, a, b, c, n2, pos, word, n3, n4);
    fclose(f); remove("nums.txt");
    int x, sum = 0, count = 0;
    while (scanf("%d", &x) == 1) { sum += x; count++; }
    printf("stdin count=%d sum=%d\n", count, sum);
    return 0;
}
