/* chmod and utimensat act on a bound unix socket's file (which cannot be opened: ENXIO), as
 * Python's multiprocessing forkserver does to its socket. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
int main(void)
{
    struct sockaddr_un a = {AF_UNIX};
    strcpy(a.sun_path, "sock");
    unlink("sock");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) { perror("bind"); return 1; }
    printf("chmod: %d\n", chmod("sock", 0600));
    struct timespec ts[2] = {{1000000000, 0}, {1000000000, 5}};
    printf("utimensat: %d\n", utimensat(AT_FDCWD, "sock", ts, 0));
    struct stat st;
    stat("sock", &st);
    printf("mode %o mtime %ld.%ld\n", st.st_mode & 07777, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    unlink("sock");
    return 0;
}
