"""Fibers: threads of execution a thread switches between itself. A fiber is a FIBER block
in guest memory (its first word the parameter, as GetFiberData reads it; the TEB's
NtTib.FiberData points at the running one) and, while it is not running, the registers it
resumes with. SwitchToFiber saves the caller's (where its call returns, the callee-saved
registers) and loads the target's, with the target's stack limits (and, on i386, its SEH
chain) in the TEB. A new fiber starts in its routine with its parameter on a stack of its
own; returning from the routine ends the thread, as on Windows."""
from __future__ import annotations

from dataclasses import dataclass

from unicorn import x86_const as X

from ..mm import page_up
from ..nt import abi
from ..nt.memory import own_region, release_region
from .callback import NORESULT

ERROR_ALREADY_FIBER, ERROR_ALREADY_THREAD = 1280, 1281
DEFAULT_STACK = 1 << 20
X64_SAVED = [X.UC_X86_REG_RBX, X.UC_X86_REG_RBP, X.UC_X86_REG_RSI, X.UC_X86_REG_RDI,
             X.UC_X86_REG_R12, X.UC_X86_REG_R13, X.UC_X86_REG_R14, X.UC_X86_REG_R15,
             X.UC_X86_REG_MXCSR] + [getattr(X, f"UC_X86_REG_XMM{i}") for i in range(6, 16)]
I386_SAVED = [X.UC_X86_REG_EBX, X.UC_X86_REG_EBP, X.UC_X86_REG_ESI, X.UC_X86_REG_EDI]


@dataclass(eq=False)
class Fiber:
    address: int                     # the FIBER block
    stack_base: int
    stack_limit: int
    regs: dict | None = None         # where it resumes (None while it runs)
    stack: tuple | None = None       # (address, size) of the stack CreateFiber mapped
    exception_list: int = 0xFFFFFFFF  # i386: its fs:[0] SEH chain


def _tib(p) -> tuple[int, int, int]:
    """TEB offsets of StackBase, StackLimit and FiberData."""
    return (8, 0x10, 0x20) if abi.word(p) == 8 else (4, 8, 0x10)


def _current(p) -> Fiber | None:
    fiber_data = abi.read_ptr(p, p.win32.teb + _tib(p)[2])
    return p.win32.fibers.get(fiber_data)


def _new_block(p, parameter: int) -> int:
    block = p.win32.heap.alloc(0x40, zero=True)
    abi.write_ptr(p, block, parameter)
    return block


def _convert(p, lpParameter) -> int:
    if _current(p) is not None:
        p.win32.last_error = ERROR_ALREADY_FIBER
        return 0
    base_at, limit_at, data_at = _tib(p)
    teb = p.win32.teb
    fiber = Fiber(_new_block(p, lpParameter), abi.read_ptr(p, teb + base_at),
                  abi.read_ptr(p, teb + limit_at))
    p.win32.fibers[fiber.address] = fiber
    abi.write_ptr(p, teb + data_at, fiber.address)
    return fiber.address


def sys_kernel32_ConvertThreadToFiber(p, lpParameter):
    return _convert(p, lpParameter)


def sys_kernel32_ConvertThreadToFiberEx(p, lpParameter, dwFlags):
    return _convert(p, lpParameter)


def _create(p, stack_size: int, start: int, parameter: int) -> int:
    from .kernel32 import _module_base
    size = page_up(min(max(stack_size or DEFAULT_STACK, 64 << 10), 256 << 20))
    try:
        stack = p.mm.find_free(size)
        p.mm.map(stack, size, 3, "[fiber stack]")
        own_region(p, stack, size)
    except Exception:   # KernelError: no room or over the memory limit
        p.win32.last_error = 8       # ERROR_NOT_ENOUGH_MEMORY
        return 0
    top = stack + size
    # Returning from the routine is ExitThread with whatever it returned.
    exit_thread = _module_base(p, "kernel32") + p.win32.modules["kernel32"][1]["ExitThread"]
    if abi.word(p) == 8:
        sp = top - 0x28                       # as after a call: rsp % 16 == 8
        abi.write_ptr(p, sp, exit_thread)
        regs = {X.UC_X86_REG_RSP: sp, X.UC_X86_REG_RIP: start, X.UC_X86_REG_RCX: parameter}
    else:
        sp = top - 8
        p.mm.write_u32(sp, exit_thread)
        p.mm.write_u32(sp + 4, parameter)
        regs = {X.UC_X86_REG_ESP: sp, X.UC_X86_REG_EIP: start}
    fiber = Fiber(_new_block(p, parameter), top, stack, regs, (stack, size))
    p.win32.fibers[fiber.address] = fiber
    return fiber.address


def sys_kernel32_CreateFiber(p, dwStackSize, lpStartAddress, lpParameter):
    return _create(p, dwStackSize, lpStartAddress, lpParameter)


def sys_kernel32_CreateFiberEx(p, dwStackCommitSize, dwStackReserveSize, dwFlags, lpStartAddress,
                               lpParameter):
    return _create(p, dwStackReserveSize or dwStackCommitSize, lpStartAddress, lpParameter)


def _caller_regs(p) -> dict:
    """The registers the caller of this stub resumes with after its call."""
    uc = p.engine.uc
    if abi.word(p) == 8:
        sp = uc.reg_read(X.UC_X86_REG_RSP)
        regs = {r: uc.reg_read(r) for r in X64_SAVED}
        regs[X.UC_X86_REG_RIP] = abi.read_ptr(p, sp)
        regs[X.UC_X86_REG_RSP] = sp + 8
    else:
        sp = uc.reg_read(X.UC_X86_REG_ESP)
        regs = {r: uc.reg_read(r) for r in I386_SAVED}
        regs[X.UC_X86_REG_EIP] = p.mm.read_u32(sp)
        regs[X.UC_X86_REG_ESP] = sp + 8       # past the return address and the stdcall argument
    return regs


def sys_kernel32_SwitchToFiber(p, lpFiber):
    target, current = p.win32.fibers.get(lpFiber), _current(p)
    if target is None or current is None or target is current or target.regs is None:
        return 0                              # nothing to switch to (Windows would fault)
    base_at, limit_at, data_at = _tib(p)
    teb = p.win32.teb
    current.regs = _caller_regs(p)
    current.stack_base = abi.read_ptr(p, teb + base_at)
    current.stack_limit = abi.read_ptr(p, teb + limit_at)
    if abi.word(p) == 4:
        current.exception_list = p.mm.read_u32(teb)
        p.mm.write_u32(teb, target.exception_list)
    abi.write_ptr(p, teb + base_at, target.stack_base)
    abi.write_ptr(p, teb + limit_at, target.stack_limit)
    abi.write_ptr(p, teb + data_at, target.address)
    regs, target.regs = target.regs, None
    p.after_trap.append(lambda: p.kernel.set_context_regs(p, regs))
    return NORESULT


def sys_kernel32_DeleteFiber(p, lpFiber):
    """Its stack and block go; deleting the running fiber ends the thread, as on Windows."""
    fiber = p.win32.fibers.get(lpFiber)
    if fiber is None:
        return 0
    if fiber is _current(p):
        from .threads import sys_kernel32_ExitThread
        return sys_kernel32_ExitThread(p, 0)
    del p.win32.fibers[lpFiber]
    if fiber.stack is not None:
        release_region(p, *fiber.stack)
    p.win32.heap.free(fiber.address)
    return 0


def sys_kernel32_ConvertFiberToThread(p):
    fiber = _current(p)
    if fiber is None:
        p.win32.last_error = ERROR_ALREADY_THREAD
        return 0
    del p.win32.fibers[fiber.address]
    abi.write_ptr(p, p.win32.teb + _tib(p)[2], 0)
    p.win32.heap.free(fiber.address)
    return 1


def sys_kernel32_IsThreadAFiber(p):
    return int(_current(p) is not None)
