"""`-e trace=SET`: which calls the tracer shows, in strace's syntax.

SET is a comma-separated list of call names, trace classes (`%file`, `%process`, ... from the
specs, compiler/classes.py), `all` or `none`; a leading `!` negates the set. Several -e
options add up. The selection becomes one byte per call number per table, which the C trap
path tests before it calls into Python, so an unselected call costs no Python at all."""
from __future__ import annotations

from sysvec.compiler.classes import BIT, CLASSES

from .errors import SysvecError


class TraceFilterError(SysvecError):
    """A -e expression names a qualifier, class or call that does not exist."""


class _Set:
    def __init__(self, negate: bool, names: set[str], classes: int, everything: bool):
        self.negate, self.names, self.classes, self.everything = negate, names, classes, everything

    def matches(self, name: str | None, classes: int) -> bool:
        hit = self.everything or name in self.names or bool(self.classes & classes)
        return hit != self.negate


class TraceFilter:
    def __init__(self, expressions: list[str]):
        self.sets = [self._parse(e) for e in expressions]

    @staticmethod
    def _parse(expression: str) -> _Set:
        qualifier, eq, value = expression.partition("=")
        if not eq:
            qualifier, value = "trace", expression
        if qualifier not in ("trace", "t"):
            raise TraceFilterError(f"-e {expression}: only 'trace=' expressions are supported")
        negate = value.startswith("!")
        names, classes, everything = set(), 0, False
        for item in value[negate:].split(","):
            item = item.strip()
            if item == "all":
                everything = True
            elif item == "none":
                pass
            elif item.startswith("%"):
                if item[1:] not in BIT:
                    raise TraceFilterError(
                        f"-e {expression}: unknown class '{item}' (expected "
                        + ", ".join("%" + c for c in CLASSES) + ")")
                classes |= BIT[item[1:]]
            elif item:
                names.add(item)
            else:
                raise TraceFilterError(f"-e {expression}: empty item in the set")
        return _Set(negate, names, classes, everything)

    def check_names(self, known: set[str]) -> None:
        """Every call a set names exists in some table (strace: 'invalid system call')."""
        for s in self.sets:
            unknown = sorted(s.names - known)
            if unknown:
                raise TraceFilterError(f"-e trace: no table has a call named "
                                       + ", ".join(repr(n) for n in unknown))

    def selected(self, name: str | None, classes: int) -> bool:
        return any(s.matches(name, classes) for s in self.sets)

    def select_bytes(self, sysvec) -> bytes:
        """One byte per call number of the table (1: trace it), then one for numbers past it."""
        size = int(sysvec.c_table.nsys)
        out = bytearray(size + 1)
        for n in range(size):
            call = sysvec.calls.get(n)
            out[n] = self.selected(call.name, int(sysvec.c_table.classes[n])) if call else \
                self.selected(None, 0)
        out[size] = self.selected(None, 0)
        return bytes(out)

    def arm(self, engine, sysvecs) -> list:
        """Give the engine's trap path the selection of every table; returns the buffers,
        which must stay alive as long as the engine runs."""
        keep = []
        for sysvec in {id(s): s for s in sysvecs}.values():
            buf = engine.ffi.new("uint8_t[]", self.select_bytes(sysvec))
            if engine.lib.sv_cpu_trace_select(engine.cpu, sysvec.c_table, buf) != 0:
                raise TraceFilterError("-e trace: more tables than the trap path can filter")
            keep.append(buf)
        return keep
