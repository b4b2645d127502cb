/* The trap path: Unicorn hooks that turn syscall / sysenter / int N into a call through the
 * current process's table, plus preemption and fault capture.
 *
 * Nothing here allocates per trap, and nothing enters Python unless the entry's handler is a
 * Python one (or tracing is on). */
#include "sysvec.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PC_UNKNOWN UINT64_MAX /* the hook did not read the trap's pc: read it when needed */

static uint64_t reg(uc_engine *uc, int id)
{
    uint64_t v = 0; /* 32-bit registers fill the low half */
    uc_reg_read(uc, id, &v);
    return v;
}

static void stop(sv_cpu *cpu, uint32_t reason)
{
    if (cpu->stop_reason == SV_STOP_NONE || reason == SV_STOP_FAULT)
        cpu->stop_reason = reason;
    uc_emu_stop(cpu->uc);
}

static void fault(sv_cpu *cpu, uint32_t signal, uint32_t intno, uint64_t pc)
{
    cpu->fault_signal = signal;
    cpu->fault_intno = intno;
    cpu->fault_pc = pc;
    stop(cpu, SV_STOP_FAULT);
}

static int fetch_stack_args(sv_cpu *cpu, const sv_sysvec *t, uint32_t i, uint32_t nargs);

/* Fetch the call's arguments by the table's convention; -1 if the user stack is unreadable.
 * Register arguments come in one batched read; 32-bit registers fill only the low half. */
static inline int fetch_args(sv_cpu *cpu, const sv_sysvec *t, uint32_t nargs)
{
    uint32_t i, nregs = nargs < t->n_arg_regs ? nargs : t->n_arg_regs;
    if (nregs) {
        for (i = 0; i < nregs; i++)
            cpu->args[i] = 0;
        uc_reg_read_batch(cpu->uc, t->arg_regs, cpu->arg_ptrs, (int)nregs);
    }
    if (nregs == nargs)
        return 0;
    return fetch_stack_args(cpu, t, nregs, nargs);
}

/* Join the register pairs of 64-bit arguments (a 32-bit ABI's `loff`), so handlers and the
 * tracer see one value per argument of the spec. */
static __attribute__((noinline)) void join_pairs(sv_cpu *cpu, uint32_t pairs, uint32_t nwords)
{
    for (uint32_t i = 0, j = 0; i < nwords; i++, j++) {
        uint64_t value = cpu->args[i];
        if ((pairs >> j) & 1u && i + 1 < nwords)
            value = (uint32_t)value | cpu->args[++i] << 32;
        cpu->args[j] = value;
    }
}

/* The arguments past the register ones, from the user stack (i386 and NT conventions). */
static __attribute__((noinline)) int fetch_stack_args(sv_cpu *cpu, const sv_sysvec *t,
                                                      uint32_t i, uint32_t nargs)
{
    if (t->stack_reg == UC_X86_REG_INVALID)
        return -1;
    uint64_t base = reg(cpu->uc, t->stack_reg) + (uint64_t)t->stack_offset;
    if (t->word_size == 4)
        base = (uint32_t)base;
    for (uint32_t k = 0; i < nargs; i++, k++) {
        uint64_t word = 0;
        if (sv_as_read(cpu->aspace, base + (uint64_t)k * t->word_size, &word, t->word_size) < 0)
            return -1;
        cpu->args[i] = word;
    }
    return 0;
}

/* The trap instruction's address. Unicorn syncs the guest pc before calling an instruction
 * hook, so inside a hook the pc register is the trap instruction's. */
static uint64_t current_pc(sv_cpu *cpu)
{
    return reg(cpu->uc, cpu->bits == 64 ? UC_X86_REG_RIP : UC_X86_REG_EIP);
}

static uint64_t trap_pc(sv_cpu *cpu, uint64_t pc)
{
    return pc != PC_UNKNOWN ? pc : current_pc(cpu);
}

/* A call that blocked: the scheduler re-runs the trap instruction at pc when it resumes. */
static __attribute__((noinline, cold)) void park_for_restart(sv_cpu *cpu, uint64_t pc)
{
    cpu->restart = 0;
    cpu->stop_request = 0;
    cpu->restart_pc = trap_pc(cpu, pc);
    cpu->restarted = 1;
    stop(cpu, SV_STOP_KERNEL);
}

/* Whether `-e trace=...` selects call nr of table t: tested in C, so an unselected call never
 * enters Python. Only reached with tracing on. */
static inline int trace_selected(const sv_cpu *cpu, const sv_sysvec *t, uint64_t nr)
{
    for (uint32_t i = 0; i < cpu->n_trace_select; i++)
        if (cpu->trace_tables[i] == t)
            return cpu->trace_select[i][nr < t->nsys ? nr : t->nsys];
    return 1;
}

/* A call into a Python handler, timed: its time is the process's system time (the runtime
 * charges cpu->py_ns). Timed here with the vDSO clock, which costs a Python call far less than
 * timing it in Python would. */
static __attribute__((noinline)) int64_t python_call(sv_cpu *cpu, uint32_t nr)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int64_t result = sv_py_syscall(cpu, nr, cpu->args);
    clock_gettime(CLOCK_MONOTONIC, &b);
    cpu->py_ns += (int64_t)(b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec);
    return result;
}

static __attribute__((noinline)) void trace_call(sv_cpu *cpu, uint32_t nr, int64_t result)
{
    sv_py_trace(cpu, nr, cpu->args, result);
}

/* After a call that changed memory or asked for the scheduler: the guest must not run on with
 * a stale translation (mm.c says when), nor with code translated from pages since freed. */
static __attribute__((noinline)) void after_call_housekeeping(sv_cpu *cpu)
{
    if (cpu->phys->tlb_stale) {
        cpu->phys->tlb_stale = 0;
        sv_phys_flush_tlb(cpu->phys);
    }
    if (cpu->phys->tb_flush_needed || cpu->stop_request) {
        cpu->stop_request = 0;
        stop(cpu, SV_STOP_KERNEL);
    }
}

/* The address after the syscall instruction at pc, from its bytes: legacy and REX prefixes,
 * then 0f 05. Used when there is no block hook to say where the block ends. */
static __attribute__((noinline)) uint64_t syscall_next_from_bytes(sv_cpu *cpu, uint64_t pc)
{
    for (unsigned i = 0; i < 14; i++) {
        uint8_t b = 0;
        if (sv_as_read(cpu->aspace, pc + i, &b, 1) < 0)
            break;
        if (b == 0x0f)
            return pc + i + 2;
        int prefix = (b >= 0x40 && b <= 0x4f) || b == 0x66 || b == 0x67 || b == 0xf0 ||
                     b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36 || b == 0x3e ||
                     b == 0x26 || b == 0x64 || b == 0x65;
        if (!prefix)
            break;
    }
    return pc + 2;
}

/* What the table says the trap leaves in registers besides the result (`leaves` in the
 * spec): rcx = return address and r11 = flags for x86-64 `syscall` under a real kernel.
 * Single register calls: for a few registers Unicorn's batch call costs more (callgrind). */
static __attribute__((noinline)) void write_leaves(sv_cpu *cpu, const sv_sysvec *t,
                                                  uint64_t next_pc)
{
    uint64_t flags = 0;
    int have_flags = 0;
    for (uint32_t i = 0; i < t->n_leaves; i++) {
        uint64_t value = next_pc;
        if (t->leave_values[i] == SV_LEAVE_FLAGS) {
            if (!have_flags)
                uc_reg_read(cpu->uc, UC_X86_REG_EFLAGS, &flags);
            have_flags = 1;
            value = flags;
        }
        uc_reg_write(cpu->uc, t->leave_regs[i], &value);
    }
}

/* gdb's `catch syscall`: stop before the call, which runs when the process resumes at the
 * trap instruction (the debugger sets SKIP_ENTRY for that), and stop again after it. */
/* A ptrace tracee's (SV_CATCH_PTRACE): the Python kernel puts it in its ptrace stop. */
static void tell_ptrace(sv_cpu *cpu, uint32_t what)
{
    if (cpu->catch_syscalls & SV_CATCH_PTRACE)
        sv_py_syscall(cpu, SV_PTRACE_CALL | what, cpu->args);
}

static __attribute__((noinline, cold)) int catch_entry(sv_cpu *cpu, uint64_t pc, uint64_t nr)
{
    if (!(cpu->catch_syscalls & SV_CATCH_ON))
        return 0;
    if (cpu->catch_syscalls & SV_CATCH_SKIP_ENTRY) {
        cpu->catch_syscalls &= ~SV_CATCH_SKIP_ENTRY;
        tell_ptrace(cpu, SV_PTRACE_RUNS);
        return 0;
    }
    cpu->syscall_stop = SV_SYSCALL_ENTRY;
    cpu->syscall_nr = nr;
    cpu->restart_pc = trap_pc(cpu, pc);
    cpu->restarted = 1;
    tell_ptrace(cpu, SV_SYSCALL_ENTRY);
    stop(cpu, SV_STOP_KERNEL);
    return 1;
}

static __attribute__((noinline, cold)) void catch_return(sv_cpu *cpu, uint64_t nr)
{
    if (!(cpu->catch_syscalls & SV_CATCH_ON))
        return;
    cpu->syscall_stop = SV_SYSCALL_RETURN;
    cpu->syscall_nr = nr;
    tell_ptrace(cpu, SV_SYSCALL_RETURN);
    stop(cpu, SV_STOP_KERNEL);
}

/* One system call. pc is the address of the trap instruction, or PC_UNKNOWN; next_pc is the
 * address after it; nr is the raw number register.
 * Always inlined, so each gate's hook gets a copy with its gate folded in. */
static inline __attribute__((always_inline)) void
dispatch(sv_cpu *cpu, const sv_sysvec *t, uint32_t gate, uint64_t pc,
         uint64_t next_pc, uint64_t nr)
{
    if (__builtin_expect(cpu->stop_reason == SV_STOP_FAULT, 0))
        return;   /* an earlier instruction of this block faulted (in/out): no more calls */
    /* hook_intr checks an int gate and its vector itself (and names the vector when they are
     * not the table's): only syscall and sysenter reach this check undeclared. */
    if (!t || !(t->gates & gate)) {
        fault(cpu, SIGSEGV, SV_WRONG_GATE, trap_pc(cpu, pc));
        return;
    }
    const sv_sysvec *gate_table = t;
    if (__builtin_expect(cpu->catch_syscalls != 0, 0) && catch_entry(cpu, pc, nr))
        return;
    uint32_t shadow = 0;
    if (t->shadow && (nr & ~(uint64_t)0xFFF) == SV_SHADOW_BIT) {
        t = t->shadow;
        nr &= 0xFFF;
        shadow = SV_SHADOW_BIT;
    }
    const sv_sysent *ent = nr < t->nsys ? &t->sysent[nr] : NULL;
    uint32_t nr32 = ent ? (uint32_t)nr : UINT32_MAX;
    int64_t result;

    /* A syscall with no block hook finds its return address in the guest's bytes, before the
     * handler runs: exit and execve free the address space. */
    if (__builtin_expect(gate_table->n_leaves != 0, 0) && next_pc == PC_UNKNOWN)
        next_pc = syscall_next_from_bytes(cpu, trap_pc(cpu, PC_UNKNOWN));
    cpu->in_trap = 1;
    int fetched = fetch_args(cpu, t, ent ? ent->nargs : 0);
    if (fetched == 0 && ent && __builtin_expect(ent->pairs != 0, 0))
        join_pairs(cpu, ent->pairs, ent->nargs);
    if (fetched < 0)
        result = t->efault_result;
    else if (!ent || ent->kind == SV_KIND_NOSYS)
        result = t->nosys_result;
    else if (ent->kind == SV_KIND_C)
        result = ent->fn(cpu, cpu->args);
    else if (ent->kind == SV_KIND_FAIL)
        result = ent->result;
    else if (ent->kind == SV_KIND_C_PY && !cpu->restart_to_python &&
             (result = ent->fn(cpu, cpu->args)) != SV_DECLINE)
        ;   /* answered in C */
    else
        result = python_call(cpu, nr32 | shadow);
    cpu->in_trap = 0;
    cpu->restart_to_python = 0;

    if (__builtin_expect(cpu->restart, 0)) {
        park_for_restart(cpu, pc);
        return;
    }
    /* SV_NORESULT: the handler set the registers itself (sigreturn, execve): leave them. */
    if (result != SV_NORESULT) {
        if (gate_table->n_leaves)
            write_leaves(cpu, gate_table, next_pc);
        uc_reg_write(cpu->uc, t->ret_reg, &result);
    }
    if (__builtin_expect(cpu->trace, 0) && trace_selected(cpu, t, nr))
        trace_call(cpu, (nr32 == UINT32_MAX ? (uint32_t)nr : nr32) | shadow, result);
    if (__builtin_expect(cpu->catch_syscalls != 0, 0))
        catch_return(cpu, nr | shadow);
    if (__builtin_expect(cpu->phys->tlb_stale | cpu->phys->tb_flush_needed | cpu->stop_request, 0))
        after_call_housekeeping(cpu);
}

/* --- hooks ---------------------------------------------------------------------------------- */

static void hook_syscall(uc_engine *uc, void *user_data)
{
    sv_cpu *cpu = user_data;
    const sv_sysvec *t = cpu->table;
    uint64_t nr = 0;
    if (t)
        uc_reg_read(uc, t->nr_reg, &nr);
    /* syscall ends its translation block, so with the block hook installed the address after
     * it (prefixes included) is where the hook said this block ends: no pc read. */
    uint64_t next = cpu->block_hooked ? cpu->block_end : PC_UNKNOWN;
#ifdef SV_SELFCHECK
    uint64_t pc = trap_pc(cpu, PC_UNKNOWN);
    if (next != PC_UNKNOWN && (next <= pc || next - pc > 15)) {
        fprintf(stderr, "sysvec: block end %#llx does not follow the syscall at %#llx\n",
                (unsigned long long)next, (unsigned long long)pc);
        abort();
    }
#endif
    dispatch(cpu, t, SV_GATE_SYSCALL, PC_UNKNOWN, next, nr);
}

static void hook_sysenter(uc_engine *uc, void *user_data)
{
    sv_cpu *cpu = user_data;
    const sv_sysvec *t = cpu->table;
    uint64_t nr = t ? reg(uc, t->nr_reg) : 0;
    uint64_t pc = current_pc(cpu);
    dispatch(cpu, t, SV_GATE_SYSENTER, pc, pc + 2, nr);
}

static uint32_t exception_signal(uint32_t intno)
{
    switch (intno) {
    case 0:  /* #DE divide error */
    case 16: /* #MF x87 */
    case 19: /* #XM SIMD */
        return SIGFPE;
    case 1:
    case 3:
        return SIGTRAP;
    case 6: /* #UD */
        return SIGILL;
    case 7: /* #NM: no FPU */
        return SIGILL;
    default: /* #GP, #PF, #SS, bound, and software interrupts the table does not own */
        return SIGSEGV;
    }
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user_data)
{
    sv_cpu *cpu = user_data;
    uint64_t next = current_pc(cpu);
    const sv_sysvec *t = cpu->table;
    if (t && (t->gates & SV_GATE_INT) && intno == t->int_vector) {
        dispatch(cpu, t, SV_GATE_INT, next - 2, next, reg(uc, t->nr_reg));
        return;
    }
    /* int N (2 bytes) leaves rip after the instruction; faults leave it on the instruction. */
    if (intno >= 32 || intno == 3 || intno == 4)
        fault(cpu, intno >= 32 ? SIGSEGV : exception_signal(intno),
              intno >= 32 ? SV_WRONG_GATE | intno : intno, intno == 3 ? next - 1 : next - 2);
    else
        fault(cpu, exception_signal(intno), intno, next);
}

static void hook_block(uc_engine *uc, uint64_t address, uint32_t size, void *user_data)
{
    sv_cpu *cpu = user_data;
    cpu->block_end = address + size;
    /* sv_cpu_run counts the blocks (ticks) from what is left of the budget afterwards. */
    if (__builtin_expect(--cpu->budget <= 0, 0))
        stop(cpu, SV_STOP_QUANTUM);
}

/* in and out: port I/O is privileged in user mode (#GP: SIGSEGV), so the process ends here. */
static uint32_t hook_in(uc_engine *uc, uint32_t port, int size, void *user_data)
{
    sv_cpu *cpu = user_data;
    (void)uc;
    (void)port;
    (void)size;
    fault(cpu, SIGSEGV, 13, current_pc(cpu));
    return 0;
}

static void hook_out(uc_engine *uc, uint32_t port, int size, uint32_t value, void *user_data)
{
    (void)value;
    hook_in(uc, port, size, user_data);
}

static bool hook_tlb_fill(uc_engine *uc, uint64_t vaddr, uc_mem_type type, uc_tlb_entry *result,
                          void *user_data)
{
    sv_cpu *cpu = user_data;
    (void)uc;
    if (cpu->bits == 32)
        vaddr = (uint32_t)vaddr;
    /* No space: the running one was freed (its process exited) and the engine translates
     * between slices (a debugger removing a breakpoint invalidates code by address). */
    int ok = cpu->aspace ? sv_as_fill(cpu->aspace, vaddr, type, result) : 0;
    if (ok > 0)
        return true;
    /* Unicorn stops with UC_ERR_EXCEPTION and no other hook: remember what faulted. */
    cpu->fault_addr = vaddr;
    cpu->fault_access = type;
    cpu->fault_oom = ok < 0;
    return false;
}

/* --- engine set-up and running ---------------------------------------------------------------- */

sv_cpu *sv_cpu_new(uc_engine *uc, uint32_t bits, sv_phys *phys)
{
    sv_cpu *cpu = calloc(1, sizeof *cpu);
    if (!cpu)
        return NULL;
    cpu->uc = uc;
    cpu->bits = bits;
    cpu->phys = phys;
    for (unsigned i = 0; i < SV_MAX_REG_ARGS; i++)
        cpu->arg_ptrs[i] = &cpu->args[i];
    return cpu;
}

/* After uc_close, which took the hooks with the engine: deleting them one by one before would
 * invalidate translations through the TLB-fill hook, into address spaces already freed. */
void sv_cpu_free(sv_cpu *cpu)
{
    sv_slice_timer_free(cpu->timer);
    free(cpu);
}

/* Time quanta instead of counting blocks while the block hook is not installed (slice_timer.c):
 * a quantum of N blocks lasts N * block_ns nanoseconds. Returns 0, or -1 without a thread. */
int sv_cpu_time_slices(sv_cpu *cpu, int64_t block_ns)
{
    if (!cpu->timer && !(cpu->timer = sv_slice_timer_new(cpu->uc)))
        return -1;
    cpu->block_ns = block_ns > 0 ? block_ns : 1;
    return 0;
}

/* A timed slice runs now: neither the block hook nor a quantum's absence says otherwise. */
static int timed(const sv_cpu *cpu)
{
    return cpu->timer && !cpu->block_hooked && cpu->quantum > 0;
}

int sv_cpu_install(sv_cpu *cpu)
{
    uc_engine *uc = cpu->uc;
    uc_err err;
    if ((err = uc_ctl_tlb_mode(uc, UC_TLB_VIRTUAL)) != UC_ERR_OK)
        return err;
    /* Unicorn's loop over instruction hooks leaves at the first hook after a stop request,
     * which a timed slice's timer may make at any moment: the gate of the engine's mode is
     * hooked first, so its calls are never skipped. */
    for (int i = 0; i < 2; i++) {
        int sysenter = (i == 0) == (cpu->bits == 32);
        err = sysenter ? uc_hook_add(uc, &cpu->hooks[1], UC_HOOK_INSN, hook_sysenter, cpu, 1, 0,
                                     UC_X86_INS_SYSENTER)
                       : uc_hook_add(uc, &cpu->hooks[0], UC_HOOK_INSN, hook_syscall, cpu, 1, 0,
                                     UC_X86_INS_SYSCALL);
        if (err != UC_ERR_OK)
            return err;
    }
    if ((err = uc_hook_add(uc, &cpu->hooks[2], UC_HOOK_INTR, hook_intr, cpu, 1, 0)) != UC_ERR_OK)
        return err;
    if ((err = uc_hook_add(uc, &cpu->hooks[4], UC_HOOK_TLB_FILL, hook_tlb_fill, cpu, 1, 0)) !=
        UC_ERR_OK)
        return err;
    if ((err = uc_hook_add(uc, &cpu->hooks[5], UC_HOOK_INSN, hook_in, cpu, 1, 0, UC_X86_INS_IN)) !=
        UC_ERR_OK)
        return err;
    if ((err = uc_hook_add(uc, &cpu->hooks[6], UC_HOOK_INSN, hook_out, cpu, 1, 0,
                           UC_X86_INS_OUT)) != UC_ERR_OK)
        return err;
    /* The CPU the guest identifies (cpuid.c): without a leaf read, the engine's own. */
    if (sv_cpuid_prepare(cpu->bits) == 0 &&
        (err = uc_hook_add(uc, &cpu->hooks[7], UC_HOOK_INSN, sv_hook_cpuid, cpu, 1, 0,
                           UC_X86_INS_CPUID)) != UC_ERR_OK)
        return err;
    return UC_ERR_OK;
}

/* The block hook: the block-count quantum that preempts a process repeatably (`--quantum N`), a
 * block budget for a run (ticks), and syscall return addresses without a pc read. It costs
 * ~20% of a compute-bound guest, so without those needs slices are timed (slice_timer.c).
 * Translated blocks only call hooks that existed when they were translated, so the code cache
 * is flushed either way. */
int sv_cpu_set_block_hook(sv_cpu *cpu, int on)
{
    uc_err err = UC_ERR_OK;
    if (on && !cpu->block_hooked) {
        err = uc_hook_add(cpu->uc, &cpu->hooks[3], UC_HOOK_BLOCK, hook_block, cpu, 1, 0);
        if (err != UC_ERR_OK)
            return err;
    } else if (!on && cpu->block_hooked) {
        err = uc_hook_del(cpu->uc, cpu->hooks[3]);
        cpu->hooks[3] = 0;
    } else {
        return UC_ERR_OK;
    }
    cpu->block_hooked = on ? 1 : 0;
    uc_ctl_flush_tb(cpu->uc);
    return err;
}

/* Flush the TLB before the next run even if the same space resumes: a debugger added or
 * removed engine hooks, which entries filled before may bypass. */
void sv_cpu_forget_tlb(sv_cpu *cpu)
{
    cpu->ran_aspace = NULL;
}

/* End the running slice within `blocks` more blocks (a long slice of a process that ran
 * alone, when a call may have given another process work); ticks stay exact. */
void sv_cpu_shorten(sv_cpu *cpu, int64_t blocks)
{
    if (timed(cpu)) {
        sv_slice_timer_shorten(cpu->timer, blocks * cpu->block_ns);
        return;
    }
    if (cpu->budget > blocks) {
        cpu->ticks -= (uint64_t)(cpu->budget - blocks);
        cpu->budget = blocks;
    }
}

/* Trace only the calls of table whose byte in select (nsys + 1 bytes, the last for numbers
 * past the table) is non-zero. The caller keeps select alive while the cpu runs. */
int sv_cpu_trace_select(sv_cpu *cpu, const sv_sysvec *table, const uint8_t *select)
{
    for (uint32_t i = 0; i < cpu->n_trace_select; i++)
        if (cpu->trace_tables[i] == table) {
            cpu->trace_select[i] = select;
            return 0;
        }
    if (cpu->n_trace_select == SV_MAX_TRACE_SELECT)
        return -1;
    cpu->trace_tables[cpu->n_trace_select] = table;
    cpu->trace_select[cpu->n_trace_select++] = select;
    return 0;
}

/* Run the current process from pc until it traps to the scheduler, is preempted or faults.
 * Returns the uc_err of emu_start; cpu->stop_reason says why it stopped. */
int sv_cpu_run(sv_cpu *cpu, uint64_t pc)
{
    cpu->stop_reason = SV_STOP_NONE;
    cpu->stop_request = 0;
    cpu->fault_signal = 0;
    cpu->fault_addr = 0;
    cpu->fault_intno = 0;
    cpu->fault_oom = 0;
    cpu->fault_access = 0;
    cpu->restarted = 0;
    cpu->syscall_stop = 0;
    /* Without a quantum the budget is one no run can spend. */
    int64_t budget = cpu->quantum > 0 ? cpu->quantum : INT64_MAX;
    cpu->budget = budget;
    /* Another process may have run: its translations of the same virtual pages are stale.
     * The same space resuming keeps them, unless the kernel changed a page under them (mm.c
     * sets tlb_stale then, and when a space is freed, so a new one at its address flushes). */
    if (cpu->aspace != cpu->ran_aspace || cpu->phys->tlb_stale) {
        sv_phys_flush_tlb(cpu->phys);
        cpu->phys->tlb_stale = 0;
        cpu->ran_aspace = cpu->aspace;
    }
    sv_phys_prepare_run(cpu->phys);
    if ((cpu->catch_syscalls & SV_CATCH_PTRACE) && cpu->catch_tid != cpu->tid)
        cpu->catch_syscalls = 0;   /* armed for a tracee whose slice did not run */
    uint32_t step = cpu->catch_syscalls & SV_CATCH_STEP;
    /* (a step runs with the exit checks on: no timer may stop it inside an instruction) */
    int timed_slice = timed(cpu) && !step;
    if (timed_slice)
        sv_slice_timer_arm(cpu->timer, budget * cpu->block_ns);
    uc_err err = uc_emu_start(cpu->uc, pc, 0, 0, step ? 1 : 0);
    if (timed_slice) {
        /* a timed slice's blocks are its time in block_ns; all of them if the timer ended it.
         * (A hlt whose stop coincides with the timer's is taken for the timer's: the guest
         * runs on past it. Its bytes cannot tell: pc - 1 may be any instruction's last byte.) */
        int fired;
        int64_t blocks = sv_slice_timer_disarm(cpu->timer, &fired) / cpu->block_ns;
        cpu->budget = fired || blocks >= budget ? 0 : budget - blocks;
        if (fired && err == UC_ERR_OK && cpu->stop_reason == SV_STOP_NONE && current_pc(cpu))
            cpu->stop_reason = SV_STOP_QUANTUM;
    }
    cpu->ticks += (uint64_t)(budget - cpu->budget);
    /* Guests run at CPL 0 in Unicorn, so `mov dr7` works; its breakpoints live in the engine,
     * not in the process's saved context. The runtime clears them (kernel.py). */
    cpu->dr7 = reg(cpu->uc, UC_X86_REG_DR7) & 0xFF;   /* the enable bits (bit 10 reads as 1) */
    if (cpu->catch_syscalls & SV_CATCH_PTRACE) {
        /* a single step that ran its instruction (a call that parked to restart did not) */
        if (step && err == UC_ERR_OK && cpu->stop_reason != SV_STOP_FAULT && !cpu->restarted) {
            if (cpu->stop_reason == SV_STOP_NONE)
                cpu->stop_reason = SV_STOP_KERNEL;
            tell_ptrace(cpu, SV_PTRACE_STEPPED);
        } else if (step) {
            tell_ptrace(cpu, SV_PTRACE_STEP_ENDED);
        }
        cpu->catch_syscalls = 0;   /* armed for each of the tracee's runs (ptrace.py) */
    }
    if (err != UC_ERR_OK && cpu->stop_reason != SV_STOP_FAULT) {
        cpu->fault_pc = current_pc(cpu);
        cpu->fault_signal = err == UC_ERR_INSN_INVALID ? SIGILL : cpu->fault_oom ? SIGKILL : SIGSEGV;
        cpu->stop_reason = SV_STOP_FAULT;
    } else if (err == UC_ERR_OK && cpu->stop_reason == SV_STOP_NONE) {
        /* Stopped by itself: emu_start's `until` is address 0, so the guest jumped to a null
         * pointer, or it executed hlt, which user mode may not (#GP: SIGSEGV at the hlt). */
        uint64_t pc = current_pc(cpu);
        cpu->fault_pc = pc ? pc - 1 : 0;   /* Unicorn leaves pc after the 1-byte hlt */
        cpu->fault_addr = 0;
        cpu->fault_access = pc ? 0 : UC_MEM_FETCH;
        cpu->fault_intno = pc ? 13 : 0;
        cpu->fault_signal = SIGSEGV;
        cpu->stop_reason = SV_STOP_FAULT;
    }
    return err;
}

int64_t sv_nosys(sv_cpu *cpu, const uint64_t *args)
{
    (void)args;
    return cpu->table ? cpu->table->nosys_result : -38;
}
