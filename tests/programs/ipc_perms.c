/* System V IPC's permission checks (ipcperms, and the owner check of IPC_SET/IPC_RMID): a
 * process that dropped to uid 1000 can neither attach, read, change nor remove root's 0600
 * segment, queue and semaphore set; root's own calls still work, and IPC_STAT shows the
 * owner and, once removed while attached, SHM_DEST. Prints errno names, not ids. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define R(what, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s: %s\n", what, r_ == -1 ? strerrorname_np(errno) : "ok"); } while (0)

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int shm = shmget(0x5151, 4096, IPC_CREAT | 0600);
    char *a = shmat(shm, NULL, 0);
    strcpy(a, "root-secret");
    int msq = msgget(0x5152, IPC_CREAT | 0600);
    struct { long t; char m[16]; } msg = {1, "root-msg"};
    msgsnd(msq, &msg, sizeof msg.m, 0);
    int sem = semget(0x5153, 1, IPC_CREAT | 0600);
    if (fork() == 0) {
        setgid(1000);
        setuid(1000);
        R("shmget existing", shmget(0x5151, 4096, 0));
        R("shmat read-only", (long)shmat(shm, NULL, SHM_RDONLY) == -1 ? -1 : 0);
        struct shmid_ds ds;
        R("shmctl IPC_STAT", shmctl(shm, IPC_STAT, &ds));
        R("shmctl IPC_RMID", shmctl(shm, IPC_RMID, NULL));
        R("msgget existing", msgget(0x5152, 0));
        R("msgrcv", msgrcv(msq, &msg, sizeof msg.m, 0, IPC_NOWAIT));
        R("msgsnd", msgsnd(msq, &msg, sizeof msg.m, IPC_NOWAIT));
        R("msgctl IPC_RMID", msgctl(msq, IPC_RMID, NULL));
        struct sembuf op = {0, 1, IPC_NOWAIT};
        R("semop", semop(sem, &op, 1));
        R("semctl SETVAL", semctl(sem, 0, SETVAL, 5));
        R("semctl GETVAL", semctl(sem, 0, GETVAL));
        R("semctl IPC_RMID", semctl(sem, 0, IPC_RMID));
        _exit(0);
    }
    wait(NULL);
    struct shmid_ds ds;
    shmctl(shm, IPC_STAT, &ds);
    printf("root's segment: owner %u mode %o text %s\n", ds.shm_perm.uid, ds.shm_perm.mode, a);
    R("root shmctl IPC_RMID", shmctl(shm, IPC_RMID, NULL));
    shmctl(shm, IPC_STAT, &ds);
    printf("removed while attached: mode %o\n", ds.shm_perm.mode);
    R("root msgctl IPC_RMID", msgctl(msq, IPC_RMID, NULL));
    R("root semctl IPC_RMID", semctl(sem, 0, IPC_RMID));
    return 0;
}
