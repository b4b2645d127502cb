"""Calls from a Win32 handler into guest code: qsort's comparator, bsearch's, atexit's
functions. A handler cannot run guest code and wait for it, so it continues the way a kernel
delivers a signal: when its trap returns, the guest is sent into the function with a return
address inside msvcrt.dll (`__sysvec_callback_return`), whose trap hands the function's
result to the handler's continuation. The continuation calls again or finishes, which returns
to the original caller as if the first call had just returned."""
from __future__ import annotations

from unicorn import x86_const as X

from ..nt import abi

NORESULT = 1 << 63                # a handler's "registers are set, write no result"
RETURN_EXPORT = "__sysvec_callback_return"


class Chain:
    """One handler call that runs guest functions: where its caller waits, and what next."""

    def __init__(self, p, pops: int = 0):
        uc = p.engine.uc
        self.wide = abi.word(p) == 8
        self.sp = uc.reg_read(X.UC_X86_REG_RSP if self.wide else X.UC_X86_REG_ESP)
        self.ret = abi.read_ptr(p, self.sp)   # the stub was called: its return address
        self.pops = pops                      # a stdcall stub's `ret N`, which finish skips
        self.then = None


def _chains(p) -> list:
    return p.win32.callbacks


def return_stub(p) -> int:
    """The return export of a mapped generated DLL (msvcrt, kernel32, the UCRT all have
    one), or 0 when the program mapped none (an ntdll-only program cannot call back)."""
    for base, exports in p.win32.modules.values():
        if RETURN_EXPORT in exports:
            return base + exports[RETURN_EXPORT]
    return 0


def _return_stub(p) -> int:
    stub = return_stub(p)
    if not stub:
        raise LookupError("no generated DLL with a callback return is mapped")
    return stub


def start(p, stdcall_args: int = 0) -> Chain:
    """Begin running guest functions from the handler now trapping (a stdcall function of
    i386 says how many argument words its return pops)."""
    chain = Chain(p, 4 * stdcall_args if abi.word(p) == 4 else 0)
    _chains(p).append(chain)
    return chain


def call(p, chain: Chain, fn: int, args: list[int], then, regs: dict | None = None) -> int:
    """Make the guest call fn(*args) once this trap returns; then(result) runs when it does
    and must call() again or finish(). Returns what the handler returns. regs: other
    registers the callee takes (i386's thiscall `this` in ecx, a funclet's frame in ebp)."""
    chain.then = then
    stub, wide = _return_stub(p), chain.wide
    extra = dict(regs or {})

    def enter() -> None:
        # After the trap: the process is off the core, its registers in its saved context.
        if wide:
            # Below the caller's frame: 32 bytes of home space, return address, 16-aligned;
            # arguments past the fourth above the home space.
            sp = ((chain.sp - 256 - 8 * max(0, len(args) - 4)) & ~15) - 8
            abi.write_ptr(p, sp, stub)
            for i, value in enumerate(args[4:]):
                abi.write_ptr(p, sp + 0x28 + 8 * i, value & 0xFFFFFFFFFFFFFFFF)
            regs = dict(zip((X.UC_X86_REG_RCX, X.UC_X86_REG_RDX, X.UC_X86_REG_R8,
                             X.UC_X86_REG_R9), args))
            regs.update({X.UC_X86_REG_RSP: sp, X.UC_X86_REG_RIP: fn})
        else:
            sp = ((chain.sp - 256) & ~15) - 4 * (len(args) + 1)
            abi.write_ptr(p, sp, stub)
            for i, value in enumerate(args):
                abi.write_ptr(p, sp + 4 * (i + 1), value & 0xFFFFFFFF)
            regs = {X.UC_X86_REG_ESP: sp, X.UC_X86_REG_EIP: fn}
        regs.update(extra)
        p.kernel.set_context_regs(p, regs)

    p.after_trap.append(enter)
    return NORESULT


def finish(p, chain: Chain, value: int) -> int:
    """Return to the chain's original caller with value, as its call instruction expects."""
    _chains(p).remove(chain)
    wide = chain.wide

    def leave() -> None:
        if wide:
            regs = {X.UC_X86_REG_RSP: chain.sp + 8, X.UC_X86_REG_RIP: chain.ret,
                    X.UC_X86_REG_RAX: value}
        else:
            regs = {X.UC_X86_REG_ESP: chain.sp + 4 + chain.pops, X.UC_X86_REG_EIP: chain.ret,
                    X.UC_X86_REG_EAX: value & 0xFFFFFFFF}
        p.kernel.set_context_regs(p, regs)

    p.after_trap.append(leave)
    return NORESULT


def sys_msvcrt___sysvec_callback_return(p):
    """The guest function of the innermost chain returned here: continue that chain."""
    chains = _chains(p)
    if not chains:
        return 0
    # The stub loaded its own number into eax: it kept the function's result in ecx / rdx.
    uc = p.engine.uc
    result = uc.reg_read(X.UC_X86_REG_RDX if chains[-1].wide else X.UC_X86_REG_ECX)
    return chains[-1].then(result)
