/* The processors a program counts: sysconf (glibc reads /sys/devices/system/cpu for the
 * configured ones, and sched_getaffinity for those online) and the sysfs files themselves.
 * The machine has one. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("configured %ld, online %ld\n", sysconf(_SC_NPROCESSORS_CONF),
           sysconf(_SC_NPROCESSORS_ONLN));
    char line[64] = "";
    FILE *f = fopen("/sys/devices/system/cpu/online", "r");
    if (f && fgets(line, sizeof line, f))
        printf("sysfs online: %s", line);
    else
        printf("sysfs online: missing\n");
    return 0;
}
