"""Linux's native asynchronous I/O (fs/aio.c): io_setup, io_submit, io_getevents,
io_pgetevents, io_cancel and io_destroy, as libaio, fio's libaio engine and MariaDB's
InnoDB use them. The files here answer reads and writes at once, so each request completes
while io_submit hands it in, as the kernel completes buffered I/O: its io_event waits in
the context's completion ring (mapped in the process, as Linux maps `/[aio]`, with the
header libaio looks at before it asks the kernel) until io_getevents reaps it. With
IOCB_FLAG_RESFD the completion also adds 1 to an eventfd."""
from __future__ import annotations

import errno
import struct
import time
import weakref
from dataclasses import dataclass

from ..errors import KernelError
from ..kernel import Block

AIO_RING_MAGIC, AIO_RING_HEADER = 0xA10A10A1, 32
IO_EVENT = struct.Struct("<QQqq")            # data, obj (the iocb's address), res, res2
IOCB = struct.Struct("<QIIHhIQQqQII")        # data, key, rw_flags, opcode, prio, fd, buf, nbytes,
                                             # offset, reserved2, flags, resfd
IOCB_CMD_PREAD, IOCB_CMD_PWRITE, IOCB_CMD_FSYNC, IOCB_CMD_FDSYNC = 0, 1, 2, 3
IOCB_CMD_NOOP, IOCB_CMD_PREADV, IOCB_CMD_PWRITEV = 6, 7, 8
IOCB_FLAG_RESFD, IOCB_FLAG_IOPRIO = 1, 2
AIO_MAX_NR = 65536                           # /proc/sys/fs/aio-max-nr


@dataclass(eq=False)
class Context:
    """An AIO context: its ring in the process's memory and how many events it holds."""
    ring: int            # the ring's address, which is also the context's id
    size: int            # its mapping's length
    nr: int              # its event slots (one stays free, as the kernel's ring keeps)
    destroyed: bool = False   # io_destroy took it: a waiter wakes to EINVAL


# Each address space's contexts by id (a fork's child has none of its parent's: the ring
# is not inherited, VM_DONTCOPY).
_CONTEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _contexts(p) -> dict:
    return _CONTEXTS.setdefault(p.mm, {})


def _context(p, ctx_id: int) -> Context:
    found = _contexts(p).get(ctx_id)
    if found is None:
        raise KernelError(errno.EINVAL)
    return found


def _ring_state(p, ctx: Context) -> tuple[int, int]:
    head, tail = struct.unpack("<II", p.mm.read(ctx.ring + 8, 8))
    return head % ctx.nr, tail % ctx.nr


def sys_io_setup(p, nr_events, ctxp):
    """A context for nr_events requests; *ctxp must be 0 and gets its id."""
    word = p.sysvec.word_bits // 8
    if not 0 < nr_events <= AIO_MAX_NR or int.from_bytes(p.mm.read(ctxp, word), "little"):
        raise KernelError(errno.EINVAL)
    nr = nr_events + 1
    size = (AIO_RING_HEADER + nr * IO_EVENT.size + 0xFFF) & ~0xFFF
    ring = p.mm.find_free(size)
    p.mm.map(ring, size, 3, "/[aio] (deleted)")
    p.mm.write(ring, struct.pack("<8I", len(_contexts(p)), nr, 0, 0, AIO_RING_MAGIC, 1, 0,
                                 AIO_RING_HEADER))
    _contexts(p)[ring] = Context(ring, size, nr)
    p.mm.write(ctxp, ring.to_bytes(word, "little"))
    return 0


def sys_io_destroy(p, ctx):
    """The context goes, and a thread waiting in io_getevents on it wakes (EINVAL, as
    Linux's waiters find the context dead)."""
    context = _context(p, ctx)
    del _contexts(p)[ctx]
    context.destroyed = True
    p.mm.unmap(context.ring, context.size)
    return 0


def _events_ready(p, ctx: Context) -> bool:
    """A waiter's wake-up: a completion in the ring, or the context gone (destroyed, or its
    ring unmapped by the program: the restarted call says what that means)."""
    if ctx.destroyed:
        return True
    try:
        head, tail = _ring_state(p, ctx)
    except KernelError:          # (a Fault is one)
        return True
    return head != tail


def _complete(p, ctx: Context, iocb_at: int, data: int, result: int) -> None:
    head, tail = _ring_state(p, ctx)
    p.mm.write(ctx.ring + AIO_RING_HEADER + tail * IO_EVENT.size,
               IO_EVENT.pack(data, iocb_at, result, 0))
    p.mm.write_u32(ctx.ring + 12, (tail + 1) % ctx.nr)


def _run(p, opcode: int, fd: int, buf: int, nbytes: int, offset: int) -> int:
    """One request's result: a count, 0, or -errno (a Block propagates: the request waits)."""
    from .fs import (sys_fdatasync, sys_fsync, sys_pread64, sys_preadv2, sys_pwrite64,
                     sys_pwritev2)
    wide = p.sysvec.word_bits == 64
    low, high = (offset, 0) if wide else (offset & 0xFFFFFFFF, offset >> 32)
    calls = {IOCB_CMD_PREAD: lambda: sys_pread64(p, fd, buf, nbytes, offset),
             IOCB_CMD_PWRITE: lambda: sys_pwrite64(p, fd, buf, nbytes, offset),
             IOCB_CMD_PREADV: lambda: sys_preadv2(p, fd, buf, nbytes, low, high, 0),
             IOCB_CMD_PWRITEV: lambda: sys_pwritev2(p, fd, buf, nbytes, low, high, 0),
             IOCB_CMD_FSYNC: lambda: sys_fsync(p, fd),
             IOCB_CMD_FDSYNC: lambda: sys_fdatasync(p, fd)}
    call = calls.get(opcode)
    if call is None:
        raise KernelError(errno.EINVAL)       # POLL and the rest are not offered
    try:
        return call()
    except KernelError as exc:
        return -exc.errno


def _signal_eventfd(p, resfd: int) -> None:
    try:
        f = p.fds.get(resfd)
        f.write(struct.pack("<Q", 1))
    except Exception:     # KernelError, WouldBlock: a full counter loses the wake-up
        pass


def sys_io_submit(p, ctx_id, nr, iocbpp):
    """Hand in nr requests: the number taken (each completed into the ring), or the first
    one's error. A request that must wait (a pipe with nothing to read) waits in the call,
    as the kernel's synchronous buffered I/O does, when it is the first; later ones are left
    for the next io_submit."""
    ctx = _context(p, ctx_id)
    if nr < 0:
        raise KernelError(errno.EINVAL)
    word = p.sysvec.word_bits // 8
    done = 0
    for i in range(min(nr, ctx.nr)):
        head, tail = _ring_state(p, ctx)
        if (tail + 1) % ctx.nr == head:      # the ring is full until io_getevents reaps it
            if done:
                break
            raise KernelError(errno.EAGAIN)
        at = int.from_bytes(p.mm.read(iocbpp + i * word, word), "little")
        (data, key, rw_flags, opcode, prio, fd, buf, nbytes, offset, reserved, flags,
         resfd) = IOCB.unpack(p.mm.read(at, IOCB.size))
        if reserved or flags & ~(IOCB_FLAG_RESFD | IOCB_FLAG_IOPRIO) or \
                nbytes > (1 << 63) - 1 or offset < 0 and opcode != IOCB_CMD_FSYNC:
            if done:
                break
            raise KernelError(errno.EINVAL)
        p.fds.get(fd)                        # EBADF for a descriptor that is not open
        try:
            result = _run(p, opcode, fd, buf, nbytes, offset)
        except Block:
            if done:
                break
            raise
        except KernelError:
            if done:
                break
            raise
        p.mm.write_u32(at + 8, 0)            # aio_key: KIOCB_KEY
        _complete(p, ctx, at, data, result)
        if flags & IOCB_FLAG_RESFD:
            _signal_eventfd(p, resfd)
        done += 1
    return done


def _reap(p, ctx: Context, nr: int, events: int) -> int:
    head, tail = _ring_state(p, ctx)
    got = 0
    while head != tail and got < nr:
        raw = p.mm.read(ctx.ring + AIO_RING_HEADER + head * IO_EVENT.size, IO_EVENT.size)
        p.mm.write(events + got * IO_EVENT.size, raw)
        head = (head + 1) % ctx.nr
        got += 1
    p.mm.write_u32(ctx.ring + 8, head)
    return got


def sys_io_getevents(p, ctx_id, min_nr, nr, events, timeout):
    return _get_events(p, ctx_id, min_nr, nr, events, timeout, None)


def _get_events(p, ctx_id, min_nr, nr, events, timeout, wide: bool | None):
    """Up to nr completions; with fewer than min_nr ready, wait for more until the timeout
    (none will come: every request completed when it was handed in). The deadline a wait
    keeps across its restarts is forgotten however the call ends (a signal's EINTR too)."""
    try:
        return _get_events_once(p, ctx_id, min_nr, nr, events, timeout, wide)
    except Block as blk:
        blk.on_interrupt = lambda: p.linux.deadlines.pop("aio", None)
        raise
    except BaseException:
        p.linux.deadlines.pop("aio", None)
        raise


def _get_events_once(p, ctx_id, min_nr, nr, events, timeout, wide: bool | None):
    from .time import _read_timespec
    ctx = _context(p, ctx_id)
    if min_nr < 0 or nr < 0 or min_nr > nr:
        raise KernelError(errno.EINVAL)
    got = _reap(p, ctx, nr, events)
    if got >= min_nr or got:
        p.linux.deadlines.pop("aio", None)
        return got
    if timeout:
        deadline = p.linux.deadlines.setdefault(
            "aio", time.monotonic() + _read_timespec(p, timeout, wide))
        if time.monotonic() >= deadline:
            p.linux.deadlines.pop("aio", None)
            return 0
        raise Block(lambda: _events_ready(p, ctx), deadline=deadline)
    raise Block(lambda: _events_ready(p, ctx))


def sys_io_pgetevents(p, ctx_id, min_nr, nr, events, timeout, usig):
    """io_getevents; the signal mask it may carry is not applied here."""
    return _get_events(p, ctx_id, min_nr, nr, events, timeout, None)


def sys_io_pgetevents_time64(p, ctx_id, min_nr, nr, events, timeout, usig):
    """i386's io_pgetevents with a 64-bit timespec."""
    return _get_events(p, ctx_id, min_nr, nr, events, timeout, True)


def sys_io_cancel(p, ctx_id, iocb, result):
    """Every request has completed by the time it could be cancelled: EINVAL, as for one
    the kernel does not hold."""
    _context(p, ctx_id)
    raise KernelError(errno.EINVAL)
