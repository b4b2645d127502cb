/* The trap path: Unicorn hooks that turn syscall / sysenter / int N into a call through the
 * current process's table, plus preemption and fault capture.
 *
 * Nothing here allocates per trap, and nothing enters Python unless the entry's handler is a
 * Python one (or tracing is on). */
#include "sysvec.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define WRONG_GATE 0x100u /* fault_intno for a trap through a gate the table lacks */

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

/* Fetch the call's arguments by the table's convention; -1 if the user stack is unreadable.
 * Register arguments come in one batched read; 32-bit registers fill only the low half. */
static int fetch_args(sv_cpu *cpu, const sv_sysvec *t, uint32_t nargs)
{
    uint32_t i, nregs = nargs < t->n_arg_regs ? nargs : t->n_arg_regs;
    for (i = 0; i < nregs; i++)
        cpu->args[i] = 0;
    if (nregs)
        uc_reg_read_batch(cpu->uc, t->arg_regs, cpu->arg_ptrs, (int)nregs);
    if (i == nargs)
        return 0;
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

/* One system call. pc is the address of the trap instruction; nr is the raw
 * number register. Registers the gate itself sets (rcx and r11 for syscall) come in
 * wregs/wvals and are written together with the result in one batch. */
static void dispatch(sv_cpu *cpu, uint32_t gate, uint32_t vector, uint64_t pc, uint64_t nr,
                     int *wregs, uint64_t *wvals, int nw)
{
    const sv_sysvec *t = cpu->table;
    if (!t || !(t->gates & gate) || (gate == SV_GATE_INT && t->int_vector != vector)) {
        fault(cpu, SIGSEGV, WRONG_GATE | (gate == SV_GATE_INT ? vector : 0), pc);
        return;
    }
    if (t->nr_bits == 32)
        nr = (uint32_t)nr;
    uint32_t shadow = 0;
    if (t->shadow && (nr & ~(uint64_t)0xFFF) == SV_SHADOW_BIT) {
        t = t->shadow;
        nr &= 0xFFF;
        shadow = SV_SHADOW_BIT;
    }
    const sv_sysent *ent = nr < t->nsys ? &t->sysent[nr] : NULL;
    uint32_t nargs = ent ? ent->nargs : 0;
    uint32_t nr32 = nr < t->nsys ? (uint32_t)nr : UINT32_MAX;
    int64_t result;

    cpu->traps++;
    cpu->last_nr = nr32;
    cpu->in_trap = 1;
    if (fetch_args(cpu, t, nargs) < 0) {
        result = t->efault_result;
    } else if (!ent || ent->kind == SV_KIND_NOSYS) {
        result = t->nosys_result;
    } else if (ent->kind == SV_KIND_C) {
        result = ent->fn(cpu, cpu->args);
    } else {
        result = sv_py_syscall(cpu, nr32 | shadow, cpu->args);
    }
    cpu->in_trap = 0;

    if (cpu->restart) {
        /* The call blocked: the scheduler re-runs the trap instruction when it resumes. */
        cpu->restart = 0;
        cpu->stop_request = 0;
        cpu->restart_pc = pc;
        cpu->restarted = 1;
        stop(cpu, SV_STOP_KERNEL);
        return;
    }
    void *wptr[4];
    if (result != SV_NORESULT) {
        wregs[nw] = t->ret_reg;
        wvals[nw++] = (uint64_t)result;
    }
    for (int i = 0; i < nw; i++)
        wptr[i] = &wvals[i];
    if (nw)
        uc_reg_write_batch(cpu->uc, wregs, (void *const *)wptr, nw);
    if (cpu->trace)
        sv_py_trace(cpu, (nr32 == UINT32_MAX ? (uint32_t)nr : nr32) | shadow, cpu->args, result);
    if (cpu->phys->tb_flush_needed || cpu->stop_request) {
        cpu->stop_request = 0;
        stop(cpu, SV_STOP_KERNEL);
    }
}

/* --- hooks ---------------------------------------------------------------------------------- */

static void hook_syscall(uc_engine *uc, void *user_data)
{
    sv_cpu *cpu = user_data;
    int rregs[3] = {UC_X86_REG_RIP, UC_X86_REG_EFLAGS,
                    cpu->table ? cpu->table->nr_reg : UC_X86_REG_RAX};
    uint64_t v[3] = {0, 0, 0};
    void *pv[3] = {&v[0], &v[1], &v[2]};
    uc_reg_read_batch(uc, rregs, pv, 3);
    /* The instruction leaves the return address in rcx and the flags in r11, as hardware
     * does; Unicorn advances rip past the instruction after this hook. */
    int wregs[3] = {UC_X86_REG_RCX, UC_X86_REG_R11};
    uint64_t wvals[3] = {v[0] + 2, v[1]};
    dispatch(cpu, SV_GATE_SYSCALL, 0, v[0], v[2], wregs, wvals, 2);
}

static void hook_sysenter(uc_engine *uc, void *user_data)
{
    sv_cpu *cpu = user_data;
    int wregs[1];
    uint64_t wvals[1];
    uint64_t nr = cpu->table ? reg(uc, cpu->table->nr_reg) : 0;
    dispatch(cpu, SV_GATE_SYSENTER, 0, reg(uc, cpu->bits == 64 ? UC_X86_REG_RIP : UC_X86_REG_EIP),
             nr, wregs, wvals, 0);
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
    uint64_t next = reg(uc, cpu->bits == 64 ? UC_X86_REG_RIP : UC_X86_REG_EIP);
    const sv_sysvec *t = cpu->table;
    if (t && (t->gates & SV_GATE_INT) && intno == t->int_vector) {
        int wregs[1];
        uint64_t wvals[1];
        dispatch(cpu, SV_GATE_INT, intno, next - 2, reg(uc, t->nr_reg), wregs, wvals, 0);
        return;
    }
    /* int N (2 bytes) leaves rip after the instruction; faults leave it on the instruction. */
    if (intno >= 32 || intno == 3 || intno == 4)
        fault(cpu, intno >= 32 ? SIGSEGV : exception_signal(intno),
              intno >= 32 ? WRONG_GATE | intno : intno, intno == 3 ? next - 1 : next - 2);
    else
        fault(cpu, exception_signal(intno), intno, next);
}

static void hook_block(uc_engine *uc, uint64_t address, uint32_t size, void *user_data)
{
    sv_cpu *cpu = user_data;
    (void)address;
    (void)size;
    cpu->ticks++;
    if (cpu->quantum > 0 && --cpu->budget <= 0)
        stop(cpu, SV_STOP_QUANTUM);
}

static bool hook_tlb_fill(uc_engine *uc, uint64_t vaddr, uc_mem_type type, uc_tlb_entry *result,
                          void *user_data)
{
    sv_cpu *cpu = user_data;
    (void)uc;
    if (cpu->bits == 32)
        vaddr = (uint32_t)vaddr;
    int ok = sv_as_fill(cpu->aspace, vaddr, type, result);
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

void sv_cpu_free(sv_cpu *cpu)
{
    if (!cpu)
        return;
    for (unsigned i = 0; i < sizeof cpu->hooks / sizeof cpu->hooks[0]; i++)
        if (cpu->hooks[i])
            uc_hook_del(cpu->uc, cpu->hooks[i]);
    free(cpu);
}

int sv_cpu_install(sv_cpu *cpu)
{
    uc_engine *uc = cpu->uc;
    uc_err err;
    if ((err = uc_ctl_tlb_mode(uc, UC_TLB_VIRTUAL)) != UC_ERR_OK)
        return err;
    if ((err = uc_hook_add(uc, &cpu->hooks[0], UC_HOOK_INSN, hook_syscall, cpu, 1, 0,
                           UC_X86_INS_SYSCALL)) != UC_ERR_OK)
        return err;
    if ((err = uc_hook_add(uc, &cpu->hooks[1], UC_HOOK_INSN, hook_sysenter, cpu, 1, 0,
                           UC_X86_INS_SYSENTER)) != UC_ERR_OK)
        return err;
    if ((err = uc_hook_add(uc, &cpu->hooks[2], UC_HOOK_INTR, hook_intr, cpu, 1, 0)) != UC_ERR_OK)
        return err;
    if ((err = uc_hook_add(uc, &cpu->hooks[3], UC_HOOK_BLOCK, hook_block, cpu, 1, 0)) != UC_ERR_OK)
        return err;
    if ((err = uc_hook_add(uc, &cpu->hooks[4], UC_HOOK_TLB_FILL, hook_tlb_fill, cpu, 1, 0)) !=
        UC_ERR_OK)
        return err;
    return UC_ERR_OK;
}

void sv_cpu_set_table(sv_cpu *cpu, const sv_sysvec *table)
{
    cpu->table = table;
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
    cpu->budget = cpu->quantum;
    /* Another process may have run: its translations of the same virtual pages are stale. */
    uc_ctl_flush_tlb(cpu->uc);
    sv_phys_prepare_run(cpu->phys);
    uc_err err = uc_emu_start(cpu->uc, pc, 0, 0, 0);
    if (err != UC_ERR_OK && cpu->stop_reason != SV_STOP_FAULT) {
        cpu->fault_pc = reg(cpu->uc, cpu->bits == 64 ? UC_X86_REG_RIP : UC_X86_REG_EIP);
        cpu->fault_signal = err == UC_ERR_INSN_INVALID ? SIGILL : cpu->fault_oom ? SIGKILL : SIGSEGV;
        cpu->stop_reason = SV_STOP_FAULT;
    } else if (err == UC_ERR_OK && cpu->stop_reason == SV_STOP_NONE) {
        /* emu_start's `until` is address 0: the guest jumped to a null pointer. */
        cpu->fault_pc = 0;
        cpu->fault_addr = 0;
        cpu->fault_access = UC_MEM_FETCH;
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
