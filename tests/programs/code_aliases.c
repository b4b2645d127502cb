/* Code written through one mapping runs through another, as JITs with W^X dual mappings do
 * (Erlang's BeamAsm, .NET, V8 with --write-protect-code-memory): a memfd mapped twice, once
 * writable and once executable. Each round rewrites functions already run, so translated code
 * of the executable view must be dropped when the writable view changes the page. Also: a
 * page made writable by mprotect, patched, and made executable again (W^X by toggling); a
 * forked child rewriting code its parent ran, in a private RWX page it now copies. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES 4
#define SIZE (PAGES * 4096)

typedef int (*fn)(void);

/* mov eax, value; ret */
static void emit(unsigned char *at, int value)
{
    at[0] = 0xb8;
    memcpy(at + 1, &value, 4);
    at[5] = 0xc3;
}

int main(void)
{
    int fd = memfd_create("jit", 0);
    if (fd < 0 || ftruncate(fd, SIZE) < 0)
        return perror("memfd"), 1;
    unsigned char *rx = mmap(NULL, SIZE, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    unsigned char *rw = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (rx == MAP_FAILED || rw == MAP_FAILED)
        return perror("mmap"), 1;
    int wrong = 0;
    for (int round = 0; round < 5; round++) {
        /* Two functions a page: the second rewritten in even rounds only, so odd rounds also
         * check that code nobody rewrote is still there. */
        int kept = round - round % 2;
        for (int page = 0; page < PAGES; page++) {
            emit(rw + page * 4096 + 0x100, round * 100 + page);
            if (round == kept)
                emit(rw + page * 4096 + 0x800, -(kept * 100 + page));
        }
        for (int page = 0; page < PAGES; page++) {
            int got = ((fn)(rx + page * 4096 + 0x100))();
            int other = ((fn)(rx + page * 4096 + 0x800))();
            if (got != round * 100 + page || other != -(kept * 100 + page)) {
                printf("round %d page %d: got %d and %d\n", round, page, got, other);
                wrong++;
            }
        }
    }
    printf("dual mapping: %s\n", wrong ? "stale code ran" : "ok");

    /* W^X by mprotect: a private page made writable to be patched, then executable again. */
    unsigned char *wx = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                             -1, 0);
    wrong = 0;
    for (int round = 0; round < 4; round++) {
        mprotect(wx, 4096, PROT_READ | PROT_WRITE);
        emit(wx + 0x100, round);
        emit(wx + 0x800, -round);
        mprotect(wx, 4096, PROT_READ | PROT_EXEC);
        if (((fn)(wx + 0x100))() != round || ((fn)(wx + 0x800))() != -round)
            wrong++;
    }
    printf("mprotect toggling: %s\n", wrong ? "stale code ran" : "ok");

    unsigned char *own = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    emit(own, 1);
    int before = ((fn)own)();
    pid_t pid = fork();
    if (pid == 0) {
        int ran = ((fn)own)();    /* translated from the frame it shares with its parent */
        emit(own, 2);             /* the child's first write copies the page */
        _exit(ran == 1 && ((fn)own)() == 2 ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("forked child's rewrite: %s\n",
           before == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && ((fn)own)() == 1
               ? "ok" : "stale code ran");
    return 0;
}
