/* readdir's `.` and `..` carry the inodes stat gives the directory and its parent; at the
 * top of the tree `..` is the directory itself. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void check(const char *dir)
{
    char parent[256];
    struct stat self, up;
    snprintf(parent, sizeof parent, "%s/..", dir);
    stat(dir, &self);
    stat(parent, &up);
    DIR *d = opendir(dir);
    struct dirent *e;
    while ((e = readdir(d)))
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            printf("%s %s: self %d parent %d\n", dir, e->d_name, e->d_ino == self.st_ino,
                   e->d_ino == up.st_ino);
    closedir(d);
}

int main(void)
{
    mkdir("/tmp/sub", 0755);
    check("/tmp/sub");
    check("/");
    return 0;
}
