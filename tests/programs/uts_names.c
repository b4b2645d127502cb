/* sethostname and setdomainname name the machine (its own UTS namespace): root may, uname
 * and /proc/sys/kernel show it; a name past HOST_NAME_MAX is EINVAL, a user EPERM. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(void)
{
    char long_name[80];
    memset(long_name, 'x', sizeof long_name);
    printf("set %d %d\n", sethostname("box", 3), setdomainname("example.org", 11));
    struct utsname u;
    uname(&u);
    char proc[64] = "";
    FILE *f = fopen("/proc/sys/kernel/hostname", "r");
    fgets(proc, sizeof proc, f);
    printf("uname %s %s, proc %s", u.nodename, u.domainname, proc);
    errno = 0;
    int r = sethostname(long_name, sizeof long_name);
    printf("too long %d errno %d\n", r, errno);
    setuid(1000);
    errno = 0;
    r = sethostname("mine", 4);
    printf("as a user %d errno %d\n", r, errno);
    return 0;
}
