/* A Universal CRT hello world (mingw-w64 against libucrt: api-ms-win-crt-* imports). */
#include <stdio.h>

int main(void)
{
    printf("hello\n");
    return 0;
}
