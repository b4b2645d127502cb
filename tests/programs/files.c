/* Files inside the root: create, write, read back, directory listing, rename, unlink. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    mkdir("/work", 0755);
    int fd = open("/work/note.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) { perror("open"); return 1; }
    write(fd, "written by the guest\n", 21);
    close(fd);
    FILE *f = fopen("/work/note.txt", "r");
    char line[64] = {0};
    fgets(line, sizeof line, f);
    fclose(f);
    printf("read back: %s", line);
    struct stat st;
    stat("/work/note.txt", &st);
    printf("size %ld\n", (long)st.st_size);
    rename("/work/note.txt", "/work/renamed.txt");
    DIR *d = opendir("/work");
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            printf("entry %s\n", e->d_name);
    closedir(d);
    printf("escape: %s\n", open("/../../../../etc/hostname-does-not-exist", O_RDONLY) < 0 ? "blocked" : "open");
    chdir("/work");
    char cwd[64];
    printf("cwd %s\n", getcwd(cwd, sizeof cwd));
    unlink("renamed.txt");
    printf("after unlink: %s\n", access("/work/renamed.txt", F_OK) == 0 ? "present" : "gone");
    return 0;
}
