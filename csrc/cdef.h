/* What Python sees of the trap path, in cffi's cdef dialect. cffi checks every declaration
 * here against sysvec.h when it compiles the module, so the two cannot drift apart. */
typedef struct uc_struct uc_engine;
typedef struct uc_context uc_context;

typedef struct sv_sysent { uint8_t kind; uint8_t nargs; ...; } sv_sysent;
typedef struct sv_sysvec {
    const char *name;
    uint32_t nsys;
    const sv_sysent *sysent;
    const char *const *names;
    uint32_t gates;
    uint32_t errors;
    const uint16_t *classes;
    int64_t nosys_result;
    int64_t efault_result;
    ...;
} sv_sysvec;

typedef struct sv_phys { uint32_t overcommit; uint32_t nchunks; uint32_t nquar; uint64_t in_use; uint64_t page_limit; int tb_flush_needed; int tlb_stale; ...; } sv_phys;
typedef struct sv_aspace { uint64_t used; uint64_t page_limit; uint64_t committed; uint64_t brk; uint64_t rlimit_pages; uint32_t strict_commit; uint32_t nlazy; uint64_t touched; uint64_t capacity; uint64_t grow_floor; uint64_t grow_start; uint32_t grow_prot; ...; } sv_aspace;

typedef struct sv_pipe {
    uint8_t *ring;
    int64_t cap, head, len;
    int64_t readers, writers;
    int64_t flags;
    int64_t gen;
    int64_t ino;
} sv_pipe;
typedef struct sv_file {
    int64_t kind;
    int64_t status;
    sv_pipe *pipe;
    int64_t host_fd;
    int64_t rdev;
} sv_file;

typedef struct sv_lookups { uint64_t generation; ...; } sv_lookups;
#define SV_LOOKUP_SLOTS 512
#define SV_LOOKUP_DIRS 64
#define SV_LOOKUP_PATH 256

typedef struct sv_cpu {
    uc_engine *uc;
    const sv_sysvec *table;
    sv_aspace *aspace;
    sv_phys *phys;
    int64_t pid, tid, ppid;
    uint32_t bits;
    uint32_t trace;
    uint32_t n_trace_select;
    uint32_t stop_request;
    uint32_t restart;
    uint32_t restarted;
    uint64_t restart_pc;
    uint32_t stop_reason;
    uint32_t fault_signal;
    uint32_t fault_access;
    uint32_t fault_intno;
    uint32_t fault_oom;
    uint64_t fault_addr;
    uint64_t fault_pc;
    int64_t budget;
    int64_t quantum;
    uint64_t ticks;
    uint64_t block_end;
    uint32_t block_hooked;
    int64_t block_ns;
    uint64_t dr7;
    uint32_t in_trap;
    sv_file *const *files;
    uint32_t write_pending;
    uint32_t restart_to_python;
    const int64_t *file_rules;
    int64_t wake_budget;
    int64_t py_ns;
    const int64_t *iattr_entries;
    int64_t synthetic_ns;
    const int64_t *futex_waiting;
    uint64_t *signal_words;
    const uint64_t *sigaction_words;
    uint32_t catch_syscalls;
    uint32_t syscall_stop;
    uint64_t syscall_nr;
    int64_t catch_tid;
    sv_lookups *lookups;
    const int64_t *lookup_ctx;
    ...;
} sv_cpu;

#define SV_STOP_NONE 0
#define SV_STOP_QUANTUM 1
#define SV_STOP_KERNEL 2
#define SV_STOP_FAULT 3
#define SV_CATCH_ON 1
#define SV_CATCH_SKIP_ENTRY 2
#define SV_CATCH_PTRACE 4
#define SV_CATCH_STEP 8
#define SV_SYSCALL_ENTRY 1
#define SV_SYSCALL_RETURN 2
#define SV_PTRACE_CALL 0x40000000
#define SV_PTRACE_RUNS 3
#define SV_PTRACE_STEPPED 4
#define SV_PTRACE_STEP_ENDED 5
#define SV_WRONG_GATE 256
#define SV_KIND_NOSYS 0
#define SV_KIND_C 1
#define SV_KIND_PY 2
#define SV_KIND_FAIL 3
#define SV_KIND_C_PY 4
#define SV_FAST_FDS 1024
#define SV_FILE_NONE 0
#define SV_FILE_PIPE_READ 1
#define SV_FILE_PIPE_WRITE 2
#define SV_FILE_PIPE_RDWR 3
#define SV_FILE_NULL 4
#define SV_FILE_ZERO 5
#define SV_FILE_HOST 6
#define SV_FILE_HOST_STREAM 7
#define SV_PIPE_NOTIFY 1
#define SV_SYNTHETIC_DEV 5
#define SV_MAX_RW 2147479552
#define SV_MAX_READ 67108864
#define SV_BLKSIZE 4096
#define SV_PIPE_BUF 4096

void sv_lookups_invalidate(sv_lookups *lk);
int sv_lookups_set_dir(sv_lookups *lk, uint32_t index, int32_t fd, uint64_t dev, uint64_t ino,
                       const char *host);
int sv_lookups_add(sv_lookups *lk, int64_t ctx, uint32_t follow, const char *path, uint32_t len,
                   uint32_t dir, const char *name);
int sv_open_dir_no_symlinks(const char *host);
int sv_walk_dir_no_symlinks(const char *host);

sv_cpu *sv_cpu_new(uc_engine *uc, uint32_t bits, sv_phys *phys);
int sv_cpu_trace_select(sv_cpu *cpu, const sv_sysvec *table, const uint8_t *select);
void sv_cpu_free(sv_cpu *cpu);
int sv_cpu_install(sv_cpu *cpu);
int sv_cpu_run(sv_cpu *cpu, uint64_t pc);
int sv_cpu_set_block_hook(sv_cpu *cpu, int on);
void sv_cpu_shorten(sv_cpu *cpu, int64_t blocks);
void sv_cpu_forget_tlb(sv_cpu *cpu);
int sv_cpu_time_slices(sv_cpu *cpu, int64_t block_ns);
int sv_engine_exit_checks(uc_engine *uc, int on);
int sv_cpuid_prepare(uint32_t bits);

sv_phys *sv_phys_new(uc_engine *uc, uint64_t base, uint32_t pages_per_chunk, uint64_t page_limit);
void sv_phys_free(sv_phys *phys);
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
uint64_t sv_as_translate(sv_aspace *as, uint64_t vaddr);
int sv_as_map_shared(sv_aspace *as, uint64_t addr, uint64_t len, uint32_t prot, uint32_t *ppns);
int sv_as_map_frames(sv_aspace *as, uint64_t addr, uint32_t npages, const uint32_t *ppns);
int sv_as_move(sv_aspace *as, uint64_t old, uint64_t new_addr, uint64_t len);
int sv_phys_fill(sv_phys *p, const void *buf, uint32_t npages, uint32_t *ppns);
uint8_t *sv_phys_page(sv_phys *p, uint32_t ppn);
void sv_phys_ref(sv_phys *p, uint32_t ppn);
void sv_phys_unref(sv_phys *p, uint32_t ppn);
uint32_t sv_phys_refs(sv_phys *p, uint32_t ppn);


/* context switch helpers: registers saved and restored without Python per register */
int uc_context_alloc(uc_engine *uc, uc_context **context);
int uc_context_save(uc_engine *uc, uc_context *context);
int uc_context_restore(uc_engine *uc, uc_context *context);
int uc_context_free(uc_context *context);
int uc_reg_read(uc_engine *uc, int regid, void *value);
int uc_reg_write(uc_engine *uc, int regid, const void *value);

extern const sv_sysvec *const sv_tables[];
extern const unsigned sv_ntables;

extern "Python+C" int64_t sv_py_syscall(sv_cpu *cpu, uint32_t nr, uint64_t *args);
extern "Python+C" void sv_py_trace(sv_cpu *cpu, uint32_t nr, uint64_t *args, int64_t result);
int uc_context_reg_write(uc_context *ctx, int regid, const void *value);
int uc_context_reg_read(uc_context *ctx, int regid, void *value);
size_t uc_context_size(uc_engine *uc);
