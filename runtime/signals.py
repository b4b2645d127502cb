"""Signals: sending, stopping and continuing, default actions, and delivery. A handled signal's
frame on the user stack is the personality's (Personality.signal_frame; Linux's rt frames
are runtime/linux/sigframe.py)."""
from __future__ import annotations

from dataclasses import dataclass

from .pcb import NSIG, SigAction, State

SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL = 1, 2, 3, 4, 5, 6, 7, 8, 9
SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM = 10, 11, 12, 13, 14, 15
SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH, SIGSYS = 17, 18, 19, 20, 21, 22, 23, 28, 31
SIG_DFL, SIG_IGN = 0, 1
SA_SIGINFO, SA_RESTORER, SA_ONSTACK, SA_RESTART, SA_NODEFER, SA_RESETHAND = 4, 0x04000000, 0x08000000, 0x10000000, 0x40000000, 0x80000000

IGNORED_BY_DEFAULT = {SIGCHLD, SIGCONT, SIGURG, SIGWINCH}
STOPPING = {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU}
SIGXCPU, SIGXFSZ = 24, 25
UNBLOCKABLE = (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1))
STOP_MASK = sum(1 << (s - 1) for s in STOPPING)

def bit(sig: int) -> int:
    return 1 << (sig - 1)


SA_NOCLDSTOP = 1
CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_TRAPPED, CLD_STOPPED, CLD_CONTINUED = 1, 2, 3, 4, 5, 6
SI_USER, SI_KERNEL, SI_TKILL = 0, 0x80, -6
SI_QUEUE, SI_MESGQ = -1, -3      # sigqueue's and a message queue's: they carry si_value
SIGRTMIN = 32       # the kernel's first real-time signal: these queue, one per sending


@dataclass
class SigInfo:
    """What the receiver of a signal learns about it (siginfo_t): how it came (si_code) and
    from whom; a SIGCHLD also the child's status."""
    code: int = SI_KERNEL
    pid: int = 0
    uid: int = 0
    status: int = 0
    fd: int | None = None       # SIGIO/SIGPOLL with F_SETSIG: the descriptor, and its band
    band: int = 0
    addr: int | None = None     # a fault's (SIGSEGV, SIGBUS): the address it touched
    timer_id: int | None = None  # a POSIX timer's expiry (SI_TIMER): its id, overruns and
    overrun: int = 0             # sigev_value
    value: int = 0               # ... and sigqueue's (SI_QUEUE) value


def send(proc, sig: int, info: SigInfo | None = None) -> None:
    """Make sig pending for proc and wake it if it may act on it. A signal the thread does
    not block stops the thread group (a stop signal, default action) or is discarded (an
    ignored one) at generation; a blocked one stays pending for sigwait, signalfd or its
    unblocking, as Linux's sig_ignored() keeps it. SIGCONT continues the group, and a stop
    signal and SIGCONT each discard the other's pending sendings (prepare_signal). A signal
    already pending keeps the information of its first sending (it is one signal); a
    real-time one is queued again, each sending delivered with its own."""
    if not proc.alive or not 1 <= sig <= NSIG:
        return
    action = proc.sigactions.get(sig, SigAction())
    blocked = bool(proc.sigmask & bit(sig) & ~UNBLOCKABLE)
    if sig == SIGCONT:
        _continue(proc)
        _discard(proc, STOP_MASK)
        if action.handler in (SIG_DFL, SIG_IGN) and not blocked:
            return
    elif sig in STOPPING and action.handler == SIG_DFL:
        _discard(proc, bit(SIGCONT))
        if not blocked and proc.ptracer is None:   # a tracee stops for its tracer first
            _stop(proc, sig)
            return
    elif not blocked and proc.ptracer is None and \
            ((action.handler == SIG_IGN and sig != SIGKILL) or
             (action.handler == SIG_DFL and sig in IGNORED_BY_DEFAULT)):
        return  # discarded at generation, as the kernel does (not for a tracee: sig_ignored)
    queued = proc.siginfo.setdefault(sig, [])
    if not proc.pending & bit(sig):
        queued.clear()          # what a signal taken without its information left
        proc.pending |= bit(sig)
        queued.append(info if info is not None else SigInfo())
    elif sig >= SIGRTMIN:
        queued.append(info if info is not None else SigInfo())
    if proc.state == State.BLOCKED and wakes(proc):
        proc.state = State.RUNNABLE
        proc.wait = None


def send_process(proc, sig: int, info: SigInfo | None = None) -> None:
    """A process-directed signal (kill, a group's signal, alarm, SIGCHLD, a process timer):
    to a thread of proc's group that does not block it -- the main thread first, as
    complete_signal looks -- else to one waiting for it in sigwait, else the main thread,
    where it stays pending (and a sigwait in any thread takes it: runtime/linux/signal.py)."""
    threads = [t for t in (proc.group or [proc]) if t.alive]
    if not threads or sig in (SIGKILL, SIGCONT) or sig in STOPPING:
        send(proc, sig, info)
        return
    leader = next((t for t in threads if t.pid == t.tgid), threads[0])
    ordered = [leader] + [t for t in threads if t is not leader]
    target = next((t for t in ordered if not t.sigmask & bit(sig)), None)
    if target is None:
        target = next((t for t in ordered if _waits_for(t, sig)), leader)
    send(target, sig, info)


def _waits_for(t, sig: int) -> bool:
    """Whether thread t is blocked in sigtimedwait for a set holding sig."""
    return t.state == State.BLOCKED and bool(t.sigwait_set & bit(sig))


def _discard(proc, mask: int) -> None:
    """Drop the pending sendings of the signals in mask from every thread of the group."""
    for t in proc.group:
        t.pending &= ~mask


def wakes(proc) -> int:
    """Signals that end a wait: any deliverable one, but only SIGKILL for a stopped process."""
    if proc.stopped or proc.ptrace_stop:
        return proc.pending & bit(SIGKILL)
    return deliverable(proc)


def _notify_parent(proc, code: int) -> None:
    parent = proc.parent
    if parent is None or not parent.alive:
        return
    act = parent.sigactions.get(SIGCHLD)
    if act is None or not act.flags & SA_NOCLDSTOP:
        send_process(parent, SIGCHLD)
    if parent.state == State.BLOCKED and parent.wait is not None:
        parent.state, parent.wait = State.RUNNABLE, None   # a waitpid(WUNTRACED) may answer


def _stop(proc, sig: int) -> None:
    from .block import Block
    for t in list(proc.group):
        if not t.alive or t.stopped:
            continue
        t.stopped = True
        if t.state == State.RUNNABLE or t.wait is not None:
            t.at_restart = t.at_restart or t.wait is not None   # re-run a waiting call later
        t.state, t.wait = State.BLOCKED, Block(lambda t=t: not t.stopped)
        if t.engine is not None and t.engine.current is t:
            t.engine.need_resched()
    leader = proc.group_leader()
    leader.stop_report, leader.cont_report = sig, False
    _notify_parent(leader, CLD_STOPPED)


def stops_for_tracer(proc, sig: int) -> bool:
    """Whether taking sig puts proc in a ptrace stop (a tracee, not SIGKILL, not a signal
    its tracer let through)."""
    return proc.ptracer is not None and sig != SIGKILL and proc.ptrace_passed != sig


def ptrace_stop(proc, sig: int, info: SigInfo, status: int | None = None) -> None:
    """A traced thread about to act on sig stops for its tracer instead (ptrace_signal's
    signal-delivery-stop): held until the tracer continues it, the stop waiting for the
    tracer's wait, and the tracer told by SIGCHLD (CLD_TRAPPED) as a parent is of a stop.
    status: what the wait reports above the stop's 0x7F when not sig (a system call's or an
    event's stop: SIGTRAP | 0x80, SIGTRAP | PTRACE_EVENT_FORK << 8 ...)."""
    from .block import Block
    proc.ptrace_stop, proc.ptrace_info = sig, info
    proc.ptrace_report = (sig if status is None else status) << 8 | 0x7F
    proc.state, proc.wait = State.BLOCKED, Block(lambda: not proc.ptrace_stop)
    if proc.engine is not None:
        if proc.engine.cpu.catch_syscalls & proc.engine.lib.SV_CATCH_PTRACE:   # its run only
            proc.engine.cpu.catch_syscalls = 0
        if proc.engine.current is proc:
            proc.engine.need_resched()
    tracer = proc.ptracer
    if tracer is not None and tracer.alive:
        act = tracer.sigactions.get(SIGCHLD)
        if act is None or not act.flags & SA_NOCLDSTOP:
            send_process(tracer, SIGCHLD, SigInfo(CLD_TRAPPED, proc.pid, status=sig))
        for t in tracer.group:      # a wait in any of its threads may answer now
            if t.state == State.BLOCKED and t.wait is not None and not t.stopped:
                t.state, t.wait = State.RUNNABLE, None


def _continue(proc) -> None:
    stopped = [t for t in proc.group if t.alive and t.stopped]
    for t in stopped:
        t.stopped = False
        if t.ptrace_stop:
            continue            # held by its tracer still
        t.state, t.wait = State.RUNNABLE, None
        if t.ptrace is not None:
            t.ptrace.continued(t)
    if stopped:
        leader = proc.group_leader()
        leader.stop_report, leader.cont_report = 0, True
        _notify_parent(leader, CLD_CONTINUED)


def take_info(proc, sig: int) -> SigInfo:
    """The information of a signal leaving the pending set (delivered or sigwait'ed); a
    real-time signal with more sendings queued stays pending."""
    queued = proc.siginfo.get(sig)
    info = queued.pop(0) if queued else SigInfo()
    if queued:
        proc.pending |= bit(sig)
    return info


def deliverable(proc) -> int:
    return proc.pending & ~(proc.sigmask & ~UNBLOCKABLE)


def next_signal(proc) -> int:
    mask = deliverable(proc)
    if not mask:
        return 0
    return (mask & -mask).bit_length()


def deliver(kernel, proc) -> None:
    """On the way back to user mode: act on each deliverable pending signal, lowest first."""
    while proc.alive:
        sig = next_signal(proc)
        if not sig:
            if proc.saved_sigmask is not None:
                proc.sigmask, proc.saved_sigmask = proc.saved_sigmask, None
            return
        if proc.ptrace is not None and proc.ptrace.before_signal(proc):
            return       # the call it was in first reports its end (linux/ptrace.py)
        proc.pending &= ~bit(sig)
        if stops_for_tracer(proc, sig):
            ptrace_stop(proc, sig, take_info(proc, sig))
            return
        if proc.ptrace_passed == sig:
            proc.ptrace_passed = 0
        action = proc.sigactions.get(sig, SigAction())
        if action.handler in (SIG_IGN, SIG_DFL):
            take_info(proc, sig)          # a handler's frame takes it (personality)
        if action.handler == SIG_IGN:
            continue
        if action.handler == SIG_DFL:
            if sig in STOPPING:     # one that was blocked when sent stops the group now
                _stop(proc, sig)
                return
            if sig in IGNORED_BY_DEFAULT:
                continue
            kernel.exit_process(proc, sig | kernel.dump_core(proc, sig), signaled=True)
            return
        if action.flags & SA_RESETHAND:   # only the handler goes back to SIG_DFL
            proc.sigactions[sig] = SigAction(SIG_DFL, action.flags, action.restorer, action.mask)
        if proc.sysvec.personality.signal_frame(kernel, proc, sig, action):
            # Linux's exit_to_user_mode_loop: while a signal is still deliverable (under
            # the mask the handler runs with) its frame goes on top, so the one set up last
            # runs first and returns into the one before
            continue
        # No frame: the signal the personality forced instead (SIGSEGV) is taken at once.
