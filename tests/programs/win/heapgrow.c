/* The heap: a string grown one byte at a time by realloc, and large blocks given back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    char *s = NULL; size_t len = 0;
    for (int i = 0; i < 300000; i++) { s = realloc(s, len + 2); if (!s) { printf("fail at %d\n", i); return 1; } s[len++] = 'a' + i % 26; s[len] = 0; }
    printf("built %u\n", (unsigned)strlen(s));
    free(s);
    void *big[64];
    for (int i = 0; i < 64; i++) big[i] = malloc(16 << 20);
    for (int i = 0; i < 64; i++) free(big[i]);
    void *huge = malloc(256 << 20);
    printf("huge %s\n", huge ? "ok" : "NULL");
    return 0;
}
