/* sscanf as msvcrt and the UCRT answer it: integers in their bases and sizes, floating
   point, characters, strings and sets, %n, suppression, and how far a failed match got. */
#include <stdio.h>

int main(void)
{
    int a = 0, b = 0, n = 0;
    unsigned u = 0;
    short h = 0;
    long long ll = 0;
    double d = 0;
    float f = 0;
    char word[16] = {0}, set[16] = {0}, c[3] = {0};
    int got = sscanf("  42 -17 0x1f 077 65535", "%d %i %x %o %hu", &a, &b, &u, &n, (unsigned short *)&h);
    printf("%d: %d %d %u %d %hu\n", got, a, b, u, n, (unsigned short)h);
    got = sscanf("3.25e2 -0.5 123456789012345", "%lf %f %lld", &d, &f, &ll);
    printf("%d: %g %g %lld\n", got, d, (double)f, ll);
    got = sscanf("key=value; rest", "%15[^=]=%15[a-z]%n", word, set, &n);
    printf("%d: [%s] [%s] at %d\n", got, word, set, n);
    got = sscanf("abXYZ", "%*2c%2c", c);
    printf("%d: [%s]\n", got, c);
    got = sscanf("12 apples", "%d %d", &a, &b);
    printf("partial %d: %d\n", got, a);
    got = sscanf("", "%d", &a);
    printf("empty %d\n", got);
    got = sscanf("100%", "%d%%", &a);
    printf("percent %d: %d\n", got, a);
    return 0;
}
