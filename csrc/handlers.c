/* System calls simple and hot enough to answer in C, without entering Python.
 * The runtime keeps cpu->pid, tid and ppid current across context switches. */
#include "sysvec.h"

int64_t sv_c_getpid(sv_cpu *cpu, const uint64_t *args)
{
    (void)args;
    return cpu->pid;
}

int64_t sv_c_getppid(sv_cpu *cpu, const uint64_t *args)
{
    (void)args;
    return cpu->ppid;
}

int64_t sv_c_gettid(sv_cpu *cpu, const uint64_t *args)
{
    (void)args;
    return cpu->tid;
}
