/* The C runtime calling back into the program (qsort, bsearch, atexit) and more of msvcrt
 * and kernel32: tokens and spans, scanf from stdin, time, the environment, fseek from the
 * end, wide-to-narrow text, strtol overflow. Prints one line per check. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ctype.h>
#include <errno.h>

static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static void bye1(void) { printf("atexit 1\n"); }
static void bye2(void) { printf("atexit 2\n"); }

int main(void) {
    int v[] = {42, -7, 19, 0, 3, 3, 100, -50};
    qsort(v, 8, sizeof v[0], cmp_int);
    for (int i = 0; i < 8; i++) printf("%d ", v[i]);
    printf("\n");
    const char *names[] = {"pear", "apple", "fig", "banana"};
    qsort(names, 4, sizeof names[0], cmp_str);
    printf("%s %s %s %s\n", names[0], names[1], names[2], names[3]);
    int key = 19, *hit = bsearch(&key, v, 8, sizeof v[0], cmp_int);
    int miss = 5;
    printf("bsearch %d %s\n", hit ? *hit : -1, bsearch(&miss, v, 8, sizeof v[0], cmp_int) ? "found" : "absent");
    char text[] = "a,b;;c d";
    for (char *t = strtok(text, ",; "); t; t = strtok(NULL, ",; ")) printf("[%s]", t);
    printf(" spn %u cspn %u pbrk %s\n", (unsigned)strspn("aab12", "ab"), (unsigned)strcspn("hello!", "!o"), strpbrk("xyz-q", "-q"));
    char num[40];
    printf("itoa %s ", _itoa(-255, num, 10));
    printf("%s ", _strupr(strcpy(num, "MiXed")));
    printf("punct %d %d print %d\n", ispunct('!') != 0, ispunct('a') != 0, isprint('\t') != 0);
    time_t now = time(NULL);
    struct tm *tm = localtime(&now);
    char buf[64];
    strftime(buf, sizeof buf, "%Y", tm);
    printf("year ok %d, mktime ok %d\n", atoi(buf) >= 2024, mktime(tm) == now);
    int a = 0, b = 0;
    if (scanf("%d %d", &a, &b) == 2) printf("sum %d\n", a + b);
    SetEnvironmentVariableA("MyVar", "hello");
    char ev[32];
    DWORD n = GetEnvironmentVariableA("MYVAR", ev, sizeof ev);
    printf("env %lu %s getenv %s\n", (unsigned long)n, ev, getenv("myvar"));
    FILE *f = fopen("t.txt", "w+");
    fputs("0123456789", f);
    fseek(f, -3, SEEK_END);
    printf("fseek -3 -> %c\n", fgetc(f));
    fclose(f);
    remove("t.txt");
    char mb[16];
    printf("wc2mb %d %s\n", WideCharToMultiByte(CP_ACP, 0, L"wide", -1, mb, sizeof mb, NULL, NULL), mb);
    errno = 0;
    long big = strtol("99999999999", NULL, 10);
    printf("strtol %ld erange %d\n", big, errno == ERANGE);
    atexit(bye1);
    atexit(bye2);
    printf("main returns\n");
    return 5;
}
