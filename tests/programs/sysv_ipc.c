/* System V semaphores and message queues across fork: all-or-nothing semop, a wait woken by
 * another process, GETNCNT, SEM_UNDO at exit, semtimedop's timeout, EIDRM for a waiter when
 * the set goes; typed messages, truncation, a receiver woken by a sender, IPC_STAT. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

union semun { int val; struct semid_ds *buf; unsigned short *array; };

struct msg { long mtype; char mtext[32]; };

static int sem_done(int id, unsigned short num, short op, short flg)
{
    struct sembuf b = {num, op, flg};
    int rc = semop(id, &b, 1);
    return rc == 0 ? 0 : errno;
}

int main(void)
{
    int id = semget(IPC_PRIVATE, 2, 0600);
    unsigned short init[2] = {1, 0};
    semctl(id, 0, SETALL, (union semun){.array = init});
    struct sembuf two[2] = {{0, -1, 0}, {1, -1, IPC_NOWAIT}};
    int rc = semop(id, two, 2);
    int err = errno;
    printf("all or nothing: %d %s, sem0 still %d\n", rc, strerror(err), semctl(id, 0, GETVAL));

    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        sem_done(id, 1, 2, 0);             /* wakes the parent's wait */
        sem_done(id, 0, 5, SEM_UNDO);      /* undone when it exits */
        _exit(0);
    }
    rc = sem_done(id, 1, -2, 0);
    printf("waited: %d, sem1 now %d\n", rc, semctl(id, 1, GETVAL));
    waitpid(pid, NULL, 0);
    printf("undone at exit: sem0 %d\n", semctl(id, 0, GETVAL));

    pid = fork();
    if (pid == 0) {
        sem_done(id, 1, -1, 0);            /* waits until the parent gives one */
        _exit(0);
    }
    usleep(100000);
    printf("ncnt: %d\n", semctl(id, 1, GETNCNT));
    sem_done(id, 1, 1, 0);
    waitpid(pid, NULL, 0);

    struct timespec short_wait = {0, 50000000};
    struct sembuf take = {1, -1, 0};
    rc = semtimedop(id, &take, 1, &short_wait);
    err = errno;
    printf("timed out: %d %s\n", rc, strerror(err));
    struct semid_ds ds;
    semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
    printf("stat: nsems %lu mode %o\n", (unsigned long)ds.sem_nsems, ds.sem_perm.mode & 0777);

    pid = fork();
    if (pid == 0) {
        int rc = sem_done(id, 1, -1, 0);
        _exit(rc == EIDRM ? 3 : 4);
    }
    usleep(100000);
    semctl(id, 0, IPC_RMID);
    int status;
    waitpid(pid, &status, 0);
    printf("removed under a waiter: EIDRM %d, gone %d\n", WEXITSTATUS(status) == 3,
           semctl(id, 0, GETVAL) == -1 && errno == EINVAL);

    key_t key = 0x5eed;
    int k1 = semget(key, 1, IPC_CREAT | 0600);
    int same = semget(key, 1, 0) == k1;
    int excl = semget(key, 1, IPC_CREAT | IPC_EXCL) == -1 && errno == EEXIST;
    int gone = semget(0x5eee, 1, 0) == -1 && errno == ENOENT;
    printf("by key: same %d, excl %d, missing %d\n", same, excl, gone);
    semctl(k1, 0, IPC_RMID);

    int q = msgget(IPC_PRIVATE, 0600);
    struct msg m;
    long types[] = {3, 1, 2, 1};
    for (int i = 0; i < 4; i++) {
        m.mtype = types[i];
        snprintf(m.mtext, sizeof m.mtext, "message %d type %ld", i, types[i]);
        msgsnd(q, &m, strlen(m.mtext) + 1, 0);
    }
    struct msqid_ds qs;
    msgctl(q, IPC_STAT, &qs);
    printf("queued: %lu\n", (unsigned long)qs.msg_qnum);
    ssize_t n = msgrcv(q, &m, sizeof m.mtext, 2, 0);
    printf("type 2: %zd %s\n", n, m.mtext);
    n = msgrcv(q, &m, sizeof m.mtext, -2, 0);
    printf("lowest up to 2: %s\n", m.mtext);
    n = msgrcv(q, &m, sizeof m.mtext, 1, MSG_EXCEPT);
    printf("except type 1: %s\n", m.mtext);
    n = msgrcv(q, &m, 4, 0, 0);
    err = errno;
    printf("too small: %zd %s\n", n, strerror(err));
    n = msgrcv(q, &m, 4, 0, MSG_NOERROR);
    printf("truncated: %zd %.4s\n", n, m.mtext);
    n = msgrcv(q, &m, sizeof m.mtext, 0, IPC_NOWAIT);
    err = errno;
    printf("empty: %zd %s\n", n, strerror(err));

    pid = fork();
    if (pid == 0) {
        usleep(100000);
        struct msg r = {7, "from the child"};
        msgsnd(q, &r, sizeof r.mtext, 0);
        _exit(0);
    }
    n = msgrcv(q, &m, sizeof m.mtext, 7, 0);
    printf("woken: %zd %s\n", n, m.mtext);
    waitpid(pid, NULL, 0);
    msgctl(q, IPC_RMID, NULL);
    printf("queue gone: %d\n", msgsnd(q, &m, 1, 0) == -1 && errno == EINVAL);
#ifdef __i386__
    /* The ipc(2) multiplexer older C libraries call. */
    int s = syscall(SYS_ipc, 2 /* SEMGET */, IPC_PRIVATE, 1, 0600, 0, 0);
    struct sembuf give = {0, 3, 0};
    syscall(SYS_ipc, 1 /* SEMOP */, s, 1, 0, &give, 0);
    union semun none = {0};
    printf("ipc(2): %ld\n", syscall(SYS_ipc, 3 /* SEMCTL */, s, 0, GETVAL, &none, 0));
#else
    printf("ipc(2): 3\n");
#endif
    return 0;
}
