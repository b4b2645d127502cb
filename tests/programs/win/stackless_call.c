/* Calls a Win32 shadow-table entry by number (argv[1]) with the stack pointer aimed at
 * nothing: its arguments cannot be read, and neither can a stack to raise the access
 * violation on. Windows ends the process; so must sysvec, without an internal error. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    unsigned long nr = 0x1000UL | strtoul(argv[1], NULL, 0);
    printf("calling %s\n", argv[1]);
    fflush(stdout);
#ifdef _WIN64
    __asm__ volatile("mov $0x10, %%rsp; syscall" :: "a"(nr) : "rcx", "r11", "memory");
#else
    __asm__ volatile("mov $0x10, %%esp; int $0x2e" :: "a"(nr) : "memory");
#endif
    return 0;
}
