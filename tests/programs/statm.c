/* /proc/self/statm (htop and top read it for every process) and the resident size: touched
 * pages count, mapped ones never touched do not. Prints the same on Linux. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static void read_statm(long *size, long *resident)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", size, resident) != 2) {
        printf("no statm\n");
        *size = *resident = 0;
    }
    if (f)
        fclose(f);
}

int main(void)
{
    long size0, rss0, size1, rss1, size2, rss2;
    read_statm(&size0, &rss0);
    char *p = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    read_statm(&size1, &rss1);
    memset(p, 1, 4 << 20);
    read_statm(&size2, &rss2);
    printf("statm fields ok %d\n", size0 > 0 && rss0 > 0 && rss0 <= size0);
    printf("mapping 8 MiB: size grew by about 2048 pages %d, resident about the same %d\n",
           size1 - size0 > 2000 && size1 - size0 < 2100, rss1 - rss0 < 64);
    printf("touching 4 MiB: resident grew by about 1024 pages %d\n",
           rss2 - rss1 >= 1000 && rss2 - rss1 < 1100);
    return 0;
}
