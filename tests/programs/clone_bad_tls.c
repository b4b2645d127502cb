/* clone(CLONE_SETTLS) with a TLS argument Linux refuses: the call fails and no child is made.
 * i386 reads a struct user_desc (EFAULT, EINVAL for entry -1, an entry outside the TLS slots,
 * a 16-bit or code segment); x86-64 takes an fs base, EPERM past user space. A good one makes
 * a child whose %gs (i386) or fs base (x86-64) is the one asked for. Prints what Linux does. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct user_desc32 {
    int entry_number;
    unsigned base_addr, limit;
    unsigned flags;     /* seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1
                           seg_not_present:1 useable:1 */
};

static long do_clone(long tls)
{
#ifdef __i386__
    return syscall(SYS_clone, CLONE_SETTLS | SIGCHLD, 0, 0, tls, 0);
#else
    return syscall(SYS_clone, CLONE_SETTLS | SIGCHLD, 0, 0, 0, tls);
#endif
}

static void try(const char *what, long tls)
{
    errno = 0;
    long pid = do_clone(tls);
    if (pid == 0)
        _exit(42);
    int err = errno, status = 0;
    if (pid > 0)
        waitpid(pid, &status, 0);
    int left = waitpid(-1, NULL, WNOHANG);
    char ended[32] = "-";
    if (pid > 0 && WIFEXITED(status))
        snprintf(ended, sizeof ended, "exited %d", WEXITSTATUS(status));
    else if (pid > 0 && WIFSIGNALED(status))
        snprintf(ended, sizeof ended, "killed by %s", sigabbrev_np(WTERMSIG(status)));
    printf("%s: %s, child %s, none left %d\n", what, pid < 0 ? strerror(err) : "made", ended,
           left == -1 && errno == ECHILD);
    fflush(stdout);
}

int main(void)
{
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
#ifdef __i386__
    struct user_desc32 *u = (struct user_desc32 *)page;
    int entry = -1;
    struct user_desc32 mine = {-1, (unsigned)(long)page, 0xfffff, 1 | 1 << 4};
    syscall(SYS_set_thread_area, &mine);       /* a free entry of our own to use */
    entry = mine.entry_number;
    try("unreadable user_desc", 0x1000);
    struct user_desc32 *edge = (struct user_desc32 *)(page + 4096 - 8);
    edge->entry_number = entry;
    try("user_desc across the end of memory", (long)edge);
    *u = (struct user_desc32){-1, 0, 0xfffff, 1 | 1 << 4};
    try("entry -1", (long)u);
    *u = (struct user_desc32){5, 0, 0xfffff, 1 | 1 << 4};
    try("entry 5", (long)u);
    *u = (struct user_desc32){entry, 0, 0xfffff, 1 << 4};
    try("16-bit segment", (long)u);
    *u = (struct user_desc32){entry, 0, 0xfffff, 1 | 2 << 1 | 1 << 4};
    try("code segment", (long)u);
    *u = (struct user_desc32){entry, 0, 0xfffff, 1 | 1 << 4 | 1 << 5};
    try("not present", (long)u);
    *u = (struct user_desc32){entry, (unsigned)(long)page, 0xfffff, 1 | 1 << 4};
    try("good", (long)u);
    *u = (struct user_desc32){entry, 0, 0, 0};
    try("all zero: no segment", (long)u);
    unsigned gs;
    __asm__("mov %%gs, %0" : "=r"(gs));
    *u = (struct user_desc32){gs >> 3, 0, 0, 0};
    try("all zero on %gs's own entry", (long)u);
#else
    try("kernel half", (long)0xffff800000000000UL);
    try("just past user space", 0x7ffffffff000L);
    try("good", (long)page);
#endif
    return 0;
}
