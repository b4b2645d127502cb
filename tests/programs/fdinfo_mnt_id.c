/* /proc/self/fdinfo/N's mnt_id names the mount the descriptor's file is on: the
   mountinfo line with that id has the file's mountpoint (lsfd and findmnt join them so).
   A pipe's mount is an internal one that mountinfo does not list. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int mnt_id(int fd)
{
    char path[64], line[256];
    int id = -1;
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "mnt_id: %d", &id) == 1)
            break;
    fclose(f);
    return id;
}

static void show(const char *what, int fd)
{
    char line[512], point[256];
    int id = mnt_id(fd), n, parent;
    FILE *f = fopen("/proc/self/mountinfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "%d %d %*s %*s %255s", &n, &parent, point) == 3 && n == id) {
            printf("%s: on %s\n", what, point);
            fclose(f);
            return;
        }
    if (f)
        fclose(f);
    printf("%s: %s\n", what, id > 0 ? "on a mount mountinfo does not list" : "no mnt_id");
}

int main(void)
{
    int p[2];
    show("/etc", open("/etc", O_RDONLY | O_DIRECTORY));
    show("/proc/self/stat", open("/proc/self/stat", O_RDONLY));
    show("/proc", open("/proc", O_RDONLY | O_DIRECTORY));
    pipe(p);
    show("pipe", p[0]);
    return 0;
}
