/* _fcloseall closes (and flushes) every stream fopen made and says how many; the standard
   streams stay open. */
#include <stdio.h>

int main(void)
{
    FILE *a = fopen("a.txt", "w"), *b = fopen("b.txt", "w");
    fputs("x", a);
    fputs("y", b);
    printf("closed %d\n", _fcloseall());
    a = fopen("a.txt", "r");
    b = fopen("b.txt", "r");
    printf("kept %c%c, stdout still open\n", fgetc(a), fgetc(b));
    return 0;
}
