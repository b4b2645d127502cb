/* atof and strtod return doubles: in xmm0 on x64, on the x87 stack on i386. */
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    char *end;
    double a = atof("3.25"), b = strtod("  -1.5e3xyz", &end), c = atof("junk");
    printf("%.2f %.1f rest=%s %.1f sum=%.3f\n", a, b, end, c, a + b + strtod("0.001", NULL));
    return 0;
}
