/* shm_nattch counts attaches where they are: a fork's child has its own, exit and munmap
 * end one; a segment removed while attached goes with its last attach; a file named as a
 * segment's mapping is none. Prints the same on Linux. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

static long nattch(int id)
{
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) != 0)
        return -errno;
    return (long)ds.shm_nattch;
}

int main(void)
{
    int id = shmget(IPC_PRIVATE, 4096, 0600 | IPC_CREAT);
    char *p = shmat(id, NULL, 0);
    printf("attached: %ld\n", nattch(id));
    int pipefd[2];
    pipe(pipefd);
    pid_t c = fork();
    if (c == 0) {
        long n = nattch(id);
        write(pipefd[1], &n, sizeof n);
        _exit(0);
    }
    long in_child = 0;
    read(pipefd[0], &in_child, sizeof in_child);
    waitpid(c, NULL, 0);
    printf("in a forked child: %ld, after it exited: %ld\n", in_child, nattch(id));
    char name[64];
    snprintf(name, sizeof name, "/SYSV00000000 (shmid %d)", id);
    int fd = open(name, O_RDWR | O_CREAT, 0600);
    ftruncate(fd, 4096);
    char *file = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int detached = shmdt(file);
    printf("a file of its name: %ld, shmdt of it %d %s\n", nattch(id), detached,
           detached ? strerror(errno) : "");
    unlink(name);
    char *q = shmat(id, NULL, 0);
    printf("attached twice: %ld\n", nattch(id));
    munmap(q, 4096);
    printf("one unmapped: %ld\n", nattch(id));
    c = fork();
    if (c == 0) {
        shmat(id, NULL, 0);
        strcpy(p, "child");
        _exit(0);
    }
    waitpid(c, NULL, 0);
    printf("child attached and exited: %ld, wrote %s\n", nattch(id), p);
    char *mine = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(mine, "mine");
    void *over = shmat(id, mine + 100, SHM_RND);       /* over a mapping: never replaced */
    printf("attach over a mapping: %s, kept %s\n",
           over == (void *)-1 && errno == EINVAL ? "EINVAL" : "attached", mine);
    over = shmat(id, mine, SHM_REMAP);
    printf("with SHM_REMAP: %d, sees %s\n", over == mine, mine);
    shmdt(over);
    shmctl(id, IPC_RMID, NULL);
    printf("removed while attached: %ld\n", nattch(id));
    shmdt(p);
    printf("after the last detach: %s\n", nattch(id) == -EINVAL ? "gone" : "still there");
    return 0;
}
