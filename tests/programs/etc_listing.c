/* The machine's /etc files (hostname, hosts, resolv.conf, nsswitch.conf) that a root lacks
 * are listed in its /etc beside its own files, each once, with the inode number stat gives;
 * a file the root has is its own. Run in a root whose /etc has passwd and hosts. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    DIR *d = opendir("/etc");
    struct dirent *e;
    char *names[64];
    int n = 0, ino_agrees = 1;
    while ((e = readdir(d)) != NULL && n < 64) {
        if (e->d_name[0] == '.')
            continue;
        char path[300];
        struct stat st;
        snprintf(path, sizeof path, "/etc/%s", e->d_name);
        ino_agrees &= stat(path, &st) == 0 && st.st_ino == e->d_ino;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    printf("/etc:");
    for (int i = 0; i < n; i++)
        printf(" %s", names[i]);
    printf("\nd_ino is stat's st_ino: %d\n", ino_agrees);
    char line[64] = "";
    FILE *f = fopen("/etc/hosts", "r");
    printf("hosts: %s", f && fgets(line, sizeof line, f) ? line : "missing\n");
    return 0;
}
