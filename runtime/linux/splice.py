"""Moving data between descriptors without the caller's buffer (fs/splice.c,
fs/read_write.c): splice (one end a pipe), tee (pipe to pipe, the data left in the source)
and copy_file_range (file to file). Each moves what the source has and the destination
takes now, waiting as a read and a write would (not with SPLICE_F_NONBLOCK, which answers
EAGAIN for a pipe that would wait); a source pipe gives up only the bytes written, and bytes
read and not written go back to a seekable source."""
from __future__ import annotations

import errno
import os
import struct

from .. import signals
from ..errors import BrokenPipe, KernelError, WouldBlock
from ..files import (O_ACCMODE, O_APPEND, O_NONBLOCK, O_RDONLY, O_WRONLY, PipeRdWrEnd,
                     PipeReadEnd, PipeWriteEnd)
from .fs import (MAX_RW, _blocking, _modified, _unread, _within_file_size_limit,
                 _within_output_limit)

SPLICE_F_MOVE, SPLICE_F_NONBLOCK, SPLICE_F_MORE, SPLICE_F_GIFT = 1, 2, 4, 8
SPLICE_FLAGS = SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT


def _is_pipe(f) -> bool:
    return isinstance(f, (PipeReadEnd, PipeWriteEnd, PipeRdWrEnd))


def _offset(p, addr: int) -> int:
    """A loff_t the caller passes by address (EINVAL when negative)."""
    pos = struct.unpack("<q", p.mm.read(addr, 8))[0]
    if pos < 0:
        raise KernelError(errno.EINVAL)
    return pos


def _io(p, f, op, readable: bool, nonblock: bool):
    """op on f, waiting as read and write do; SPLICE_F_NONBLOCK: EAGAIN instead of a wait."""
    if not nonblock:
        return _blocking(p, f, op, readable)
    try:
        return op()
    except WouldBlock:
        raise KernelError(errno.EAGAIN) from None
    except BrokenPipe:
        signals.send(p, signals.SIGPIPE)
        raise KernelError(errno.EPIPE) from None


def sys_splice(p, fd_in, off_in, fd_out, off_out, length, flags):
    if flags & ~SPLICE_FLAGS:
        raise KernelError(errno.EINVAL)
    src, dst = p.fds.get(fd_in), p.fds.get(fd_out)
    if src.status_flags & O_ACCMODE == O_WRONLY or dst.status_flags & O_ACCMODE == O_RDONLY:
        raise KernelError(errno.EBADF)
    if not _is_pipe(src) and not _is_pipe(dst):
        raise KernelError(errno.EINVAL)
    if (off_in and _is_pipe(src)) or (off_out and _is_pipe(dst)):
        raise KernelError(errno.ESPIPE)
    if dst.status_flags & O_APPEND and not _is_pipe(dst):
        raise KernelError(errno.EINVAL)
    if src is dst or (_is_pipe(src) and _is_pipe(dst) and src.pipe is dst.pipe):
        raise KernelError(errno.EINVAL)
    nonblock = bool(flags & SPLICE_F_NONBLOCK)
    count = min(length, MAX_RW)
    if not count:
        return 0
    if _is_pipe(dst) and dst.pipe.readers:
        room = dst.pipe.capacity - dst.pipe.size
        if room <= 0:       # wait for room before taking anything from the source
            _io(p, dst, _full, False, nonblock or bool(dst.status_flags & O_NONBLOCK))
        count = min(count, room)
    pos_in = _offset(p, off_in) if off_in else None
    pos_out = _offset(p, off_out) if off_out else None
    from_pipe = src.pipe if _is_pipe(src) else None
    if from_pipe is not None:
        # A pipe gives up only what the destination took (a socket may take part, or
        # nothing: EAGAIN leaves the pipe as it was): look now, take after the write.
        if not from_pipe.size and from_pipe.writers:
            _io(p, src, _full, True, nonblock or bool(src.status_flags & O_NONBLOCK))
        data = from_pipe.peek(count)
    elif pos_in is not None:
        data = src.pread(count, pos_in)
    else:
        data = _io(p, src, lambda: src.read(count), True, False)
    if not data:
        return 0
    if pos_out is None:
        data = _within_output_limit(p, dst, data)
    data = _within_file_size_limit(p, dst, data, pos_out)
    try:
        if pos_out is not None:
            n = dst.pwrite(data, pos_out)
        else:
            n = _io(p, dst, lambda: dst.write(data), False, nonblock and _is_pipe(dst))
    except BaseException:
        if pos_in is None and from_pipe is None:
            _unread(src, len(data))
        raise
    if from_pipe is not None:
        from_pipe.take(n)
    elif n < len(data) and pos_in is None:
        _unread(src, len(data) - n)
    if pos_in is not None:
        p.mm.write(off_in, struct.pack("<q", pos_in + n))
    if pos_out is not None:
        p.mm.write(off_out, struct.pack("<q", pos_out + n))
    return _modified(p, dst, n)


def _full():
    raise WouldBlock()


def sys_tee(p, fd_in, fd_out, length, flags):
    """Copy what the source pipe holds into the destination pipe, leaving it in the source."""
    if flags & ~SPLICE_FLAGS:
        raise KernelError(errno.EINVAL)
    src, dst = p.fds.get(fd_in), p.fds.get(fd_out)
    if not isinstance(src, (PipeReadEnd, PipeRdWrEnd)) or \
            not isinstance(dst, (PipeWriteEnd, PipeRdWrEnd)) or src.pipe is dst.pipe:
        raise KernelError(errno.EINVAL)
    nonblock = bool(flags & SPLICE_F_NONBLOCK)
    pipe = src.pipe
    if not pipe.size:
        if not pipe.writers:
            return 0
        _io(p, src, _full, True, nonblock or bool(src.status_flags & O_NONBLOCK))
    room = dst.pipe.capacity - dst.pipe.size
    if room <= 0:
        _io(p, dst, _full, False, nonblock or bool(dst.status_flags & O_NONBLOCK))
    data = pipe.peek(min(length, room, MAX_RW))
    return _io(p, dst, lambda: dst.write(data), False, nonblock)


def sys_copy_file_range(p, fd_in, off_in, fd_out, off_out, length, flags):
    """From one regular file to another (or another range of the same one): the positions
    are *off_in and *off_out, else the descriptors' offsets, and advance by what moved."""
    if flags:
        raise KernelError(errno.EINVAL)
    src, dst = p.fds.get(fd_in), p.fds.get(fd_out)
    if src.status_flags & O_ACCMODE == O_WRONLY or dst.status_flags & O_ACCMODE == O_RDONLY \
            or dst.status_flags & O_APPEND:
        raise KernelError(errno.EBADF)
    for f in (src, dst):
        if f.kind == "dir":
            raise KernelError(errno.EISDIR)
        if f.kind != "file":
            raise KernelError(errno.EINVAL)
    pos_in = _offset(p, off_in) if off_in else src.lseek(0, os.SEEK_CUR)
    pos_out = _offset(p, off_out) if off_out else dst.lseek(0, os.SEEK_CUR)
    count = min(length, MAX_RW)
    st_in, st_out = src.fstat(), dst.fstat()
    if (st_in.st_dev, st_in.st_ino) == (st_out.st_dev, st_out.st_ino) and \
            pos_in < pos_out + count and pos_out < pos_in + count:
        raise KernelError(errno.EINVAL)     # overlapping ranges of one file
    data = src.pread(count, pos_in)
    if not data:
        return 0
    data = _within_file_size_limit(p, dst, data, pos_out)
    n = dst.pwrite(data, pos_out)
    if off_in:
        p.mm.write(off_in, struct.pack("<q", pos_in + n))
    else:
        src.lseek(pos_in + n, os.SEEK_SET)
    if off_out:
        p.mm.write(off_out, struct.pack("<q", pos_out + n))
    else:
        dst.lseek(pos_out + n, os.SEEK_SET)
    return _modified(p, dst, n)


def sys_vmsplice(p, fd, uiov, nr_segs, flags):
    """The caller's memory into a pipe's write end, or a pipe's read end into the caller's
    memory (vmsplice_to_pipe / vmsplice_to_user): writev and readv on the pipe, waiting as
    they do unless SPLICE_F_NONBLOCK (SPLICE_F_GIFT is a hint: the pages are copied here)."""
    from .fs import _chunk, _gather, _iovecs, _scatter
    if flags & ~SPLICE_FLAGS:
        raise KernelError(errno.EINVAL)
    f = p.fds.get(fd)
    if not _is_pipe(f):
        raise KernelError(errno.EBADF)
    nonblock = bool(flags & SPLICE_F_NONBLOCK) or bool(f.status_flags & O_NONBLOCK)
    if not isinstance(f, PipeReadEnd):       # open for writing (a FIFO's O_RDWR end too)
        data = _gather(p, uiov, nr_segs, _chunk(f, MAX_RW))   # what fits, not gigabytes
        return _io(p, f, lambda: f.write(data), False, nonblock) if data else 0
    vecs = _iovecs(p, uiov, nr_segs)
    total = sum(n for _, n in vecs)
    if not total:
        return 0
    return _scatter(p, vecs, _io(p, f, lambda: f.read(min(total, MAX_RW)), True, nonblock))
