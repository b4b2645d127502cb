/* sysvec trap path: the ABI vector a process points at, and the per-engine CPU state.
 *
 * The generated tables (tables.c, generated from the .tbl specs) fill in sv_sysvec values;
 * trap.c dispatches through whichever one cpu->table points at. Nothing here knows which
 * operating system a table belongs to. */
#ifndef SYSVEC_H
#define SYSVEC_H

#include <stdint.h>
#include <stddef.h>
#include <unicorn/unicorn.h>

/* sv_sysent.kind */
#define SV_KIND_NOSYS 0
#define SV_KIND_C 1
#define SV_KIND_PY 2
#define SV_KIND_FAIL 3 /* fails with sv_sysent.result, as the spec's `fail ERROR` says */
#define SV_KIND_C_PY 4 /* the C handler, then the Python one when C returns SV_DECLINE */

/* sv_sysvec.gates bits */
#define SV_GATE_SYSCALL 1u
#define SV_GATE_SYSENTER 2u
#define SV_GATE_INT 4u

/* sv_sysvec.errors */
#define SV_ERRORS_ERRNO 0
#define SV_ERRORS_NTSTATUS 1
#define SV_ERRORS_VALUE 2

/* Numbers with SV_SHADOW_BIT dispatch to the table's shadow table, as NT's win32k services do;
 * a call takes at most SV_MAX_ARGS arguments. Both come from compiler/model.py (the build
 * defines them), their one home. */
#if !defined(SV_SHADOW_BIT) || !defined(SV_MAX_ARGS)
#error "SV_SHADOW_BIT and SV_MAX_ARGS are defined by the build (compiler/build.py)"
#endif

/* A handler's return value that means "registers already set, write no result". */
#define SV_NORESULT INT64_MIN
/* A C handler's answer that means "not mine": an SV_KIND_C_PY entry's Python handler answers. */
#define SV_DECLINE (INT64_MIN + 1)

#define SV_MAX_REG_ARGS 8
#define SV_MAX_LEAVES 4

/* sv_sysvec.leave_values: what a trap leaves in a register besides the result */
#define SV_LEAVE_RETURN 1 /* the address after the trap instruction (rcx after syscall) */
#define SV_LEAVE_FLAGS 2  /* the flags register at the trap (r11 after syscall) */
#define SV_MAX_TRACE_SELECT 16  /* tables a trace filter (`-e trace=...`) can select calls of */

typedef struct sv_cpu sv_cpu;
typedef struct sv_slice_timer sv_slice_timer;
typedef int64_t (*sv_c_handler)(sv_cpu *cpu, const uint64_t *args);

typedef struct sv_sysent {
    sv_c_handler fn; /* C handler, or NULL */
    uint8_t kind;    /* SV_KIND_* */
    uint8_t nargs;   /* argument words to fetch */
    uint16_t pairs;  /* bit i: argument i is a 64-bit value in two words, low first */
    int64_t result;  /* SV_KIND_FAIL: the fixed result, -errno or an NTSTATUS */
} sv_sysent;

typedef struct sv_sysvec {
    const char *name;
    uint32_t nsys;              /* entries in sysent; numbers >= nsys are unknown */
    const sv_sysent *sysent;
    const char *const *names;   /* nsys names, NULL for gaps */
    uint32_t gates;             /* SV_GATE_* */
    uint32_t int_vector;        /* with SV_GATE_INT */
    int nr_reg;                 /* UC_X86_REG_* carrying the number (eax: read as 32 bits) */
    uint32_t n_arg_regs;
    int arg_regs[SV_MAX_REG_ARGS];
    int stack_reg;              /* UC_X86_REG_INVALID: no stack arguments */
    int64_t stack_offset;       /* stack args start at stack_reg + stack_offset */
    uint32_t word_size;         /* bytes per stack argument: 4 or 8 */
    int ret_reg;
    uint32_t errors;            /* SV_ERRORS_* */
    const struct sv_sysvec *shadow; /* table for numbers with SV_SHADOW_BIT, or NULL */
    uint32_t n_leaves;          /* registers the trap sets besides the result */
    int leave_regs[SV_MAX_LEAVES];
    uint8_t leave_values[SV_MAX_LEAVES]; /* SV_LEAVE_* */
    const uint16_t *classes;    /* nsys trace-class masks (bit i: compiler/classes.py CLASSES[i]) */
    int64_t nosys_result;       /* -ENOSYS or STATUS_INVALID_SYSTEM_SERVICE */
    int64_t efault_result;      /* -EFAULT or STATUS_ACCESS_VIOLATION */
} sv_sysvec;

/* --- address spaces (mm.c) ------------------------------------------------------------- */

#define SV_PAGE_SHIFT 12
#define SV_PAGE_SIZE 4096ull

/* page protection bits, as uc_prot */
#define SV_PROT_R 1u
#define SV_PROT_W 2u
#define SV_PROT_X 4u
#define SV_PTE_COW 8u /* shared after fork: copy on the first write */
#define SV_PTE_SHARED 16u /* MAP_SHARED: fork shares the page, writes are never copied */
#define SV_PTE_SIGBUS 32u /* a file mapping's page wholly past the file's end: no access */
#define SV_PTE_NORESERVE 64u /* MAP_NORESERVE (VM_NORESERVE): never charged, even writable */
#define SV_PTE_TOUCHED 128u /* a private page this space gave memory (first touch, or a
                            * copy-on-write copy): counted in sv_aspace.touched */

typedef struct sv_pte {
    uint64_t vpn;   /* virtual page number + 1; 0 marks an empty slot */
    uint32_t ppn;   /* physical page number in the pool */
    uint32_t prot;  /* SV_PROT_* | SV_PTE_COW | SV_PTE_SHARED | SV_PTE_SIGBUS | SV_PTE_NORESERVE */
} sv_pte;

typedef struct sv_phys sv_phys;

/* Fresh zero pages mapped without entries yet (a large mmap, a sanitizer's terabytes of
 * MAP_NORESERVE shadow): an access gives them entries a chunk at a time, so a mapping costs
 * its process nothing until it is used. */
typedef struct sv_lazy {
    uint64_t first, count;   /* virtual page numbers */
    uint32_t prot;
} sv_lazy;

typedef struct sv_aspace {
    sv_phys *phys;
    sv_pte *slots;       /* open-addressing hash table keyed by vpn */
    uint64_t capacity;   /* power of two */
    uint64_t used;       /* live entries */
    uint64_t tombs;      /* deleted slots */
    uint64_t page_limit; /* most writable pages this space may hold (what Linux charges to
                          * its commit: read-only and inaccessible ones are not); 0: no limit */
    uint64_t committed;  /* its writable pages, but MAP_NORESERVE ones */
    uint64_t brk;        /* the program break, kept by runtime/mm.py: brk(0) answers in C */
    uint64_t rlimit_pages; /* RLIMIT_AS, as a bound on its charge whatever the overcommit mode
                            * (0: none) */
    uint32_t strict_commit; /* accounting is strict whatever vm.overcommit_memory says (an NT
                             * process: Windows commits every page it promises) */
    sv_lazy *lazy;       /* mapped pages with no entry yet, disjoint and sorted by address
                          * (counted in used and committed as entries are) */
    uint32_t nlazy, lazy_cap;
    uint64_t promised;   /* the pages of lazy: mapped (in used) but in no slot */
    uint64_t touched;    /* its SV_PTE_TOUCHED pages: what it holds, while overcommit is not
                          * strict, is bounded by page_limit (past it, a touch is out of memory) */
    /* The main thread's stack grows down (VM_GROWSDOWN): an access to a page of
     * [grow_floor, grow_start) maps the pages from it up to grow_start with grow_prot, as
     * Linux's expand_downwards, and grow_start moves down. runtime/mm.py sets the window
     * (RLIMIT_STACK from the stack's top, the guard gap above the mapping below) and reads
     * grow_start back. Page numbers; grow_start 0: no stack grows. */
    uint64_t grow_floor, grow_start;
    uint32_t grow_prot;
} sv_aspace;

#define SV_ALIAS_SLOTS 256
typedef struct sv_alias {
    uint64_t vaddr;
    uint32_t ppn;
} sv_alias;

/* A frame code may have been translated from (mm.c). */
typedef struct sv_code_frame {
    uint32_t ppn_plus1;  /* 0: empty slot */
    uint32_t live;       /* translations may exist; cleared when they are dropped */
} sv_code_frame;

struct sv_phys {
    uc_engine *uc;
    uint64_t base;       /* physical address of page 0 */
    uint8_t **chunks;    /* host memory of each chunk (uc_mem_map_ptr) */
    uint32_t nchunks, chunk_cap;
    uint32_t pages_per_chunk;
    uint32_t next_fresh;  /* pages never handed out start here */
    uint32_t *free_list;  /* freed pages, reusable after a TB flush */
    uint32_t nfree, free_cap;
    uint32_t *quarantine; /* freed pages that may still have translated code */
    uint32_t nquar, quar_cap;
    uint16_t *refs;       /* per page reference count (COW sharing) */
    uint32_t refs_cap;
    uint64_t page_limit;  /* pages the whole pool may hold */
    uint64_t in_use;
    int tb_flush_needed;  /* set when quarantined pages were recycled */
    uint32_t overcommit;  /* vm.overcommit_memory: 0 heuristic (a request larger than a space's
                           * limit fails; pages count when touched), 1 always, 2 strict (writable
                           * private pages count when mapped, against the limit) */
    int tlb_stale;        /* a page's frame or protection changed under a cached translation:
                           * the engine's TLB is flushed before the guest runs on */
    /* Code rewritten through a writable view that is not the one it ran at (mm.c): frames
     * run as code since the last flush of all translations (a hash table by frame), each
     * chunk's address in the engine's RAM, and the shared frames the TLB may hold writable
     * since its last flush (more than SV_ALIAS_SLOTS: assume any). */
    sv_code_frame *code_frames;
    uint32_t code_cap, code_used;
    uint64_t *chunk_ram;
    void (*drop_code)(uc_engine *uc, uint64_t ram_start, uint64_t ram_end);
    sv_alias writable[SV_ALIAS_SLOTS];
    uint32_t nwritable;
};

/* --- descriptors the trap path answers itself (files.c) -------------------------------------
 * Memory owned by runtime/files.py (Python arrays of 64-bit words, in this field order: its
 * PIPE_* and FILE_* indices; tests/test_fast_files.py checks the two agree). */

#define SV_FAST_FDS 1024   /* descriptors below this have a slot; higher ones: Python */

/* sv_file.kind (files.py's FAST_*): what the C handlers may do with a description */
#define SV_FILE_NONE 0
#define SV_FILE_PIPE_READ 1
#define SV_FILE_PIPE_WRITE 2
#define SV_FILE_PIPE_RDWR 3
#define SV_FILE_NULL 4
#define SV_FILE_ZERO 5
#define SV_FILE_HOST 6     /* a regular host file: reads and seeks */
#define SV_FILE_HOST_STREAM 7 /* the host's stdin, stdout or stderr, not a terminal, no
                              * --max-output: reads of what is there, writes */

#define SV_PIPE_NOTIFY 1   /* sv_pipe.flags: a write must run Python (O_ASYNC owners) */

typedef struct sv_pipe {
    uint8_t *ring;         /* cap bytes; the data is len bytes from head, wrapping */
    int64_t cap, head, len;
    int64_t readers, writers;
    int64_t flags;         /* SV_PIPE_* */
    int64_t gen;           /* moves on every read and write (edge-triggered epoll) */
    int64_t ino;           /* its inode number (fstat) */
} sv_pipe;

typedef struct sv_file {   /* an open file description's C side */
    int64_t kind;          /* SV_FILE_* */
    int64_t status;        /* status flags: O_ACCMODE, O_NONBLOCK, ... */
    sv_pipe *pipe;
    int64_t host_fd;
    int64_t rdev;          /* a device's number (fstat) */
} sv_file;

#define SV_SYNTHETIC_DEV 5 /* st_dev of nodes with no host file (files.py's SYNTHETIC_DEV) */
#define SV_MAX_RW 0x7FFFF000ll /* MAX_RW_COUNT: the most one read or write moves (fs.py's MAX_RW) */
#define SV_MAX_READ (64ll << 20) /* one read passes through host memory: larger ones are short
                                  * (fs.py's MAX_READ) */
#define SV_BLKSIZE 4096    /* st_blksize, the I/O size sysvec advises (abi_structs.py's BLKSIZE) */
#define SV_PIPE_BUF 4096   /* a pipe write this small is atomic, and a pipe polls writable
                            * once this much is free (files.py's PIPE_BUF) */

/* --- path lookups the trap path answers (lookups.c) ------------------------------------------
 * Memory Python owns (runtime/lookup_cache.py allocates it with ffi.new and fills it through
 * sv_lookups_add and sv_lookups_set_dir): a direct-mapped table of lookups and the
 * directories their names are in. */

#define SV_LOOKUP_SLOTS 512   /* a power of two */
#define SV_LOOKUP_DIRS 64
#define SV_LOOKUP_PATH 256    /* paths this long or longer are the walk's */

typedef struct sv_lookup {
    uint64_t hash;        /* of ctx, follow and path; 0: an empty slot */
    int64_t ctx;          /* the lookup context (runtime/lookup_cache.py): root, cwd, creds */
    uint64_t generation;  /* sv_lookups.generation when it was made: stale once that moves */
    int64_t made_ns;      /* when (CLOCK_MONOTONIC_COARSE): it lapses after a second */
    uint32_t follow;      /* stat (1) or lstat (0) */
    uint32_t dir;         /* index in sv_lookups.dirs of the directory the name is in */
    uint32_t path_len;
    char path[SV_LOOKUP_PATH];   /* the guest path, as the guest passed it */
    char name[256];       /* the final name the walk ended on, in dir */
} sv_lookup;

typedef struct sv_lookup_dir {
    int32_t fd;           /* O_PATH descriptor Python holds (runtime/lookup_cache.py) */
    uint64_t dev, ino;    /* what it is: its host path must still reach it */
    int64_t checked_ns;   /* when that was last seen (CLOCK_MONOTONIC_COARSE) */
    char host[4096];      /* its host path (symlink-free: vfs.py's root is a realpath) */
} sv_lookup_dir;

typedef struct sv_lookups {
    uint64_t generation;
    sv_lookup slots[SV_LOOKUP_SLOTS];
    sv_lookup_dir dirs[SV_LOOKUP_DIRS];
} sv_lookups;

/* --- per-engine CPU state (trap.c) ------------------------------------------------------- */

/* cpu->stop_reason */
#define SV_STOP_NONE 0
#define SV_STOP_QUANTUM 1  /* preempted: the block budget ran out */
#define SV_STOP_KERNEL 2   /* a handler asked the scheduler to run */
#define SV_STOP_FAULT 3    /* the guest faulted: see fault_* */
#define SV_WRONG_GATE 0x100u /* fault_intno's mark of a trap through a gate the table lacks
                              * (| the vector of an int instruction) */

struct sv_cpu {
    uc_engine *uc;
    const sv_sysvec *table;  /* the current process's table: a switch is this write */
    sv_aspace *aspace;       /* the current process's address space */
    sv_phys *phys;
    int64_t pid, tid, ppid;  /* for C handlers of the current process */
    uint32_t bits;           /* 64 or 32: the engine mode */
    uint32_t trace;          /* call sv_py_trace after every call (the selected ones) */
    /* `-e trace=...`: per table, one byte per call number (and one for numbers past the
     * table) saying whether to trace it; a table not listed has every call traced */
    uint32_t n_trace_select;
    const sv_sysvec *trace_tables[SV_MAX_TRACE_SELECT];
    const uint8_t *trace_select[SV_MAX_TRACE_SELECT];
    /* set by Python handlers during a call */
    uint32_t stop_request;   /* stop emulation after this call */
    uint32_t restart;        /* re-execute the trap instruction when resumed */
    uint32_t restarted;      /* set with restart_pc when a call asked for a restart */
    uint64_t restart_pc;
    /* why emulation stopped */
    uint32_t stop_reason;
    uint32_t fault_signal;   /* SIGSEGV, SIGILL, SIGFPE, SIGTRAP */
    uint32_t fault_access;   /* UC_MEM_READ / WRITE / FETCH for memory faults */
    uint32_t fault_intno;    /* CPU exception vector, or SV_WRONG_GATE | gate for a wrong gate */
    uint32_t fault_oom;      /* the page was valid but guest memory ran out */
    uint64_t fault_addr;
    uint64_t fault_pc;
    /* preemption */
    int64_t budget;          /* basic blocks left in this quantum */
    int64_t quantum;         /* blocks per quantum (block hook); <= 0: no block budget */
    uint64_t ticks;          /* blocks executed while the block hook is installed */
    uint64_t block_end;      /* address after the current translation block (block hook) */
    uint32_t block_hooked;   /* the block hook is installed: quantum, ticks, block_end work */
    /* timed slices (slice_timer.c), used while the block hook is not installed: a quantum
     * of N blocks lasts N * block_ns nanoseconds */
    sv_slice_timer *timer;
    int64_t block_ns;
    const sv_aspace *ran_aspace; /* the space of the last run: its translations are in the TLB */
    uint64_t dr7;            /* debug register 7 after the run: non-zero, the guest armed a
                              * hardware breakpoint, which outlives its process */
    uc_hook hooks[8];
    uint64_t args[SV_MAX_ARGS];
    void *arg_ptrs[SV_MAX_REG_ARGS]; /* &args[i], for batched register reads */
    uint32_t in_trap;
    /* the C file handlers (files.c): the current process's fd slots (SV_FAST_FDS of them, NULL:
     * every call goes to Python); a Python write to a pipe is part done (C must not answer the
     * restarted call); and where to cut a long slice when data moved through a pipe */
    sv_file *const *files;
    uint32_t write_pending;
    /* the slice resumes a call that blocked in Python: Python, which keeps what the call did
     * so far (a poll's deadline, a write's progress), answers it, not a C handler */
    uint32_t restart_to_python;
    /* [0] non-zero while writes to files need Python's checks, [1] while reads and writes
     * both do (shared file mappings' page cache: runtime/vfs.py file_rules) */
    const int64_t *file_rules;
    int64_t wake_budget;
    /* nanoseconds spent in Python handlers since the runtime last took them: system time */
    int64_t py_ns;
    /* entries of the machine's inode attribute store (runtime/iattr.py): while there are
     * none, what fstat shows is the host's stat as it is, and C may answer it */
    const int64_t *iattr_entries;
    /* when nodes with no host file were made (files.py's MADE_NS): their times */
    int64_t synthetic_ns;
    /* threads of the machine waiting on a futex (runtime/linux/futex_queue.py): while there
     * are none, FUTEX_WAKE has nothing to do, and C may answer it */
    const int64_t *futex_waiting;
    /* the current thread's blocked and pending signal masks (runtime/pcb.py) */
    uint64_t *signal_words;
    /* its process's signal actions, 4 words a signal (runtime/pcb.py SigActions); NULL: none */
    const uint64_t *sigaction_words;
    /* gdb's `catch syscall` (trap.c): SV_CATCH_* bits; what stopped, and the call's number */
    uint32_t catch_syscalls;
    uint32_t syscall_stop;   /* SV_SYSCALL_ENTRY or SV_SYSCALL_RETURN; 0: none */
    uint64_t syscall_nr;
    int64_t catch_tid;       /* the thread SV_CATCH_PTRACE was armed for */
    /* path lookups C may answer (lookups.c), and the current thread's lookup context word
     * (runtime/lookup_cache.py; 0: never cached) */
    sv_lookups *lookups;
    const int64_t *lookup_ctx;
};

/* cpu->catch_syscalls */
#define SV_CATCH_ON 1u          /* stop before and after every call */
#define SV_CATCH_SKIP_ENTRY 2u  /* the call at the trap already stopped at its entry */
#define SV_CATCH_PTRACE 4u      /* a ptrace tracee's stops: the Python kernel is told of each */
#define SV_CATCH_STEP 8u        /* PTRACE_SINGLESTEP: the run is one instruction */
/* sv_py_syscall's number for a ptrace tracee's stop (SV_CATCH_PTRACE): this bit, and
 * SV_SYSCALL_ENTRY, SV_SYSCALL_RETURN, SV_PTRACE_RUNS or SV_PTRACE_STEPPED */
#define SV_PTRACE_CALL 0x40000000u
#define SV_PTRACE_RUNS 3u       /* the call that stopped at its entry runs now */
#define SV_PTRACE_STEPPED 4u    /* the one instruction of a SV_CATCH_STEP run is done */
#define SV_PTRACE_STEP_ENDED 5u /* a SV_CATCH_STEP run ended before its instruction did */
#define SV_SYSCALL_ENTRY 1u
#define SV_SYSCALL_RETURN 2u

/* trap.c */
sv_cpu *sv_cpu_new(uc_engine *uc, uint32_t bits, sv_phys *phys);
void sv_cpu_free(sv_cpu *cpu);
int sv_cpu_install(sv_cpu *cpu);
int sv_cpuid_prepare(uint32_t bits);
int sv_hook_cpuid(uc_engine *uc, void *user_data);
int sv_cpu_run(sv_cpu *cpu, uint64_t pc);
int sv_cpu_set_block_hook(sv_cpu *cpu, int on);
void sv_cpu_shorten(sv_cpu *cpu, int64_t blocks);
void sv_cpu_forget_tlb(sv_cpu *cpu);
int sv_cpu_time_slices(sv_cpu *cpu, int64_t block_ns);
int sv_cpu_trace_select(sv_cpu *cpu, const sv_sysvec *table, const uint8_t *select);
int64_t sv_nosys(sv_cpu *cpu, const uint64_t *args);

/* slice_timer.c */
sv_slice_timer *sv_slice_timer_new(uc_engine *uc);
void sv_slice_timer_free(sv_slice_timer *t);
void sv_slice_timer_arm(sv_slice_timer *t, int64_t ns);
void sv_slice_timer_shorten(sv_slice_timer *t, int64_t ns);
int64_t sv_slice_timer_disarm(sv_slice_timer *t, int *fired);

/* exit_checks.c */
int sv_engine_exit_checks(uc_engine *uc, int on);

/* debug.c */
uint64_t sv_as_translate(sv_aspace *as, uint64_t vaddr);

/* mm.c */
sv_phys *sv_phys_new(uc_engine *uc, uint64_t base, uint32_t pages_per_chunk, uint64_t page_limit);
void sv_phys_free(sv_phys *phys);
int sv_phys_prepare_run(sv_phys *phys);
void sv_phys_flush_tlb(sv_phys *phys);
sv_aspace *sv_as_new(sv_phys *phys, uint64_t page_limit);
void sv_as_free(sv_aspace *as);
sv_aspace *sv_as_fork(sv_aspace *as);
int sv_as_map(sv_aspace *as, uint64_t addr, uint64_t len, uint32_t prot);
int sv_as_unmap(sv_aspace *as, uint64_t addr, uint64_t len);
int sv_as_protect(sv_aspace *as, uint64_t addr, uint64_t len, uint32_t prot);
int sv_as_query(sv_aspace *as, uint64_t addr, uint32_t *prot);
uint32_t sv_as_shared_page(sv_aspace *as, uint64_t addr);
int sv_as_resident(sv_aspace *as, uint64_t addr, uint64_t npages, uint8_t *out);
int sv_as_set_sigbus(sv_aspace *as, uint64_t addr, uint64_t len, int on);
int sv_as_sigbus(sv_aspace *as, uint64_t addr);
uint64_t sv_as_pages(sv_aspace *as);
uint64_t sv_as_resident_count(sv_aspace *as);
uint64_t sv_as_resident_in(sv_aspace *as, uint64_t addr, uint64_t npages);
int sv_as_read(sv_aspace *as, uint64_t addr, void *buf, uint64_t len);
int sv_as_write(sv_aspace *as, uint64_t addr, const void *buf, uint64_t len);
int sv_as_write_force(sv_aspace *as, uint64_t addr, const void *buf, uint64_t len);
int64_t sv_as_strlen(sv_aspace *as, uint64_t addr, uint64_t max);
int sv_as_map_shared(sv_aspace *as, uint64_t addr, uint64_t len, uint32_t prot, uint32_t *ppns);
int sv_as_map_frames(sv_aspace *as, uint64_t addr, uint32_t npages, const uint32_t *ppns);
int sv_as_move(sv_aspace *as, uint64_t old, uint64_t new_addr, uint64_t len);
int sv_phys_fill(sv_phys *p, const void *buf, uint32_t npages, uint32_t *ppns);
uint8_t *sv_phys_page(sv_phys *p, uint32_t ppn);
void sv_phys_ref(sv_phys *p, uint32_t ppn);
void sv_phys_unref(sv_phys *p, uint32_t ppn);
uint32_t sv_phys_refs(sv_phys *p, uint32_t ppn);
int sv_as_fill(sv_aspace *as, uint64_t vaddr, uint32_t access, uc_tlb_entry *out);

/* handlers.c */
int64_t sv_c_getpid(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_getppid(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_gettid(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_clock_gettime(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_gettimeofday(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_time(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_getrandom(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_brk(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_futex(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_rt_sigprocmask(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_rt_sigaction(sv_cpu *cpu, const uint64_t *args);

/* files.c */
int64_t sv_c_read(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_poll(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_write(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_lseek(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_pread64(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_pwrite64(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_fstat(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_newfstatat(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_statx(sv_cpu *cpu, const uint64_t *args);

/* lookups.c */
struct stat;
void sv_lookups_invalidate(sv_lookups *lk);
int sv_lookups_set_dir(sv_lookups *lk, uint32_t index, int32_t fd, uint64_t dev, uint64_t ino,
                       const char *host);
int sv_lookups_add(sv_lookups *lk, int64_t ctx, uint32_t follow, const char *path, uint32_t len,
                   uint32_t dir, const char *name);
int sv_open_dir_no_symlinks(const char *host);
int sv_walk_dir_no_symlinks(const char *host);
int64_t sv_lookup_stat(sv_cpu *cpu, int64_t dirfd, uint64_t path_addr, uint32_t follow,
                       struct stat *out);
int64_t sv_c_stat(sv_cpu *cpu, const uint64_t *args);
int64_t sv_c_lstat(sv_cpu *cpu, const uint64_t *args);

/* floor.c: the benchmark's baseline hooks */
int sv_floor_install(uc_engine *uc, uint64_t pid);
int sv_floor_install_block_counter(uc_engine *uc, uint64_t *counter);

/* the generated tables (tables.c) */
extern const sv_sysvec *const sv_tables[];
extern const unsigned sv_ntables;

/* the Python side, cffi extern "Python+C" */
int64_t sv_py_syscall(sv_cpu *cpu, uint32_t nr, uint64_t *args);
void sv_py_trace(sv_cpu *cpu, uint32_t nr, uint64_t *args, int64_t result);

#endif
