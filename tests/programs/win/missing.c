/* Calls CreateThread (which sysvec does not provide) only when given an argument. */
#include <windows.h>
#include <stdio.h>
static DWORD WINAPI worker(LPVOID arg) { return 0; }
int main(int argc, char **argv) {
    printf("before\n"); fflush(stdout);
    if (argc > 1) { HANDLE h = CreateThread(NULL, 0, worker, NULL, 0, NULL); WaitForSingleObject(h, INFINITE); }
    printf("after\n");
    return 3;
}
