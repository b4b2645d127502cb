/* Who owns /proc/self's entries, and their modes: the process's effective ids while it is
   dumpable, root once a change of ids made it undumpable, its ids again after
   PR_SET_DUMPABLE; environ and auxv only for the owner, fd searchable only by it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *when)
{
    const char *names[] = {"/proc/self/", "/proc/self/status", "/proc/self/environ",
                           "/proc/self/auxv", "/proc/self/fd"};
    printf("%s:", when);
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
        struct stat st;
        if (stat(names[i], &st) != 0)
            printf(" %s ?", names[i] + 11);
        else
            printf(" %s %u:%u %o", names[i] + 11, st.st_uid, st.st_gid, st.st_mode & 07777);
    }
    printf("\n");
}

int main(void)
{
    show("root");
    setresgid(1000, 1000, 1000);
    setresuid(1000, 1000, 1000);
    show("after setresuid");
    prctl(PR_SET_DUMPABLE, 1);
    show("dumpable again");
    return 0;
}
