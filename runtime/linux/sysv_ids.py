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

    def find_or_make(self, key: int, flags: int, make) -> int:
        """*get: the object of key (EEXIST with IPC_CREAT|IPC_EXCL, ENOENT without
        IPC_CREAT), or a new one made by make(key, id) (IPC_PRIVATE always makes one)."""
        key = ((key & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000
        if key != IPC_PRIVATE:
            found = next((o for o in self.objects.values() if o.key == key), None)
            if found is not None:
                if flags & IPC_CREAT and flags & IPC_EXCL:
                    raise KernelError(errno.EEXIST)
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
