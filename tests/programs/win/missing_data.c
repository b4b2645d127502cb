/* Reads a variable of msvcp140's that sysvec does not provide, only when given an argument.
 * The test names it Qsysvec_missingQQ3HA here and patches the built program's import to the
 * MSVC decoration ?sysvec_missing@@3HA (storage class 3: a variable), which C cannot spell. */
#include <stdio.h>
extern __declspec(dllimport) int Qsysvec_missingQQ3HA;
int main(int argc, char **argv) {
    printf("before\n"); fflush(stdout);
    if (argc > 1) printf("%d\n", Qsysvec_missingQQ3HA);
    printf("after\n");
    return 3;
}
