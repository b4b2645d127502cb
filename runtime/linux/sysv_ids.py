"""What System V semaphores and message queues share (ipc/util.c): a machine-wide space of
objects found by key or id, made by *get with IPC_CREAT and IPC_EXCL, and the ipc64_perm
their *ctl IPC_STAT writes and IPC_SET reads."""
from __future__ import annotations

import errno
import itertools
import struct
import time as host_time

from ..errors import KernelError

IPC_PRIVATE, IPC_CREAT, IPC_EXCL, IPC_NOWAIT = 0, 0o1000, 0o2000, 0o4000
IPC_RMID, IPC_SET, IPC_STAT, IPC_INFO, IPC_64 = 0, 1, 2, 3, 0x100
PERM_SIZE = {64: 48, 32: 36}


class IpcObject:
    """An object's key, id, owner and permission bits, and its change time."""

    def __init__(self, key: int, ident: int, mode: int, uid: int, gid: int):
        self.key, self.id, self.mode = key, ident, mode & 0o777
        self.uid = self.cuid = uid
        self.gid = self.cgid = gid
        self.ctime = int(host_time.time())
        self.removed = False

    def perm(self, bits: int) -> bytes:
        """struct ipc64_perm in the caller's layout (the seq is the id's high part)."""
        seq = self.id >> 15 & 0xFFFF
        if bits == 64:
            return struct.pack("<iIIIIIHH4xQQ", self.key, self.uid, self.gid, self.cuid,
                               self.cgid, self.mode, seq, 0, 0, 0)
        return struct.pack("<iIIIIHHHHII", self.key, self.uid, self.gid, self.cuid, self.cgid,
                           self.mode, 0, seq, 0, 0, 0)

    def set_perm(self, raw: bytes, bits: int) -> None:
        """IPC_SET: the owner and the permission bits."""
        uid, gid = struct.unpack_from("<II", raw, 4)
        mode = struct.unpack_from("<I" if bits == 64 else "<H", raw, 20)[0]
        self.uid, self.gid, self.mode = uid, gid, mode & 0o777
        self.ctime = int(host_time.time())


S_IRUGO, S_IWUGO = 0o444, 0o222
CAP_IPC_OWNER, CAP_SYS_ADMIN = 15, 21


def ipcperms(cred, obj, flag: int) -> None:
    """ipc/util.c's ipcperms: the owner's, the group's or the others' bits of the object's
    mode must grant what flag asks (S_IRUGO to read or stat, S_IWUGO to write or alter, a
    *get's mode bits), unless the caller has CAP_IPC_OWNER; else EACCES."""
    if cred is None:
        return
    requested = (flag >> 6) | (flag >> 3) | flag
    granted = obj.mode
    if cred.euid in (obj.cuid, obj.uid):
        granted >>= 6
    elif cred.in_group(obj.cgid) or cred.in_group(obj.gid):
        granted >>= 3
    if requested & ~granted & 0o7 and not cred.capable(CAP_IPC_OWNER):
        raise KernelError(errno.EACCES)


def check_owner(cred, obj) -> None:
    """IPC_SET and IPC_RMID: the owner, the creator or CAP_SYS_ADMIN (else EPERM)."""
    if cred is not None and cred.euid not in (obj.uid, obj.cuid) and \
            not cred.capable(CAP_SYS_ADMIN):
        raise KernelError(errno.EPERM)


class IpcSpace:
    """One kind's objects (semaphore sets, message queues) by id."""

    def __init__(self, limit: int):
        self.objects: dict[int, IpcObject] = {}
        self.ids = itertools.count(0)
        self.limit = limit          # SEMMNI, MSGMNI

    def get(self, ident: int) -> IpcObject:
        obj = self.objects.get(ident)
        if obj is None:
            raise KernelError(errno.EINVAL)
        return obj

    def find_or_make(self, key: int, flags: int, make, cred=None) -> int:
        """*get: the object of key (EEXIST with IPC_CREAT|IPC_EXCL, ENOENT without
        IPC_CREAT, EACCES when its mode does not grant the flags' bits), or a new one made
        by make(key, id) (IPC_PRIVATE always makes one)."""
        key = ((key & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000
        if key != IPC_PRIVATE:
            found = next((o for o in self.objects.values() if o.key == key), None)
            if found is not None:
                if flags & IPC_CREAT and flags & IPC_EXCL:
                    raise KernelError(errno.EEXIST)
                ipcperms(cred, found, flags & 0o777)
                return found.id
            if not flags & IPC_CREAT:
                raise KernelError(errno.ENOENT)
        if len(self.objects) >= self.limit:
            raise KernelError(errno.ENOSPC)
        obj = make(key, next(self.ids))
        self.objects[obj.id] = obj
        return obj.id

    def remove(self, obj: IpcObject) -> None:
        obj.removed = True
        self.objects.pop(obj.id, None)


def creator(p) -> tuple[int, int]:
    """The effective ids an object made by p is owned by (root's without credentials)."""
    cred = p.cred
    return (cred.euid, cred.egid) if cred is not None else (0, 0)


def ipc_state(kernel, name: str, make):
    """The machine's state of one System V kind (LinuxMachine.sysv_sem, .sysv_msg), made by
    make() on first use."""
    from .personality import personality
    machine = personality.machine(kernel)
    state = getattr(machine, name)
    if state is None:
        state = make()
        setattr(machine, name, state)
    return state
