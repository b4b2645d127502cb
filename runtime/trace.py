"""strace-style tracing decoded from the table specs' argument types, plus a Chrome
trace-event timeline (one lane per process) for Perfetto or chrome://tracing."""
from __future__ import annotations

import functools
import json
import os
import sys
import time

from sysvec.compiler.errnames import NTSTATUS_NAMES, errno_name

from .errors import KernelError

STRING_LIMIT = 32
SIGNED = {"int", "fd", "pid", "uid", "gid", "sig", "long", "ssize", "off", "loff"}


def quote(data: bytes, limit: int = STRING_LIMIT) -> str:
    """A C string literal as strace prints it, cut at limit bytes."""
    out = []
    for b in data[:limit]:
        ch = chr(b)
        if ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch in '"\\':
            out.append("\\" + ch)
        elif 32 <= b < 127:
            out.append(ch)
        else:
            out.append(f"\\{b:o}")
    return '"' + "".join(out) + '"' + ("..." if len(data) > limit else "")


def _signed(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _never_raises(method):
    """Tracing observes; it never changes what a guest's call returns. A bug while tracing or
    a sink that fails stops tracing with one warning instead of reaching the caller."""
    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        if self.stopped:
            return None
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:   # noqa: BLE001 - anything here is the tracer's own failure
            self.stop(f"internal error while tracing: {type(exc).__name__}: {exc}")
            return None
    return guarded


class Tracer:
    filter = None   # a TraceFilter (-e trace=...): the C trap path skips unselected calls

    def __init__(self, stream=None, json_path: str | None = None):
        self.stopped = False
        self.stream = stream
        self.json_path = json_path
        self.events: list[dict] = []
        self.records: list[dict] = []   # the trace as data, for the embedding API
        self.t0 = time.perf_counter()
        self.named: set[int] = set()
        self.deferred: dict[int, object] = {}
        self.callers = False   # --trace-callers: name the function that made each call

    # --- formatting ---------------------------------------------------------------------------

    def format_arg(self, proc, arg: dict, value: int, args_by_name: dict, result: int) -> str:
        kind, bits = arg["kind"], proc.sysvec.word_bits
        mm = proc.mm
        try:
            struct_name = arg.get("struct")
            if struct_name in _decoders() and value:
                return self.format_struct(proc, arg, value, args_by_name, result)
            if arg.get("length") is not None:
                if value == 0:
                    return "NULL"
                length = arg["length"]
                if length == "ret":
                    n = result if 0 <= result < 1 << 24 else -1
                elif length.isdigit():
                    n = int(length)
                else:
                    n = args_by_name.get(length, 0) & ((1 << bits) - 1)
                if n < 0 or (kind == "out" and result < 0 and proc.sysvec.errors == "errno"):
                    return f"{value:#x}"
                data = mm.read(value, min(n, STRING_LIMIT + 1)) if mm else b""
                return quote(data)
            if arg.get("struct"):
                return "NULL" if value == 0 else f"{value:#x}"
            if kind in ("cstr", "path"):
                return "NULL" if value == 0 else quote(mm.read_cstr(value, 4096), 256)
            if kind == "wstr":
                return "NULL" if value == 0 else "L" + quote(_read_wstr(mm, value).encode())
            if kind == "strv":
                if value == 0:
                    return "NULL"
                items = mm.read_strv(value, 64)
                shown = ", ".join(quote(s, 64) for s in items[:16])
                return f"[{shown}{', ...' if len(items) > 16 else ''}]"
        except KernelError:
            return f"{value:#x}"
        if kind in SIGNED:
            width = 32 if kind in ("int", "fd", "pid", "uid", "gid", "sig") else \
                64 if kind == "loff" else bits
            return str(_signed(value, width))
        if kind == "mode":
            return f"0{value & 0o7777:o}"
        if kind == "flags" and proc.sysvec.personality.flags_bits == 32:
            value &= 0xFFFFFFFF      # a DWORD: the rest of its register is junk
        if kind in ("flags", "ptr", "handle"):
            return "NULL" if value == 0 and kind == "ptr" else f"{value:#x}"
        return str(value & (0xFFFFFFFF if kind == "uint" else (1 << bits) - 1))

    def format_struct(self, proc, arg: dict, value: int, args_by_name: dict, result: int) -> str:
        """A structure the tracer knows (trace_structs.py); an out one only after success."""
        if arg["kind"] == "out" and result < 0:
            return f"{value:#x}"
        length = arg.get("length")
        if length is not None:
            length = int(length) if length.isdigit() else args_by_name.get(length, 0) & 0xFFFFFFFF
        elif arg["kind"] != "in":
            # An out structure's length is what the kernel wrote to the call's *len argument.
            lenp = next((v for k, v in args_by_name.items() if k.endswith("len") and k != "len"), 0)
            try:
                length = proc.mm.read_u32(lenp) if lenp else None
            except KernelError:
                length = None
        count = result if arg["kind"] == "out" and arg["struct"] == "epoll_event" else None
        return _decoders()[arg["struct"]](proc, value, length, count)

    def format_result(self, proc, call, result: int, sysvec=None) -> str:
        sysvec = sysvec or proc.sysvec
        if result in (-(1 << 63), 1 << 63):   # SV_NORESULT: the handler set the registers
            return "?"
        if sysvec.errors == "value":
            ret = call["kind"] if call else "long"
            value = result & ((1 << sysvec.word_bits) - 1)
            return f"{value:#x}" if ret in ("ptr", "handle", "flags") else str(_signed(value, sysvec.word_bits)) \
                if ret in SIGNED else str(value)
        if sysvec.errors == "ntstatus":
            status = result & 0xFFFFFFFF
            return NTSTATUS_NAMES.get(status, f"{status:#010x}")
        value = _signed(result, sysvec.word_bits)
        if -4096 < value < 0:
            code = -value
            name = errno_name(code)
            return f"-1 {name} ({os.strerror(code)})"
        ret = call["kind"] if call else "long"
        if ret == "void":
            return "?"
        if ret == "ptr":
            return f"{result & ((1 << sysvec.word_bits) - 1):#x}"
        return str(value)

    def line(self, proc, nr: int, args: list[int], result: int) -> tuple[str, str]:
        sysvec, nr = proc.sysvec.lookup(nr)
        call = sysvec.calls.get(nr)
        if call is None:
            return f"syscall_{nr:#x}", f"syscall_{nr:#x}(...) = {self.format_result(proc, None, result, sysvec)}"
        by_name = {a["name"]: args[i] for i, a in enumerate(call.args)}
        text = ", ".join(self.format_arg(proc, a, args[i], by_name, _signed(result, 64))
                         for i, a in enumerate(call.args))
        return call.name, f"{call.name}({text}) = {self.format_result(proc, call.ret, result, sysvec)}"

    # --- events ---------------------------------------------------------------------------------

    def now_us(self) -> float:
        return (time.perf_counter() - self.t0) * 1e6

    def _name_lane(self, proc) -> None:
        if proc.pid not in self.named:
            self.named.add(proc.pid)
            self.events.append({"ph": "M", "name": "process_name", "pid": proc.pid, "tid": proc.pid,
                                "args": {"name": f"{proc.comm} [{proc.pid}]"}})

    def _emit(self, text: str) -> None:
        if self.stream is not None:
            try:
                self.stream.write(text + "\n")
                self.stream.flush()
            except (OSError, ValueError) as exc:   # a closed pipe, a full disk, a closed file
                self.stream = None
                self.stop(f"the trace output failed ({exc}); the programs run on untraced")

    def stop(self, why: str) -> None:
        """Stop tracing for the rest of the run, saying why once on the host's stderr."""
        if self.stopped:
            return
        self.stopped = True
        self.stream = None
        try:
            sys.__stderr__.write(f"sysvec: tracing stopped: {why}\n")
            sys.__stderr__.flush()
        except (OSError, ValueError, AttributeError):
            pass   # stderr itself may be the sink that failed

    def use_filter(self, trace_filter, kernel) -> None:
        """Trace only what TRACE_FILTER selects, on the kernel's engines now and later."""
        sysvecs = list(kernel.tables.by_platform.values())
        trace_filter.check_names({c.name for sv in sysvecs for c in sv.calls.values()})
        self.filter, self.sysvecs, self.selections = trace_filter, sysvecs, []
        for engine in kernel.engines.values():
            self.arm(engine)

    def arm(self, engine) -> int:
        """Set up an engine's trap path for tracing; returns the cpu's trace flag."""
        if self.filter is not None:
            self.selections += self.filter.arm(engine, self.sysvecs)
        return 1

    def _selected(self, proc, nr: int) -> bool:
        """The filter's verdict for a call traced from Python (a Win32 handler's NT service)."""
        sysvec, n = proc.sysvec.lookup(nr)
        call = sysvec.calls.get(n)
        classes = int(sysvec.c_table.classes[n]) if n < int(sysvec.c_table.nsys) else 0
        return self.filter.selected(call.name if call else None, classes)

    def _flush_deferred(self, keep_pid: int | None = None) -> None:
        """Exit lines waiting for a call line that a filter left out: print them now."""
        for pid in [p for p in self.deferred if p != keep_pid]:
            self._exit_line(self.deferred.pop(pid))

    @_never_raises
    def call(self, proc, nr: int, args: list[int], result: int, nested: bool = False) -> None:
        """One finished call; nested ones (NT services a Win32 handler made) are indented."""
        if self.deferred:
            self._flush_deferred(proc.pid)
        if nested and self.filter is not None and not self._selected(proc, nr):
            return
        name, text = self.line(proc, nr, args, result)
        if nested:
            text = "  " + text
        elif self.callers:
            from .symbols import caller_words
            text += caller_words(proc)
        self.records.append({"pid": proc.pid, "table": proc.sysvec.lookup(nr)[0].name, "call": name,
                             "number": nr, "text": text})
        self._emit(f"[pid {proc.pid}] {text}")
        if proc.pid in self.deferred and not nested:
            self._exit_line(self.deferred.pop(proc.pid))
        if self.json_path:
            self._name_lane(proc)
            self.events.append({"ph": "X", "name": name, "cat": proc.sysvec.name, "pid": proc.pid,
                                "tid": proc.pid, "ts": self.now_us(), "dur": 1,
                                "args": {"call": text}})

    @_never_raises
    def note(self, proc, text: str) -> None:
        """Why the kernel answered as it did (a connection refused by the network policy)."""
        pid = proc.pid if proc is not None else 0
        self.records.append({"pid": pid, "event": "note", "text": text})
        self._emit(f"[pid {pid}] --- {text} ---")

    @_never_raises
    def exec_event(self, proc, path: str, old: str | None, new: str) -> None:
        if self.deferred:
            self._flush_deferred()
        change = f"{old} -> {new}" if old else new
        self.records.append({"pid": proc.pid, "event": "exec", "path": path, "from": old, "to": new})
        self._emit(f"[pid {proc.pid}] exec {path}: {change}")
        if self.json_path:
            self._name_lane(proc)
            self.events.append({"ph": "i", "name": f"exec {path}", "cat": "exec", "pid": proc.pid,
                                "tid": proc.pid, "ts": self.now_us(), "s": "p",
                                "args": {"table": change}})

    @_never_raises
    def exit_event(self, proc) -> None:
        engine = proc.engine
        if engine is not None and engine.current is proc and engine.cpu.in_trap:
            self.deferred[proc.pid] = proc   # print after the call that exited
            return
        self._exit_line(proc)

    def _exit_line(self, proc) -> None:
        status = proc.exit_status or 0
        how = f"killed by signal {status & 0x7F}" if status & 0x7F else f"exited with {status >> 8}"
        self.records.append({"pid": proc.pid, "event": "exit", "status": status})
        self._emit(f"[pid {proc.pid}] +++ {how} +++")

    @_never_raises
    def slice(self, proc, start_us: float, end_us: float) -> None:
        if self.json_path and proc.sysvec is not None:
            self._name_lane(proc)
            self.events.append({"ph": "X", "name": proc.sysvec.name, "cat": "run", "pid": proc.pid,
                                "tid": proc.pid, "ts": start_us, "dur": max(end_us - start_us, 0.1)})

    def close(self) -> None:
        self._flush_deferred()
        if self.json_path:
            try:
                with open(self.json_path, "w") as f:
                    json.dump({"traceEvents": self.events, "displayTimeUnit": "ms"}, f)
            except OSError as exc:
                self.stopped = False   # say this one even after an earlier failure
                self.stop(f"cannot write the trace timeline to {self.json_path}: "
                          f"{exc.strerror or exc}")


def _decoders() -> dict:
    from .trace_structs import DECODERS   # imported late: it decodes with the net modules
    return DECODERS


def _read_wstr(mm, addr: int, limit: int = 1024) -> str:
    out = bytearray()
    for i in range(limit):
        ch = mm.read(addr + 2 * i, 2)
        if ch == b"\0\0":
            break
        out += ch
    return out.decode("utf-16-le", errors="replace")
