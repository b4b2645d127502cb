"""System V semaphores (ipc/sem.c): semget, semop, semtimedop, semctl. A semop's operations
happen all at once or not at all; one that cannot proceed waits (EAGAIN with IPC_NOWAIT or
when semtimedop's timeout passes, EINTR for a signal, EIDRM when the set is removed).
SEM_UNDO adjustments are applied when the process exits."""
from __future__ import annotations

import errno
import struct
import time as host_time

from ..block import Block
from ..errors import KernelError
from .cred import cred_of
from .sysv_ids import (IPC_64, IPC_INFO, IPC_NOWAIT, IPC_RMID, IPC_SET, IPC_STAT, PERM_SIZE,
                       S_IRUGO, S_IWUGO, IpcObject, IpcSpace, check_owner, creator, ipc_state,
                       ipcperms)
from .time import _read_timespec

GETPID, GETVAL, GETALL, GETNCNT, GETZCNT, SETVAL, SETALL = 11, 12, 13, 14, 15, 16, 17
SEM_STAT, SEM_INFO, SEM_STAT_ANY = 18, 19, 20
SEM_UNDO = 0x1000
SEMMSL, SEMMNS, SEMOPM, SEMMNI, SEMVMX, SEMAEM = 32000, 1024000000, 500, 32000, 32767, 32767
SEMBUF = struct.Struct("<HhH")          # sem_num, sem_op, sem_flg


class SemSet(IpcObject):
    def __init__(self, key: int, ident: int, nsems: int, mode: int, uid: int, gid: int):
        super().__init__(key, ident, mode, uid, gid)
        self.values = [0] * nsems
        self.pids = [0] * nsems
        self.otime = 0
        self.waiting: dict = {}         # blocked process's pid -> (it, its operations)

    def blocked_count(self, num: int, zero: bool) -> int:
        """GETZCNT / GETNCNT: processes waiting for num to be zero, or to grow."""
        return sum(1 for proc, ops in self.waiting.values() if proc.alive and any(
            n == num and ((op == 0) if zero else (op < 0)) for n, op, _ in ops))


class SemState:
    def __init__(self):
        self.sets = IpcSpace(SEMMNI)
        self.undo: dict[int, dict] = {}     # tgid -> {(semid, num): adjustment}
        self.removed_while_waiting: set = set()


def _state(kernel) -> SemState:
    return ipc_state(kernel, "sysv_sem", SemState)


def sys_semget(p, key, nsems, semflg):
    if not 0 <= nsems <= SEMMSL:
        raise KernelError(errno.EINVAL)
    sets = _state(p.kernel).sets

    def make(k, ident):
        if nsems == 0:
            raise KernelError(errno.EINVAL)
        return SemSet(k, ident, nsems, semflg, *creator(p))
    ident = sets.find_or_make(key, semflg, make, cred_of(p))
    if nsems > len(sets.get(ident).values):
        raise KernelError(errno.EINVAL)
    return ident


def _try(sem: SemSet, ops: list) -> int | None:
    """Apply every operation or none: None when one must wait, else 0 (ERANGE raised)."""
    values = list(sem.values)
    for num, op, flg in ops:
        if op > 0:
            if values[num] + op > SEMVMX:
                raise KernelError(errno.ERANGE)
            values[num] += op
        elif op == 0:
            if values[num]:
                return None
        elif values[num] + op < 0:
            return None
        else:
            values[num] += op
    sem.values = values
    return 0


def _semop(p, semid, sops, nsops, timeout_addr, wide):
    state = _state(p.kernel)
    if p.pid in state.removed_while_waiting:
        state.removed_while_waiting.discard(p.pid)
        raise KernelError(errno.EIDRM)
    if nsops < 1:
        raise KernelError(errno.EINVAL)
    if nsops > SEMOPM:
        raise KernelError(errno.E2BIG)
    raw = p.mm.read(sops, SEMBUF.size * nsops)
    ops = [SEMBUF.unpack_from(raw, i * SEMBUF.size) for i in range(nsops)]
    ops = [(num, op, flg) for num, op, flg in ops]
    deadline = None
    if timeout_addr:
        deadline = p.linux.sigwait_deadline
        if deadline is None:
            deadline = p.linux.sigwait_deadline = host_time.monotonic() + \
                _read_timespec(p, timeout_addr, wide)
    sem = state.sets.get(semid)
    if any(num >= len(sem.values) for num, _, _ in ops):
        raise KernelError(errno.EFBIG)
    # an operation that changes a value needs write (alter) permission, waiting for zero read
    ipcperms(cred_of(p), sem, S_IWUGO if any(op for _, op, _ in ops) else S_IRUGO)
    sem.waiting.pop(p.pid, None)
    if _try(sem, ops) is not None:
        p.linux.sigwait_deadline = None
        now = int(host_time.time())
        sem.otime = now
        for num, op, flg in ops:
            sem.pids[num] = p.tgid
            if flg & SEM_UNDO and op:
                _record_undo(p, state, semid, num, -op)
        return 0
    if any(flg & IPC_NOWAIT for _, _, flg in ops):
        raise KernelError(errno.EAGAIN)
    if deadline is not None and host_time.monotonic() >= deadline:
        p.linux.sigwait_deadline = None
        raise KernelError(errno.EAGAIN)
    sem.waiting[p.pid] = (p, ops)

    def ready() -> bool:
        if sem.removed:
            state.removed_while_waiting.add(p.pid)
            return True
        values = sem.values
        return all((values[n] == 0) if op == 0 else (values[n] + op >= 0) for n, op, _ in ops)

    def interrupted() -> None:
        sem.waiting.pop(p.pid, None)
        p.linux.sigwait_deadline = None
    # Never restarted after a handler (EINTR whatever SA_RESTART says), as Linux.
    raise Block(ready, deadline=deadline, restartable=False, on_interrupt=interrupted)


def _record_undo(p, state: SemState, semid: int, num: int, adj: int) -> None:
    undo = state.undo.get(p.tgid)
    if undo is None:
        undo = state.undo[p.tgid] = {}
        p.exit_hooks.append(lambda: _apply_undo(p, state))
    undo[(semid, num)] = undo.get((semid, num), 0) + adj


def _apply_undo(p, state: SemState) -> None:
    """exit_sem: each adjustment the process's SEM_UNDO operations left, clamped to the
    semaphore's range."""
    for (semid, num), adj in state.undo.pop(p.tgid, {}).items():
        sem = state.sets.objects.get(semid)
        if sem is not None and num < len(sem.values) and adj:
            sem.values[num] = max(0, min(SEMVMX, sem.values[num] + adj))
            sem.pids[num] = p.tgid


def exit_sem(p) -> None:
    """unshare(CLONE_SYSVSEM): the undos are given back now, as at exit, when no other
    thread of the process shares them."""
    if [t for t in p.group if t.alive] == [p]:
        _apply_undo(p, _state(p.kernel))


def sys_semop(p, semid, sops, nsops):
    return _semop(p, semid, sops, nsops, 0, None)


def sys_semtimedop(p, semid, sops, nsops, timeout):
    return _semop(p, semid, sops, nsops, timeout, None)


def sys_semtimedop_time64(p, semid, sops, nsops, timeout):
    return _semop(p, semid, sops, nsops, timeout, True)


def _semid_ds(p, sem: SemSet) -> bytes:
    bits = p.sysvec.word_bits
    if bits == 64:
        return sem.perm(64) + struct.pack("<qQqQQQQ", sem.otime, 0, sem.ctime, 0,
                                          len(sem.values), 0, 0)
    return sem.perm(32) + struct.pack("<IIIIIII", sem.otime, 0, sem.ctime, 0,
                                      len(sem.values), 0, 0)


def _seminfo(state: SemState) -> bytes:
    """struct seminfo: semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz,
    semvmx, semaem (SEM_INFO puts the sets in use in semusz and their semaphores in semaem)."""
    return struct.pack("<10i", SEMMNI, SEMMNI, SEMMNS, SEMMNS, SEMMSL, SEMOPM, SEMOPM, 20,
                       SEMVMX, SEMAEM)


def sys_semctl(p, semid, semnum, cmd, arg):
    state = _state(p.kernel)
    cmd &= ~IPC_64
    word = p.sysvec.word_bits
    if cmd in (IPC_INFO, SEM_INFO):
        info = bytearray(_seminfo(state))
        if cmd == SEM_INFO:
            struct.pack_into("<i", info, 28, len(state.sets.objects))
            struct.pack_into("<i", info, 36, sum(len(s.values)
                                                 for s in state.sets.objects.values()))
        p.mm.write(arg, bytes(info))
        return max(state.sets.objects, default=0)
    if cmd in (SEM_STAT, SEM_STAT_ANY):
        sem = list(state.sets.objects.values())[semid] \
            if 0 <= semid < len(state.sets.objects) else None
        if sem is None:
            raise KernelError(errno.EINVAL)
        if cmd == SEM_STAT:                     # SEM_STAT_ANY skips the read check
            ipcperms(cred_of(p), sem, S_IRUGO)
        p.mm.write(arg, _semid_ds(p, sem))
        return sem.id
    sem = state.sets.get(semid)
    nsems = len(sem.values)
    if cmd in (IPC_SET, IPC_RMID):
        check_owner(cred_of(p), sem)
    elif cmd in (SETVAL, SETALL):
        ipcperms(cred_of(p), sem, S_IWUGO)
    elif cmd in (IPC_STAT, GETVAL, GETPID, GETNCNT, GETZCNT, GETALL):
        ipcperms(cred_of(p), sem, S_IRUGO)
    if cmd in (GETVAL, GETPID, GETNCNT, GETZCNT, SETVAL) and not 0 <= semnum < nsems:
        raise KernelError(errno.EINVAL)
    if cmd == IPC_STAT:
        p.mm.write(arg, _semid_ds(p, sem))
        return 0
    if cmd == IPC_SET:
        sem.set_perm(p.mm.read(arg, PERM_SIZE[word]), word)
        return 0
    if cmd == IPC_RMID:
        state.sets.remove(sem)
        return 0
    if cmd == GETVAL:
        return sem.values[semnum]
    if cmd == GETPID:
        return sem.pids[semnum]
    if cmd == GETNCNT:
        return sem.blocked_count(semnum, zero=False)
    if cmd == GETZCNT:
        return sem.blocked_count(semnum, zero=True)
    if cmd == GETALL:
        p.mm.write(arg, struct.pack(f"<{nsems}H", *sem.values))
        return 0
    if cmd == SETVAL:
        value = ((arg & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000    # union semun's int
        if not 0 <= value <= SEMVMX:
            raise KernelError(errno.ERANGE)
        sem.values[semnum] = value
        sem.pids[semnum] = p.tgid
        _forget_undo(state, semid, semnum)
        sem.ctime = int(host_time.time())
        return 0
    if cmd == SETALL:
        values = struct.unpack(f"<{nsems}H", p.mm.read(arg, 2 * nsems))
        if any(v > SEMVMX for v in values):
            raise KernelError(errno.ERANGE)
        sem.values = list(values)
        sem.pids = [p.tgid] * nsems
        _forget_undo(state, semid, None)
        sem.ctime = int(host_time.time())
        return 0
    raise KernelError(errno.EINVAL)


def _forget_undo(state: SemState, semid: int, num: int | None) -> None:
    """SETVAL and SETALL clear every process's adjustment of what they set."""
    for undo in state.undo.values():
        for key in [k for k in undo if k[0] == semid and (num is None or k[1] == num)]:
            del undo[key]
