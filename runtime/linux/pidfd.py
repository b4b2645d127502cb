"""Process file descriptors (kernel/pid.c, kernel/signal.c): pidfd_open, a descriptor
that polls readable once the process has ended; pidfd_send_signal; pidfd_getfd; and
waitid(P_PIDFD) (in process.py). Go's os/exec and systemd use them when the kernel has
them."""
from __future__ import annotations

import errno
import re

from ..errors import KernelError
from ..files import O_NONBLOCK, O_RDWR
from ..pcb import State
from ..readiness import READABLE
from .. import signals
from .events import AnonFile
from .process import _queued_info, _sender, deliver
from .ptrace import may_attach

PIDFD_THREAD = 0o200           # O_EXCL: a thread's, not a process's (Linux 6.9)


class PidFd(AnonFile):
    def __init__(self, target, thread: bool):
        super().__init__("pidfd", O_RDWR)
        self._target, self.thread = target, thread

    @property
    def target(self):
        """The process (or thread) the pid names now: after an exec from another thread of
        its group, that thread, which took the pid over (a struct pid, not a task)."""
        return self._target.pid_holder()

    def ended(self) -> bool:
        """A process's pidfd is readable when its whole thread group has ended; a thread's
        when that thread has."""
        if self.thread:
            return self.target.state in (State.ZOMBIE, State.DEAD)
        return all(not t.alive for t in self.target.group) and \
            self.target.state in (State.ZOMBIE, State.DEAD)

    def read(self, n):
        raise KernelError(errno.EINVAL)

    def write(self, data):
        raise KernelError(errno.EINVAL)

    def poll(self):
        return READABLE if self.ended() else 0

    def generation(self):
        return self.ended()


def pidfd_of(p, fd: int) -> PidFd:
    f = p.fds.get(fd)
    if not isinstance(f, PidFd):
        raise KernelError(errno.EBADF)
    return f


def sys_pidfd_open(p, pid, flags):
    if flags & ~(O_NONBLOCK | PIDFD_THREAD) or pid <= 0:
        raise KernelError(errno.EINVAL)
    target = p.kernel.procs.get(pid)
    if target is None or target.state == State.DEAD:
        raise KernelError(errno.ESRCH)
    if target.pid != target.tgid and not flags & PIDFD_THREAD:
        raise KernelError(errno.EINVAL)     # not a thread group's leader
    f = PidFd(target, bool(flags & PIDFD_THREAD))
    f.status_flags |= flags & O_NONBLOCK
    return p.fds.install(f, cloexec=True)   # a pidfd is always close-on-exec


def _proc_dir_process(p, f):
    """tgid_pidfd_to_pid: a /proc/PID directory's process, which pidfd_send_signal also
    takes (the interface before pidfds); None for any other file."""
    m = re.fullmatch(r"/proc/(\d+)", f.guest_path) if f.kind == "dir" else None
    if m is None:
        return None
    target = p.kernel.procs.get(int(m.group(1)))
    if target is None or not target.alive:
        raise KernelError(errno.ESRCH)
    return target


def sys_pidfd_send_signal(p, pidfd, sig, info, flags):
    if flags:
        raise KernelError(errno.EINVAL)
    f = p.fds.get(pidfd)
    process = _proc_dir_process(p, f) if not isinstance(f, PidFd) else None
    if process is None:
        f = pidfd_of(p, pidfd)
    if not 0 <= sig <= signals.NSIG:
        raise KernelError(errno.EINVAL)
    if process is not None:
        target = next((t for t in process.group if t.alive), None)
    else:
        target = f.target if f.thread else next((t for t in f.target.group if t.alive), None)
    if target is None or not target.alive:
        raise KernelError(errno.ESRCH)
    siginfo = _queued_info(p, target.pid, info, sig) if info else _sender(p, signals.SI_USER)
    return deliver(p, target, sig, siginfo, process=not (process is None and f.thread))


def sys_pidfd_getfd(p, pidfd, targetfd, flags):
    """A duplicate of another process's descriptor (ptrace's right over it: the same user,
    or CAP_SYS_PTRACE)."""
    if flags:
        raise KernelError(errno.EINVAL)
    target = pidfd_of(p, pidfd).target
    if not target.alive or target.fds is None:
        raise KernelError(errno.ESRCH)
    if not may_attach(p, target):
        raise KernelError(errno.EPERM)
    f = target.fds.get(targetfd)
    fd = p.fds.install(f, cloexec=True)
    f.incref()                                  # (only once installed: EMFILE takes none)
    return fd

