/* The benchmark floor: the least a syscall hook can do through uc_hook_add (read the number,
 * write a result). bench/trap_path.py measures the compiled trap path against it; built by
 * bench/floor.py, apart from the product. */
#include <stdint.h>
#include <unicorn/unicorn.h>

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
