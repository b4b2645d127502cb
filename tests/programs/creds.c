/* Credentials and the permission model: a process that drops root loses its capabilities,
 * file permissions, sticky directories, ownership changes and kill are checked against its
 * ids, access() uses the real ids, and exec of a set-user-ID file changes the effective
 * and saved uids -- and says so in the auxiliary vector (AT_SECURE: the dynamic loader then
 * ignores LD_PRELOAD) -- unless no_new_privs is set. Prints what it sees; run as root in a
 * root of its own (/prog, /tmp). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

static int err(long r)
{
    return r < 0 ? errno : 0;
}

static void ids(const char *who)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    struct { unsigned version; int pid; } hdr = {0x20080522, 0};
    struct { unsigned eff, perm, inh; } data[2];
    syscall(SYS_capget, &hdr, data);
    printf("%s: uid %u %u %u gid %u %u %u groups %d caps %s/%s\n", who, r, e, s, gr, ge, gs,
           getgroups(0, NULL), data[0].eff ? "some" : "none", data[0].perm ? "some" : "none");
}

static void run(void (*fn)(void))
{
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void as_nobody(void)
{
    gid_t none[1];
    printf("setgroups: %d\n", err(setgroups(0, none)));
    printf("setresgid: %d\n", err(setresgid(NOBODY, NOBODY, NOBODY)));
    printf("setresuid: %d\n", err(setresuid(NOBODY, NOBODY, NOBODY)));
    ids("nobody");
    printf("open secret: %d\n", err(open("/tmp/secret", O_RDONLY)));
    printf("open pub r: %d\n", err(open("/tmp/pub", O_RDONLY)));
    printf("open pub w: %d\n", err(open("/tmp/pub", O_WRONLY)));
    printf("access pub R: %d\n", err(access("/tmp/pub", R_OK)));
    printf("access pub W: %d\n", err(access("/tmp/pub", W_OK)));
    printf("stat in closed dir: %d\n", err(open("/tmp/closed/f", O_RDONLY)));
    printf("mkdir in /: %d\n", err(mkdir("/nope", 0755)));
    int fd = open("/tmp/mine", O_CREAT | O_WRONLY, 0600);
    struct stat st;
    fstat(fd, &st);
    printf("create mine: %d owner %u:%u\n", fd < 0 ? errno : 0, st.st_uid, st.st_gid);
    printf("unlink sticky root file: %d\n", err(unlink("/tmp/sticky/rootfile")));
    printf("chmod pub: %d\n", err(chmod("/tmp/pub", 0666)));
    printf("chmod mine: %d\n", err(chmod("/tmp/mine", 0640)));
    printf("chown mine to root: %d\n", err(chown("/tmp/mine", 0, -1)));
    printf("utimes pub: %d\n", err(utimes("/tmp/pub", NULL)));
    printf("setuid 0: %d\n", err(setuid(0)));
    printf("kill parent: %d\n", err(kill(getppid(), 0)));
    printf("mknod: %d\n", err(mknod("/tmp/null", S_IFCHR | 0666, makedev(1, 3))));
    printf("link root's secret: %d\n", err(link("/tmp/secret", "/tmp/mylink")));
    printf("link root's pub: %d\n", err(link("/tmp/pub", "/tmp/mylink")));
    printf("link mine: %d\n", err(link("/tmp/mine", "/tmp/mylink2")));
    printf("chroot: %d\n", err(chroot("/tmp")));
}

static void effective_only(void)
{
    printf("seteuid nobody: %d\n", err(setreuid(-1, NOBODY)));
    ids("euid nobody");
    printf("open secret: %d\n", err(open("/tmp/secret", O_RDONLY)));
    printf("access secret (real root): %d\n", err(access("/tmp/secret", R_OK)));
    printf("seteuid back to 0: %d\n", err(seteuid(0)));
    ids("back");
    printf("open secret: %d\n", err(open("/tmp/secret", O_RDONLY)));
}

static void exec_setuid(void)
{
    setresgid(1000, 1000, 1000);
    setresuid(1000, 1000, 1000);
    execl("/prog", "prog", "show", (char *)NULL);
    printf("exec: %d\n", errno);
}

static void exec_setuid_no_new_privs(void)
{
    setresgid(1000, 1000, 1000);
    setresuid(1000, 1000, 1000);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    execl("/prog", "prog", "show", (char *)NULL);
    printf("exec: %d\n", errno);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) {
        ids("after exec");
        printf("after exec auxv: uid %lu euid %lu secure %lu\n", getauxval(AT_UID),
               getauxval(AT_EUID), getauxval(AT_SECURE));
        return 0;
    }
    umask(022);
    ids("start");
    close(open("/tmp/secret", O_CREAT | O_WRONLY, 0600));
    close(open("/tmp/pub", O_CREAT | O_WRONLY, 0644));
    mkdir("/tmp/sticky", 0777);
    chmod("/tmp/sticky", 01777);
    close(open("/tmp/sticky/rootfile", O_CREAT | O_WRONLY, 0666));
    mkdir("/tmp/closed", 0700);
    close(open("/tmp/closed/f", O_CREAT | O_WRONLY, 0666));
    chmod("/tmp", 01777);
    run(as_nobody);
    run(effective_only);
    chown("/prog", NOBODY, NOBODY);
    chmod("/prog", 04755);
    run(exec_setuid);
    run(exec_setuid_no_new_privs);
    return 0;
}
