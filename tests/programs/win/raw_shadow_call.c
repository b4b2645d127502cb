/* Calls a Win32 shadow-table entry by number straight through the trap gate (argv[1]), as a
 * generated DLL's stub does, from a program that loaded no DLL for it. x64 only. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    unsigned long long nr = 0x1000ULL | strtoull(argv[1], NULL, 0), r;
    printf("calling %s\n", argv[1]);
    fflush(stdout);
    __asm__ volatile("syscall" : "=a"(r) : "a"(nr) : "rcx", "r11", "memory");
    printf("returned %llx\n", r);
    return 0;
}
