/* MSVCP140's notify-at-thread-exit list as std::notify_all_at_thread_exit and std::thread
   use it (xthreads.h): a registration made by a thread holding the mutex is carried out by
   _Cnd_do_broadcast_at_thread_exit on that thread alone, which std::thread's routine calls
   as its function returns (with nothing registered too). */
#include <windows.h>
#include <process.h>
#include <stdio.h>

static void (__cdecl *mtx_init_in_situ)(void *, int);
static int (__cdecl *mtx_lock)(void *);
static int (__cdecl *mtx_unlock)(void *);
static int (__cdecl *mtx_current_owns)(void *);
static void (__cdecl *cnd_init_in_situ)(void *);
static int (__cdecl *cnd_wait)(void *, void *);
static void (__cdecl *cnd_register)(void *, void *, int *);
static void (__cdecl *cnd_unregister)(void *);
static void (__cdecl *cnd_do_broadcast)(void);

static char mutex[80] __attribute__((aligned(16))), cond[72] __attribute__((aligned(16)));
static char mutex2[80] __attribute__((aligned(16))), cond2[72] __attribute__((aligned(16)));
static volatile int ready, done;

static unsigned __stdcall worker(void *arg)
{
    mtx_lock(mutex);
    ready = 1;
    cnd_register(cond, mutex, (int *)&done);   /* std::notify_all_at_thread_exit */
    Sleep(50);
    cnd_do_broadcast();                        /* std::thread's routine, at its return */
    return 0;
}

#define GET(var, name) var = (void *)GetProcAddress(dll, name)

int main(void)
{
    HMODULE dll = LoadLibraryA("msvcp140.dll");
    GET(mtx_init_in_situ, "_Mtx_init_in_situ"); GET(mtx_lock, "_Mtx_lock");
    GET(mtx_unlock, "_Mtx_unlock"); GET(mtx_current_owns, "_Mtx_current_owns");
    GET(cnd_init_in_situ, "_Cnd_init_in_situ"); GET(cnd_wait, "_Cnd_wait");
    GET(cnd_register, "_Cnd_register_at_thread_exit");
    GET(cnd_unregister, "_Cnd_unregister_at_thread_exit");
    GET(cnd_do_broadcast, "_Cnd_do_broadcast_at_thread_exit");
    printf("found %d\n", cnd_register && cnd_unregister && cnd_do_broadcast);

    cnd_do_broadcast();                        /* a thread that registered nothing */
    printf("nothing registered: returned\n");

    mtx_init_in_situ(mutex, 0x1);
    cnd_init_in_situ(cond);
    HANDLE h = (HANDLE)_beginthreadex(NULL, 0, worker, NULL, 0, NULL);
    mtx_lock(mutex);
    int waits = 0;
    while (!done) {
        cnd_wait(cond, mutex);
        waits++;
    }
    printf("woken by the exiting thread: done %d ready %d waited %d\n", done, ready, waits > 0);
    mtx_unlock(mutex);
    WaitForSingleObject(h, INFINITE);

    mtx_init_in_situ(mutex2, 0x1);
    cnd_init_in_situ(cond2);
    int res = 0;
    mtx_lock(mutex2);
    cnd_register(cond2, mutex2, &res);
    cnd_unregister(mutex2);
    cnd_do_broadcast();
    printf("unregistered: res %d still owned %d\n", res, mtx_current_owns(mutex2));
    cnd_register(cond2, mutex2, &res);
    cnd_do_broadcast();
    printf("registered: res %d still owned %d\n", res, mtx_current_owns(mutex2));
    res = 0;
    cnd_do_broadcast();
    printf("carried out once: res %d\n", res);
    return 0;
}
