/* shm_open as a user, as multiprocessing's locks do (sem_open): /dev/shm is writable by
 * everyone on Linux (a 1777 tmpfs), whatever directory the root has under it. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    setgid(1000);
    setuid(1000);
    int fd = shm_open("/sysvec-test", O_CREAT | O_RDWR, 0600);
    printf("shm_open as a user: %s\n", fd >= 0 ? "ok" : "failed");
    if (fd >= 0)
        printf("shm_unlink %d\n", shm_unlink("/sysvec-test"));
    return 0;
}
