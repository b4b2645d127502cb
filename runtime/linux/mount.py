"""mount(2) and umount2(2) over the machine's mount table (runtime/mounts.py): tmpfs mounts,
remounts (read-only and back), propagation changes, and unmounting, with the checks of
fs/namespace.c in its order."""
from __future__ import annotations

import errno
import os
import stat as S

from ..errors import KernelError
from .. import mounts as M
from .cred import CAP_SYS_ADMIN, cred_of

MS_NOUSER = 1 << 31


def _fs(p):
    return p.kernel.fs


def _string(p, addr) -> str | None:
    """copy_mount_string: NULL stays NULL."""
    return os.fsdecode(p.mm.read_cstr(addr)) if addr else None


def _parts(guest: str) -> tuple[str, ...]:
    return tuple(c for c in guest.split("/") if c)


def _may_mount(p) -> None:
    cred = cred_of(p)
    if cred is not None and not cred.capable(CAP_SYS_ADMIN):
        raise KernelError(errno.EPERM)


def _lookup_dir(p, addr, follow: bool = True):
    """user_path_at: the resolved target, which must exist."""
    name = os.fsdecode(p.mm.read_cstr(addr))
    r = _fs(p).resolve(p.cwd, name, follow, p)
    st = _fs(p)._stat_resolved(r, p, follow)
    return r, st


def sys_mount(p, dev_name, dir_name, fstype, flags, data):
    kind = _string(p, fstype)
    source = _string(p, dev_name)
    r, st = _lookup_dir(p, dir_name)
    if flags & M.MS_MGC_MSK == M.MS_MGC_VAL:       # the magic number of old mount(8)s
        flags &= ~M.MS_MGC_MSK
    if flags & MS_NOUSER:
        raise KernelError(errno.EINVAL)
    _may_mount(p)
    parts = _parts(r.guest)
    table = _fs(p).mounts
    if flags & M.MS_REMOUNT:
        m = table.at(parts)
        if m is None:
            raise KernelError(errno.EINVAL)   # only a mount's root can be remounted
        table.remount(m, flags)
        return 0
    if flags & (M.MS_BIND | M.MS_MOVE):
        raise KernelError(errno.EINVAL)       # no bind or move mounts in this machine
    if flags & M.MS_PROPAGATION:
        # One mount namespace per machine: nothing propagates, so every type is already
        # true; a mount's root (or the root) is still required.
        if parts and table.at(parts) is None:
            raise KernelError(errno.EINVAL)
        return 0
    if kind is None:
        raise KernelError(errno.EINVAL)
    if kind not in M.FILESYSTEMS:
        raise KernelError(errno.ENODEV)
    if r.synthetic is not None:
        raise KernelError(errno.EINVAL)       # /proc and /dev are the machine's own
    if not S.S_ISDIR(st.st_mode):
        raise KernelError(errno.ENOTDIR)
    table.mount_tmpfs(parts, source, flags)
    return 0


def _busy(p, m) -> bool:
    """Anything of a live process in the mount: a working or root directory, an open
    file."""
    inside = lambda guest: isinstance(guest, str) and guest.startswith("/") and \
        _parts(guest)[:len(m.parts)] == m.parts
    for proc in p.kernel.procs.values():
        if not proc.alive:
            continue
        if inside(proc.cwd) or inside(proc.root):
            return True
        fds = proc.fds
        if fds is not None and any(inside(getattr(f, "guest_path", None))
                                   for _, f in fds.items()):
            return True
    return False


def sys_umount2(p, name, flags):
    if flags & ~(M.MNT_FORCE | M.MNT_DETACH | M.MNT_EXPIRE | M.UMOUNT_NOFOLLOW):
        raise KernelError(errno.EINVAL)
    _may_mount(p)
    r, _ = _lookup_dir(p, name, not flags & M.UMOUNT_NOFOLLOW)
    m = _fs(p).mounts.at(_parts(r.guest)) if r.synthetic is None else None
    if m is None:
        raise KernelError(errno.EINVAL)       # not a mount's root
    if flags & M.MNT_EXPIRE:
        if flags & (M.MNT_FORCE | M.MNT_DETACH):
            raise KernelError(errno.EINVAL)
        raise KernelError(errno.EAGAIN)       # first call only marks it (never used since)
    if not flags & M.MNT_DETACH and _busy(p, m):
        raise KernelError(errno.EBUSY)
    _fs(p).mounts.umount(m)
    return 0


def sys_umount(p, name):
    return sys_umount2(p, name, 0)
