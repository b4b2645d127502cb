/* uname's machine, and again under personality(PER_LINUX32) as setarch i386 sets it. */
#include <stdio.h>
#include <sys/personality.h>
#include <sys/utsname.h>

int main(void)
{
    struct utsname u;
    uname(&u);
    printf("%s\n", u.machine);
    personality(PER_LINUX32);
    uname(&u);
    printf("%s\n", u.machine);
    return 0;
}
