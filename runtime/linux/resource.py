"""Per-process resource limits, nice values and execution domains (kernel/sys.c,
kernel/exec_domain.c): getrlimit/setrlimit/prlimit64, getpriority/setpriority/nice, and
personality. Each is inherited by fork and kept by exec."""
from __future__ import annotations

import errno
import struct

from ..errors import KernelError
from ..files import INR_OPEN_CUR
from ..mm import STACK_LIMIT
from .cred import CAP_SYS_NICE, CAP_SYS_RESOURCE, cred_of

RLIM_INFINITY = (1 << 64) - 1
RLIM_NLIMITS = 16
RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_CORE, RLIMIT_STACK, RLIMIT_NOFILE = 0, 1, 4, 3, 7
RLIMIT_NPROC, RLIMIT_AS, RLIMIT_MSGQUEUE = 6, 9, 12
SIGKILL, SIGXCPU = 9, 24
NR_OPEN = 1048576                      # Linux's /proc/sys/fs/nr_open
# A Debian host's defaults: STACK, CORE, NOFILE, MEMLOCK, NPROC, MSGQUEUE, NICE, RTPRIO,
# SIGPENDING; the rest unlimited.
DEFAULT_RLIMITS = {RLIMIT_STACK: (STACK_LIMIT, RLIM_INFINITY), RLIMIT_CORE: (0, RLIM_INFINITY),
                   RLIMIT_NOFILE: (INR_OPEN_CUR, NR_OPEN), 8: (8 << 20, 8 << 20),
                   6: (63704, 63704), 12: (819200, 819200), 13: (0, 0), 14: (0, 0),
                   11: (63704, 63704)}
PRIO_PROCESS, PRIO_PGRP, PRIO_USER = 0, 1, 2
INIT_PID = 1          # the machine's init: orphans' parent (runtime/kernel.py reparents to it)
PER_LINUX, PER_LINUX32, PER_MASK = 0, 0x0008, 0xFF
PERSONALITY_QUERY = 0xFFFFFFFF


def inherit(parent, child) -> None:
    """fork: the child starts with its parent's limits, nice value and personality."""
    cpu = parent.linux.rlimits.get(RLIMIT_CPU)   # (the rest came with the Linux state's fork)
    if cpu is not None:          # the child's CPU time starts at 0 (interval timers do not go)
        _cpu_limit(child, *cpu)


# --- resource limits -----------------------------------------------------------------------------

def nr_open(kernel) -> int:
    """The most descriptors a process may have: Linux's nr_open, or fewer when the machine
    was given fewer (--max-fds)."""
    return min(NR_OPEN, kernel.limits.max_fds)


def rlimit(p, resource: int) -> tuple[int, int]:
    limits = p.linux.rlimits
    got = limits.get(resource) or DEFAULT_RLIMITS.get(resource, (RLIM_INFINITY, RLIM_INFINITY))
    if resource == RLIMIT_NOFILE and resource not in limits:   # never more than it can have
        return tuple(min(v, nr_open(p.kernel)) for v in got)
    return got


def _set_rlimit(p, target, resource: int, cur: int, mx: int) -> None:
    if cur > mx:
        raise KernelError(errno.EINVAL)
    old_cur, old_max = rlimit(target, resource)
    if mx > old_max and not cred_of(p).capable(CAP_SYS_RESOURCE):
        raise KernelError(errno.EPERM)
    if resource == RLIMIT_NOFILE and mx > nr_open(target.kernel):
        raise KernelError(errno.EPERM)
    target.linux.rlimits[resource] = (cur, mx)
    if resource == RLIMIT_FSIZE and cur != RLIM_INFINITY:
        target.kernel.fs.file_rules[0] = 1   # writes to files now go through Python's checks
    if resource == RLIMIT_CPU:
        _cpu_limit(target, cur, mx)
    if resource == RLIMIT_NOFILE:   # the descriptor table's bound, within the machine's
        target.fds.limit = min(cur, target.kernel.limits.max_fds)
    if resource == RLIMIT_AS:
        apply_address_space_limit(target)
    if resource == RLIMIT_STACK and target.mm is not None and target.mm.users == 1:
        target.mm.set_stack_limit(cur)   # how far its stack grows from now (not a vfork
                                         # child's: it shares its parent's memory)


def apply_address_space_limit(p) -> None:
    """RLIMIT_AS as a bound on the address space's charge (csrc/mm.c): what mmap, brk, mremap
    and a growing stack may make writable stays under it, whatever vm.overcommit_memory says
    (the machine's per-process limit applies besides). (Linux counts every mapping; the
    charge counts writable private pages, which is what a limit on a program's heap is
    about.)"""
    if p.mm is None or p.mm.c is None:
        return
    cur = rlimit(p, RLIMIT_AS)[0]
    p.mm.c.rlimit_pages = 0 if cur == RLIM_INFINITY else max(1, cur >> 12)


def _cpu_limit(p, cur: int, mx: int) -> None:
    """RLIMIT_CPU, through the CPU-time timers the scheduler fires (as ITIMER_PROF's):
    SIGXCPU at the soft limit and each second after it, SIGKILL at the hard one."""
    timers = p.cpu_timers
    for sig, limit, interval in ((SIGXCPU, cur, 10**9), (SIGKILL, mx, 0)):
        if limit == RLIM_INFINITY:
            timers.pop(sig, None)
        else:
            timers[sig] = (max(limit * 10**9, p.group_cpu_ns() + 1), interval)


def _target(p, pid: int):
    if pid in (0, p.tgid, p.pid):
        return p
    target = p.kernel.procs.get(pid)
    if target is None or not target.alive:
        raise KernelError(errno.ESRCH)
    return target


def _check_resource(resource: int) -> None:
    if not 0 <= resource < RLIM_NLIMITS:
        raise KernelError(errno.EINVAL)


def sys_prlimit64(p, pid, resource, new_rlim, old_rlim):
    _check_resource(resource)
    target = _target(p, pid)
    new = struct.unpack("<QQ", p.mm.read(new_rlim, 16)) if new_rlim else None
    if target is not p:
        c, t = cred_of(p), cred_of(target)
        same = c.uid == t.uid == t.euid == t.suid and c.gid == t.gid == t.egid == t.sgid
        if not same and not c.capable(CAP_SYS_RESOURCE):
            raise KernelError(errno.EPERM)
    if old_rlim:
        p.mm.write(old_rlim, struct.pack("<QQ", *rlimit(target, resource)))
    if new is not None:
        _set_rlimit(p, target, resource, *new)
    return 0


def sys_getrlimit(p, resource, rlim):
    _check_resource(resource)
    cur, mx = rlimit(p, resource)
    if p.sysvec.word_bits == 32:
        p.mm.write(rlim, struct.pack("<II", min(cur, 0xFFFFFFFF), min(mx, 0xFFFFFFFF)))
    else:
        p.mm.write(rlim, struct.pack("<QQ", cur, mx))
    return 0


sys_ugetrlimit = sys_getrlimit


def sys_setrlimit(p, resource, rlim):
    _check_resource(resource)
    if p.sysvec.word_bits == 32:     # 32-bit RLIM_INFINITY is all ones of 32 bits
        cur, mx = (RLIM_INFINITY if v == 0xFFFFFFFF else v
                   for v in struct.unpack("<II", p.mm.read(rlim, 8)))
    else:
        cur, mx = struct.unpack("<QQ", p.mm.read(rlim, 16))
    _set_rlimit(p, p, resource, cur, mx)
    return 0


# --- nice values ------------------------------------------------------------------------------

def nice_of(p) -> int:
    return p.linux.nice


def _prio_targets(p, which: int, who: int) -> list:
    from .personality import LinuxProcess
    procs = [t for t in p.kernel.procs.values()          # Linux processes: others keep no nice
             if t.alive and t.pid == t.tgid and isinstance(t.pstate, LinuxProcess)]
    if which == PRIO_PROCESS:
        target = _target(p, who) if who == 0 or p.kernel.procs.get(who) else None
        return [target] if target is not None and isinstance(target.pstate, LinuxProcess) else []
    if which == PRIO_PGRP:
        return [t for t in procs if t.pgid == (who or p.pgid)]
    if which == PRIO_USER:
        uid = who or cred_of(p).uid
        return [t for t in procs if cred_of(t).uid == uid]
    raise KernelError(errno.EINVAL)


def sys_getpriority(p, which, who):
    """The raw call returns 20 - nice (so never negative); glibc converts back."""
    if which == PRIO_PROCESS and who == INIT_PID and INIT_PID not in p.kernel.procs:
        return 20
    targets = _prio_targets(p, which, who)
    if not targets:
        raise KernelError(errno.ESRCH)
    return 20 - min(nice_of(t) for t in targets)


def sys_setpriority(p, which, who, niceval):
    targets = _prio_targets(p, which, who)
    if not targets:
        raise KernelError(errno.ESRCH)
    niceval = max(-20, min(19, niceval))
    c = cred_of(p)
    for t in targets:
        tc = cred_of(t)
        if t is not p and c.uid != tc.uid and c.euid != tc.uid and not c.capable(CAP_SYS_NICE):
            raise KernelError(errno.EPERM)
        if niceval < nice_of(t) and not c.capable(CAP_SYS_NICE):
            raise KernelError(errno.EACCES)
        t.linux.nice = niceval
    return 0


def sys_nice(p, increment):
    return sys_setpriority(p, PRIO_PROCESS, 0, nice_of(p) + max(-40, min(40, increment)))


# --- execution domains ------------------------------------------------------------------------

def sys_personality(p, persona):
    """Query (0xffffffff) or set the execution domain; returns the old one. Only PER_LINUX's
    behaviour exists here; the flag bits are kept for whoever asks."""
    old = p.linux.exec_domain
    if persona & 0xFFFFFFFF != PERSONALITY_QUERY:
        p.linux.exec_domain = persona & 0xFFFFFFFF
    return old


# --- /proc/PID/limits and the OOM killer's view ---------------------------------------------------

LIMIT_NAMES = [("Max cpu time", "seconds"), ("Max file size", "bytes"),
               ("Max data size", "bytes"), ("Max stack size", "bytes"),
               ("Max core file size", "bytes"), ("Max resident set", "bytes"),
               ("Max processes", "processes"), ("Max open files", "files"),
               ("Max locked memory", "bytes"), ("Max address space", "bytes"),
               ("Max file locks", "locks"), ("Max pending signals", "signals"),
               ("Max msgqueue size", "bytes"), ("Max nice priority", ""),
               ("Max realtime priority", ""), ("Max realtime timeout", "us")]


def proc_limits(p) -> str:
    """/proc/PID/limits as proc_pid_limits prints it: one line per resource, in columns."""
    def value(v: int) -> str:
        return "unlimited" if v == RLIM_INFINITY else str(v)
    lines = [f"{'Limit':<25} {'Soft Limit':<20} {'Hard Limit':<20} {'Units':<10}\n"]
    for resource, (name, unit) in enumerate(LIMIT_NAMES):
        soft, hard = rlimit(p, resource)
        lines.append(f"{name:<25} {value(soft):<20} {value(hard):<20} " +
                     (f"{unit:<10}\n" if unit else "\n"))
    return "".join(lines)


OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX = -1000, 1000


def _cdiv(a: int, b: int) -> int:
    """C's division of longs: the quotient rounded toward zero."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def oom_score(p, total_pages: int) -> int:
    """/proc/PID/oom_score (proc_oom_score): oom_badness, the resident pages plus
    oom_score_adj thousandths of the machine's memory, scaled to 0..1333; 0 for a process
    the killer never picks (oom_score_adj -1000)."""
    adj = p.linux.oom["adj"]
    if adj == OOM_SCORE_ADJ_MIN or not total_pages:
        return 0
    badness = (p.mm.resident() if p.mm is not None else 0) + adj * (total_pages // 1000)
    return _cdiv((1000 + _cdiv(badness * 1000, total_pages)) * 2, 3)


def write_oom_score_adj(p, data: bytes, writer, legacy: bool = False) -> int:
    """oom_score_adj_write: the first 12 bytes, trimmed, as an integer in -1000..1000
    (EINVAL otherwise); lowering it under the group's floor needs the writer's
    CAP_SYS_RESOURCE (EACCES), and a writer that has it sets the floor too. legacy: the
    deprecated oom_adj's, -16..15 or -17 scaled to oom_score_adj, where lowering the value
    at all needs CAP_SYS_RESOURCE and the floor stays."""
    from ..procfs import kstrtoint
    adj = kstrtoint(data[:12].decode(errors="replace").strip())
    if legacy:
        if not OOM_ADJUST_MIN <= adj <= OOM_ADJUST_MAX and adj != OOM_DISABLE:
            raise KernelError(errno.EINVAL)
        adj = OOM_SCORE_ADJ_MAX if adj == OOM_ADJUST_MAX else \
            _cdiv(adj * OOM_SCORE_ADJ_MAX, -OOM_DISABLE)
    elif not OOM_SCORE_ADJ_MIN <= adj <= OOM_SCORE_ADJ_MAX:
        raise KernelError(errno.EINVAL)
    cred = cred_of(writer)
    privileged = cred is None or cred.capable(CAP_SYS_RESOURCE)
    oom = p.linux.oom
    if adj < (oom["adj"] if legacy else oom["min"]) and not privileged:
        raise KernelError(errno.EACCES)
    oom["adj"] = adj
    if privileged and not legacy:
        oom["min"] = adj
    return len(data)


OOM_DISABLE, OOM_ADJUST_MIN, OOM_ADJUST_MAX = -17, -16, 15


def oom_adj(p) -> int:
    """/proc/PID/oom_adj (oom_adj_read): oom_score_adj on the old -17..15 scale."""
    adj = p.linux.oom["adj"]
    return OOM_ADJUST_MAX if adj == OOM_SCORE_ADJ_MAX else _cdiv(adj * -OOM_DISABLE,
                                                                  OOM_SCORE_ADJ_MAX)
