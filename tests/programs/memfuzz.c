/* A randomized memory-coherence program, run natively and under sysvec: the host kernel is the
 * model. For each seed it interleaves, on a few pages, guest stores and loads, kernel
 * copy-outs (read from a pipe, pread, preadv, pipe(), fstat's size), fork (children that stay
 * alive sharing pages copy-on-write, then run ops of their own), mprotect, munmap and mmap
 * MAP_FIXED, and prints every load (a fault is printed as such). Any difference between the two
 * outputs is a coherence bug: a stale translation, a lost copy-on-write, a leaked store.
 *
 * usage: memfuzz FIRST_SEED COUNT [STEPS]  -- each seed runs in its own forked process. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define NPAGES 6
#define MAXKIDS 3

static unsigned char *region;
static uint64_t rng;
static FILE *out;
static int datafile;
static sigjmp_buf probe_jmp;
static int in_probe;

struct kid { pid_t pid; int go; int id; };
static struct kid kids[MAXKIDS];
static int nkids, kid_ids;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static void on_fault(int sig)
{
    if (in_probe)
        siglongjmp(probe_jmp, sig);
    _exit(90);
}

/* A load or store that may fault: prints the value, or that it faulted. */
static void probe(int store, unsigned char *p, unsigned char v)
{
    int sig;
    in_probe = 1;
    if ((sig = sigsetjmp(probe_jmp, 1)) == 0) {
        if (store) {
            *(volatile unsigned char *)p = v;
            fprintf(out, "st %ld ok\n", (long)(p - region));
        } else {
            fprintf(out, "ld %ld = %u\n", (long)(p - region), *(volatile unsigned char *)p);
        }
    } else {
        fprintf(out, "%s %ld fault %d\n", store ? "st" : "ld", (long)(p - region), sig);
    }
    in_probe = 0;
}

/* A kernel copy-out into p: the result and the bytes it wrote, read back by the guest. */
static void copy_out(unsigned char *p, int how)
{
    char msg[32];
    int len = snprintf(msg, sizeof msg, "k%08x", next());
    int fds[2];
    long r = -1;
    int room = (int)(PAGE - ((p - region) % PAGE));
    if (len > room)
        len = room;
    switch (how) {
    case 0:
        if (pipe(fds) == 0) {
            write(fds[1], msg, (size_t)len);
            r = read(fds[0], p, (size_t)len);
            close(fds[0]);
            close(fds[1]);
        }
        break;
    case 1:
        pwrite(datafile, msg, (size_t)len, 0);
        r = pread(datafile, p, (size_t)len, 0);
        break;
    case 2: {
        pwrite(datafile, msg, (size_t)len, 0);
        struct iovec iov[2] = {{p, (size_t)len / 2}, {p + len / 2, (size_t)(len - len / 2)}};
        r = preadv(datafile, iov, 2, 0);
        break;
    }
    default:
        if (room >= (int)sizeof(int[2])) {
            r = pipe((int *)p);
            if (r == 0) {
                fprintf(out, "pipe fds %d %d\n", ((int *)p)[0], ((int *)p)[1]);
                close(((int *)p)[0]);
                close(((int *)p)[1]);
            }
            len = 0;
        }
    }
    fprintf(out, "copy-out %d at %ld = %ld\n", how, (long)(p - region), r);
    if (r > 0)
        for (int i = 0; i < len; i++)
            probe(0, p + i, 0);
}

static void run_ops(int steps, int depth);

static void spawn(int steps, int depth)
{
    if (nkids == MAXKIDS || depth > 1)
        return;
    int go[2];
    if (pipe(go))
        return;
    int id = kid_ids++;
    fflush(out);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        nkids = 0;
        read(go[0], &c, 1);   /* shares every page until the parent lets it go */
        char name[32];
        snprintf(name, sizeof name, "kid.%d", id);
        FILE *log = fopen(name, "w");
        out = log;
        rng ^= 0x9e3779b97f4a7c15ull * (uint64_t)(id + 1);
        run_ops(steps / 2, depth + 1);
        fclose(log);
        _exit(0);
    }
    close(go[0]);
    kids[nkids++] = (struct kid){pid, go[1], id};
    fprintf(out, "fork kid %d\n", id);
}

/* Let the oldest child run, reap it, print its log. */
static void release(void)
{
    if (!nkids)
        return;
    struct kid k = kids[0];
    memmove(kids, kids + 1, (size_t)(--nkids) * sizeof *kids);
    write(k.go, "g", 1);
    close(k.go);
    int status = 0;
    waitpid(k.pid, &status, 0);
    fprintf(out, "kid %d exit %d\n", k.id, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    char name[32], line[128];
    snprintf(name, sizeof name, "kid.%d", k.id);
    FILE *log = fopen(name, "r");
    while (log && fgets(line, sizeof line, log))
        fprintf(out, "  %d| %s", k.id, line);
    if (log)
        fclose(log);
    unlink(name);
}

static void run_ops(int steps, int depth)
{
    for (int s = 0; s < steps; s++) {
        unsigned char *p = region + (next() % NPAGES) * PAGE + (next() % 64) * 61;
        int page = (int)((p - region) / PAGE);
        switch (next() % 32) {
        case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
            probe(1, p, (unsigned char)next());
            break;
        case 8: case 9: case 10: case 11: case 12: case 13: case 14:
            probe(0, p, 0);
            break;
        case 15: case 16: case 17: case 18: case 19:
            copy_out(p, (int)(next() % 4));
            break;
        case 20: case 21:
            spawn(steps, depth);
            break;
        case 22: case 23:
            release();
            break;
        case 24: case 25: {
            int prot = (int)(next() % 3) == 0 ? PROT_READ : PROT_READ | PROT_WRITE;
            fprintf(out, "mprotect %d %s = %d\n", page, prot & PROT_WRITE ? "rw" : "r",
                    mprotect(region + page * PAGE, PAGE, prot));
            break;
        }
        case 26:
            fprintf(out, "munmap %d = %d\n", page, munmap(region + page * PAGE, PAGE));
            break;
        case 27: case 28: {
            void *m = mmap(region + page * PAGE, PAGE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            fprintf(out, "mmap %d = %s\n", page, m == region + page * PAGE ? "ok" : "failed");
            break;
        }
        default:
            for (int i = 0; i < NPAGES; i++)
                probe(0, region + i * PAGE + (p - region) % PAGE, 0);
        }
    }
    while (nkids)
        release();
}

static void one_seed(uint64_t seed, int steps)
{
    rng = seed * 0x2545f4914f6cdd1dull + 1;
    region = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                  -1, 0);
    for (int i = 0; i < NPAGES; i++)
        memset(region + i * PAGE, 'a' + i, PAGE);
    datafile = open("memfuzz.data", O_RDWR | O_CREAT | O_TRUNC, 0600);
    run_ops(steps, 0);
    close(datafile);
    unlink("memfuzz.data");
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    long first = atol(argv[1]), count = atol(argv[2]);
    int steps = argc > 3 ? atoi(argv[3]) : 200;
    for (int fd = 3; fd < 1024; fd++)
        close(fd);   /* descriptors the host run inherited would shift pipe()'s numbers */
    struct sigaction sa = {0};
    sa.sa_handler = on_fault;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    for (long seed = first; seed < first + count; seed++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            out = stdout;
            printf("seed %ld\n", seed);
            one_seed((uint64_t)seed, steps);
            fflush(stdout);
            _exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        printf("seed %ld done %d\n", seed, status);
    }
    return 0;
}
