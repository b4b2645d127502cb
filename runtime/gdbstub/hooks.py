"""Engine hooks that exist only while gdb asks for them: breakpoints (a code hook on one
address, checked against the process on the core), single step (a code hook on every address,
installed only around the stepping thread's slice) and watchpoints (memory hooks on the
engine address of a process's private copy of the page).

Breakpoints never write int3 into guest memory, so a page shared copy-on-write after fork
keeps no trace of a breakpoint that belongs to one process."""
from __future__ import annotations

from unicorn import UC_HOOK_CODE, UC_HOOK_MEM_READ, UC_HOOK_MEM_WRITE

NO_PAGE = (1 << 64) - 1


def guarded(hook):
    """An engine hook that never raises: the binding would stop the engine with the error
    kept for an emu_start the C run loop never returns to, and the guest would take the
    stop for a fault. A debugger bug is reported and the guest runs on."""
    import functools
    import sys

    @functools.wraps(hook)
    def run(*args):
        try:
            hook(*args)
        except Exception as exc:
            sys.stderr.write(f"sysvec: gdb server hook: {type(exc).__name__}: {exc}\n")
    return run


def stop_engine(proc) -> None:
    proc.engine.cpu.stop_reason = proc.engine.lib.SV_STOP_KERNEL   # not a fault
    proc.engine.uc.emu_stop()


class Breakpoint:
    """One address on one engine, and the processes (thread-group ids) that break there."""

    def __init__(self, server, engine, addr: int):
        self.server, self.engine, self.addr = server, engine, addr
        self.tgids: set[int] = set()
        self.handle = engine.uc.hook_add(UC_HOOK_CODE, self._hit, begin=addr, end=addr)
        engine.uc.ctl_flush_tb()   # blocks translated before the hook would not call it

    @guarded
    def _hit(self, uc, address, size, _data):
        proc = self.server.kernel.running
        if proc is not None and proc.tgid in self.tgids:
            self.server.breakpoint_hit(proc, address)

    def remove(self) -> None:
        self.engine.uc.hook_del(self.handle)
        self.engine.uc.ctl_flush_tb()


class Stepper:
    """Stops a thread after one instruction: the hook's first call is the instruction it
    resumes at, the second is the next one."""

    def __init__(self, server, proc):
        self.server, self.proc = server, proc
        self.started = False
        uc = proc.engine.uc
        self.handle = uc.hook_add(UC_HOOK_CODE, self._hit, begin=1, end=0)
        uc.ctl_flush_tb()

    @guarded
    def _hit(self, uc, address, size, _data):
        if self.server.kernel.running is not self.proc:
            return
        if not self.started:
            self.started = True
            return
        self.server.step_done(self.proc)

    def remove(self) -> None:
        uc = self.proc.engine.uc
        uc.hook_del(self.handle)
        uc.ctl_flush_tb()


WATCH_WRITE, WATCH_READ, WATCH_ACCESS = 2, 3, 4   # the Z packet types
REPLY_KEY = {WATCH_WRITE: "watch", WATCH_READ: "rwatch", WATCH_ACCESS: "awatch"}


class Watchpoint:
    """A guest range of one process, watched through the engine address of its page. The
    page is made private to the process first (copy-on-write broken), so no other process
    writes it; `refresh` follows it when a fork shares it again."""

    def __init__(self, server, proc, kind: int, addr: int, length: int):
        self.server, self.kind, self.addr, self.length = server, kind, addr, length
        self.tgid, self.engine = proc.tgid, proc.engine
        self.phys = None
        self.handles = []
        self.refresh(proc)

    def refresh(self, proc) -> bool:
        """Pin the watched page to this process and hook its engine address."""
        mm = proc.mm
        try:
            data = mm.read(self.addr, self.length)
            mm.write_force(self.addr, data)    # breaks copy-on-write sharing, changes nothing
        except Exception:
            return False
        phys = int(mm.lib.sv_as_translate(mm.c, self.addr))
        if phys == NO_PAGE or phys == self.phys:
            return phys != NO_PAGE
        self._unhook()
        self.phys = phys
        uc, end = self.engine.uc, phys + self.length - 1
        if self.kind in (WATCH_WRITE, WATCH_ACCESS):
            self.handles.append(uc.hook_add(UC_HOOK_MEM_WRITE, self._hit, begin=phys, end=end))
        if self.kind in (WATCH_READ, WATCH_ACCESS):
            self.handles.append(uc.hook_add(UC_HOOK_MEM_READ, self._hit, begin=phys, end=end))
        uc.ctl_flush_tb()
        return True

    @guarded
    def _hit(self, uc, access, address, size, value, _data):
        proc = self.server.kernel.running
        if proc is None or proc.tgid != self.tgid:
            return
        # The hook runs before the access: keep the bytes a write is about to replace.
        old = bytes(uc.mem_read(address, size)) if access == 17 else None  # UC_MEM_WRITE
        vaddr = self.addr + (address - self.phys)
        self.server.watch_hit(proc, self, vaddr, old)

    def _unhook(self) -> None:
        for h in self.handles:
            self.engine.uc.hook_del(h)
        self.handles.clear()

    def remove(self) -> None:
        self._unhook()
        self.engine.uc.ctl_flush_tb()
