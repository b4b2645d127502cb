"""System V message queues (ipc/msg.c): msgget, msgsnd, msgrcv, msgctl. A queue holds typed
messages up to msg_qbytes bytes; a sender waits for room and a receiver for a message of the
type it asks (EAGAIN / ENOMSG with IPC_NOWAIT, EINTR for a signal, EIDRM when the queue is
removed). msgrcv's type: 0 the first message, > 0 the first of that type (with MSG_EXCEPT
the first of another), < 0 the first of the lowest type up to its absolute value."""
from __future__ import annotations

import errno
import struct
import time as host_time
from collections import deque

from ..block import Block
from ..errors import KernelError
from .cred import cred_of
from .sysv_ids import (IPC_64, IPC_INFO, IPC_NOWAIT, IPC_RMID, IPC_SET, IPC_STAT, PERM_SIZE,
                       S_IRUGO, S_IWUGO, IpcObject, IpcSpace, check_owner, creator, ipc_state,
                       ipcperms)

MSG_STAT, MSG_INFO, MSG_STAT_ANY = 11, 12, 13
MSG_NOERROR, MSG_EXCEPT, MSG_COPY = 0o10000, 0o20000, 0o40000
MSGMAX, MSGMNB, MSGMNI = 8192, 16384, 32000


class Queue(IpcObject):
    def __init__(self, key: int, ident: int, mode: int, uid: int, gid: int):
        super().__init__(key, ident, mode, uid, gid)
        self.messages: deque[tuple[int, bytes]] = deque()
        self.bytes = 0
        self.qbytes = MSGMNB
        self.stime = self.rtime = 0
        self.lspid = self.lrpid = 0

    def find(self, msgtyp: int, flags: int) -> int | None:
        """The index of the message msgrcv takes, or None."""
        if msgtyp == 0:
            return 0 if self.messages else None
        if msgtyp > 0:
            for i, (mtype, _) in enumerate(self.messages):
                if (mtype != msgtyp) if flags & MSG_EXCEPT else (mtype == msgtyp):
                    return i
            return None
        best = None
        for i, (mtype, _) in enumerate(self.messages):
            if mtype <= -msgtyp and (best is None or mtype < self.messages[best][0]):
                best = i
        return best


class MsgState:
    def __init__(self):
        self.queues = IpcSpace(MSGMNI)
        self.removed_while_waiting: set = set()


def _state(kernel) -> MsgState:
    return ipc_state(kernel, "sysv_msg", MsgState)


def _queue(p, msqid) -> tuple[MsgState, Queue]:
    state = _state(p.kernel)
    if p.pid in state.removed_while_waiting:
        state.removed_while_waiting.discard(p.pid)
        raise KernelError(errno.EIDRM)
    return state, state.queues.get(msqid)


def _wait(p, state: MsgState, q: Queue, ready) -> Block:
    def check() -> bool:
        if q.removed:
            state.removed_while_waiting.add(p.pid)
            return True
        return ready()
    return Block(check, restartable=False)


def sys_msgget(p, key, msgflg):
    return _state(p.kernel).queues.find_or_make(
        key, msgflg, lambda k, ident: Queue(k, ident, msgflg, *creator(p)), cred_of(p))


def _word(p) -> int:
    return p.sysvec.word_bits // 8


def sys_msgsnd(p, msqid, msgp, msgsz, msgflg):
    msgsz = ((msgsz & 0xFFFFFFFFFFFFFFFF) ^ (1 << 63)) - (1 << 63)
    if not 0 <= msgsz <= MSGMAX:
        raise KernelError(errno.EINVAL)
    state, q = _queue(p, msqid)
    ipcperms(cred_of(p), q, S_IWUGO)
    word = _word(p)
    mtype = int.from_bytes(p.mm.read(msgp, word), "little", signed=True)
    if mtype < 1:
        raise KernelError(errno.EINVAL)
    text = p.mm.read(msgp + word, msgsz)
    if q.bytes + msgsz > q.qbytes or len(q.messages) >= q.qbytes:
        if msgflg & IPC_NOWAIT:
            raise KernelError(errno.EAGAIN)
        raise _wait(p, state, q, lambda: q.bytes + msgsz <= q.qbytes and
                    len(q.messages) < q.qbytes)
    q.messages.append((mtype, text))
    q.bytes += msgsz
    q.lspid, q.stime = p.tgid, int(host_time.time())
    return 0


def sys_msgrcv(p, msqid, msgp, msgsz, msgtyp, msgflg):
    msgsz = ((msgsz & 0xFFFFFFFFFFFFFFFF) ^ (1 << 63)) - (1 << 63)
    if msgsz < 0:
        raise KernelError(errno.EINVAL)
    if msgflg & MSG_COPY:
        raise KernelError(errno.ENOSYS)     # a kernel without CONFIG_CHECKPOINT_RESTORE
    word = _word(p)
    msgtyp = ((msgtyp & ((1 << 8 * word) - 1)) ^ (1 << (8 * word - 1))) - (1 << (8 * word - 1))
    state, q = _queue(p, msqid)
    ipcperms(cred_of(p), q, S_IRUGO)
    i = q.find(msgtyp, msgflg)
    if i is None:
        if msgflg & IPC_NOWAIT:
            raise KernelError(errno.ENOMSG)
        raise _wait(p, state, q, lambda: q.find(msgtyp, msgflg) is not None)
    mtype, whole = q.messages[i]
    text = whole
    if len(text) > msgsz:
        if not msgflg & MSG_NOERROR:
            raise KernelError(errno.E2BIG)
        text = text[:msgsz]
    p.mm.write(msgp, mtype.to_bytes(word, "little", signed=True) + text)
    del q.messages[i]
    q.bytes -= len(whole)
    q.lrpid, q.rtime = p.tgid, int(host_time.time())
    return len(text)


def _msqid_ds(p, q: Queue) -> bytes:
    if p.sysvec.word_bits == 64:
        return q.perm(64) + struct.pack("<qqqQQQiiQQ", q.stime, q.rtime, q.ctime, q.bytes,
                                        len(q.messages), q.qbytes, q.lspid, q.lrpid, 0, 0)
    return q.perm(32) + struct.pack("<IIIIIIIIIiiII", q.stime, 0, q.rtime, 0, q.ctime, 0,
                                    q.bytes, len(q.messages), q.qbytes, q.lspid, q.lrpid, 0, 0)


def sys_msgctl(p, msqid, cmd, buf):
    state = _state(p.kernel)
    cmd &= ~IPC_64
    word = p.sysvec.word_bits
    queues = state.queues
    if cmd in (IPC_INFO, MSG_INFO):
        # struct msginfo: msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql, msgseg
        # (MSG_INFO: queues in use in msgpool, messages in msgmap, their bytes in msgtql)
        if cmd == MSG_INFO:
            used = list(queues.objects.values())
            head = (len(used), sum(len(q.messages) for q in used))
            tql = sum(q.bytes for q in used)
        else:
            head, tql = (MSGMNI * MSGMNB // 1024, MSGMNB), MSGMNB
        p.mm.write(buf, struct.pack("<8i", *head, MSGMAX, MSGMNB, MSGMNI, 16, tql, 0xFFFF))
        return max(queues.objects, default=0)
    if cmd in (MSG_STAT, MSG_STAT_ANY):
        listed = list(queues.objects.values())
        if not 0 <= msqid < len(listed):
            raise KernelError(errno.EINVAL)
        if cmd == MSG_STAT:                     # MSG_STAT_ANY skips the read check
            ipcperms(cred_of(p), listed[msqid], S_IRUGO)
        p.mm.write(buf, _msqid_ds(p, listed[msqid]))
        return listed[msqid].id
    q = queues.get(msqid)
    if cmd == IPC_STAT:
        ipcperms(cred_of(p), q, S_IRUGO)
        p.mm.write(buf, _msqid_ds(p, q))
        return 0
    if cmd in (IPC_SET, IPC_RMID):
        check_owner(cred_of(p), q)
    if cmd == IPC_SET:
        raw = p.mm.read(buf, len(_msqid_ds(p, q)))
        qbytes_at = PERM_SIZE[word] + (40 if word == 64 else 32)
        qbytes = struct.unpack_from("<Q" if word == 64 else "<I", raw, qbytes_at)[0]
        if qbytes > MSGMNB and (p.cred is not None and p.cred.euid != 0):
            raise KernelError(errno.EPERM)
        q.set_perm(raw[:PERM_SIZE[word]], word)
        q.qbytes = qbytes
        return 0
    if cmd == IPC_RMID:
        queues.remove(q)
        return 0
    raise KernelError(errno.EINVAL)
