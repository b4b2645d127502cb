/* The CPU a guest identifies with CPUID: Unicorn's own answers, except that leaf 1 offers
 * SSE4.2 only when the engine computes PCMPxSTRx right. Unicorn 2.1's TCG (QEMU 5.0) does
 * not -- an equal-ordered search misses a match that starts in the last bytes of a block,
 * which later QEMU fixed, and the patched engine (csrc/unicorn/2.1.4.patch) fixes too --
 * and libraries that find SSE4.2 use it for substring search (MSVC's std::string::find
 * looped forever); without the bit they take their SSE2 paths, and those built for SSE4.2
 * with no fallback (Bun's simdutf) cannot run. Which engine this is, a probe says: that
 * search, run once per width on a scratch engine when an engine is set up, with leaf 1
 * (about half a millisecond, never inside a hook); every other leaf is the engine's. */
#include "sysvec.h"

#include <unicorn/unicorn.h>

#define LEAF1_ECX_SSE42 (1u << 20)

static uint32_t leaf1[2][4];
static int leaf1_known[2];

/* Run code (one instruction) at the scratch engine's page. */
static int run_one(uc_engine *uc, const uint8_t *code, size_t size)
{
    return uc_mem_write(uc, 0x1000, code, size) == UC_ERR_OK &&
           uc_emu_start(uc, 0x1000, 0x1000 + size, 0, 1) == UC_ERR_OK;
}

static int read_leaf1(uc_engine *uc, uint32_t out[4])
{
    static const uint8_t cpuid[] = {0x0f, 0xa2};
    static const int regs[4] = {UC_X86_REG_EAX, UC_X86_REG_EBX, UC_X86_REG_ECX, UC_X86_REG_EDX};
    uint32_t value = 1, zero = 0;
    int ok = uc_reg_write(uc, UC_X86_REG_EAX, &value) == UC_ERR_OK &&
             uc_reg_write(uc, UC_X86_REG_ECX, &zero) == UC_ERR_OK &&
             run_one(uc, cpuid, sizeof cpuid);
    for (int i = 0; ok && i < 4; i++) {
        ok = uc_reg_read(uc, regs[i], &out[i]) == UC_ERR_OK;
    }
    return ok ? 0 : -1;
}

/* Whether the engine finds "ab" at the last byte of a full 16-byte block ("x" * 15 + "a"):
 * PCMPISTRI equal-ordered (imm8 0x0c) gives 15; Unicorn 2.1's stock engine gives 16. */
static int pcmpxstrx_right(uc_engine *uc)
{
    static const uint8_t pcmpistri[] = {0x66, 0x0f, 0x3a, 0x63, 0xca, 0x0c};  /* xmm1, xmm2 */
    uint64_t needle[2] = {0x6261, 0}, haystack[2] = {0x7878787878787878ull, 0x6178787878787878ull};
    uint32_t index = 0;
    int ok = uc_reg_write(uc, UC_X86_REG_XMM1, needle) == UC_ERR_OK &&
             uc_reg_write(uc, UC_X86_REG_XMM2, haystack) == UC_ERR_OK &&
             run_one(uc, pcmpistri, sizeof pcmpistri) &&
             uc_reg_read(uc, UC_X86_REG_ECX, &index) == UC_ERR_OK;
    return ok && index == 15;
}

/* Leaf 1 for engines of this width, read once, from a scratch engine that also probes
 * PCMPxSTRx. Returns 0, or -1 (the engine answers then). */
int sv_cpuid_prepare(uint32_t bits)
{
    int wide = bits == 64;
    if (leaf1_known[wide])
        return 0;
    uc_engine *uc;
    if (uc_open(UC_ARCH_X86, wide ? UC_MODE_64 : UC_MODE_32, &uc) != UC_ERR_OK)
        return -1;
    int ok = uc_mem_map(uc, 0x1000, 0x1000, UC_PROT_ALL) == UC_ERR_OK &&
             read_leaf1(uc, leaf1[wide]) == 0;
    if (ok && !pcmpxstrx_right(uc))
        leaf1[wide][2] &= ~LEAF1_ECX_SSE42;
    uc_close(uc);
    if (!ok)
        return -1;
    leaf1_known[wide] = 1;
    return 0;
}

/* UC_HOOK_INSN for CPUID: 1 when the hook answered (the instruction is skipped), 0 to let the
 * engine answer. */
int sv_hook_cpuid(uc_engine *uc, void *user_data)
{
    sv_cpu *cpu = user_data;
    int wide = cpu->bits == 64;
    uint32_t leaf = 0;
    if (!leaf1_known[wide] || uc_reg_read(uc, UC_X86_REG_EAX, &leaf) != UC_ERR_OK || leaf != 1)
        return 0;
    static const int regs64[4] = {UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX};
    static const int regs32[4] = {UC_X86_REG_EAX, UC_X86_REG_EBX, UC_X86_REG_ECX, UC_X86_REG_EDX};
    for (int i = 0; i < 4; i++) {
        uint64_t r = leaf1[wide][i];       /* CPUID zero-extends into the 64-bit registers */
        if (wide)
            uc_reg_write(uc, regs64[i], &r);
        else
            uc_reg_write(uc, regs32[i], &leaf1[wide][i]);
    }
    return 1;
}
