/* System V shared memory: a segment attached by parent and child, IPC_STAT, IPC_EXCL,
   SHM_RDONLY, IPC_RMID deferred until the last detach. */
#define _GNU_SOURCE
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sock_check.h"

int main(void) {
    int id = shmget(0x5eed, 10000, IPC_CREAT | 0600);
    CHECK(id >= 0, "shmget");
    CHECK(shmget(0x5eed, 100, IPC_CREAT | IPC_EXCL | 0600) == -1 && errno == EEXIST, "IPC_EXCL");
    CHECK(shmget(0x5eed, 0, 0) == id, "found by key");
    CHECK(shmget(0x5eef, 100, 0) == -1 && errno == ENOENT, "missing key");
    char *a = shmat(id, NULL, 0);
    CHECK(a != (void *)-1, "shmat");
    pid_t pid = fork();
    if (pid == 0) {
        char *b = shmat(id, NULL, 0);      /* a second attach in the child */
        strcpy(b, "from the child");
        strcpy(a + 5000, "inherited attach");
        shmdt(b);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(!strcmp(a, "from the child") && !strcmp(a + 5000, "inherited attach"), "shared");
    struct shmid_ds ds;
    CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_segsz == 10000 && ds.shm_nattch >= 1, "IPC_STAT");
    char *r = shmat(id, NULL, SHM_RDONLY);
    CHECK(r != (void *)-1 && !strcmp(r, "from the child"), "read-only attach");
    CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID");
    CHECK(!strcmp(a, "from the child"), "still attached after IPC_RMID");
    CHECK(shmdt(r) == 0 && shmdt(a) == 0, "shmdt");
    CHECK(shmdt(a) == -1 && errno == EINVAL, "detached");
    CHECK(shmctl(id, IPC_STAT, &ds) == -1 && errno == EINVAL, "gone after the last detach");
    OK("System V shared memory");
    return 0;
}
