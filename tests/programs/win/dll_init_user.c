/* Imports dll_init_fails.dll: never gets to run. */
#include <stdio.h>

__declspec(dllimport) int five(void);

int main(void)
{
    printf("started %d\n", five());
    return 0;
}
