/* chown of a /proc node changes nothing recorded (its st_dev is its pseudo file system's,
 * not SYNTHETIC_DEV, so only the walk tells it is synthetic); a root file's owner is kept. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    struct stat st;
    int rc = chown("/proc/self/status", 1000, 1000);
    stat("/proc/self/status", &st);
    printf("chown /proc/self/status: %d, owner %d\n", rc, (int)st.st_uid);
    FILE *f = fopen("/x", "w");
    fclose(f);
    chown("/x", 7, 7);
    stat("/x", &st);
    printf("chown /x: owner %d\n", (int)st.st_uid);
    return 0;
}
