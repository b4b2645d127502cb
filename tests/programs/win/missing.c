/* Calls CreateFiber (which sysvec does not provide) only when given an argument. */
#include <windows.h>
#include <stdio.h>
static VOID WINAPI worker(LPVOID arg) { }
int main(int argc, char **argv) {
    printf("before\n"); fflush(stdout);
    if (argc > 1) { LPVOID fiber = CreateFiber(0, worker, NULL); SwitchToFiber(fiber); }
    printf("after\n");
    return 3;
}
