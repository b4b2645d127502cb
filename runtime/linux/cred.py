"""Credentials, as kernel/cred.c and kernel/sys.c keep them: real, effective, saved and
file-system user and group ids, supplementary groups, and capabilities. Root's powers are
capabilities (commoncap's "root emulation": a process whose ids all leave 0 loses them, one
whose effective uid leaves 0 keeps them only as permitted), so a guest that drops root by
setuid really is a non-root process to every permission check (runtime/perm.py)."""
from __future__ import annotations

import errno
import struct
from dataclasses import dataclass, replace

from ..errors import KernelError

# include/uapi/linux/capability.h
CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID = 0, 1, 2, 3, 4
CAP_KILL, CAP_SETGID, CAP_SETUID, CAP_SETPCAP, CAP_LINUX_IMMUTABLE = 5, 6, 7, 8, 9
CAP_SYS_CHROOT, CAP_SYS_ADMIN, CAP_SYS_NICE = 18, 21, 23
CAP_SYS_RESOURCE, CAP_MKNOD = 24, 27
CAP_LAST_CAP = 40
SECBIT_KEEP_CAPS = 1 << 4
CAP_FULL_SET = (1 << (CAP_LAST_CAP + 1)) - 1
INIT_PID = 1                 # the machine's init, which no PCB stands for
# The capabilities a change of the fs uid to or from 0 drops or raises (CAP_FS_MASK).
CAP_FS_MASK = sum(1 << c for c in (CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
                                   CAP_FOWNER, CAP_FSETID, CAP_LINUX_IMMUTABLE, CAP_MKNOD)) \
    | 1 << 32     # CAP_MAC_OVERRIDE
NGROUPS_MAX = 65536
_LINUX_CAPABILITY_VERSION_1, _LINUX_CAPABILITY_VERSION_2 = 0x19980330, 0x20071026
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


@dataclass(frozen=True)
class Cred:
    uid: int = 0
    euid: int = 0
    suid: int = 0
    fsuid: int = 0
    gid: int = 0
    egid: int = 0
    sgid: int = 0
    fsgid: int = 0
    groups: tuple = ()
    cap_effective: int = CAP_FULL_SET
    cap_permitted: int = CAP_FULL_SET
    cap_inheritable: int = 0
    cap_bounding: int = CAP_FULL_SET   # what an exec may give (PR_CAPBSET_DROP takes away)
    securebits: int = 0                # SECBIT_KEEP_CAPS and the rest (prctl)

    def capable(self, cap: int) -> bool:
        return bool(self.cap_effective >> cap & 1)

    def in_group(self, gid: int) -> bool:
        """in_group_p: the fs gid or a supplementary group."""
        return gid == self.fsgid or gid in self.groups

    def in_egroup(self, gid: int) -> bool:
        return gid == self.egid or gid in self.groups


ROOT = Cred()


def cred_of(p) -> Cred:
    """A process's credentials (root's for a context that carries none)."""
    return p.cred or ROOT


def _fixup_setuid(old: Cred, new: Cred) -> Cred:
    """cap_emulate_setxuid and the fs uid rule of cap_task_fix_setuid."""
    eff, perm = new.cap_effective, new.cap_permitted
    if 0 in (old.uid, old.euid, old.suid) and 0 not in (new.uid, new.euid, new.suid):
        eff = 0
        if not old.securebits & SECBIT_KEEP_CAPS:    # PR_SET_KEEPCAPS keeps the permitted
            perm = 0
    if old.euid == 0 and new.euid != 0:
        eff = 0
    if old.euid != 0 and new.euid == 0:
        eff = perm
    if old.fsuid == 0 and new.fsuid != 0:
        eff &= ~CAP_FS_MASK
    elif old.fsuid != 0 and new.fsuid == 0:
        eff |= perm & CAP_FS_MASK
    return replace(new, cap_effective=eff, cap_permitted=perm)


def _set(p, new: Cred) -> int:
    old = cred_of(p)
    if (new.uid, new.euid, new.suid, new.fsuid) != (old.uid, old.euid, old.suid, old.fsuid):
        new = _fixup_setuid(old, new)
    p.cred = new
    if (new.euid, new.egid, new.fsuid, new.fsgid) != (old.euid, old.egid, old.fsuid, old.fsgid) \
            or new.cap_permitted & ~old.cap_permitted:
        _undumpable(p)
    return 0


def _undumpable(p) -> None:
    """commit_creds: a change of effective or fs ids makes the process undumpable
    (suid_dumpable 0): no core, and only CAP_SYS_PTRACE sees inside it through /proc."""
    from .personality import LinuxProcess
    for t in p.group or [p]:
        if isinstance(t.pstate, LinuxProcess):
            t.linux.dumpable = 0


def _id(value: int) -> int:
    """A uid/gid argument: -1 (as int or as the all-ones 32-bit value) means 'unchanged'."""
    return -1 if value in (-1, 0xFFFFFFFF) else value & 0xFFFFFFFF


def exec_cred(c: Cred, st, no_new_privs: bool = False) -> Cred:
    """The credentials after exec of the file st (its guest view): a set-user-ID file's owner
    becomes the effective uid, a set-group-ID (and group-executable) one's group the
    effective gid -- unless the process set no_new_privs (LSM_UNSAFE_NO_NEW_PRIVS); the
    saved ids take the effective ones; root (real or effective) gets the full permitted set,
    effective only when the effective uid is 0, anyone else none."""
    import stat as S
    euid, egid = c.euid, c.egid
    if st is not None and not no_new_privs:
        uid, gid = getattr(st, "guest_owner", (0, 0))
        if st.st_mode & S.S_ISUID:
            euid = uid
        if st.st_mode & S.S_ISGID and st.st_mode & S.S_IXGRP:
            egid = gid
    root = euid == 0 or c.uid == 0
    perm = c.cap_bounding if root else 0
    return replace(c, euid=euid, suid=euid, fsuid=euid, egid=egid, sgid=egid, fsgid=egid,
                   cap_permitted=perm, cap_effective=perm if euid == 0 else 0,
                   securebits=c.securebits & ~SECBIT_KEEP_CAPS)   # exec clears keep-caps


def secure_exec(old: Cred, new: Cred) -> bool:
    """bprm->secureexec: the exec changed the effective ids, or gave a process whose real uid
    is not root capabilities it did not have. The dynamic loader then ignores LD_PRELOAD,
    LD_LIBRARY_PATH and the like (AT_SECURE), and secure_getenv answers nothing."""
    if new.euid != new.uid or new.egid != new.gid:
        return True
    return new.uid != 0 and bool(new.cap_permitted & ~old.cap_permitted)


# --- uids --------------------------------------------------------------------------------------

def sys_getuid32(p):
    return cred_of(p).uid


def sys_geteuid32(p):
    return cred_of(p).euid


def sys_getgid32(p):
    return cred_of(p).gid


def sys_getegid32(p):
    return cred_of(p).egid


def sys_setuid32(p, uid):
    c, uid = cred_of(p), _id(uid)
    if uid == -1:
        raise KernelError(errno.EINVAL)
    if c.capable(CAP_SETUID):
        return _set(p, replace(c, uid=uid, euid=uid, suid=uid, fsuid=uid))
    if uid in (c.uid, c.suid):
        return _set(p, replace(c, euid=uid, fsuid=uid))
    raise KernelError(errno.EPERM)


def sys_setgid32(p, gid):
    c, gid = cred_of(p), _id(gid)
    if gid == -1:
        raise KernelError(errno.EINVAL)
    if c.capable(CAP_SETGID):
        return _set(p, replace(c, gid=gid, egid=gid, sgid=gid, fsgid=gid))
    if gid in (c.gid, c.sgid):
        return _set(p, replace(c, egid=gid, fsgid=gid))
    raise KernelError(errno.EPERM)


def sys_setreuid32(p, ruid, euid):
    c, ruid, euid = cred_of(p), _id(ruid), _id(euid)
    may = c.capable(CAP_SETUID)
    new_r = c.uid if ruid == -1 else ruid
    new_e = c.euid if euid == -1 else euid
    if ruid != -1 and not may and ruid not in (c.uid, c.euid):
        raise KernelError(errno.EPERM)
    if euid != -1 and not may and euid not in (c.uid, c.euid, c.suid):
        raise KernelError(errno.EPERM)
    # The saved uid follows the effective one when the real one is set or the effective
    # one leaves the old real uid.
    new_s = new_e if ruid != -1 or (euid != -1 and euid != c.uid) else c.suid
    return _set(p, replace(c, uid=new_r, euid=new_e, suid=new_s, fsuid=new_e))


def sys_setregid32(p, rgid, egid):
    c, rgid, egid = cred_of(p), _id(rgid), _id(egid)
    may = c.capable(CAP_SETGID)
    new_r = c.gid if rgid == -1 else rgid
    new_e = c.egid if egid == -1 else egid
    if rgid != -1 and not may and rgid not in (c.gid, c.egid):
        raise KernelError(errno.EPERM)
    if egid != -1 and not may and egid not in (c.gid, c.egid, c.sgid):
        raise KernelError(errno.EPERM)
    new_s = new_e if rgid != -1 or (egid != -1 and egid != c.gid) else c.sgid
    return _set(p, replace(c, gid=new_r, egid=new_e, sgid=new_s, fsgid=new_e))


def sys_setresuid32(p, ruid, euid, suid):
    c = cred_of(p)
    ids = [_id(x) for x in (ruid, euid, suid)]
    if not c.capable(CAP_SETUID) and any(x != -1 and x not in (c.uid, c.euid, c.suid)
                                         for x in ids):
        raise KernelError(errno.EPERM)
    r, e, s = (old if x == -1 else x for x, old in zip(ids, (c.uid, c.euid, c.suid)))
    return _set(p, replace(c, uid=r, euid=e, suid=s, fsuid=e))


def sys_setresgid32(p, rgid, egid, sgid):
    c = cred_of(p)
    ids = [_id(x) for x in (rgid, egid, sgid)]
    if not c.capable(CAP_SETGID) and any(x != -1 and x not in (c.gid, c.egid, c.sgid)
                                         for x in ids):
        raise KernelError(errno.EPERM)
    r, e, s = (old if x == -1 else x for x, old in zip(ids, (c.gid, c.egid, c.sgid)))
    return _set(p, replace(c, gid=r, egid=e, sgid=s, fsgid=e))


def _getres(p, values, addrs) -> int:
    for value, addr in zip(values, addrs):
        p.mm.write_u32(addr, value)
    return 0


def sys_getresuid32(p, ruid, euid, suid):
    c = cred_of(p)
    return _getres(p, (c.uid, c.euid, c.suid), (ruid, euid, suid))


def sys_getresgid32(p, rgid, egid, sgid):
    c = cred_of(p)
    return _getres(p, (c.gid, c.egid, c.sgid), (rgid, egid, sgid))


def sys_setfsuid32(p, uid):
    """Returns the old fs uid whether or not the change was allowed."""
    c, uid = cred_of(p), _id(uid)
    if uid != -1 and (uid in (c.uid, c.euid, c.suid, c.fsuid) or c.capable(CAP_SETUID)):
        _set(p, replace(c, fsuid=uid))
    return c.fsuid


def sys_setfsgid32(p, gid):
    c, gid = cred_of(p), _id(gid)
    if gid != -1 and (gid in (c.gid, c.egid, c.sgid, c.fsgid) or c.capable(CAP_SETGID)):
        _set(p, replace(c, fsgid=gid))
    return c.fsgid


# --- supplementary groups -----------------------------------------------------------------------

def sys_getgroups32(p, size, addr):
    groups = cred_of(p).groups
    if size < 0:
        raise KernelError(errno.EINVAL)
    if size:
        if size < len(groups):
            raise KernelError(errno.EINVAL)
        p.mm.write(addr, struct.pack(f"<{len(groups)}I", *groups))
    return len(groups)


def sys_setgroups32(p, size, addr):
    c = cred_of(p)
    if not c.capable(CAP_SETGID):
        raise KernelError(errno.EPERM)
    if not 0 <= size <= NGROUPS_MAX:
        raise KernelError(errno.EINVAL)
    groups = struct.unpack(f"<{size}I", p.mm.read(addr, 4 * size)) if size else ()
    p.cred = replace(c, groups=tuple(sorted(set(groups))))
    return 0


# --- i386's 16-bit forms ------------------------------------------------------------------------
# On i386 the calls without "32" take and give 16-bit ids (0xFFFF is -1, ids above 65535
# read as the overflow id); the *32 calls are the full ones (the handlers below).

OVERFLOW_ID = 65534


def _id16(value: int) -> int:
    return -1 if value & 0xFFFF == 0xFFFF else value & 0xFFFF


def _high(value: int) -> int:
    return OVERFLOW_ID if value > 0xFFFF else value


def _old(p) -> bool:
    return p.sysvec.word_bits == 32


def _uid16_getter(full):
    def getter(p):
        return _high(full(p)) if _old(p) else full(p)
    getter.__name__ = full.__name__
    return getter


def _uid16_setter(full):
    def setter(p, *ids):
        return full(p, *(_id16(i) for i in ids)) if _old(p) else full(p, *ids)
    setter.__name__ = full.__name__
    return setter


def _getres16(full, field_names):
    def getres(p, *addrs):
        if not _old(p):
            return full(p, *addrs)
        c = cred_of(p)
        for name, addr in zip(field_names, addrs):
            p.mm.write(addr, struct.pack("<H", _high(getattr(c, name))))
        return 0
    return getres


def sys_getgroups16(p, size, addr):
    groups = cred_of(p).groups
    if size < 0 or size and size < len(groups):
        raise KernelError(errno.EINVAL)
    if size:
        p.mm.write(addr, struct.pack(f"<{len(groups)}H", *map(_high, groups)))
    return len(groups)


def sys_setgroups16(p, size, addr):
    if not cred_of(p).capable(CAP_SETGID):
        raise KernelError(errno.EPERM)
    if not 0 <= size <= NGROUPS_MAX:
        raise KernelError(errno.EINVAL)
    groups = struct.unpack(f"<{size}H", p.mm.read(addr, 2 * size)) if size else ()
    p.cred = replace(cred_of(p), groups=tuple(sorted(set(groups))))
    return 0


# --- capabilities ------------------------------------------------------------------------------

def _cap_header(p, header) -> tuple[int, int]:
    version, pid = struct.unpack("<Ii", p.mm.read(header, 8))
    if version not in (_LINUX_CAPABILITY_VERSION_1, _LINUX_CAPABILITY_VERSION_2,
                       _LINUX_CAPABILITY_VERSION_3):
        p.mm.write_u32(header, _LINUX_CAPABILITY_VERSION_3)
        raise KernelError(errno.EINVAL)
    return version, pid


def _target(p, pid: int):
    if pid in (0, p.pid, p.tgid):
        return p
    target = p.kernel.procs.get(pid)
    if target is None or not target.alive:
        raise KernelError(errno.ESRCH)
    return target


def sys_capget(p, header, data):
    version, pid = _cap_header(p, header)
    # the machine's init (pid 1, root with every capability) answers as it does kill(1, 0)
    if pid == INIT_PID and INIT_PID not in p.kernel.procs:
        c = Cred()
    else:
        c = cred_of(_target(p, pid))
    if data:
        words = 1 if version == _LINUX_CAPABILITY_VERSION_1 else 2
        out = b""
        for i in range(words):
            shift = 32 * i
            out += struct.pack("<3I", c.cap_effective >> shift & 0xFFFFFFFF,
                               c.cap_permitted >> shift & 0xFFFFFFFF,
                               c.cap_inheritable >> shift & 0xFFFFFFFF)
        p.mm.write(data, out)
    return 0


def sys_capset(p, header, data):
    version, pid = _cap_header(p, header)
    if pid not in (0, p.pid, p.tgid):
        raise KernelError(errno.EPERM)
    words = 1 if version == _LINUX_CAPABILITY_VERSION_1 else 2
    raw = struct.unpack(f"<{3 * words}I", p.mm.read(data, 12 * words))
    eff = sum(raw[3 * i] << 32 * i for i in range(words))
    perm = sum(raw[3 * i + 1] << 32 * i for i in range(words))
    inh = sum(raw[3 * i + 2] << 32 * i for i in range(words))
    c = cred_of(p)
    if perm & ~c.cap_permitted or eff & ~perm:
        raise KernelError(errno.EPERM)
    if inh & ~(c.cap_inheritable | c.cap_permitted) and not c.capable(CAP_SETPCAP):
        raise KernelError(errno.EPERM)
    p.cred = replace(c, cap_effective=eff, cap_permitted=perm, cap_inheritable=inh)
    return 0


# The plain names: the full calls on x86-64, the 16-bit ones on i386 (whose full calls are
# the *32 ones above).
sys_getuid, sys_geteuid, sys_getgid, sys_getegid = (
    _uid16_getter(f) for f in (sys_getuid32, sys_geteuid32, sys_getgid32, sys_getegid32))
sys_setuid, sys_setgid, sys_setreuid, sys_setregid, sys_setresuid, sys_setresgid = (
    _uid16_setter(f) for f in (sys_setuid32, sys_setgid32, sys_setreuid32, sys_setregid32,
                               sys_setresuid32, sys_setresgid32))
sys_setfsuid, sys_setfsgid = (_uid16_setter(f) for f in (sys_setfsuid32, sys_setfsgid32))
sys_getresuid = _getres16(sys_getresuid32, ("uid", "euid", "suid"))
sys_getresgid = _getres16(sys_getresgid32, ("gid", "egid", "sgid"))


def sys_getgroups(p, size, addr):
    return (sys_getgroups16 if _old(p) else sys_getgroups32)(p, size, addr)


def sys_setgroups(p, size, addr):
    return (sys_setgroups16 if _old(p) else sys_setgroups32)(p, size, addr)
