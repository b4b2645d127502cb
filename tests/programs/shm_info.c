/* What ipcs and ipcrm -a ask of shmctl: IPC_INFO's limits, SHM_INFO's totals, and each

 * segment by index with SHM_STAT (up to the highest index the INFO calls return). */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/shm.h>

int main(void)
{
    int a = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    int b = shmget(IPC_PRIVATE, 3 * 4096, IPC_CREAT | 0600);
    struct shminfo limits;
    int highest = shmctl(0, IPC_INFO, (struct shmid_ds *)&limits);
    printf("ipc_info %d shmmax ok %d shmmni %lu\n", highest, limits.shmmax >= 4096,
           (unsigned long)limits.shmmni);
    struct shm_info totals;
    highest = shmctl(0, SHM_INFO, (struct shmid_ds *)&totals);
    printf("shm_info %d used %d pages %lu\n", highest, totals.used_ids,
           (unsigned long)totals.shm_tot);
    int found = 0;
    for (int i = 0; i <= highest; i++) {
        struct shmid_ds ds;
        int id = shmctl(i, SHM_STAT, &ds);
        found += (id == a && ds.shm_segsz == 4096) + (id == b && ds.shm_segsz == 3 * 4096);
    }
    printf("found by index %d\n", found);
    shmctl(a, IPC_RMID, NULL);
    shmctl(b, IPC_RMID, NULL);
    printf("after removal %d\n", shmctl(0, SHM_INFO, (struct shmid_ds *)&totals) >= 0 &&
                                     totals.used_ids == 0);
    return 0;
}
