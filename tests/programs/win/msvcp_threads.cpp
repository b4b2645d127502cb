// MSVCP140's thread support as std::mutex and std::condition_variable use it (xthreads.h),
// from 4 threads: a counter under a recursive mutex, a producer/consumer queue on a condition
// variable, try-lock and ownership. Built by clang for x86_64-pc-windows-msvc, no headers.
extern "C" {
int printf(const char *, ...);
void exit(int);
typedef unsigned long(__stdcall *thread_fn)(void *);
void *__stdcall CreateThread(void *, unsigned long long, thread_fn, void *, unsigned long,
                             unsigned long *);
unsigned long __stdcall WaitForMultipleObjects(unsigned long, void *const *, int, unsigned long);
void _Mtx_init_in_situ(void *, int);
int _Mtx_lock(void *);
int _Mtx_trylock(void *);
int _Mtx_unlock(void *);
int _Mtx_current_owns(void *);
void _Cnd_init_in_situ(void *);
int _Cnd_wait(void *, void *);
int _Cnd_signal(void *);
int _Cnd_broadcast(void *);
unsigned _Thrd_id(void);
long long _Query_perf_counter(void);
long long _Query_perf_frequency(void);
}

enum { MTX_PLAIN = 1, MTX_TRY = 2, MTX_RECURSIVE = 0x100, PER_THREAD = 1000, THREADS = 4 };
alignas(8) static unsigned char counter_mtx[80], queue_mtx[80];
alignas(8) static unsigned char not_empty[72], not_full[72];
static volatile long counter;
static volatile int queue[64], head, tail, consumed_sum;  // shared: read after each call

static unsigned long __stdcall adder(void *) {
    for (int i = 0; i < PER_THREAD; i++) {
        _Mtx_lock(counter_mtx);
        _Mtx_lock(counter_mtx);            // recursive
        counter++;
        _Mtx_unlock(counter_mtx);
        _Mtx_unlock(counter_mtx);
    }
    return 0;
}

static unsigned long __stdcall consumer(void *) {
    int taken = 0;
    while (taken < 50) {
        _Mtx_lock(queue_mtx);
        while (head == tail)
            _Cnd_wait(not_empty, queue_mtx);
        if (!_Mtx_current_owns(queue_mtx))
            printf("woke without the mutex\n");
        consumed_sum += queue[head++ % 64];
        taken++;
        _Cnd_broadcast(not_full);
        _Mtx_unlock(queue_mtx);
    }
    return 0;
}

int main() {
    _Mtx_init_in_situ(counter_mtx, MTX_TRY | MTX_RECURSIVE);
    _Mtx_init_in_situ(queue_mtx, MTX_TRY);
    _Cnd_init_in_situ(not_empty);
    _Cnd_init_in_situ(not_full);
    void *threads[THREADS + 1];
    for (int i = 0; i < THREADS; i++)
        threads[i] = CreateThread(0, 0, adder, 0, 0, 0);
    threads[THREADS] = CreateThread(0, 0, consumer, 0, 0, 0);
    for (int i = 1; i <= 50; i++) {
        _Mtx_lock(queue_mtx);
        while (tail - head >= 8)            // a queue of 8: wait for the consumer
            _Cnd_wait(not_full, queue_mtx);
        queue[tail++ % 64] = i;
        _Cnd_signal(not_empty);
        _Mtx_unlock(queue_mtx);
    }
    WaitForMultipleObjects(THREADS + 1, threads, 1, 0xFFFFFFFF);
    printf("counter %ld\n", counter);
    printf("consumed %d\n", consumed_sum);
    _Mtx_lock(queue_mtx);
    printf("trylock while held: %d, owns: %d\n", _Mtx_trylock(queue_mtx), _Mtx_current_owns(queue_mtx));
    _Mtx_unlock(queue_mtx);
    printf("owns after unlock: %d\n", _Mtx_current_owns(queue_mtx));
    long long f = _Query_perf_frequency(), t0 = _Query_perf_counter(), t1 = _Query_perf_counter();
    printf("clock: %s\n", f > 0 && t1 >= t0 && t0 > 0 ? "ok" : "bad");
    printf("thread id: %s\n", _Thrd_id() ? "ok" : "bad");
    return 0;
}

extern "C" void mainCRTStartup() { exit(main()); }
