"""Permission checks as fs/namei.c and fs/attr.c make them, against a caller's credentials
(an object with fsuid, fsgid, groups, in_group(gid) and capable(cap): the Linux personality's
Cred). The host never refuses the runtime anything inside the root, so the guest's owners,
modes and capabilities are checked here; a context with no credentials is root's."""
from __future__ import annotations

import errno
import stat as S

from .errors import KernelError

MAY_EXEC, MAY_WRITE, MAY_READ = 1, 2, 4
# The capabilities these checks consult (include/uapi/linux/capability.h).
CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID = 0, 1, 2, 3, 4
CAP_SYS_PTRACE = 19


def cred_of(ctx):
    return getattr(ctx, "cred", None)


def owner(st) -> tuple[int, int]:
    """The owner the guest sees: what it set (runtime/iattr.py), else root's."""
    return getattr(st, "guest_owner", (0, 0))


def unchecked(cred) -> bool:
    """Nothing a path walk checks can refuse this caller (root: CAP_DAC_OVERRIDE)."""
    return cred is None or cred.capable(CAP_DAC_OVERRIDE) and cred.capable(CAP_DAC_READ_SEARCH)


def allowed(cred, st, mask: int) -> bool:
    """generic_permission: the owner, group or other bits, then the capabilities that
    override them (search and read: CAP_DAC_READ_SEARCH; anything but executing a file
    nobody may execute: CAP_DAC_OVERRIDE)."""
    mode = st.st_mode
    if cred is not None:
        uid, gid = owner(st)
        bits = mode >> 6 if cred.fsuid == uid else mode >> 3 if cred.in_group(gid) else mode
        if bits & mask & 7 == mask:
            return True
    if cred is None:
        return not (mask & MAY_EXEC and not S.S_ISDIR(mode) and not mode & 0o111)
    if S.S_ISDIR(mode):
        if not mask & MAY_WRITE and cred.capable(CAP_DAC_READ_SEARCH):
            return True
        return cred.capable(CAP_DAC_OVERRIDE)
    if mask == MAY_READ and cred.capable(CAP_DAC_READ_SEARCH):
        return True
    return (not mask & MAY_EXEC or bool(mode & 0o111)) and cred.capable(CAP_DAC_OVERRIDE)


def check(cred, st, mask: int) -> None:
    if not allowed(cred, st, mask):
        raise KernelError(errno.EACCES)


def owner_or_capable(cred, st, cap: int = CAP_FOWNER) -> bool:
    """inode_owner_or_capable: chmod, utimes with explicit times, sticky deletes..."""
    return cred is None or cred.fsuid == owner(st)[0] or cred.capable(cap)


def check_delete(cred, dir_st, st) -> None:
    """may_delete: write and search on the directory; in a sticky directory only the
    file's or the directory's owner (or CAP_FOWNER) removes or renames a name."""
    check(cred, dir_st, MAY_WRITE | MAY_EXEC)
    if cred is not None and dir_st.st_mode & S.S_ISVTX and cred.fsuid != owner(st)[0] \
            and cred.fsuid != owner(dir_st)[0] and not cred.capable(CAP_FOWNER):
        raise KernelError(errno.EPERM)


def new_owner(cred, dir_st) -> tuple[int, int]:
    """inode_init_owner: the fs ids, with the directory's group under a set-group-ID one."""
    uid, gid = (0, 0) if cred is None else (cred.fsuid, cred.fsgid)
    if dir_st is not None and dir_st.st_mode & S.S_ISGID:
        gid = owner(dir_st)[1]
    return uid, gid


def chmod_mode(cred, st, mode: int) -> int:
    """The mode chmod sets: EPERM for a non-owner without CAP_FOWNER; set-group-ID dropped
    when the caller is not in the file's group and lacks CAP_FSETID."""
    if not owner_or_capable(cred, st):
        raise KernelError(errno.EPERM)
    if cred is not None and mode & S.S_ISGID and not cred.in_group(owner(st)[1]) \
            and not cred.capable(CAP_FSETID):
        mode &= ~S.S_ISGID
    return mode


def check_chown(cred, st, uid: int, gid: int) -> None:
    """chown_ok / chgrp_ok: only CAP_CHOWN gives a file away; its owner may set the owner it
    has and change the group to one of its own groups. -1 leaves an id alone."""
    if cred is None or cred.capable(CAP_CHOWN):
        return
    file_uid, file_gid = owner(st)
    mine = cred.fsuid == file_uid
    if uid != -1 and not (mine and uid == file_uid):
        raise KernelError(errno.EPERM)
    if gid != -1 and not (mine and (cred.in_group(gid) or gid == file_gid)):
        raise KernelError(errno.EPERM)
