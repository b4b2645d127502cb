"""prctl (kernel/sys.c): the process attributes programs set and read through it. Options
the kernel does not know, or knows only in configurations this machine is not (seccomp
filters, anonymous mapping names), are EINVAL, as Linux answers them; none is accepted
and ignored."""
from __future__ import annotations

import errno
import struct
from dataclasses import replace

from ..errors import KernelError
from .. import signals
from .cred import CAP_LAST_CAP, CAP_SETPCAP, SECBIT_KEEP_CAPS, cred_of

PR_SET_PDEATHSIG, PR_GET_PDEATHSIG, PR_GET_DUMPABLE, PR_SET_DUMPABLE = 1, 2, 3, 4
PR_GET_KEEPCAPS, PR_SET_KEEPCAPS, PR_SET_NAME, PR_GET_NAME = 7, 8, 15, 16
PR_GET_SECCOMP, PR_CAPBSET_READ, PR_CAPBSET_DROP = 21, 23, 24
PR_GET_SECUREBITS, PR_SET_SECUREBITS, PR_SET_TIMERSLACK, PR_GET_TIMERSLACK = 27, 28, 29, 30
PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER = 36, 37
PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS, PR_GET_TID_ADDRESS = 38, 39, 40
PR_SET_THP_DISABLE, PR_GET_THP_DISABLE, PR_CAP_AMBIENT = 41, 42, 47
PR_SET_PTRACER = 0x59616D61                 # Yama: who may trace us (no tracer here)
PR_CAP_AMBIENT_IS_SET, PR_CAP_AMBIENT_RAISE = 1, 2
PR_CAP_AMBIENT_LOWER, PR_CAP_AMBIENT_CLEAR_ALL = 3, 4
DEFAULT_TIMERSLACK_NS = 50_000


def sys_prctl(p, option, arg2, arg3, arg4, arg5):
    option &= 0xFFFFFFFF
    handler = OPTIONS.get(option)
    if handler is None:
        raise KernelError(errno.EINVAL)
    return handler(p, arg2, arg3, arg4, arg5)


def _set_name(p, arg2, *_):
    """The first 15 bytes name the thread: a longer name is cut (strncpy_from_user)."""
    try:
        name = p.mm.read_cstr(arg2, 15)     # (never the 16th byte: it may be unmapped)
    except KernelError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            raise
        name = p.mm.read(arg2, 15)
    p.comm = name[:15].decode(errors="replace")
    return 0


def _get_name(p, arg2, *_):
    p.mm.write(arg2, p.comm.encode()[:15] + b"\0")
    return 0


def _set_dumpable(p, arg2, *_):
    if arg2 not in (0, 1):
        raise KernelError(errno.EINVAL)
    p.linux.dumpable = arg2
    return 0


def _set_pdeathsig(p, arg2, *_):
    """The signal this thread gets when the thread that created it ends."""
    if not 0 <= arg2 <= signals.NSIG:
        raise KernelError(errno.EINVAL)
    p.linux.pdeathsig = arg2
    return 0


def _put_int(p, addr: int, value: int) -> int:
    p.mm.write(addr, struct.pack("<i", value))
    return 0


def _set_keepcaps(p, arg2, *_):
    if arg2 not in (0, 1):
        raise KernelError(errno.EINVAL)
    c = cred_of(p)
    p.cred = replace(c, securebits=(c.securebits & ~SECBIT_KEEP_CAPS) |
                     (SECBIT_KEEP_CAPS if arg2 else 0))
    return 0


def _capbset_read(p, arg2, *_):
    if not 0 <= arg2 <= CAP_LAST_CAP:
        raise KernelError(errno.EINVAL)
    return cred_of(p).cap_bounding >> arg2 & 1


def _capbset_drop(p, arg2, *_):
    c = cred_of(p)
    if not c.capable(CAP_SETPCAP):
        raise KernelError(errno.EPERM)
    if not 0 <= arg2 <= CAP_LAST_CAP:
        raise KernelError(errno.EINVAL)
    p.cred = replace(c, cap_bounding=c.cap_bounding & ~(1 << arg2))
    return 0


def _set_securebits(p, arg2, *_):
    c = cred_of(p)
    if not c.capable(CAP_SETPCAP) or arg2 & ~0xFF:
        raise KernelError(errno.EPERM)
    p.cred = replace(c, securebits=arg2)
    return 0


def _set_subreaper(p, arg2, *_):
    """Orphans below this process come to it rather than to init (kernel/exit.c)."""
    p.group_leader().linux.child_subreaper = bool(arg2)
    return 0


def _set_no_new_privs(p, arg2, arg3, arg4, arg5):
    if arg2 != 1 or arg3 or arg4 or arg5:
        raise KernelError(errno.EINVAL)
    p.linux.no_new_privs = True
    return 0


def _set_timerslack(p, arg2, *_):
    p.linux.timerslack_ns = arg2 if arg2 > 0 else DEFAULT_TIMERSLACK_NS
    return 0


def _cap_ambient(p, arg2, arg3, arg4, arg5):
    """The ambient set: kept empty (a raise needs the capability permitted and inheritable,
    and sysvec does not carry ambient capabilities across exec)."""
    if arg4 or arg5 or arg2 == PR_CAP_AMBIENT_CLEAR_ALL and arg3:
        raise KernelError(errno.EINVAL)
    if arg2 == PR_CAP_AMBIENT_CLEAR_ALL:
        return 0
    if not 0 <= arg3 <= CAP_LAST_CAP:
        raise KernelError(errno.EINVAL)
    if arg2 == PR_CAP_AMBIENT_IS_SET:
        return 0
    if arg2 == PR_CAP_AMBIENT_LOWER:
        return 0
    if arg2 == PR_CAP_AMBIENT_RAISE:
        raise KernelError(errno.EPERM)
    raise KernelError(errno.EINVAL)


def _get_tid_address(p, arg2, *_):
    p.mm.write_word(arg2, p.clear_child_tid)
    return 0


def _set_thp_disable(p, arg2, arg3, arg4, arg5):
    if arg3 or arg4 or arg5:
        raise KernelError(errno.EINVAL)
    p.linux.thp_disable = bool(arg2)
    return 0


OPTIONS = {
    PR_SET_PDEATHSIG: _set_pdeathsig,
    PR_GET_PDEATHSIG: lambda p, arg2, *_: _put_int(p, arg2, p.linux.pdeathsig),
    PR_GET_DUMPABLE: lambda p, *_: p.linux.dumpable,
    PR_SET_DUMPABLE: _set_dumpable,
    PR_GET_KEEPCAPS: lambda p, *_: int(bool(cred_of(p).securebits & SECBIT_KEEP_CAPS)),
    PR_SET_KEEPCAPS: _set_keepcaps,
    PR_SET_NAME: _set_name,
    PR_GET_NAME: _get_name,
    PR_GET_SECCOMP: lambda p, *_: 0,       # mode 0: no filter (none can be installed)
    PR_CAPBSET_READ: _capbset_read,
    PR_CAPBSET_DROP: _capbset_drop,
    PR_GET_SECUREBITS: lambda p, *_: cred_of(p).securebits,
    PR_SET_SECUREBITS: _set_securebits,
    PR_SET_TIMERSLACK: _set_timerslack,
    PR_GET_TIMERSLACK: lambda p, *_: p.linux.timerslack_ns,
    PR_SET_CHILD_SUBREAPER: _set_subreaper,
    PR_GET_CHILD_SUBREAPER: lambda p, arg2, *_: _put_int(
        p, arg2, int(p.group_leader().linux.child_subreaper)),
    PR_SET_NO_NEW_PRIVS: _set_no_new_privs,
    PR_GET_NO_NEW_PRIVS: lambda p, *_: int(p.linux.no_new_privs),
    PR_GET_TID_ADDRESS: _get_tid_address,
    PR_SET_THP_DISABLE: _set_thp_disable,
    PR_GET_THP_DISABLE: lambda p, *_: int(p.linux.thp_disable),
    PR_CAP_AMBIENT: _cap_ambient,
    PR_SET_PTRACER: lambda p, *_: 0,
}


def parent_death(proc) -> None:
    """proc (a thread) ends: each child it created that asked for PR_SET_PDEATHSIG gets
    that signal (forget_original_parent)."""
    from .personality import LinuxProcess
    for child in list(proc.children):
        state = child.pstate
        if child.alive and isinstance(state, LinuxProcess) and state.pdeathsig:
            signals.send(child, state.pdeathsig,
                         signals.SigInfo(signals.SI_USER, proc.tgid, cred_of(proc).uid))


def subreaper_for(proc):
    """The nearest living ancestor of proc that is a child subreaper, or None (init)."""
    from .personality import LinuxProcess
    ancestor = proc.parent
    seen = 0
    while ancestor is not None and seen < 4096:
        state = ancestor.group_leader().pstate
        if ancestor.alive and isinstance(state, LinuxProcess) and state.child_subreaper:
            return ancestor
        ancestor, seen = ancestor.parent, seen + 1
    return None
