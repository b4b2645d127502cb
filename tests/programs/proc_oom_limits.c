/* /proc/PID/limits, oom_score, oom_score_adj, personality and coredump_filter, as choom,
 * systemd-style service managers and diagnostics read and write them (numbers as the
 * kernel's kstrtoint reads them: 0x hex, 0 octal, else decimal). Prints the same on Linux, as root
 * with CAP_SYS_RESOURCE (which lets root lower oom_score_adj and sets the floor under which
 * other users may not). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static char buf[8192];

static char *slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    long n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    if (fd >= 0)
        close(fd);
    return buf;
}

static const char *put(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return errno == EACCES ? "open EACCES" : strerror(errno);
    long n = write(fd, text, strlen(text));
    int e = errno;
    close(fd);
    return n == (long)strlen(text) ? "ok" : e == EINVAL ? "EINVAL" : e == EACCES ? "EACCES" :
           e == ERANGE ? "ERANGE" : strerror(e);
}

static const char *names[] = {"Max cpu time", "Max file size", "Max data size",
    "Max stack size", "Max core file size", "Max resident set", "Max processes",
    "Max open files", "Max locked memory", "Max address space", "Max file locks",
    "Max pending signals", "Max msgqueue size", "Max nice priority",
    "Max realtime priority", "Max realtime timeout"};

static void limits(void)
{
    char *text = slurp("/proc/self/limits"), *line = strtok(text, "\n");
    printf("limits header: [%s]\n", line);
    int agree = 0, lines = 0;
    while ((line = strtok(NULL, "\n")) != NULL) {
        struct rlimit rl;
        char soft[32], hard[32], expect_soft[32], expect_hard[32];
        getrlimit(lines, &rl);
        snprintf(expect_soft, sizeof expect_soft, rl.rlim_cur == RLIM_INFINITY ? "unlimited" :
                 "%llu", (unsigned long long)rl.rlim_cur);
        snprintf(expect_hard, sizeof expect_hard, rl.rlim_max == RLIM_INFINITY ? "unlimited" :
                 "%llu", (unsigned long long)rl.rlim_max);
        agree += strncmp(line, names[lines], strlen(names[lines])) == 0 &&
                 sscanf(line + 26, "%31s %31s", soft, hard) == 2 &&
                 !strcmp(soft, expect_soft) && !strcmp(hard, expect_hard) &&
                 line[25] == ' ' && line[26] != ' ' && line[47] != ' ';
        lines++;
    }
    printf("limits: %d lines, %d agree with getrlimit\n", lines, agree);
    struct rlimit core = {4096, 8192};
    setrlimit(RLIMIT_CORE, &core);
    printf("core after setrlimit: [%.60s]\n", strstr(slurp("/proc/self/limits"), "Max core"));
}

int main(void)
{
    limits();
    int before = atoi(slurp("/proc/self/oom_score"));
    printf("oom_score_adj: %s", slurp("/proc/self/oom_score_adj"));
    printf("oom_score in 0..2000: %d\n", before >= 0 && before <= 2000);
    printf("write 500: %s", put("/proc/self/oom_score_adj", "500\n"));
    printf(", reads %s", slurp("/proc/self/oom_score_adj"));
    printf("oom_score rose: %d\n", atoi(slurp("/proc/self/oom_score")) > before);
    printf("write 1001: %s", put("/proc/self/oom_score_adj", "1001"));
    printf(", write abc: %s", put("/proc/self/oom_score_adj", "abc"));
    printf(", write 0x10: %s", put("/proc/self/oom_score_adj", "0x10"));
    printf(", reads %s", slurp("/proc/self/oom_score_adj"));
    printf("root writes -1000: %s", put("/proc/self/oom_score_adj", "-1000"));
    printf(", oom_score %s", slurp("/proc/self/oom_score"));
    printf("oom_adj: %s", slurp("/proc/self/oom_adj"));
    printf("oom_adj 15: %s", put("/proc/self/oom_adj", "15"));
    printf(", oom_score_adj %s", slurp("/proc/self/oom_score_adj"));
    printf("oom_adj -8: %s", put("/proc/self/oom_adj", "-8"));
    printf(", oom_score_adj %s", slurp("/proc/self/oom_score_adj"));
    printf("oom_adj -17: %s, 16: %s", put("/proc/self/oom_adj", "-17"),
           put("/proc/self/oom_adj", "16"));
    printf(", oom_adj %s", slurp("/proc/self/oom_adj"));
    printf("root writes -500: %s\n", put("/proc/self/oom_score_adj", "-500"));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("the child inherits %s", slurp("/proc/self/oom_score_adj"));
        setuid(1000);
        prctl(PR_SET_DUMPABLE, 1);
        printf("a user lowers it under root's: %s", put("/proc/self/oom_score_adj", "-600"));
        printf(", raises it: %s", put("/proc/self/oom_score_adj", "100"));
        printf(", back to root's: %s\n", put("/proc/self/oom_score_adj", "-500"));
        char parent[64];
        snprintf(parent, sizeof parent, "/proc/%d/oom_score_adj", getppid());
        printf("a user writes root's process's: %s\n", put(parent, "0"));
        printf("a user writes its own coredump_filter: %s\n",
               put("/proc/self/coredump_filter", "0x33"));
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("personality: %s", slurp("/proc/self/personality"));
    personality(ADDR_NO_RANDOMIZE);
    printf("after ADDR_NO_RANDOMIZE: %s", slurp("/proc/self/personality"));
    const char *filters[] = {"33", "010", "0x1ff3", "-1", "0x", "4294967296"};
    for (int i = 0; i < 6; i++) {
        printf("coredump_filter %s: %s", filters[i],
               put("/proc/self/coredump_filter", filters[i]));
        printf(", reads %s", slurp("/proc/self/coredump_filter"));
    }
    return 0;
}
