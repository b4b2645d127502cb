/* exec shares the program's file pages copy-on-write (runtime/filepages.py): every generation
 * of this program execs the next one after writing to its own .data and .text pages, and
 * each must still see the file's bytes; a forked child's writes stay out of its parent. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int counter = 7;   /* .data: a file-backed page */

__attribute__((noinline)) static int marker(void) { return 42; }

int main(int argc, char **argv)
{
    int gen = argc > 1 ? atoi(argv[1]) : 0;
    volatile unsigned char *code = (volatile unsigned char *)(uintptr_t)marker;
    printf("gen %d counter %d code %02x\n", gen, counter, code[0]);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        counter = 1000;
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("gen %d after child %d\n", gen, counter);
    counter = 100 + gen;
    if (gen < 3) {
        uintptr_t page = (uintptr_t)code & ~(uintptr_t)4095;
        if (mprotect((void *)page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
            return 1;
        code[0] ^= 0xff;   /* marker is not called again before the exec */
        fflush(stdout);
        char next[16];
        snprintf(next, sizeof next, "%d", gen + 1);
        execl(argv[0], argv[0], next, (char *)NULL);
        return 2;
    }
    return marker() == 42 ? 0 : 3;
}
