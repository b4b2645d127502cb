/* Unicorn's per-access exit checks, off while nothing needs them.
 *
 * Unicorn 2.1 compiles a call to helper_check_exit_request after every guest load and store
 * (tcg-op.c), so that a memory or code hook that calls uc_emu_stop stops the guest before the
 * next access rather than at the next block. The call is not free: besides the call itself,
 * TCG writes the guest's registers back to memory around it. sysvec needs stops only at block
 * boundaries: a fault leaves through the TLB-fill hook's page-fault exception (a longjmp), a
 * syscall, sysenter or int ends its block, and the block hook's preemption may land a block
 * later. Without the calls compute-bound guests run ~1.4x faster. A debugger's code and memory
 * hooks do need them (a breakpoint stops before its instruction): the runtime turns the checks
 * back on for a machine with a gdb server.
 *
 * The switch is uc_struct.no_exit_request, which Unicorn's translator reads when it translates
 * a block (its ARM translator sets it inside IT blocks; the x86 one never writes it). It has no
 * API, so its offset is read from the code of check_exit_request_x86_64, the function that
 * tests it:
 *     48 8b b7 <disp32>      mov rsi, [rdi + disp32]      tcg_ctx->uc
 *     80 be <disp32> 00      cmp byte [rsi + disp32], 0   uc->no_exit_request
 * A library whose function has any other shape is left alone: the checks stay on. */
#include <string.h>

#include "sysvec.h"

extern void check_exit_request_x86_64(void *tcg_ctx);

/* The flag's offset in uc_struct, or -1 when the library's code is not the shape above. */
static long flag_offset(void)
{
    static const uint8_t load_uc[] = {0x48, 0x8b, 0xb7};
    static const uint8_t cmp_flag[] = {0x80, 0xbe};
    const uint8_t *code = (const uint8_t *)(uintptr_t)&check_exit_request_x86_64;
    if (memcmp(code, load_uc, sizeof load_uc) != 0 || memcmp(code + 7, cmp_flag, sizeof cmp_flag))
        return -1;
    int32_t disp;
    memcpy(&disp, code + 9, sizeof disp);
    if (code[13] != 0x00 || disp <= 0 || disp >= 0x10000)   /* a field of uc_struct's head */
        return -1;
    return disp;
}

/* Turn the per-access checks on or off; a change flushes the translated code, which has them
 * or not from when it was translated. Returns 0, or -1 if this library's flag cannot be found
 * (the checks stay on). */
int sv_engine_exit_checks(uc_engine *uc, int on)
{
    static long offset = -2;
    if (offset == -2)
        offset = flag_offset();
    if (offset < 0)
        return -1;
    uint8_t *no_exit_request = (uint8_t *)uc + offset;
    if (*no_exit_request > 1)   /* not a bool: not the field this build should have there */
        return -1;
    uint8_t want = on ? 0 : 1;
    if (*no_exit_request != want) {
        *no_exit_request = want;
        uc_ctl_flush_tb(uc);
    }
    return 0;
}
