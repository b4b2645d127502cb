"""The gdb remote server of a machine: gdb attaches to every process of the machine at once.

It runs inside the scheduler's loop (all-stop): while gdb looks at a stop nothing runs; a
resume (vCont) says which threads run again, the others stay held. Processes are gdb's
"processes" and threads its threads (`p<tgid>.<tid>`, multiprocess extensions). Stops come
from the engine hooks (hooks.py), from faults the kernel would otherwise turn into signals,
from system-call stops (`catch syscall`), and from what a slice changed: exits, forks, execs."""
from __future__ import annotations

import ipaddress
import socket
import sys
from collections import deque
from dataclasses import dataclass
from types import SimpleNamespace

from .. import signals
from ..errors import SysvecError
from . import hooks
from .signals import GDB_NUMBER, from_gdb, to_gdb
from .svr4 import library_list
from .hostio import HostIO
from .protocol import Connection, Disconnected, escape, unescape
from . import target
from .tdesc import target_xml

TRAP, INT = (f"{GDB_NUMBER[n]:02x}" for n in ("SIGTRAP", "SIGINT"))   # stop-reply signals
FAULT_FIELDS = ("fault_signal", "fault_pc", "fault_addr", "fault_access", "fault_intno",
                "fault_oom")


def listen(address: str) -> socket.socket:
    """A listening socket on a loopback HOST:PORT (port 0: any free port)."""
    host, sep, port = address.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    try:
        if not sep or not 0 <= int(port) < 65536:
            raise ValueError
        ip = ipaddress.ip_address("127.0.0.1" if host == "localhost" else host)
    except ValueError:
        raise SysvecError(f"--gdb takes HOST:PORT on a loopback address, not {address!r}") \
            from None
    if not ip.is_loopback:
        raise SysvecError(f"--gdb listens on loopback addresses only, not {host}")
    sock = socket.socket(socket.AF_INET6 if ip.version == 6 else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((str(ip), int(port)))
    except OSError as exc:
        sock.close()
        raise SysvecError(f"--gdb {address}: {exc.strerror}") from None
    sock.listen(1)
    return sock


@dataclass
class Stop:
    """A stop gdb has not been told about yet."""
    proc: object
    reply: str            # the stop reply packet
    fault: object = None  # the fault's details, to deliver the signal if gdb passes it on
    signal: int = 0       # a pending signal gdb sees before the process acts on it


def tid_text(proc) -> str:
    return f"p{proc.tgid:x}.{proc.pid:x}"


class GdbServer:
    def __init__(self, kernel, address: str, wait: bool = True, log=None):
        self.kernel = kernel
        self.listener = listen(address)
        self.address = "%s:%d" % self.listener.getsockname()[:2]
        self.wait = wait
        self.log = log or (lambda msg: sys.stderr.write(msg + "\n"))
        self.conn: Connection | None = None
        self.features: set[str] = set()
        self.detached: set[int] = set()        # thread groups gdb let go of
        self.known: dict[int, object] = {}     # tid -> PCB of threads gdb knows of
        self.held: set[int] = set()            # threads stopped by the debugger
        self.stops: deque[Stop] = deque()
        self.breakpoints: dict[tuple[int, int], hooks.Breakpoint] = {}
        self.watchpoints: list[hooks.Watchpoint] = []
        self.steps: set[int] = set()           # threads to stop after one instruction
        self.stepper = None                    # the step hook of the slice running now
        self.watch_pending: dict[int, str] = {}  # tid -> stop reply after its step
        self.skip_break: dict[int, int] = {}   # tid -> the breakpoint address it resumes at
        self.faults: dict[int, object] = {}    # tid -> fault held for gdb
        self.intercepted: dict[int, int] = {}  # tid -> pending signal reported to gdb
        self.approved: dict[int, int] = {}     # tid -> signal gdb let through
        self.pass_signals: set[int] = set()    # QPassSignals: delivered without a stop
        self.catching: set[int] | None = None  # QCatchSyscalls numbers (empty: all)
        self.in_syscall: set[int] = set()      # tids resumed from a syscall-entry stop
        self.exec_seen = 0
        self.vforks: dict[int, object] = {}    # vfork child pid -> its PCB, until it lets go
        self.g_tid = self.c_tid = 0
        self.last_stop: Stop | None = None
        self.ended = False
        self.hostio = HostIO(kernel)
        self.log(f"sysvec: gdb server on {self.address}")

    def close(self) -> None:
        if self.conn is not None:
            self._disconnect()
        self.listener.close()

    # --- the scheduler's side -----------------------------------------------------------------

    def attached(self, proc) -> bool:
        return self.conn is not None and proc.tgid not in self.detached

    def holds(self, proc) -> bool:
        return proc.pid in self.held

    def tick(self) -> None:
        """Top of the scheduler loop: connect, hear an interrupt, report a stop."""
        if self.ended:
            return
        if self.conn is not None:
            self._exits()
        if self.conn is None:
            if not self._accept(block=self.wait):
                return
            self._stop_all()
            first = self._first_thread()
            if first is not None:
                self.last_stop = Stop(first, f"T{TRAP}thread:{tid_text(first)};")
            self._serve()
            return
        try:
            if not self.stops and self.conn.poll_interrupt():
                self.conn.interrupted = False
                proc = self.kernel.running
                if proc is None or not proc.alive or not self.attached(proc):
                    proc = self._first_thread()
                if proc is not None:
                    self.stops.append(Stop(proc, f"T{INT}thread:{tid_text(proc)};"))
        except Disconnected:
            self._disconnect()
            return
        if self.stops:
            self._stop_all()
            self.last_stop = stop = self.stops.popleft()
            if stop.fault is not None:
                self.faults[stop.proc.pid] = stop.fault
            if stop.signal:
                self.intercepted[stop.proc.pid] = stop.signal
            # gdb takes the stopped thread as the one its next g, m, Z packets are about.
            if stop.proc.alive:
                self.g_tid = self.c_tid = stop.proc.pid
            self._send(stop.reply)
            self._serve()

    def idle(self) -> bool:
        """Nothing can run. While gdb is connected that is never a deadlock to end: gdb may
        hold a process, or want to look at the stuck ones (Ctrl-C). Listen to it a moment,
        then let the scheduler check its waits again."""
        if self.conn is None:
            return False
        try:
            if self.conn.receive(timeout=0.05) is not None:
                pass   # only an interrupt is expected while running
        except Disconnected:
            self._disconnect()
            return True
        if self.conn.interrupted:
            self.conn.interrupted = False
            proc = self._first_thread()
            if proc is not None:
                self.stops.append(Stop(proc, f"T{INT}thread:{tid_text(proc)};"))
        return True

    def finished(self) -> None:
        """Every process has exited: tell gdb, and serve it until it goes away."""
        if self.conn is not None and not self.ended:
            self.tick()

    def before_slice(self, proc) -> None:
        cpu = proc.engine.cpu
        catch = self.catching is not None and self.attached(proc)
        lib = proc.engine.lib
        cpu.catch_syscalls = (lib.SV_CATCH_ON | (lib.SV_CATCH_SKIP_ENTRY if proc.pid in
                                                 self.in_syscall else 0)) if catch else 0
        for w in self.watchpoints:
            if w.tgid == proc.tgid:
                w.refresh(proc)
        if proc.pid in self.steps:
            self.stepper = hooks.Stepper(self, proc)

    def after_slice(self, proc) -> None:
        cpu = proc.engine.cpu
        if self.stepper is not None:
            self.stepper.remove()
            self.stepper = None
        self.skip_break.pop(proc.pid, None)
        if cpu.catch_syscalls:
            if not cpu.catch_syscalls & proc.engine.lib.SV_CATCH_SKIP_ENTRY:
                self.in_syscall.discard(proc.pid)
            cpu.catch_syscalls = 0
        if self.conn is None:
            self.exec_seen = len(self.kernel.exec_events)
            return
        execs = self._exec_events()
        if cpu.syscall_stop and proc.alive and proc.pid not in execs:
            self._syscall_stop(proc, int(cpu.syscall_stop), int(cpu.syscall_nr))
        self._new_processes(proc)
        self._vfork_done()
        self._exits()

    def on_fault(self, proc, cpu) -> bool:
        """A fault of an attached process goes to gdb first, as ptrace sees signals."""
        if not self.attached(proc):
            return False
        fault = SimpleNamespace(**{f: int(getattr(cpu, f)) for f in FAULT_FIELDS})
        sig = fault.fault_signal or signals.SIGSEGV
        self.stops.append(Stop(proc, f"T{to_gdb(sig):02x}thread:{tid_text(proc)};", fault))
        return True

    def intercept_signal(self, proc) -> bool:
        """A signal is about to act on an attached process: report it to gdb first (unless
        gdb passes it silently), and act on it only if gdb's resume hands it back."""
        if not self.attached(proc):
            return False
        sig = signals.next_signal(proc)
        if not sig or sig == signals.SIGKILL or sig in self.pass_signals:
            return False
        if self.approved.get(proc.pid) == sig:
            del self.approved[proc.pid]
            return False
        self.stops.append(Stop(proc, f"T{to_gdb(sig):02x}thread:{tid_text(proc)};", signal=sig))
        return True

    # --- hook callbacks -----------------------------------------------------------------------

    def breakpoint_hit(self, proc, addr: int) -> None:
        if self.conn is None:
            return   # gdb is gone: nothing may stop the machine any more
        if self.skip_break.get(proc.pid) == addr:
            del self.skip_break[proc.pid]
            return
        if proc.pid in self.steps:
            return   # the step reports it
        self.stops.append(Stop(proc, f"T{TRAP}thread:{tid_text(proc)};swbreak:;"))
        hooks.stop_engine(proc)

    def step_done(self, proc) -> None:
        if self.conn is None:
            return
        self.steps.discard(proc.pid)
        reply = self.watch_pending.pop(proc.pid, None) or f"T{TRAP}thread:{tid_text(proc)};"
        self.stops.append(Stop(proc, reply))
        hooks.stop_engine(proc)

    def watch_hit(self, proc, watch, vaddr: int, old: bytes | None) -> None:
        if self.conn is None:
            return
        if proc.pid in self.watch_pending:
            return   # stepping over the access that hit
        if old is not None:
            # The store is done but the engine stops at its instruction: put the old bytes
            # back and step the instruction once, so it runs exactly once and gdb sees the
            # new value with the pc after the store, as on x86 hardware.
            proc.after_trap.append(lambda: proc.mm.write_force(vaddr, old))
        key = hooks.REPLY_KEY[watch.kind]
        self.watch_pending[proc.pid] = f"T{TRAP}thread:{tid_text(proc)};{key}:{vaddr:x};"
        self.steps.add(proc.pid)
        hooks.stop_engine(proc)

    # --- events found after a slice -----------------------------------------------------------

    def _exec_events(self) -> set[int]:
        events = self.kernel.exec_events[self.exec_seen:]
        self.exec_seen = len(self.kernel.exec_events)
        pids = set()
        for pid, path, _old, _new, *_ in events:
            proc = self.kernel.procs.get(pid)
            if proc is None or not self.attached(proc):
                continue
            pids.add(pid)
            self._forget_process(proc.tgid)
            host = proc.exe.encode()   # a guest path: gdb reads it through vFile (target:)
            if "exec-events" in self.features:
                self.stops.append(Stop(proc, f"T{TRAP}thread:{tid_text(proc)};exec:{host.hex()};"))
        return pids

    def _syscall_stop(self, proc, kind: int, nr: int) -> None:
        if kind == 1:
            if self.catching and nr not in self.catching:
                self.in_syscall.add(proc.pid)   # not asked for: run the call
                return
            self.in_syscall.add(proc.pid)
            what = "syscall_entry"
        else:
            if self.catching and nr not in self.catching:
                return
            what = "syscall_return"
        self.stops.append(Stop(proc, f"T{TRAP}thread:{tid_text(proc)};{what}:{nr:x};"))

    def _new_processes(self, proc) -> None:
        for child in list(self.kernel.procs.values()):
            if child.pid in self.known or not child.alive:
                continue
            self.known[child.pid] = child
            parent = child.parent or self.kernel.procs.get(child.ppid)
            if child.tgid != child.pid:
                continue   # a new thread of a traced process runs, and gdb lists it
            if parent is None or parent.tgid in self.detached:
                self.detached.add(child.tgid)    # not a descendant gdb follows
                continue
            # the child inherits the parent's breakpoints, as it inherits int3 bytes on Linux
            for bp in self.breakpoints.values():
                if parent.tgid in bp.tgids:
                    bp.tgids.add(child.tgid)
            event = "vfork" if child.vfork_parent is not None else "fork"
            if event == "vfork":
                self.vforks[child.pid] = child
            if f"{event}-events" in self.features:
                self.held.add(child.pid)         # gdb decides: keep it, or detach it
                self.stops.append(Stop(parent, f"T{TRAP}thread:{tid_text(parent)};"
                                               f"{event}:{tid_text(child)};"))

    def _vfork_done(self) -> None:
        """A vfork child exec'd or exited: its parent runs again on its own memory, and gdb
        puts back the breakpoints it took out of the shared memory (vforkdone)."""
        for pid, child in list(self.vforks.items()):
            if child.alive and child.vfork_parent is not None:
                continue
            del self.vforks[pid]
            parent = child.parent
            if parent is not None and parent.alive and self.attached(parent) and \
                    "vfork-events" in self.features:
                self.stops.append(Stop(parent, f"T{TRAP}thread:{tid_text(parent)};vforkdone:;"))

    def _exits(self) -> None:
        for pid, proc in list(self.known.items()):
            if proc.alive:
                continue
            del self.known[pid]
            self.held.discard(pid)
            self.steps.discard(pid)
            if proc.pid != proc.tgid or proc.tgid in self.detached:
                continue
            status = proc.exit_status or 0
            self._forget_process(proc.tgid)
            if status & 0x7F:
                reply = f"X{to_gdb(status & 0x7F):02x};process:{proc.tgid:x}"
            else:
                reply = f"W{(status >> 8) & 0xFF:02x};process:{proc.tgid:x}"
            self.stops.append(Stop(proc, reply))

    # --- the connection -----------------------------------------------------------------------

    def _accept(self, block: bool) -> bool:
        import select

        if not block and not select.select([self.listener], [], [], 0)[0]:
            return False
        sock, _ = self.listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.conn = Connection(sock)
        self.detached.clear()
        self.known = {p.pid: p for p in self.kernel.procs.values() if p.alive}
        self.exec_seen = len(self.kernel.exec_events)
        return True

    def _disconnect(self) -> None:
        """gdb went away: everything it set is removed and the machine runs on."""
        if self.conn is not None:
            self.conn.close()
        self.conn = None
        self.hostio.close_all()
        for bp in self.breakpoints.values():
            bp.remove()
        self.breakpoints.clear()
        for w in self.watchpoints:
            w.remove()
        self.watchpoints.clear()
        self.held.clear()
        self.steps.clear()
        self.watch_pending.clear()
        self.catching = None
        self.stops.clear()
        for pid, fault in list(self.faults.items()):
            proc = self._pcb(pid)
            if proc is not None and proc.alive:
                self.kernel.fault(proc, fault)
        self.faults.clear()
        self.ended = True   # one gdb session per machine run

    def _send(self, payload) -> None:
        try:
            self.conn.send(payload)
        except Disconnected:
            self._disconnect()

    def _serve(self) -> None:
        """Answer gdb until it resumes the machine."""
        while self.conn is not None:
            try:
                packet = self.conn.receive()
            except Disconnected:
                self._disconnect()
                return
            if packet is None:
                continue
            try:
                reply, resumed = self._handle(packet)
            except Exception as exc:   # a bad packet answers an error, never ends the run
                self.log(f"sysvec: gdb packet {packet[:40]!r}: {type(exc).__name__}: {exc}")
                reply, resumed = "E01", False
            if reply is not None and self.conn is not None:
                self._send(reply)
            if resumed:
                return

    def _stop_all(self) -> None:
        for proc in self.kernel.procs.values():
            if proc.alive and self.attached(proc):
                self.held.add(proc.pid)
                self.known[proc.pid] = proc

    # --- processes and threads ----------------------------------------------------------------

    def _pcb(self, pid: int):
        proc = self.kernel.procs.get(pid)
        return proc

    def _threads(self) -> list:
        return [p for p in self.kernel.procs.values() if p.alive and self.attached(p)]

    def _first_thread(self):
        threads = self._threads()
        return threads[0] if threads else None

    def _parse_tid(self, text: str) -> tuple[int, int]:
        """'p<pid>.<tid>', '<tid>', -1 (all) or 0 (any) -> (pid, tid); -1 and 0 kept."""
        def num(s):
            return -1 if s == "-1" else int(s, 16)
        if text.startswith("p"):
            pid, _, tid = text[1:].partition(".")
            return num(pid), num(tid) if tid else -1
        return 0, num(text)

    def _select(self, pid: int, tid: int):
        """The thread a thread-id names (0: any)."""
        threads = self._threads()
        for p in threads:
            if (pid in (0, -1) or p.tgid == pid) and (tid in (0, -1) or p.pid == tid):
                return p
        return None

    def _current(self, which: int = 0):
        tid = which or self.g_tid
        proc = self._pcb(tid) if tid else None
        if proc is None or not proc.alive:
            proc = self.last_stop.proc if self.last_stop and self.last_stop.proc.alive \
                else self._first_thread()
        return proc

    def _forget_process(self, tgid: int) -> None:
        """Breakpoints and watchpoints of a process end with its image (exec, exit)."""
        for key, bp in list(self.breakpoints.items()):
            bp.tgids.discard(tgid)
            if not bp.tgids:
                bp.remove()
                del self.breakpoints[key]
        for w in [w for w in self.watchpoints if w.tgid == tgid]:
            w.remove()
            self.watchpoints.remove(w)

    # --- packets ------------------------------------------------------------------------------

    def _handle(self, packet: bytes) -> tuple[str | bytes | None, bool]:
        if packet[:1] in (b"X",):
            return self._write_binary(packet), False
        text = packet.decode("latin-1")
        if text.startswith("vFile:"):
            return self.hostio.handle(text, packet), False
        head = text[:1]
        if text.startswith("qSupported"):
            self.features = {f[:-1] for f in text.partition(":")[2].split(";") if f.endswith("+")}
            ours = ["PacketSize=4000", "QStartNoAckMode+", "multiprocess+", "swbreak+",
                    "hwbreak+", "qXfer:features:read+", "qXfer:exec-file:read+", "qXfer:auxv:read+",
                    "qXfer:libraries-svr4:read+",
                    "qXfer:threads:read+", "vContSupported+", "QCatchSyscalls+",
                    "QThreadEvents+"]
            ours += [f"{e}+" for e in ("fork-events", "vfork-events", "exec-events")
                     if e in self.features]
            return ";".join(ours), False
        if text == "QStartNoAckMode":
            self._send("OK")
            self.conn.ack = False
            return None, False
        if text == "!":
            return "OK", False
        if text == "?":
            if self.last_stop is None or not self.last_stop.proc.alive:
                first = self._first_thread()
                if first is None:
                    return "W00", False
                self.last_stop = Stop(first, f"T{TRAP}thread:{tid_text(first)};")
            return self.last_stop.reply, False
        if head == "H":
            pid, tid = self._parse_tid(text[2:])
            proc = self._select(pid, tid)
            if text[1] == "g":
                self.g_tid = proc.pid if proc is not None and tid not in (-1,) else 0
            else:
                self.c_tid = proc.pid if proc is not None and tid not in (-1, 0) else 0
            return "OK", False
        if text.startswith("qAttached"):
            return "0", False
        if text == "qC":
            proc = self._current()
            return (f"QC{tid_text(proc)}" if proc else ""), False
        if text == "qfThreadInfo":
            threads = self._threads()
            return ("m" + ",".join(tid_text(p) for p in threads)) if threads else "l", False
        if text == "qsThreadInfo":
            return "l", False
        if text.startswith("qXfer:"):
            return self._xfer(text), False
        if head == "g":
            return target.read_registers(self._current()), False
        if head == "G":
            return target.write_registers(self._current(), bytes.fromhex(text[1:])), False
        if head == "p":
            return target.read_register(self._current(), int(text[1:], 16)), False
        if head == "P":
            n, _, value = text[1:].partition("=")
            return target.write_register(self._current(), int(n, 16), bytes.fromhex(value)), False
        if head == "m":
            addr, _, length = text[1:].partition(",")
            return target.read_memory(self._current(), int(addr, 16), int(length, 16)), False
        if head == "M":
            where, _, data = text[1:].partition(":")
            addr, _, _length = where.partition(",")
            return target.write_memory(self._current(), int(addr, 16), bytes.fromhex(data)), False
        if head in ("Z", "z"):
            return self._point(text), False
        if text == "vCont?":
            return "vCont;c;C;s;S;t", False
        if text.startswith("vCont;"):
            return self._resume(text[6:].split(";"))
        if head in ("c", "s"):
            return self._resume([head])
        if head in ("C", "S"):
            sig = text[1:].partition(";")[0]
            return self._resume([f"{head}{sig}"])
        if head == "T":
            pid, tid = self._parse_tid(text[1:])
            return ("OK" if self._select(pid, tid) else "E01"), False
        if text.startswith("vKill;") or text == "k":
            return self._kill(int(text[6:], 16) if text.startswith("vKill;") else None)
        if head == "D":
            return self._detach(int(text[2:], 16) if text.startswith("D;") else None)
        if text.startswith("QCatchSyscalls:"):
            args = text.partition(":")[2].split(";")
            self.catching = None if args[0] == "0" else {int(n, 16) for n in args[1:]}
            return "OK", False
        if text.startswith("QPassSignals:"):
            numbers = [n for n in text.partition(":")[2].split(";") if n]
            self.pass_signals = {from_gdb(int(n, 16)) for n in numbers} - {0}
            return "OK", False
        if text.startswith(("QProgramSignals", "QThreadEvents",
                            "QDisableRandomization", "QEnvironment", "QSetWorkingDir",
                            "QStartupWithShell", "QNonStop:0")):
            return "OK", False
        if text.startswith("qSymbol"):
            return "OK", False
        return "", False   # not supported: the empty reply

    def _write_binary(self, packet: bytes) -> str:
        where, _, data = packet[1:].partition(b":")
        addr, _, length = where.decode().partition(",")
        data = unescape(data)[:int(length, 16)]
        if not data:
            return "OK"
        return target.write_memory(self._current(), int(addr, 16), data)

    # --- breakpoints and watchpoints ----------------------------------------------------------

    def _point(self, text: str) -> str:
        insert = text[0] == "Z"
        kind, addr, length = text[1:].split(";")[0].split(",")
        kind, addr, length = int(kind), int(addr, 16), int(length, 16)
        proc = self._current()
        if proc is None:
            return "E01"
        if kind in (0, 1):
            key = (proc.engine.bits, addr)
            bp = self.breakpoints.get(key)
            if insert:
                if bp is None:
                    bp = self.breakpoints[key] = hooks.Breakpoint(self, proc.engine, addr)
                bp.tgids.add(proc.tgid)
            elif bp is not None:
                bp.tgids.discard(proc.tgid)
                if not bp.tgids:
                    bp.remove()
                    del self.breakpoints[key]
            return "OK"
        if kind in (hooks.WATCH_WRITE, hooks.WATCH_READ, hooks.WATCH_ACCESS):
            if length <= 0 or (addr & 0xFFF) + length > 0x1000:
                return "E22"   # one range of one page: one engine address range to hook
            if insert:
                w = hooks.Watchpoint(self, proc, kind, addr, length)
                if w.phys is None:
                    return "E14"
                self.watchpoints.append(w)
            else:
                for w in [w for w in self.watchpoints if (w.tgid, w.kind, w.addr, w.length)
                          == (proc.tgid, kind, addr, length)]:
                    w.remove()
                    self.watchpoints.remove(w)
            return "OK"
        return ""

    # --- running ------------------------------------------------------------------------------

    def _resume(self, actions: list[str]):
        """vCont: each action (c, s, Csig, Ssig, t) for the threads it names; the first action
        that names a thread wins, as the protocol says."""
        chosen: dict[int, str] = {}
        threads = self._threads()
        for action in actions:
            verb, _, who = action.partition(":")
            if not verb or verb[0] not in "cCsSt":
                return "E01", False
            if who:
                pid, tid = self._parse_tid(who)
                targets = [p for p in threads if (pid in (0, -1) or p.tgid == pid)
                           and (tid in (0, -1) or p.pid == tid)]
            elif verb[0] in "cC" or len(actions) > 1:
                targets = threads
            else:   # a bare s/S steps the current thread
                cur = self._pcb(self.c_tid) if self.c_tid else self._current()
                targets = [cur] if cur is not None else []
            for p in targets:
                chosen.setdefault(p.pid, verb)
        for pid, verb in chosen.items():
            proc = self._pcb(pid)
            if proc is None or verb == "t":
                continue
            sig = from_gdb(int(verb[1:], 16)) if verb[0] in "CS" and len(verb) > 1 else 0
            fault = self.faults.pop(pid, None)
            pending = self.intercepted.pop(pid, 0)
            if pending and sig != pending:
                proc.pending &= ~signals.bit(pending)   # gdb kept this signal from it
            if pending and sig == pending:
                self.approved[pid] = sig
            elif sig and fault is not None:
                fault.fault_signal = sig
                self.kernel.fault(proc, fault)
            elif sig:
                signals.send(proc, sig)
            if verb[0] in "sS":
                self.steps.add(pid)
            elif pid not in self.watch_pending:
                self.steps.discard(pid)   # a step cut short by another stop (a fork) ends
            if proc.alive and proc.context is not None and not proc.at_restart:
                pc = target.pc(proc)
                if (proc.engine.bits, pc) in self.breakpoints:
                    self.skip_break[pid] = pc
            self.held.discard(pid)
        self.last_stop = None
        # A stop already waiting (another thread's) is reported before anything runs.
        return None, True

    def _kill(self, pid: int | None):
        targets = [p for p in self._threads() if pid is None or p.tgid == pid]
        for proc in targets:
            self.held.discard(proc.pid)
            self.faults.pop(proc.pid, None)
            if proc.alive:
                self.kernel.exit_process(proc, signals.SIGKILL, signaled=True)
        for proc in targets:
            self.known.pop(proc.pid, None)
            self._forget_process(proc.tgid)
        if pid is None:
            self._disconnect()
            return None, True
        return "OK", False

    def _detach(self, pid: int | None):
        targets = [p for p in self._threads() if pid is None or p.tgid == pid]
        for proc in targets:
            self._forget_process(proc.tgid)
            self.detached.add(proc.tgid)
            self.held.discard(proc.pid)
            self.steps.discard(proc.pid)
            fault = self.faults.pop(proc.pid, None)
            if fault is not None:
                self.kernel.fault(proc, fault)
        if pid is None or not self._threads():
            self._send("OK")
            self._disconnect()
            return None, True
        return "OK", False

    # --- qXfer --------------------------------------------------------------------------------

    def _xfer(self, text: str) -> str | bytes:
        _, obj, op, annex, window = text.split(":", 4)
        offset, _, length = window.partition(",")
        offset, length = int(offset, 16), int(length, 16)
        if op != "read":
            return ""
        if obj == "features":
            proc = self._current()
            bits = proc.engine.bits if proc else 64
            linux = proc is None or proc.sysvec.errors != "ntstatus"
            data = target_xml(bits, linux).encode() if annex == "target.xml" else None
        elif obj == "exec-file":
            proc = self._pcb(int(annex, 16)) if annex else self._current()
            data = proc.exe.encode() if proc else None   # guest path, read through vFile
        elif obj == "libraries-svr4":
            proc = self._current()
            data = library_list(proc) if proc is not None else None
        elif obj == "auxv":
            proc = self._current()
            data = proc.mm.saved_auxv if proc is not None and proc.mm is not None else None
        elif obj == "threads":
            rows = "".join(f'<thread id="{tid_text(p)}" core="0" name="{_xml(p.comm)}"/>'
                           for p in self._threads())
            data = f"<?xml version=\"1.0\"?><threads>{rows}</threads>".encode()
        else:
            return ""
        if data is None:
            return "E00"
        chunk = data[offset:offset + length]
        return (b"m" if offset + length < len(data) else b"l") + escape(chunk)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
