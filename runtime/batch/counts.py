"""Per-run system-call counts for a batch record: every finished call by name, its errors,
and the calls the table leaves unimplemented (ENOSYS). Installed as the kernel's
call_counter, which turns on the trap path's after-call hook for this machine only."""
from __future__ import annotations

import errno as errno_mod
from collections import Counter

from sysvec.compiler.abi import SHADOW_BIT

from ..trace import NTSTATUS_NAMES

NORESULT = (-(1 << 63), 1 << 63)   # the handler set the registers itself (exit, execve)


class CallCounter:
    def __init__(self, kernel):
        self.kernel = kernel
        self.calls: dict = {}                 # (id(sysvec), nr) -> calls
        self.errors: Counter = Counter()      # (id(sysvec), nr, error name) -> calls
        self.seen: dict = {}                  # id(sysvec) -> sysvec (tables are unhashable)
        self.execs_seen = 0
        self.by_name = {}

    def __call__(self, proc, nr: int, result: int) -> None:
        sysvec = proc.sysvec
        events = self.kernel.exec_events
        if len(events) != self.execs_seen:
            # The call that just finished changed this process's image: it was made through
            # the table the process had before (execve from Linux into a PE, say).
            self.execs_seen = len(events)
            pid, _path, old, _new = events[-1][:4]
            if pid == proc.pid and old is not None:
                sysvec = self._table(old) or sysvec
        if nr >= SHADOW_BIT:
            sysvec, nr = sysvec.lookup(nr)
        key = (id(sysvec), nr)
        count = self.calls.get(key)
        if count is None:
            self.seen[key[0]] = sysvec
            count = 0
        self.calls[key] = count + 1
        # Most calls succeed: only a result that may be an error is decoded.
        if (result < 0 or result >= 0x80000000) and result not in NORESULT:
            error = self._error(sysvec, result)
            if error is not None:
                self.errors[key[0], nr, error] += 1

    def _table(self, name: str):
        if not self.by_name:
            for sv in self.kernel.tables.by_platform.values():
                self.by_name[sv.name] = sv
                if sv.shadow is not None:
                    self.by_name[sv.shadow.name] = sv.shadow
        return self.by_name.get(name)

    @staticmethod
    def _error(sysvec, result: int) -> str | None:
        if sysvec.errors == "errno":
            bits = sysvec.word_bits
            value = result & ((1 << bits) - 1)
            value = value - (1 << bits) if value >> (bits - 1) else value
            if -4096 < value < 0:
                return errno_mod.errorcode.get(-value, str(-value))
        elif sysvec.errors == "ntstatus":
            status = result & 0xFFFFFFFF
            if status >= 0xC0000000:
                return NTSTATUS_NAMES.get(status, f"{status:#010x}")
        return None   # "value" tables (the Win32 shadow) return no error code

    # --- what the record holds ---------------------------------------------------------------

    @staticmethod
    def name(sysvec, nr: int) -> str:
        call = sysvec.calls.get(nr)
        return call.name if call is not None else f"syscall_{nr:#x}"

    @staticmethod
    def implemented(sysvec, nr: int) -> bool:
        call = sysvec.calls.get(nr)
        return call is not None and call.handler is not None

    def summary(self) -> dict:
        """{syscalls: name -> count, errors: name -> {error -> count},
        unimplemented: name -> count}, names sorted."""
        syscalls, unimplemented, errors = Counter(), Counter(), {}
        for (table, nr), count in self.calls.items():
            sysvec = self.seen[table]
            name = self.name(sysvec, nr)
            syscalls[name] += count
            if not self.implemented(sysvec, nr):
                unimplemented[name] += count
        for (table, nr, error), count in self.errors.items():
            per = errors.setdefault(self.name(self.seen[table], nr), {})
            per[error] = per.get(error, 0) + count
        return {"syscalls": dict(sorted(syscalls.items())),
                "errors": {k: dict(sorted(v.items())) for k, v in sorted(errors.items())},
                "unimplemented": dict(sorted(unimplemented.items()))}
