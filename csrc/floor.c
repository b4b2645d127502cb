/* The benchmark floor: the least a syscall hook can do through uc_hook_add (read the number,
 * write a result). bench/trap_path.py measures the compiled trap path against it. */
#include "sysvec.h"

static void floor_hook(uc_engine *uc, void *user_data)
{
    uint64_t nr = 0, result = (uint64_t)(uintptr_t)user_data;
    uc_reg_read(uc, UC_X86_REG_RAX, &nr);
    if (nr != 39)
        result = (uint64_t)-38;
    uc_reg_write(uc, UC_X86_REG_RAX, &result);
}

int sv_floor_install(uc_engine *uc, uint64_t pid)
{
    uc_hook h;
    return uc_hook_add(uc, &h, UC_HOOK_INSN, floor_hook, (void *)(uintptr_t)pid, 1, 0,
                       UC_X86_INS_SYSCALL);
}

static void floor_block(uc_engine *uc, uint64_t address, uint32_t size, void *user_data)
{
    (void)uc;
    (void)address;
    (void)size;
    ++*(uint64_t *)user_data;
}

/* The floor plus a block-counting hook like the scheduler's preemption, to price it. */
int sv_floor_install_block_counter(uc_engine *uc, uint64_t *counter)
{
    uc_hook h;
    return uc_hook_add(uc, &h, UC_HOOK_BLOCK, floor_block, counter, 1, 0);
}
