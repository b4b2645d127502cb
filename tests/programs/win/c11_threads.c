/* Visual C++'s C11 threads (vcruntime140_threads.dll) and C++20 atomic waits
   (msvcp140_atomic_wait.dll), declared as their headers do and linked through import
   libraries made from .def files: threads created and joined with their results, a mutex
   guarding a counter four threads raise, a recursive mutex, a condition variable hand-off,
   a timed wait that times out, call_once, thread-specific storage, and an atomic wait woken
   by a notify. */
#include <windows.h>
#include <stdio.h>
#include <time.h>

#ifdef _WIN64
#define SP "rsp"
#else
#define SP "esp"
#endif

typedef struct { void *handle; unsigned int id; } thrd_t;
typedef int (*thrd_start_t)(void *);
typedef struct { void *words[4]; } mtx_t;            /* 32 bytes on x64, as the DLL's */
typedef struct { void *word; } cnd_t;
typedef struct { void *word; } once_flag;
typedef unsigned long tss_t;
enum { thrd_success, thrd_nomem, thrd_timedout, thrd_busy, thrd_error };
enum { mtx_plain = 0, mtx_recursive = 1, mtx_timed = 2 };

int __cdecl thrd_create(thrd_t *, thrd_start_t, void *);
int __cdecl thrd_join(thrd_t, int *);
int __cdecl thrd_equal(thrd_t, thrd_t);
thrd_t __cdecl thrd_current(void);
int __cdecl mtx_init(mtx_t *, int);
int __cdecl mtx_lock(mtx_t *);
int __cdecl mtx_trylock(mtx_t *);
int __cdecl mtx_unlock(mtx_t *);
void __cdecl mtx_destroy(mtx_t *);
int __cdecl cnd_init(cnd_t *);
int __cdecl cnd_signal(cnd_t *);
int __cdecl cnd_wait(cnd_t *, mtx_t *);
int __cdecl _cnd_timedwait64(cnd_t *, mtx_t *, const struct _timespec64 *);
void __cdecl cnd_destroy(cnd_t *);
void __cdecl call_once(once_flag *, void (*)(void));
int __cdecl tss_create(tss_t *, void (*)(void *));
void *__cdecl tss_get(tss_t);
int __cdecl tss_set(tss_t, void *);
/* msvcp140_atomic_wait's functions are __stdcall; taken by GetProcAddress */
static int (__stdcall *__std_atomic_wait_direct)(const void *, void *, size_t, unsigned long);
static void (__stdcall *__std_atomic_notify_all_direct)(const void *);
static unsigned long long (__stdcall *__std_atomic_wait_get_deadline)(unsigned long long);
static unsigned long (__stdcall *__std_atomic_wait_get_remaining_timeout)(unsigned long long);
static void *(__stdcall *__std_atomic_get_mutex)(const void *);

static mtx_t counter_lock, box_lock;
static cnd_t box_changed;
static int counter, box, once_runs;
static once_flag once;
static tss_t slot;
static volatile LONG flag;

static void init_once(void) { once_runs++; }

static int add(void *times)
{
    for (int i = 0; i < (int)(INT_PTR)times; i++) {
        mtx_lock(&counter_lock);
        int seen = counter;
        Sleep(0);                     /* another thread runs here if the lock lets it */
        counter = seen + 1;
        mtx_unlock(&counter_lock);
    }
    call_once(&once, init_once);
    tss_set(slot, times);
    return tss_get(slot) == times ? 40 : 41;
}

static int producer(void *unused)
{
    Sleep(20);
    mtx_lock(&box_lock);
    box = 7;
    cnd_signal(&box_changed);
    mtx_unlock(&box_lock);
    return 0;
}

static int try_from_another(void *unused)
{
    return mtx_trylock(&counter_lock);
}

static int notifier(void *unused)
{
    Sleep(20);
    InterlockedExchange(&flag, 1);
    __std_atomic_notify_all_direct((const void *)&flag);
    return 0;
}

int main(void)
{
    HMODULE satellite = LoadLibraryA("msvcp140_atomic_wait.dll");
    __std_atomic_wait_direct = (void *)GetProcAddress(satellite, "__std_atomic_wait_direct");
    __std_atomic_notify_all_direct = (void *)GetProcAddress(satellite,
                                                            "__std_atomic_notify_all_direct");
    __std_atomic_wait_get_deadline = (void *)GetProcAddress(satellite,
                                                            "__std_atomic_wait_get_deadline");
    __std_atomic_wait_get_remaining_timeout =
        (void *)GetProcAddress(satellite, "__std_atomic_wait_get_remaining_timeout");
    __std_atomic_get_mutex = (void *)GetProcAddress(satellite, "__std_atomic_get_mutex");
    mtx_init(&counter_lock, mtx_recursive);
    mtx_init(&box_lock, mtx_plain);
    cnd_init(&box_changed);
    tss_create(&slot, NULL);
    thrd_t threads[4];
    for (int i = 0; i < 4; i++)
        thrd_create(&threads[i], add, (void *)(INT_PTR)50);
    int results = 0;
    for (int i = 0; i < 4; i++) {
        int result = 0;
        thrd_join(threads[i], &result);
        results += result;
    }
    printf("counter %d results %d once %d own-slot %d\n", counter, results, once_runs,
           tss_get(slot) == NULL);

    int first = mtx_lock(&counter_lock), again = mtx_lock(&counter_lock);
    FILETIME now0;                   /* a timed wait on the recursive mutex keeps its count */
    GetSystemTimeAsFileTime(&now0);
    unsigned long long t0 = ((unsigned long long)now0.dwHighDateTime << 32 | now0.dwLowDateTime)
                            - 116444736000000000ULL + 100000;
    struct _timespec64 brief = {(__time64_t)(t0 / 10000000), (long)(t0 % 10000000) * 100};
    int waited = _cnd_timedwait64(&box_changed, &counter_lock, &brief);
    thrd_t other;
    int busy = -1;
    thrd_create(&other, try_from_another, NULL);
    thrd_join(other, &busy);
    mtx_unlock(&counter_lock);
    int second = mtx_unlock(&counter_lock);
    int unowned = mtx_unlock(&counter_lock);
    printf("recursive %d %d waited %d other-try %d unlock-second %d unlock-unowned %d\n", first,
           again, waited, busy, second, unowned);

    thrd_t maker;
    thrd_create(&maker, producer, NULL);
    mtx_lock(&box_lock);
    while (box == 0)
        cnd_wait(&box_changed, &box_lock);
    FILETIME now;                      /* TIME_UTC now, plus 30 ms */
    GetSystemTimeAsFileTime(&now);
    unsigned long long ticks = ((unsigned long long)now.dwHighDateTime << 32 | now.dwLowDateTime)
                               - 116444736000000000ULL + 300000;
    struct _timespec64 soon = {(__time64_t)(ticks / 10000000), (long)(ticks % 10000000) * 100};
    int timed = _cnd_timedwait64(&box_changed, &box_lock, &soon);
    int relocked = mtx_trylock(&box_lock);
    mtx_unlock(&box_lock);
    thrd_join(maker, NULL);
    thrd_t me = thrd_current();
    printf("box %d timed %d relocked-busy %d self-equal %d other-equal %d no-handle %d\n", box,
           timed, relocked, thrd_equal(me, thrd_current()), thrd_equal(me, maker),
           me.handle == NULL);

    thrd_t waker;
    thrd_create(&waker, notifier, NULL);
    LONG expected = 0;
    while (flag == 0)
        __std_atomic_wait_direct((const void *)&flag, &expected, sizeof flag, 0xFFFFFFFF);
    thrd_join(waker, NULL);
    unsigned long long deadline = __std_atomic_wait_get_deadline(5000);
    unsigned long left = __std_atomic_wait_get_remaining_timeout(deadline);
    unsigned long forever = __std_atomic_wait_get_remaining_timeout(
        __std_atomic_wait_get_deadline(~0ULL));
    void *volatile sp_before, *volatile sp_after;
    __asm__ volatile("mov %%" SP ", %0" : "=r"(sp_before));
    void *lock = __std_atomic_get_mutex(&flag);
    __asm__ volatile("mov %%" SP ", %0" : "=r"(sp_after));
    printf("woken %ld remaining %d forever %d lock %d stack kept %d\n", flag,
           left > 4000 && left <= 5000, forever == 0xFFFFFFFF, lock != NULL,
           sp_before == sp_after);
    mtx_destroy(&counter_lock);
    cnd_destroy(&box_changed);
    return 0;
}
