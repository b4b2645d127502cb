"""Extended attributes (fs/xattr.c) of the root's files: the user.* namespace, kept as the
host file's own user xattrs (the host's file system has them; cp -a, rsync -X, tar --xattrs
and Python's shutil copy them). The other namespaces stay unsupported (EOPNOTSUPP, as a
file system without them says): trusted.* and security.* would reach host privileges
(security.capability on a host file), and system.* holds ACLs sysvec does not keep."""
from __future__ import annotations

import errno
import os
import stat as S

from .. import perm
from ..errors import KernelError
from ..files import PathFile
from ..mounts import check_readonly
from .fs import AT_FDCWD, _base, _fs, _path

__all__ = [f"sys_{prefix}{verb}xattr" for verb in ("set", "get", "list", "remove")
           for prefix in ("", "l", "f")]

XATTR_CREATE, XATTR_REPLACE = 0x1, 0x2
XATTR_NAME_MAX, XATTR_SIZE_MAX, XATTR_LIST_MAX = 255, 65536, 65536
USER = "user."
W_OK, R_OK = 2, 4


def _name(p, uname) -> str:
    """The attribute's name: 1 to 255 bytes (ERANGE otherwise), in the user namespace."""
    try:
        raw = p.mm.read_cstr(uname, XATTR_NAME_MAX + 1)
    except KernelError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise KernelError(errno.ERANGE) from None
        raise
    if not raw:
        raise KernelError(errno.ERANGE)
    name = os.fsdecode(raw)
    if not name.startswith(USER):
        raise KernelError(errno.EOPNOTSUPP)
    if name == USER:
        raise KernelError(errno.EINVAL)
    return name


def _by_path(p, upath, follow: bool, access: int):
    """(host target, its stat) for a path call, after access's permission check; user
    attributes live on regular files and directories only (None then)."""
    path = _path(p, upath)
    fs = _fs(p)
    base = _base(p, AT_FDCWD, path)
    r = fs.resolve(base, path, follow, p)
    if r.synthetic is not None:
        raise KernelError(errno.EOPNOTSUPP)
    if not r.exists:
        raise KernelError(errno.ENOENT)
    st = os.lstat(r.host)
    if S.S_ISREG(st.st_mode) or S.S_ISDIR(st.st_mode):
        if access:
            fs.access(base, path, access, p)    # (a read-only mount first: EROFS)
            _permission(p, st, access)
        return r.host, st
    return None, st


def _by_fd(p, fd, access: int):
    """(host descriptor, its stat) for a descriptor call (None for an inode with no user
    attributes), after xattr_permission's check: reading needs read permission on the
    inode and writing write permission, whatever the descriptor was opened for."""
    f = p.fds.get(fd)
    if isinstance(f, PathFile):
        raise KernelError(errno.EBADF)      # fdget: an O_PATH descriptor is not for this
    host = getattr(f, "fd", None)
    if not getattr(f, "path_backed", False) or not isinstance(host, int) or host < 0:
        if f.kind in ("pipe", "socket", "dev") or getattr(f, "pipe", None) is not None:
            return None, None       # an inode with no user attributes (pipefs, sockfs)
        raise KernelError(errno.EOPNOTSUPP)
    st = os.fstat(host)
    if not (S.S_ISREG(st.st_mode) or S.S_ISDIR(st.st_mode)):
        return None, st
    if access & W_OK:
        check_readonly(_fs(p).mount_of(f.guest_path) if f.guest_path.startswith("/") else None)
    _permission(p, st, access)
    return host, st


def _permission(p, st, access: int) -> None:
    """xattr_permission for user.*: in a sticky directory only its owner (or CAP_FOWNER)
    writes attributes (EPERM); then inode_permission, MAY_READ or MAY_WRITE (EACCES)."""
    if not access:
        return
    cred = perm.cred_of(p)
    view = _fs(p).iattrs.apply(st)
    if access & W_OK and S.S_ISDIR(view.st_mode) and view.st_mode & S.S_ISVTX and \
            not perm.owner_or_capable(cred, view):
        raise KernelError(errno.EPERM)
    perm.check(cred, view, perm.MAY_WRITE if access & W_OK else perm.MAY_READ)


def _host(call, target, *args):
    """The host's call on a host path (never following a link: the walk did) or descriptor."""
    try:
        if isinstance(target, str):
            return call(target, *args, follow_symlinks=False)
        return call(target, *args)
    except OSError as exc:
        raise KernelError(exc.errno or errno.EIO) from None


# --- set ---------------------------------------------------------------------------------------

def _checked(flags: int, size: int) -> None:
    """setxattr's own checks, made before the lookup."""
    if flags & ~(XATTR_CREATE | XATTR_REPLACE):
        raise KernelError(errno.EINVAL)
    if size > XATTR_SIZE_MAX:
        raise KernelError(errno.E2BIG)


def _set(p, target, name: str, value, size: int, flags: int) -> int:
    if target is None:
        raise KernelError(errno.EPERM)     # user attributes on a link, a device, a FIFO
    _host(os.setxattr, target, name, p.mm.read(value, size) if size else b"", flags)
    return 0


def sys_setxattr(p, pathname, name, value, size, flags):
    key = _name(p, name)
    _checked(flags, size)
    return _set(p, _by_path(p, pathname, True, W_OK)[0], key, value, size, flags)


def sys_lsetxattr(p, pathname, name, value, size, flags):
    key = _name(p, name)
    _checked(flags, size)
    return _set(p, _by_path(p, pathname, False, W_OK)[0], key, value, size, flags)


def sys_fsetxattr(p, fd, name, value, size, flags):
    p.fds.get(fd)                   # EBADF before the name is looked at
    key = _name(p, name)
    _checked(flags, size)
    return _set(p, _by_fd(p, fd, W_OK)[0], key, value, size, flags)


# --- get ---------------------------------------------------------------------------------------

def _answer(p, data: bytes, out: int, size: int) -> int:
    """The bytes into the caller's buffer; a size of 0 asks only how many, too small is
    ERANGE."""
    if size == 0:
        return len(data)
    if size < len(data):
        raise KernelError(errno.ERANGE)
    p.mm.write(out, data)
    return len(data)


def _get(p, target, name: str, value, size: int) -> int:
    if target is None:
        raise KernelError(errno.ENODATA)
    data = _host(os.getxattr, target, name)
    return _answer(p, data, value, min(size, XATTR_SIZE_MAX))


def sys_getxattr(p, pathname, name, value, size):
    key = _name(p, name)
    return _get(p, _by_path(p, pathname, True, R_OK)[0], key, value, size)


def sys_lgetxattr(p, pathname, name, value, size):
    key = _name(p, name)
    return _get(p, _by_path(p, pathname, False, R_OK)[0], key, value, size)


def sys_fgetxattr(p, fd, name, value, size):
    p.fds.get(fd)
    key = _name(p, name)
    return _get(p, _by_fd(p, fd, R_OK)[0], key, value, size)


# --- list --------------------------------------------------------------------------------------

def _list(p, target, out: int, size: int) -> int:
    names = []
    if target is not None:
        names = [n for n in _host(os.listxattr, target) if n.startswith(USER)]
    data = b"".join(os.fsencode(n) + b"\0" for n in names)
    return _answer(p, data, out, min(size, XATTR_LIST_MAX))


def sys_listxattr(p, pathname, list, size):
    return _list(p, _by_path(p, pathname, True, 0)[0], list, size)


def sys_llistxattr(p, pathname, list, size):
    return _list(p, _by_path(p, pathname, False, 0)[0], list, size)


def sys_flistxattr(p, fd, list, size):
    return _list(p, _by_fd(p, fd, 0)[0], list, size)


# --- remove ------------------------------------------------------------------------------------

def _remove(p, target, name: str) -> int:
    if target is None:
        raise KernelError(errno.EPERM)
    _host(os.removexattr, target, name)
    return 0


def sys_removexattr(p, pathname, name):
    key = _name(p, name)
    return _remove(p, _by_path(p, pathname, True, W_OK)[0], key)


def sys_lremovexattr(p, pathname, name):
    key = _name(p, name)
    return _remove(p, _by_path(p, pathname, False, W_OK)[0], key)


def sys_fremovexattr(p, fd, name):
    p.fds.get(fd)
    key = _name(p, name)
    return _remove(p, _by_fd(p, fd, W_OK)[0], key)
