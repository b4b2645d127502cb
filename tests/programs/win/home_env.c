/* HOME as a Windows program sees it: none unless given (programs fall back to USERPROFILE). */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    const char *home = getenv("HOME");
    printf("HOME %s USERPROFILE %s\n", home ? home : "(unset)", getenv("USERPROFILE"));
    return 0;
}
