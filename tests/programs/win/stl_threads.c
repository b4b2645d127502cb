/* MSVCP140's C-level thread calls as MSVC's std::thread, std::timed_mutex and
   std::condition_variable use them (xthreads.h), called through GetProcAddress with the
   STL's own types: _Thrd_t passed by value, xtime deadlines. */
#include <windows.h>
#include <process.h>
#include <stdio.h>
#include <time.h>

typedef struct { HANDLE hnd; unsigned id; } thrd;
typedef struct { long long sec; long nsec; } xtime;
typedef unsigned (__stdcall *routine)(void *);

static int (__cdecl *thrd_join)(thrd, int *);
static int (__cdecl *thrd_detach)(thrd);
static int (__cdecl *thrd_start)(thrd *, routine, void *);
static thrd (__cdecl *thrd_current)(void);
static void (__cdecl *thrd_sleep_for)(unsigned long);
static void (__cdecl *mtx_init_in_situ)(void *, int);
static int (__cdecl *mtx_lock)(void *);
static int (__cdecl *mtx_unlock)(void *);
static int (__cdecl *mtx_timedlock)(void *, const xtime *);
static void (__cdecl *cnd_init_in_situ)(void *);
static int (__cdecl *cnd_timedwait)(void *, void *, const xtime *);
static int (__cdecl *cnd_signal)(void *);

static char mutex[80] __attribute__((aligned(16))), cond[72] __attribute__((aligned(16)));
static volatile LONG holding, flag;

static xtime after_ms(int ms)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    long long t = (((long long)ft.dwHighDateTime << 32) | ft.dwLowDateTime) - 116444736000000000LL;
    t += ms * 10000LL;
    xtime x = {t / 10000000, (long)(t % 10000000) * 100};
    return x;
}

static unsigned __stdcall worker(void *arg)
{
    Sleep(30);
    return (unsigned)(INT_PTR)arg;
}

static unsigned __stdcall holder(void *arg)
{
    mtx_lock(mutex);
    InterlockedExchange(&holding, 1);
    Sleep(300);
    mtx_unlock(mutex);
    return 0;
}

static unsigned __stdcall signaller(void *arg)
{
    Sleep(50);
    mtx_lock(mutex);
    flag = 1;
    cnd_signal(cond);
    mtx_unlock(mutex);
    return 0;
}

#define GET(var, name) var = (void *)GetProcAddress(dll, name)

int main(void)
{
    HMODULE dll = LoadLibraryA("msvcp140.dll");
    GET(thrd_join, "_Thrd_join"); GET(thrd_detach, "_Thrd_detach");
    GET(thrd_start, "_Thrd_start"); GET(thrd_current, "_Thrd_current");
    GET(thrd_sleep_for, "_Thrd_sleep_for");
    GET(mtx_init_in_situ, "_Mtx_init_in_situ"); GET(mtx_lock, "_Mtx_lock");
    GET(mtx_unlock, "_Mtx_unlock"); GET(mtx_timedlock, "_Mtx_timedlock");
    GET(cnd_init_in_situ, "_Cnd_init_in_situ"); GET(cnd_timedwait, "_Cnd_timedwait");
    GET(cnd_signal, "_Cnd_signal");

    /* std::thread: _beginthreadex, then join (the exit code) or detach */
    thrd t;
    t.hnd = (HANDLE)_beginthreadex(NULL, 0, worker, (void *)7, 0, &t.id);
    int code = -1;
    int r = thrd_join(t, &code);
    printf("join %d code %d handle closed %d\n", r, code,
           WaitForSingleObject(t.hnd, 0) == WAIT_FAILED);
    t.hnd = (HANDLE)_beginthreadex(NULL, 0, worker, (void *)8, 0, &t.id);
    HANDLE copy;
    DuplicateHandle(GetCurrentProcess(), t.hnd, GetCurrentProcess(), &copy, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    r = thrd_detach(t);
    DWORD exit_code = 0;
    WaitForSingleObject(copy, INFINITE);
    GetExitCodeThread(copy, &exit_code);
    printf("detach %d ran on %lu\n", r, exit_code);
    thrd started;
    r = thrd_start(&started, worker, (void *)9);
    int id_matches = started.id == GetThreadId(started.hnd);
    code = -1;
    int joined = thrd_join(started, &code);
    printf("start %d id matches %d join %d code %d\n", r, id_matches, joined, code);
    thrd me = thrd_current();
    printf("current: id %d handle %p\n", me.id == GetCurrentThreadId(), me.hnd);

    DWORD t0 = GetTickCount();
    thrd_sleep_for(100);
    printf("slept >= 90 ms: %d\n", GetTickCount() - t0 >= 90);

    /* std::timed_mutex::try_lock_for: another thread holds it */
    mtx_init_in_situ(mutex, 0x1 | 0x4);
    HANDLE h = (HANDLE)_beginthreadex(NULL, 0, holder, NULL, 0, NULL);
    while (!holding)
        Sleep(1);
    xtime soon = after_ms(50), later = after_ms(2000);
    printf("timedlock held elsewhere: %d\n", mtx_timedlock(mutex, &soon));
    printf("timedlock after its release: %d\n", mtx_timedlock(mutex, &later));
    WaitForSingleObject(h, INFINITE);

    /* std::condition_variable::wait_until: a timeout, then a signal */
    cnd_init_in_situ(cond);
    soon = after_ms(50);
    printf("timedwait unsignalled: %d\n", cnd_timedwait(cond, mutex, &soon));
    h = (HANDLE)_beginthreadex(NULL, 0, signaller, NULL, 0, NULL);
    later = after_ms(5000);
    while (!flag)
        r = cnd_timedwait(cond, mutex, &later);
    printf("timedwait signalled: %d flag %ld\n", r, flag);
    mtx_unlock(mutex);
    WaitForSingleObject(h, INFINITE);
    return 0;
}
