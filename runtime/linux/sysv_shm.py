"""System V shared memory (shmget, shmat, shmdt, shmctl, and i386's ipc() multiplexer for
every System V call): a segment is a set of physical pages, attached with the same shared
mappings as MAP_SHARED (shm.py), so a fork and every attacher see one memory."""
from __future__ import annotations

import errno
import itertools
import struct
import time as host_time

from ..errors import KernelError
from ..mm import PAGE, PROT_EXEC, PROT_READ, PROT_WRITE, page_up
from .mm import map_count_ok
from .shm import NOPAGE
from .cred import cred_of
from .sysv_ids import (IPC_64, IPC_CREAT, IPC_EXCL, IPC_INFO, IPC_PRIVATE, IPC_RMID, IPC_SET,
                       IPC_STAT, S_IRUGO, S_IWUGO, check_owner, creator, ipcperms)

SHM_STAT, SHM_INFO, SHM_STAT_ANY, SHM_RDONLY, SHM_RND = 13, 14, 15, 0o10000, 0o20000
SHM_REMAP, SHM_EXEC = 0o40000, 0o100000
SHMMAX = 1 << 32                         # what one segment may hold here
# ipc(2) call numbers
IPC_SEMOP, IPC_SEMGET, IPC_SEMCTL, IPC_SEMTIMEDOP = 1, 2, 3, 4
IPC_MSGSND, IPC_MSGRCV, IPC_MSGGET, IPC_MSGCTL = 11, 12, 13, 14
IPC_SHMAT, IPC_SHMDT, IPC_SHMGET, IPC_SHMCTL = 21, 22, 23, 24


SHM_DEVICE = 1            # the shm file system's device number (0:1), as /proc/PID/maps shows


class Segment:
    def __init__(self, shmid: int, key: int, size: int, mode: int, cpid: int,
                 owner: tuple[int, int] = (0, 0)):
        self.id, self.key, self.size, self.mode, self.cpid = shmid, key, size, mode, cpid
        self.uid = self.cuid = owner[0]            # ipc_perm: owner and creator
        self.gid = self.cgid = owner[1]
        self.locked = False                        # SHM_LOCK
        self.lpid = 0
        self.pages = None             # physical pages, made at the first attach
        self.engine = None            # whose pool holds them
        self.removed = False
        self.atime = self.dtime = 0
        self.ctime = int(host_time.time())

    def release_pages(self) -> None:
        if self.pages is not None:
            for ppn in self.pages:
                self.engine.lib.sv_phys_unref(self.engine.phys, ppn)
            self.pages = None


class SysvShm:
    def __init__(self):
        self.segments: dict[int, Segment] = {}
        self.ids = itertools.count(0x8000)

    def get(self, shmid: int) -> Segment:
        seg = self.segments.get(shmid)
        if seg is None:
            raise KernelError(errno.EINVAL)
        return seg

    def maybe_destroy(self, kernel, seg: Segment, leaving=None) -> None:
        """A removed segment goes with its last attach (leaving: an address space on its
        way out, no longer counted)."""
        if seg.removed and attach_count(kernel, seg, leaving) <= 0:
            seg.release_pages()
            self.segments.pop(seg.id, None)

    def sweep(self, kernel, leaving=None) -> None:
        for seg in [s for s in self.segments.values() if s.removed]:
            self.maybe_destroy(kernel, seg, leaving)


def attach_count(kernel, seg: Segment, leaving=None) -> int:
    """shm_nattch: the segment's attaches in every live address space, counted where they
    are (a fork's copy is an attach of its own, an unmap or exit ends one), as Linux
    counts the mappings shmat made: each begins at offset 0 of the segment (pieces that
    mprotect split off lie further in)."""
    seen, count = set(), 0
    for proc in kernel.procs.values():
        mm = proc.mm
        if mm is None or mm is leaving or id(mm) in seen or not proc.alive:
            continue
        seen.add(id(mm))
        count += sum(1 for v in mm.vmas if _attach_of(v) == seg.id)
    return count


def _attach_of(v) -> int | None:
    """The segment a mapping is the start of an attach of (a host file of the same name
    is none: the shm device and the shmid as inode say so), or None."""
    if v.dev == SHM_DEVICE and v.offset == 0 and v.name.startswith("/SYSV"):
        return v.inode
    return None


def sweep_removed(kernel, leaving=None) -> None:
    """After a process's memory goes: removed segments nobody has attached are freed."""
    from .personality import personality
    state = personality.machine(kernel)
    if state.sysv_shm is not None:
        state.sysv_shm.sweep(kernel, leaving)


def _ipc(kernel) -> SysvShm:
    from .personality import personality
    state = personality.machine(kernel)
    if state.sysv_shm is None:
        state.sysv_shm = SysvShm()
    return state.sysv_shm


def _vma_name(seg: Segment) -> str:
    return f"/SYSV{seg.key & 0xFFFFFFFF:08x} (shmid {seg.id})"


def sys_shmget(p, key, size, shmflg):
    ipc = _ipc(p.kernel)
    if key != IPC_PRIVATE:
        found = next((s for s in ipc.segments.values() if s.key == key and not s.removed), None)
        if found is not None:
            if shmflg & IPC_CREAT and shmflg & IPC_EXCL:
                raise KernelError(errno.EEXIST)
            ipcperms(cred_of(p), found, shmflg & 0o777)
            if size > found.size:
                raise KernelError(errno.EINVAL)
            return found.id
        if not shmflg & IPC_CREAT:
            raise KernelError(errno.ENOENT)
    if not 0 < size <= SHMMAX:
        raise KernelError(errno.EINVAL)
    seg = Segment(next(ipc.ids), key, size, shmflg & 0o777, p.tgid, creator(p))
    ipc.segments[seg.id] = seg
    return seg.id


def sys_shmat(p, shmid, shmaddr, shmflg):
    seg = _ipc(p.kernel).get(shmid)
    ipcperms(cred_of(p), seg, S_IRUGO | (0 if shmflg & SHM_RDONLY else S_IWUGO) |
             (0o111 if shmflg & SHM_EXEC else 0))
    mm, engine = p.mm, p.mm.engine
    if seg.engine is not None and seg.engine is not engine:
        raise KernelError(errno.EINVAL)     # a 32-bit and a 64-bit process: two pools
    length = page_up(seg.size)
    if shmaddr:
        if shmaddr % PAGE and not shmflg & SHM_RND:
            raise KernelError(errno.EINVAL)
        start = shmaddr & ~(PAGE - 1)
        if not start and shmflg & SHM_REMAP:
            raise KernelError(errno.EINVAL)
        # without SHM_REMAP an attach never replaces what is mapped there (do_shmat)
        if start + length > mm.layout.user_top or \
                not shmflg & SHM_REMAP and mm.overlaps(start, start + length):
            raise KernelError(errno.EINVAL)
    elif shmflg & SHM_REMAP:
        raise KernelError(errno.EINVAL)
    else:
        start = mm.find_free(length)
    if not map_count_ok(p, 0):
        raise KernelError(errno.ENOMEM)     # do_mmap's vm.max_map_count check
    ppns = engine.ffi.new("uint32_t[]", seg.pages or [NOPAGE] * (length // PAGE))
    prot = PROT_READ | (0 if shmflg & SHM_RDONLY else PROT_WRITE) | \
        (PROT_EXEC if shmflg & SHM_EXEC else 0)
    mm.map_shared(start, length, prot, ppns, _vma_name(seg))
    mm.mark_file(start, start + length, 0, SHM_DEVICE, seg.id)   # maps: "00:01 <shmid>"
    if seg.pages is None:              # the segment keeps its own reference to each page
        seg.pages, seg.engine = list(ppns), engine
        for ppn in seg.pages:
            engine.lib.sv_phys_ref(engine.phys, ppn)
    seg.lpid, seg.atime = p.tgid, int(host_time.time())
    return start


def sys_shmdt(p, shmaddr):
    ipc = _ipc(p.kernel)
    vma = next((v for v in p.mm.vmas if v.start == shmaddr and _attach_of(v) is not None), None)
    if vma is None:
        raise KernelError(errno.EINVAL)
    seg = ipc.segments.get(vma.inode)
    # The whole attach goes, even if mprotect split it (and not a neighbouring attach).
    end = shmaddr + page_up(seg.size) if seg is not None else vma.end
    p.mm.unmap(shmaddr, end - shmaddr)
    if seg is not None:
        seg.lpid, seg.dtime = p.tgid, int(host_time.time())
        ipc.maybe_destroy(p.kernel, seg)
    return 0


SHM_DEST, SHM_LOCKED = 0o1000, 0o2000     # mode bits: removed while attached; locked
SHM_LOCK, SHM_UNLOCK, CAP_IPC_LOCK, RLIMIT_MEMLOCK = 11, 12, 14, 8


def _lock(p, seg: Segment, lock: bool) -> None:
    """SHM_LOCK/SHM_UNLOCK: CAP_IPC_LOCK, or the owner or creator (with some RLIMIT_MEMLOCK
    to lock); the segment is then marked locked (its pages are never swapped here)."""
    cred = cred_of(p)
    if cred is not None and not cred.capable(CAP_IPC_LOCK):
        from .resource import rlimit
        if cred.euid not in (seg.uid, seg.cuid) or lock and not rlimit(p, RLIMIT_MEMLOCK)[0]:
            raise KernelError(errno.EPERM)
    seg.locked = lock


def _shmid_ds(p, seg: Segment) -> bytes:
    """struct shmid64_ds as the process's word size lays it out."""
    mode = seg.mode | (SHM_DEST if seg.removed else 0) | (SHM_LOCKED if seg.locked else 0)
    if p.sysvec.word_bits == 64:
        perm = struct.pack("<iIIIIIHH4xQQ", seg.key, seg.uid, seg.gid, seg.cuid, seg.cgid, mode,
                           0, 0, 0, 0)
        return perm + struct.pack("<QqqqiiQQQ", seg.size, seg.atime, seg.dtime, seg.ctime,
                                  seg.cpid, seg.lpid, attach_count(p.kernel, seg), 0, 0)
    perm = struct.pack("<iIIIIHHHHII", seg.key, seg.uid, seg.gid, seg.cuid, seg.cgid, mode, 0,
                       0, 0, 0, 0)
    return perm + struct.pack("<IIIIIIIiiIII", seg.size, seg.atime, 0, seg.dtime, 0,
                              seg.ctime, 0, seg.cpid, seg.lpid, attach_count(p.kernel, seg), 0, 0)


def sys_shmctl(p, shmid, cmd, buf):
    ipc = _ipc(p.kernel)
    ipc.sweep(p.kernel)          # removed segments whose last attach was unmapped
    cmd &= ~IPC_64
    listed = list(ipc.segments.values())
    if cmd in (IPC_INFO, SHM_INFO):             # the highest index SHM_STAT takes
        p.mm.write(buf, _shminfo(p, listed) if cmd == IPC_INFO else _shm_info(p, listed))
        return max(len(listed) - 1, 0)
    if cmd in (SHM_STAT, SHM_STAT_ANY):         # by index, as ipcs walks them
        if not 0 <= shmid < len(listed):
            raise KernelError(errno.EINVAL)
        if cmd == SHM_STAT:                     # SHM_STAT_ANY skips the read check
            ipcperms(cred_of(p), listed[shmid], S_IRUGO)
        p.mm.write(buf, _shmid_ds(p, listed[shmid]))
        return listed[shmid].id
    seg = ipc.get(shmid)
    if cmd == IPC_STAT:
        ipcperms(cred_of(p), seg, S_IRUGO)
        p.mm.write(buf, _shmid_ds(p, seg))
        return 0
    if cmd in (IPC_SET, IPC_RMID):
        check_owner(cred_of(p), seg)
    if cmd == IPC_SET:
        raw = p.mm.read(buf, 24)
        seg.uid, seg.gid = struct.unpack_from("<II", raw, 4)
        seg.mode = struct.unpack_from("<I" if p.sysvec.word_bits == 64 else "<H", raw, 20)[0] & 0o777
        seg.ctime = int(host_time.time())
        return 0
    if cmd in (SHM_LOCK, SHM_UNLOCK):
        _lock(p, seg, cmd == SHM_LOCK)
        return 0
    if cmd == IPC_RMID:
        seg.removed = True
        ipc.maybe_destroy(p.kernel, seg)
        return 0
    raise KernelError(errno.EINVAL)


SHMMNI = 4096


def _shminfo(p, listed) -> bytes:
    """struct shminfo64: shmmax, shmmin, shmmni, shmseg, shmall, four unused words."""
    if p.sysvec.word_bits == 64:
        return struct.pack("<9Q", SHMMAX, 1, SHMMNI, SHMMNI, SHMMAX >> 12, 0, 0, 0, 0)
    # copy_compat_shminfo: a 32-bit caller sees shmmax at most INT_MAX
    return struct.pack("<9I", min(SHMMAX, 0x7FFFFFFF), 1, SHMMNI, SHMMNI, SHMMAX >> 12,
                       0, 0, 0, 0)


def _shm_info(p, listed) -> bytes:
    """struct shm_info: segments in use, then their pages, resident pages, and swap's
    (none)."""
    total = sum(page_up(seg.size) >> 12 for seg in listed)
    resident = sum(page_up(seg.size) >> 12 for seg in listed if seg.pages is not None)
    if p.sysvec.word_bits == 64:
        return struct.pack("<i4x5Q", len(listed), total, resident, 0, 0, 0)
    return struct.pack("<i5I", len(listed), total, resident, 0, 0, 0)


def sys_ipc(p, call, first, second, third, ptr, fifth):
    """i386's multiplexer, as older C libraries call it: shared memory, semaphores and
    message queues, the high half of call being the ABI version."""
    from .sysv_msg import sys_msgctl, sys_msgget, sys_msgrcv, sys_msgsnd
    from .sysv_sem import sys_semctl, sys_semget, sys_semtimedop
    version, call = call >> 16, call & 0xFFFF
    if call == IPC_SHMGET:
        return sys_shmget(p, first, second, third)
    if call == IPC_SHMAT:
        addr = sys_shmat(p, first, ptr, second)
        p.mm.write_u32(third, addr)      # the address goes to *third; the call returns 0
        return 0
    if call == IPC_SHMDT:
        return sys_shmdt(p, ptr)
    if call == IPC_SHMCTL:
        return sys_shmctl(p, first, second, ptr)
    if call in (IPC_SEMOP, IPC_SEMTIMEDOP):
        timeout = fifth & 0xFFFFFFFF if call == IPC_SEMTIMEDOP else 0    # (a long: a pointer)
        return sys_semtimedop(p, first, ptr, second, timeout)
    if call == IPC_SEMGET:
        return sys_semget(p, first, second, third)
    if call == IPC_SEMCTL:
        if not ptr:
            raise KernelError(errno.EINVAL)
        return sys_semctl(p, first, second, third, p.mm.read_u32(ptr))  # *ptr: the semun
    if call == IPC_MSGSND:
        return sys_msgsnd(p, first, ptr, second, third)
    if call == IPC_MSGRCV:
        if version == 0:            # ptr: struct ipc_kludge { msgp, msgtyp }
            if not ptr:
                raise KernelError(errno.EINVAL)
            msgp, msgtyp = struct.unpack("<Ii", p.mm.read(ptr, 8))
            return sys_msgrcv(p, first, msgp, second, msgtyp, third)
        return sys_msgrcv(p, first, ptr, second, fifth, third)
    if call == IPC_MSGGET:
        return sys_msgget(p, first, second)
    if call == IPC_MSGCTL:
        return sys_msgctl(p, first, second, ptr)
    raise KernelError(errno.ENOSYS)
