"""The scheduler: preemptive round robin of every process on the machine's engines.

A context switch saves the outgoing registers into its uc_context, restores the incoming
ones, and points the engine's C state at the incoming process's table and address space:
switching tables is one pointer write. Blocked processes are woken when what they wait for is
ready; with nothing runnable the scheduler sleeps in select() on host descriptors or until the
nearest timer."""
from __future__ import annotations

import select
import time
from collections import deque

from . import signals
from .engine import RUNNING
from .errors import Fault, KernelError
from .pcb import State

LONG_SLICE = 64   # quanta a process runs when no other one could use the core
# Quanta a long slice runs on after C moved data through a pipe that may wake another process:
# a writer streaming into a reader that keeps up switches every ~8 ms rather than every 1
# (each switch between address spaces empties the engine's TLB and jump cache): `bc < f |
# md5sum` switched 4x less often and ran ~5-10% faster. A Python call ends it within one.
WAKE_QUANTA = 8


class Scheduler:
    def __init__(self, kernel):
        self.kernel = kernel
        self.runqueue: deque = deque()
        self.switches = 0
        self.blocks = 0
        self.debugger = None   # a gdb server (runtime/gdbstub), when the machine has one
        self.max_blocks = 0    # the run's block budget, 0: none
        # (process, blocks): the rest of the quantum of a process whose slice stopped only
        # for kernel work on its behalf; it runs next, on that rest (see run_slice).
        self.unspent = None
        self._ffi = self._word = None   # a uint64_t for the pc, of the engines' module

    # --- picking ---------------------------------------------------------------------------------

    def _fire_alarms(self, now: float) -> None:
        for proc in self.kernel.procs.values():
            if proc.timers and proc.alive:
                for timer in list(proc.timers):
                    timer.fire(now)
            if proc.alarm_at is None and not proc.cpu_timers:
                continue
            if proc.alarm_at is not None and now >= proc.alarm_at and proc.alive:
                proc.alarm_at = now + proc.alarm_interval if proc.alarm_interval else None
                signals.send_process(proc, signals.SIGALRM)
            timers = proc.cpu_timers   # ITIMER_VIRTUAL/ITIMER_PROF: CPU time
            if timers and proc.alive:
                used = proc.group_cpu_ns()
                for sig, (due, interval) in list(timers.items()):
                    if used >= due:
                        if interval:
                            timers[sig] = (used + interval, interval)
                        else:
                            del timers[sig]
                        signals.send_process(proc, sig)

    def _wake_ready(self) -> None:
        """Fire due timers, pump host input, and make runnable every blocked process whose
        wait is over (its ready() holds, its deadline passed, or a signal ends it)."""
        kernel = self.kernel
        now = time.monotonic()
        self._fire_alarms(now)
        net = kernel.net
        if net is not None and net.host is not None:
            net.host.pump()      # bytes from host connections the user allowed
        if kernel.host_sources:
            for source in list(kernel.host_sources):
                source.pump()    # host terminals: keys, screen bytes, forwarded signals
        blocked, runnable = State.BLOCKED, State.RUNNABLE
        for proc in kernel.procs.values():
            if proc.state is not blocked:
                continue
            wait = proc.wait
            if wait is None or (wait.wake_at is not None and now >= wait.wake_at) or \
                    signals.wakes(proc) or (wait.ready is not None and _ready(wait)):
                proc.state = runnable
                proc.wait = None

    def run_next(self, proc) -> None:
        """proc (just woken) runs before any other runnable process: the waker's slice ends
        after its call, as CFS lets a woken sleeper preempt the task that woke it."""
        self.runqueue.appendleft(proc)
        running = self.kernel.running
        if running is not None and running.engine is not None:
            running.engine.need_resched()

    def pick(self):
        self._wake_ready()
        procs = self.kernel.procs
        queue, runnable = self.runqueue, State.RUNNABLE
        queued = set(queue)   # a thousand runnable processes: no scan of the queue each
        for proc in procs.values():
            if proc.state is runnable and proc not in queued:
                queue.append(proc)
        debugger = self.debugger
        while queue:
            proc = queue.popleft()
            if proc.state is runnable and procs.get(proc.pid) is proc and \
                    (debugger is None or not debugger.holds(proc)):
                return proc
        return None

    MAX_IDLE = 1.0   # seconds: a wait is re-checked at least this often (budgets, host state)

    def idle(self, until: float | None = None) -> bool:
        """Sleep until a blocked process may be ready, but not past `until` (a run's wall-time
        budget) nor MAX_IDLE; False if nothing can ever wake."""
        waits = [p.wait for p in self.kernel.procs.values() if p.state == State.BLOCKED and p.wait]
        if not waits:
            return False
        fds = sorted({fd for w in waits for fd in w.host_fds} |
                     {fd for s in self.kernel.host_sources for fd in s.host_fds()})
        deadlines = [w.wake_at for w in waits if w.wake_at is not None]
        deadlines += [p.alarm_at for p in self.kernel.procs.values()
                      if p.alarm_at is not None and p.alive]
        deadlines += [t.due for p in self.kernel.procs.values() if p.alive
                      for t in p.timers if t.due is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        if not fds and timeout is None:
            from .tty.hostsig import keyboard_wakes
            fds = keyboard_wakes(self.kernel)   # a key on the host terminal may yet
            if not fds:
                return False  # every process waits on another blocked one: deadlock
        # Huge sleeps (10**10 s) must neither overflow select/sleep nor outlive a budget.
        timeout = self.MAX_IDLE if timeout is None else min(timeout, self.MAX_IDLE)
        if until is not None:
            timeout = max(0.0, min(timeout, until - time.monotonic()))
        if fds:
            try:
                select.select(fds, [], [], timeout)
            except (OSError, ValueError):
                time.sleep(0.001)
        elif timeout:
            time.sleep(timeout)
        return True

    # --- running ---------------------------------------------------------------------------------

    def run(self, max_blocks: int = 0, max_seconds: float = 0.0, done=None) -> bool:
        """Run until every process has exited, or done() says the run is over (True), or a
        budget runs out (False)."""
        start = time.monotonic()
        self.max_blocks = max_blocks
        if max_blocks:
            self.kernel.count_blocks()
        while True:
            if self.kernel.host_exception is not None:
                exc, self.kernel.host_exception = self.kernel.host_exception, None
                raise exc
            if self.debugger is not None:
                self.debugger.tick()
            if max_seconds and time.monotonic() - start > max_seconds:
                return False
            if max_blocks and self.blocks >= max_blocks:
                return False
            if done is not None and done():
                if self.debugger is not None:
                    self.debugger.finished()
                return True
            proc = self.pick()
            if proc is None:
                if not any(p.alive for p in self.kernel.procs.values()):
                    if self.debugger is not None:
                        self.debugger.finished()
                    return True
                if self.debugger is not None and self.debugger.idle():
                    continue   # gdb holds a process: not a deadlock
                if not self.idle(start + max_seconds if max_seconds else None):
                    if any(getattr(s, "waits_for_host", False) for s in self.kernel.host_sources):
                        return False   # the embedding program is the keyboard: its turn
                    self._deadlock()
                continue
            self.run_slice(proc)

    def _deadlock(self) -> None:
        """Every live process waits on something only another blocked process can provide:
        said on stderr (what each waits in), and each is killed, as nothing can wake it."""
        live = [proc for proc in self.kernel.procs.values() if proc.alive]
        self.kernel.report_crash(
            "sysvec: deadlock: every process waits for what only another waiting process "
            "could do; killing them (SIGKILL): " + ", ".join(_waiting_in(p) for p in live))
        for proc in live:
            if proc.alive:
                self.kernel.exit_process(proc, signals.SIGKILL, signaled=True)

    def alone(self, proc) -> bool:
        """Whether preempting proc could matter: no other process is runnable, and none waits
        for time or the host (a timer, an alarm, a host descriptor, host sockets). What proc
        itself does (a call that wakes one, a new process) ends its long slice (kernel.py).
        Decided from process states only, so a `--quantum N` run stays deterministic."""
        if self.runqueue or self.debugger is not None:
            return False
        net = self.kernel.net
        if net is not None and net.host is not None:
            return False
        blocked = State.BLOCKED
        for p in self.kernel.procs.values():
            if (p.alarm_at is not None or p.timers) and p.alive:
                return False
            if p.state is blocked and p is not proc and \
                    (p.wait is None or p.wait.deadline is not None or p.wait.host_fds):
                return False
        return True

    def slice_quantum(self, proc, quantum: int) -> int:
        """Blocks proc may run now: a quantum, or LONG_SLICE of them when it runs alone (fewer
        trips through this loop; still bounded, for the host's signals and the run's time
        budget), never past the run's block budget by more than a quantum."""
        long = self.alone(proc)
        self.kernel.long_slice = long
        if not long:
            return quantum
        blocks = quantum * LONG_SLICE
        if self.max_blocks:
            blocks = min(blocks, max(quantum, self.max_blocks - self.blocks))
        return blocks

    def switch_in(self, proc) -> None:
        proc.engine.switch_to(proc)
        self.kernel.running = proc
        RUNNING[0] = self.kernel
        self.switches += 1

    def run_slice(self, proc) -> None:
        engine = proc.engine
        lib, cpu = engine.lib, engine.cpu
        kernel, debugger = self.kernel, self.debugger
        self.switch_in(proc)
        if proc.on_switch_in:
            actions, proc.on_switch_in = proc.on_switch_in, []
            for action in actions:
                action()
        if proc.ptrace is not None:   # a tracee's slice stops where its tracer asked
            proc.ptrace.arm(proc)
        before = proc.sysvec.personality.before_slice
        if before is not None:
            before(proc)
            if not proc.alive:      # what it keeps up for the process could not be kept
                engine.current = None
                return
        cpu.restart_to_python = proc.at_restart
        if proc.at_restart:
            # Woken from a blocking call: re-run the call first; it completes, or answers
            # EINTR, or restarts after the handler if a signal is what woke it. Its Python
            # handler answers it: the state it kept for the restart is there.
            proc.at_restart = False
        elif proc.pending:
            if debugger is not None and debugger.intercept_signal(proc):
                engine.current = None   # gdb sees the signal first, as under ptrace
                return
            signals.deliver(kernel, proc)
            if not proc.alive or proc.state is not State.RUNNABLE:   # ended, or stopped
                engine.current = None
                return
        ticks = cpu.ticks
        tracer = kernel.tracer
        started = tracer.now_us() if tracer is not None else 0.0
        if debugger is not None:
            debugger.before_slice(proc)
            lib.sv_cpu_forget_tlb(cpu)   # its hooks change between slices: a fresh TLB
            engine.debug()
        quantum = 0
        if engine.quantum:
            quantum = self.slice_quantum(proc, engine.quantum)
            if self.unspent is not None and self.unspent[0] is proc:
                quantum = min(quantum, self.unspent[1])
            cpu.quantum = quantum
            # data C moves through a pipe may wake another process: the long slice ends soon
            cpu.wake_budget = engine.quantum * WAKE_QUANTA \
                if kernel.long_slice and len(kernel.procs) > 1 \
                else 0
        self.unspent = None
        # The pc through the C API: the binding's reg_read costs more than the switch itself.
        if engine.ffi is not self._ffi:
            self._ffi, self._word = engine.ffi, engine.ffi.new("uint64_t[1]")
        word = self._word
        word[0] = 0             # a 32-bit engine writes only the low half
        lib.uc_reg_read(engine.handle, engine.pc_reg, word)
        cpu.py_ns = 0
        kernel.slice_started = time.perf_counter_ns()
        lib.sv_cpu_run(cpu, word[0])
        kernel.settle_times()
        kernel.slice_started = None
        kernel.long_slice = False
        if tracer is not None:
            tracer.slice(proc, started, tracer.now_us())
        self.blocks += cpu.ticks - ticks
        if cpu.restarted:
            word[0] = cpu.restart_pc
            lib.uc_reg_write(engine.handle, engine.pc_reg, word)
        if cpu.stop_reason == lib.SV_STOP_FAULT and proc.alive and \
                not (debugger is not None and debugger.on_fault(proc, cpu)):
            kernel.fault(proc, cpu)
        if proc.context is not None and proc.alive:
            lib.uc_context_save(engine.handle, proc.context)
        kernel_work = False
        if proc.after_trap:
            actions, proc.after_trap = proc.after_trap, []
            for action in actions:
                try:
                    action()
                except Fault as fault:
                    # Work the kernel does on the process's memory once its call returned (a
                    # frame for a callback) met memory it cannot write: as a signal frame
                    # that cannot be written, the process ends with SIGSEGV.
                    kernel.report_crash(f"sysvec: pid {proc.pid} ({proc.comm}) ended with "
                                        f"SIGSEGV: its stack cannot take the frame the kernel "
                                        f"lays out at {fault.address:#x}")
                    kernel.exit_process(proc, signals.SIGSEGV, signaled=True)
                    break
            kernel_work = True
        kernel_work = kernel_work or bool(signals.deliverable(proc))
        if cpu.dr7:   # after the slice is settled: the disarming run reuses the CPU
            kernel.disarm_debug_registers(proc)
        if debugger is not None:
            debugger.after_slice(proc)
        engine.current = None
        if proc.state is State.RUNNABLE:
            left = quantum - (cpu.ticks - ticks)
            if left > 0 and kernel_work and cpu.stop_reason == lib.SV_STOP_KERNEL and \
                    debugger is None:
                # Stopped only for kernel work on its behalf (a signal to take, sigreturn's
                # registers, a new image or thread to start): as on Linux, where that work
                # is done on the way back to user mode, the process runs on with the rest of
                # its quantum rather than waiting behind every other one. A loop of
                # kill(getpid()) would otherwise pay a round of the run queue a signal.
                self.unspent = (proc, left)
                self.runqueue.appendleft(proc)
            else:
                self.runqueue.append(proc)


def _waiting_in(proc) -> str:
    """`pid 7 (tail) in read`, or stopped, for a deadlock's report."""
    what = "stopped" if proc.stopped else "waiting"
    call = proc.wait.call if proc.wait is not None else None
    if call is not None and not proc.stopped:
        table, nr = call
        entry = table.calls.get(nr)
        what = f"in {entry.name if entry is not None else f'call {nr}'}"
    return f"pid {proc.pid} ({proc.comm}) {what}"


def _ready(wait) -> bool:
    """A wait's wake-up test. One that meets the guest's memory gone (a Fault) or a kernel
    error wakes the process: its restarted call meets the same and answers with it, instead
    of the error ending the whole machine from inside the scheduler."""
    try:
        return wait.ready()
    except KernelError:          # (a Fault is one)
        return True
