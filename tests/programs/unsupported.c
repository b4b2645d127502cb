/* Calls a container's kernel answers with a specific error, not ENOSYS: each line says what
 * the call returned, "name ERRNO", so the test compares it with the spec's policy. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *name(int e)
{
    switch (e) {
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOSYS: return "ENOSYS";
    case ENOENT: return "ENOENT";
    default: return "other";
    }
}

static void report(const char *call, long r)
{
    if (r == -1)
        printf("%s %s\n", call, name(errno));
    else
        printf("%s returned %ld\n", call, r);
}

int main(void)
{
    char buf[64];
    int fd = open("/probe", O_RDONLY);
    if (fd < 0) {
        perror("open /probe");
        return 1;
    }
    report("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "/probe", buf,
                                        buf + 32, 0));
    report("io_uring_enter", syscall(SYS_io_uring_enter, fd, 1, 0, 0, NULL, 0));
    report("io_uring_register", syscall(SYS_io_uring_register, fd, 0, NULL, 0));
    report("bpf", syscall(SYS_bpf, 0, buf, sizeof buf));
    report("userfaultfd", syscall(SYS_userfaultfd, 0));
    report("io_uring_setup", syscall(SYS_io_uring_setup, 4, buf));
    report("perf_event_open", syscall(SYS_perf_event_open, buf, 0, -1, -1, 0));
    report("init_module", syscall(SYS_init_module, buf, 0, ""));
    report("clone3", syscall(SYS_clone3, buf, 0));
    return 0;
}
