"""Scheduling policies and I/O priorities (kernel/sched/syscalls.c, block/ioprio.c): what
a thread asks for and reads back. The machine has one emulated CPU and sysvec's scheduler
runs every runnable thread in turn whatever its policy, so the values are kept and
reported, as a container's kernel keeps them, without changing who runs when."""
from __future__ import annotations

import errno
import struct
from types import SimpleNamespace

from ..errors import KernelError
from .cred import CAP_SYS_ADMIN, CAP_SYS_NICE, cred_of
from .personality import LinuxProcess
from .resource import INIT_PID, nice_of

SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE = 0, 1, 2, 3, 5, 6
SCHED_RESET_ON_FORK = 0x40000000
REALTIME = (SCHED_FIFO, SCHED_RR)
POLICIES = (SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE)
MAX_RT_PRIO = 99
RR_TIMESLICE_NS = 100_000_000            # RR_TIMESLICE: 100 ms
SCHED_ATTR_SIZE_VER0, SCHED_ATTR_SIZE_VER1 = 48, 56
SCHED_FLAG_RESET_ON_FORK, SCHED_FLAG_KEEP_POLICY, SCHED_FLAG_KEEP_PARAMS = 0x01, 0x08, 0x10
SCHED_ATTR = struct.Struct("<IIQiIQQQII")   # size, policy, flags, nice, priority, runtime,
                                           # deadline, period, util_min, util_max (VER1)
IOPRIO_WHO_PROCESS, IOPRIO_WHO_PGRP, IOPRIO_WHO_USER = 1, 2, 3
IOPRIO_CLASS_NONE, IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE = 0, 1, 2, 3
IOPRIO_CLASS_SHIFT = 13
IOPRIO_HINT_MAX = 7                       # IOPRIO_HINT_DEV_DURATION_LIMIT_7
NCPUS = 1                                 # the one emulated CPU: affinity masks hold CPU 0


def _thread(p, pid: int, change: bool = False):
    """find_process_by_pid: 0 is the caller; a negative id is EINVAL. The machine's init,
    which runs no code here, reads as a default thread and may not be changed."""
    if pid < 0:
        raise KernelError(errno.EINVAL)
    if pid == 0:
        return p
    t = p.kernel.procs.get(pid)
    if t is None and pid != INIT_PID or t is not None and not t.alive:
        raise KernelError(errno.ESRCH)
    if t is None or not isinstance(t.pstate, LinuxProcess):
        # init, or a process of another personality: it keeps no Linux scheduling state
        if change:
            raise KernelError(errno.EPERM)
        return SimpleNamespace(linux=LinuxProcess())
    return t


def _may_change(p, t) -> None:
    """check_same_owner, or CAP_SYS_NICE."""
    c, tc = cred_of(p), cred_of(t)
    if t is not p and c.euid not in (tc.uid, tc.euid) and not c.capable(CAP_SYS_NICE):
        raise KernelError(errno.EPERM)


def _check_param(p, t, policy: int, priority: int) -> None:
    """__sched_setscheduler's checks: a valid priority for the policy, and the right to a
    real-time policy (or to leave SCHED_IDLE) without CAP_SYS_NICE."""
    if policy not in POLICIES:
        raise KernelError(errno.EINVAL)
    if policy in REALTIME:
        if not 1 <= priority <= MAX_RT_PRIO:
            raise KernelError(errno.EINVAL)
    elif priority != 0:
        raise KernelError(errno.EINVAL)
    _may_change(p, t)
    if cred_of(p).capable(CAP_SYS_NICE):
        return
    old_policy, old_priority = t.linux.sched
    if policy in REALTIME and priority > old_priority or policy == SCHED_DEADLINE:
        raise KernelError(errno.EPERM)     # RLIMIT_RTPRIO is 0
    if old_policy == SCHED_IDLE and policy != SCHED_IDLE:
        raise KernelError(errno.EPERM)


def _set(p, t, policy: int, priority: int, reset_on_fork: bool) -> None:
    _check_param(p, t, policy, priority)
    t.linux.sched = (policy, priority)
    t.linux.sched_reset_on_fork = reset_on_fork


def _read_priority(p, param: int) -> int:
    if not param:
        raise KernelError(errno.EINVAL)
    return struct.unpack("<i", p.mm.read(param, 4))[0]


def sys_sched_setscheduler(p, pid, policy, param):
    policy &= 0xFFFFFFFF
    if policy & 0x80000000:
        raise KernelError(errno.EINVAL)
    t = _thread(p, pid, change=True)
    priority = _read_priority(p, param)
    _set(p, t, policy & ~SCHED_RESET_ON_FORK, priority, bool(policy & SCHED_RESET_ON_FORK))
    return 0


def sys_sched_setparam(p, pid, param):
    t = _thread(p, pid, change=True)
    priority = _read_priority(p, param)
    _set(p, t, t.linux.sched[0], priority, t.linux.sched_reset_on_fork)
    return 0


def sys_sched_getscheduler(p, pid):
    t = _thread(p, pid)
    return t.linux.sched[0] | (SCHED_RESET_ON_FORK if t.linux.sched_reset_on_fork else 0)


def sys_sched_getparam(p, pid, param):
    if not param:
        raise KernelError(errno.EINVAL)
    t = _thread(p, pid)
    p.mm.write(param, struct.pack("<i", t.linux.sched[1]))
    return 0


def sys_sched_get_priority_max(p, policy):
    if policy not in POLICIES:
        raise KernelError(errno.EINVAL)
    return MAX_RT_PRIO if policy in REALTIME else 0


def sys_sched_get_priority_min(p, policy):
    if policy not in POLICIES:
        raise KernelError(errno.EINVAL)
    return 1 if policy in REALTIME else 0


def _rr_interval(p, pid, interval, fmt: str) -> int:
    t = _thread(p, pid)
    ns = RR_TIMESLICE_NS if t.linux.sched[0] == SCHED_RR else 0
    p.mm.write(interval, struct.pack(fmt, ns // 10**9, ns % 10**9))
    return 0


def sys_sched_rr_get_interval(p, pid, interval):
    return _rr_interval(p, pid, interval, "<ii" if p.sysvec.word_bits == 32 else "<qq")


def sys_sched_rr_get_interval_time64(p, pid, interval):
    return _rr_interval(p, pid, interval, "<qq")


def sys_sched_setattr(p, pid, uattr, flags):
    if flags or not uattr:
        raise KernelError(errno.EINVAL)
    size = struct.unpack("<I", p.mm.read(uattr, 4))[0] or SCHED_ATTR_SIZE_VER0
    if size < SCHED_ATTR_SIZE_VER0 or size > 4096:
        p.mm.write(uattr, struct.pack("<I", SCHED_ATTR_SIZE_VER1))
        raise KernelError(errno.E2BIG)
    raw = p.mm.read(uattr, size)
    if size > SCHED_ATTR_SIZE_VER1 and any(raw[SCHED_ATTR_SIZE_VER1:]):
        p.mm.write(uattr, struct.pack("<I", SCHED_ATTR_SIZE_VER1))
        raise KernelError(errno.E2BIG)     # fields this kernel does not know, set
    raw = raw[:SCHED_ATTR_SIZE_VER1].ljust(SCHED_ATTR_SIZE_VER1, b"\0")
    _size, policy, sflags, nice, priority, *_rest = SCHED_ATTR.unpack(raw)
    if sflags & ~0x7F:
        raise KernelError(errno.EINVAL)
    t = _thread(p, pid, change=True)
    if sflags & SCHED_FLAG_KEEP_POLICY:
        policy = t.linux.sched[0]
    if sflags & SCHED_FLAG_KEEP_PARAMS:
        priority, nice = t.linux.sched[1], nice_of(t)
    fair = policy not in REALTIME and policy != SCHED_DEADLINE
    nice = max(-20, min(19, nice))
    if fair and nice < nice_of(t) and not cred_of(p).capable(CAP_SYS_NICE):
        raise KernelError(errno.EPERM)     # checked before anything changes
    _set(p, t, policy, priority, bool(sflags & SCHED_FLAG_RESET_ON_FORK))
    if fair:
        t.linux.nice = nice
    return 0


def sys_sched_getattr(p, pid, uattr, usize, flags):
    if not uattr or flags or usize < SCHED_ATTR_SIZE_VER0 or usize > 4096:
        raise KernelError(errno.EINVAL)
    t = _thread(p, pid)
    policy, priority = t.linux.sched
    size = min(usize, SCHED_ATTR_SIZE_VER1)
    attr = SCHED_ATTR.pack(size, policy,
                           SCHED_FLAG_RESET_ON_FORK if t.linux.sched_reset_on_fork else 0,
                           0 if policy in REALTIME else nice_of(t), priority, 0, 0, 0, 0, 1024)
    p.mm.write(uattr, attr[:size])
    return 0


CPUMASK_SIZE = 8               # cpumask_size(): one long's worth of CPUs on a 64-bit kernel


def _affinity_target(p, pid: int, change: bool = False):
    """The affinity calls look the id up with no check of its sign: ESRCH for a negative one
    (the scheduling-policy calls say EINVAL)."""
    if pid < 0:
        raise KernelError(errno.ESRCH)
    return _thread(p, pid, change)


def sys_sched_getaffinity(p, pid, length, mask):
    """The mask of the machine's one CPU; the length must hold it and be a whole number of
    the caller's longs. Returns the bytes written."""
    _affinity_target(p, pid)
    if length < 1 or length % (p.sysvec.word_bits // 8):
        raise KernelError(errno.EINVAL)
    size = min(length, CPUMASK_SIZE)
    p.mm.write(mask, b"\x01" + bytes(size - 1))
    return size


def sys_sched_setaffinity(p, pid, length, mask):
    """The machine's one CPU must be in the mask (EINVAL: no CPU it could run on)."""
    t = _affinity_target(p, pid, change=True)
    _may_change(p, t)
    data = p.mm.read(mask, min(length, 128)) if length else b""
    if not data or not data[0] & 1:
        raise KernelError(errno.EINVAL)
    return 0


# --- I/O priorities ------------------------------------------------------------------------

def _ioprio_targets(p, which: int, who: int, change: bool = False) -> list:
    procs = [t for t in p.kernel.procs.values()
             if t.alive and isinstance(t.pstate, LinuxProcess)]
    if which == IOPRIO_WHO_PROCESS:
        return [_thread(p, who, change)]
    if which == IOPRIO_WHO_PGRP:
        pgid = who or p.pgid
        return [t for t in procs if t.pgid == pgid]
    if which == IOPRIO_WHO_USER:
        uid = who or cred_of(p).uid
        return [t for t in procs if cred_of(t).uid == uid]
    raise KernelError(errno.EINVAL)


def sys_ioprio_get(p, which, who):
    """The highest priority among the targets; a task that never set one reports
    IOPRIO_CLASS_NONE (Linux 6.x)."""
    targets = _ioprio_targets(p, which, who)
    if not targets:
        raise KernelError(errno.ESRCH)
    return min((t.linux.ioprio for t in targets),
               key=lambda v: (v >> IOPRIO_CLASS_SHIFT or 9, v & 0xFF))


def sys_ioprio_set(p, which, who, ioprio):
    cls, data = ioprio >> IOPRIO_CLASS_SHIFT & 7, ioprio & 0x1FFF
    if cls == IOPRIO_CLASS_RT and not (cred_of(p).capable(CAP_SYS_ADMIN) or
                                       cred_of(p).capable(CAP_SYS_NICE)):
        raise KernelError(errno.EPERM)
    if cls in (IOPRIO_CLASS_RT, IOPRIO_CLASS_BE):
        if data >> 3 > IOPRIO_HINT_MAX:    # a level (0-7) and a hint above it
            raise KernelError(errno.EINVAL)
    elif cls not in (IOPRIO_CLASS_IDLE, IOPRIO_CLASS_NONE) or cls == IOPRIO_CLASS_NONE and data:
        raise KernelError(errno.EINVAL)
    targets = _ioprio_targets(p, which, who, change=True)
    if not targets:
        raise KernelError(errno.ESRCH)
    for t in targets:
        _may_change(p, t)
        t.linux.ioprio = cls << IOPRIO_CLASS_SHIFT | data
    return 0
