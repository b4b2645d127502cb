/* A named pipe's descriptor stats as its inode (tail -f told a FIFO "was replaced"), and a
 * unix socket's file gets 0777 less the umask, whatever sysvec's own umask is. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static void bind_at(const char *path, mode_t mask)
{
    umask(mask);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, path);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    int rc = bind(s, (struct sockaddr *)&a, sizeof a);
    struct stat st;
    stat(path, &st);
    printf("socket umask %03o: bind %d mode %04o sock %d\n", (unsigned)mask, rc,
           (unsigned)(st.st_mode & 07777), S_ISSOCK(st.st_mode));
    close(s);
    unlink(path);
}

int main(void)
{
    umask(022);
    mkfifo("ff", 0640);
    int fd = open("ff", O_RDWR);
    struct stat a, b;
    stat("ff", &a);
    fstat(fd, &b);
    printf("fifo: same inode %d, fstat mode %06o nlink %lu size %ld\n",
           a.st_dev == b.st_dev && a.st_ino == b.st_ino, (unsigned)b.st_mode,
           (unsigned long)b.st_nlink, (long)b.st_size);
    write(fd, "abc", 3);
    fstat(fd, &b);
    printf("fifo after a write: size %ld\n", (long)b.st_size);
    unlink("ff");
    fstat(fd, &b);
    printf("fifo unlinked: nlink %lu\n", (unsigned long)b.st_nlink);
    close(fd);
    bind_at("s0", 0);
    bind_at("s1", 0117);
    bind_at("s2", 077);
    return 0;
}
