"""Linux file calls over the sandboxed VFS: every path resolves inside the process's root."""
from __future__ import annotations

import errno
import os
import stat as S
import struct

from ..abi_structs import STATX_BTIME, pack_stat, pack_stat64, pack_statx
from ..errors import BrokenPipe, Fault, KernelError, WouldBlock
from ..files import (O_ACCMODE, O_RDONLY, O_WRONLY, PIPE_BUF, SYNTHETIC_DEV, PathFile,
                     PipeEnd, PipeReadEnd, PipeWriteEnd, make_pipe, page_caches)
from ..kernel import Block
from ..mounts import TMPFS_MAGIC, check_readonly
from ..vfs import O_PATH, O_TRUNC, DirRef, fd_inode_path
from .. import signals
from . import dnotify, fasync, locks, shm
from .. import iattr, perm
from .cred import CAP_LINUX_IMMUTABLE, CAP_MKNOD, CAP_SYS_CHROOT, cred_of
from ..tty.abi import FIONREAD, TTY_IOCTLS
from ..tty.ioctl import tty_ioctl

AT_FDCWD = -100
AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_EMPTY_PATH = 0x100, 0x200, 0x1000
AT_SYMLINK_FOLLOW = 0x400
O_NONBLOCK, O_CLOEXEC, O_APPEND = 0o4000, 0o2000000, 0o2000
F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC = 0, 1, 2, 3, 4, 1030
F_GETLK, F_SETLK, F_SETLKW = 5, 6, 7
FD_CLOEXEC = 1
FIONBIO, FIONCLEX, FIOCLEX, FIOASYNC = 0x5421, 0x5450, 0x5451, 0x5452
IOV_MAX = 1024
MAX_RW = 0x7FFFF000
MAX_READ = 64 << 20   # one read's bytes pass through host memory: larger reads are short


def _path(p, addr) -> str:
    return os.fsdecode(p.mm.read_cstr(addr))


def _base(p, dirfd: int, path: str) -> str:
    """The directory a relative path starts from: cwd, or the directory dirfd names."""
    if path.startswith("/") or dirfd == AT_FDCWD:
        return p.cwd
    f = p.fds.get(dirfd)
    if f.kind != "dir":
        raise KernelError(errno.ENOTDIR)
    if getattr(f, "fd", -1) >= 0 and f.guest_path.startswith("/"):
        return DirRef.of_open(f.guest_path, f)   # a removed directory: no names (ENOENT)
    return f.guest_path


def _fs(p):
    return p.kernel.fs


def _blocking(p, f, op, readable: bool):
    """Run op; if it would block, block the process (or EAGAIN for O_NONBLOCK)."""
    tty = getattr(f, "tty", None)
    if tty is not None:
        tty.job_control(p, readable)     # a background job: SIGTTIN / SIGTTOU
    try:
        done = op()
    except WouldBlock:
        if f.status_flags & O_NONBLOCK:
            raise KernelError(errno.EAGAIN) from None
        host_fd = getattr(f, "host_fd", None)
        ready = f.readable_now if readable else f.writable_now
        if getattr(f, "opts", None) is not None and f.kind == "sock":
            # socket(7): read, readv, write and writev wait no longer than SO_RCVTIMEO or
            # SO_SNDTIMEO, as recv and send do
            from .socket import SO_RCVTIMEO, SO_SNDTIMEO, _block
            raise _block(f, ready, p, SO_RCVTIMEO if readable else SO_SNDTIMEO,
                         "recv" if readable else "send") from None
        deadline = getattr(f, "next_deadline", None)   # a timerfd wakes by itself
        raise Block(ready, host_fds=[host_fd] if host_fd is not None and readable else (),
                    deadline=deadline() if deadline else None) from None
    except BrokenPipe:
        signals.send(p, signals.SIGPIPE)
        raise KernelError(errno.EPIPE) from None
    if p.linux.sock_deadline is not None and getattr(f, "kind", "") == "sock":
        p.linux.sock_deadline = None       # the next wait has its whole timeout again
    return done


def _within_output_limit(p, f, data: bytes) -> bytes:
    """The part of data --max-output lets through to the host's stdout/stderr; none: EFBIG."""
    allowed = p.kernel.output_allowance(p, f, len(data))
    if data and not allowed:
        raise KernelError(errno.EFBIG)
    return data[:allowed]


RLIMIT_FSIZE, SIGXFSZ = 1, 25


def _within_file_size_limit(p, f, data: bytes, pos: int | None = None) -> bytes:
    """RLIMIT_FSIZE: a write to a regular file stops at the limit; one wholly past it
    sends SIGXFSZ and fails EFBIG."""
    if not p.linux.rlimits or f.kind != "file" or not hasattr(f, "fd"):
        return data
    from .resource import RLIM_INFINITY, rlimit
    limit = rlimit(p, RLIMIT_FSIZE)[0]
    if limit == RLIM_INFINITY or not data:
        return data
    if pos is None:
        pos = f.fstat().st_size if f.status_flags & O_APPEND else f.lseek(0, os.SEEK_CUR)
    if pos >= limit:
        from .process import _sender      # send_sig's SI_USER from the writer itself
        signals.send(p, SIGXFSZ, _sender(p, signals.SI_USER))
        raise KernelError(errno.EFBIG)
    return data[:limit - pos]


def _copy_in(p, f, buf: int, count: int) -> bytes:
    """What a write to f takes of the guest's buffer: a regular file what can be read of it
    (generic_perform_write), the others all of it or EFAULT."""
    return (p.mm.read_prefix if f.kind == "file" else p.mm.read)(buf, count)


def _modified(p, f, n: int) -> int:
    """After a write that changed a file: the set-id bits an unprivileged writer removes
    (file_remove_privs), and fsnotify_modify for the watchers of its directory."""
    if n and f.kind == "file":
        _remove_privs(p, f)
        if _fs(p).on_change is not None:
            _fs(p).changed_path(f.guest_path, "modify", ctx=p)
    return n


def _remove_privs(p, f) -> None:
    """An unprivileged write or truncate takes the file's set-id bits away (they are kept
    in the machine's inode attributes, runtime/iattr.py)."""
    iattrs = _fs(p).iattrs
    if iattrs.entries[1] and getattr(f, "fd", None) is not None:
        try:
            iattrs.kill_privs(os.fstat(f.fd), perm.cred_of(p))
        except OSError:
            pass


def _within_size_limit(p, length: int) -> None:
    """truncate past RLIMIT_FSIZE: SIGXFSZ and EFBIG (inode_newsize_ok)."""
    if p.linux.rlimits:
        from .resource import rlimit
        if length > rlimit(p, RLIMIT_FSIZE)[0]:
            signals.send(p, SIGXFSZ)
            raise KernelError(errno.EFBIG)


# --- read and write ------------------------------------------------------------------------------

def sys_read(p, fd, buf, count):
    f = p.fds.get(fd)
    count = min(count, MAX_READ)
    if not p.mm.writable(buf, count):
        raise KernelError(errno.EFAULT)
    data = _blocking(p, f, lambda: f.read(count), True)
    p.mm.write(buf, data)
    return len(data)


def sys_write(p, fd, buf, count):
    f = p.fds.get(fd)
    count = min(count, MAX_RW)
    return _write_all(p, f, (fd, buf, count), count, lambda off, n: _copy_in(p, f, buf + off, n))


def _write_all(p, f, key, count: int, take) -> int:
    """write and writev: take(offset, n) copies the guest's bytes a chunk at a time, so a
    write of gigabytes never holds them all in host memory. A blocking write to a pipe or a
    stream socket returns once every byte is in, as on Linux: what fits goes in and the call
    waits for room, then goes on (the progress is kept across the restart). A short copy (a
    file write stops at an unreadable page) or a short write ends the call."""
    progress = p.write_progress
    done = progress[1] if progress and progress[0] == key else 0
    p.write_progress = None
    while True:
        try:
            copied = take(done, _chunk(f, count - done))
            if done == 0:
                _pending_reset(f)
            data = _within_file_size_limit(p, f, _within_output_limit(p, f, copied))
            n = _modified(p, f, _blocking(p, f, lambda: f.write(data), False))
        except Block as blk:
            if done:
                _keep_progress(p, blk, key, done)
            raise
        except KernelError:
            if done:
                return done
            raise
        done += n
        if n < len(copied) or done >= count or not copied:   # (a limit cut it: short too)
            break
    whole = isinstance(f, PipeWriteEnd) or getattr(f, "stream", False)   # a stream socket too
    if done < count and whole and not f.status_flags & O_NONBLOCK:
        blk = Block(f.writable_now)
        if getattr(f, "kind", "") == "sock":
            from .socket import SO_SNDTIMEO, _block
            blk = _block(f, f.writable_now, p, SO_SNDTIMEO, "send")
            if isinstance(blk, KernelError):
                return done        # SO_SNDTIMEO passed: the bytes written so far
        _keep_progress(p, blk, key, done)
        raise blk
    return done


WRITE_CHUNK = 1 << 20   # what one step of a write copies out of the guest


def _chunk(f, left: int) -> int:
    """How much of a write's remaining bytes to copy now: a chunk, and for a pipe no more
    than it has room for -- but past PIPE_BUF still, so the step stays as non-atomic as the
    write (what fits goes in) while a write of at most PIPE_BUF goes in whole or waits."""
    room = f.room() if isinstance(f, PipeWriteEnd) else None
    if room is not None and left > PIPE_BUF:
        return min(left, WRITE_CHUNK, max(room, PIPE_BUF + 1))
    return min(left, WRITE_CHUNK)


def _pending_reset(f) -> None:
    """A TCP socket's reset is reported by the first write after it, as by send."""
    if getattr(f, "kind", "") == "sock":
        from .socket import _take_reset
        err = _take_reset(f)
        if err:
            raise KernelError(err)


def _keep_progress(p, blk, key, done: int) -> None:
    p.write_progress = (key, done)
    blk.partial = done

    def forget() -> None:
        p.write_progress = None
    blk.on_interrupt = forget


def _iovecs(p, iov, iovcnt):
    if iovcnt < 0 or iovcnt > IOV_MAX:
        raise KernelError(errno.EINVAL)
    word = p.sysvec.word_bits // 8
    fmt = "<QQ" if word == 8 else "<II"
    raw = p.mm.read(iov, iovcnt * 2 * word)
    vecs = [struct.unpack_from(fmt, raw, i * 2 * word) for i in range(iovcnt)]
    # A length negative as ssize_t, or a total past it, is EINVAL before any copy.
    top = 1 << (8 * word - 1)
    if any(n >= top for _, n in vecs) or sum(n for _, n in vecs) >= top:
        raise KernelError(errno.EINVAL)
    return vecs


def sys_readv(p, fd, iov, iovcnt):
    f = p.fds.get(fd)
    vecs = _iovecs(p, iov, iovcnt)
    if not all(p.mm.writable(base, n) for base, n in vecs):
        raise KernelError(errno.EFAULT)
    total = sum(n for _, n in vecs)
    return _scatter(p, vecs, _blocking(p, f, lambda: f.read(min(total, MAX_RW)), True))


def _scatter(p, vecs, data: bytes) -> int:
    """Copy data out across the iovecs in order; the number of bytes copied."""
    pos = 0
    for base, n in vecs:
        if pos >= len(data):
            break
        if not n:
            continue         # a zero-length buffer (its address is never touched)
        chunk = data[pos:pos + n]
        p.mm.write(base, chunk)
        pos += len(chunk)
    return len(data)


def sys_writev(p, fd, iov, iovcnt):
    f = p.fds.get(fd)
    vecs = _iovecs(p, iov, iovcnt)
    count = min(sum(n for _, n in vecs), MAX_RW)
    return _write_all(p, f, (fd, iov, iovcnt, "v"), count,
                      lambda off, n: _gather_range(p, vecs, off, n))


def _gather(p, iov, iovcnt, limit: int = MAX_RW) -> bytes:
    """The bytes of an iovec array, at most limit of them."""
    vecs = _iovecs(p, iov, iovcnt)
    return _gather_range(p, vecs, 0, min(limit, sum(n for _, n in vecs)))


def _gather_range(p, vecs, offset: int, n: int) -> bytes:
    """Bytes [offset, offset + n) of the buffers an iovec array names, in order; a buffer
    that cannot be read ends them (EFAULT if it is the first), as copy_from_iter stops."""
    out = []
    for base, size in vecs:
        if n <= 0:
            break
        if offset >= size:
            offset -= size
            continue
        take = min(size - offset, n)
        try:
            out.append(p.mm.read(base + offset, take))
        except Fault:
            if not out:
                raise
            break
        offset, n = 0, n - take
    return b"".join(out)


# preadv2/pwritev2 flags (RWF_HIPRI, DSYNC, SYNC, NOWAIT, APPEND): hints or guarantees a
# synchronous, in-memory file system gives anyway, except NOWAIT and APPEND, checked below.
RWF_NOWAIT, RWF_APPEND, RWF_KNOWN = 0x8, 0x10, 0x1F


def _pos_from_hilo(p, pos_l, pos_h) -> int:
    """The offset of preadv/pwritev: the low word, and on 32-bit ABIs the high word above it
    (the kernel's pos_from_hilo: on 64-bit ABIs the high word is shifted out)."""
    bits = p.sysvec.word_bits
    pos = pos_l if bits == 64 else (pos_h << 32) | pos_l
    return pos - (1 << 64) if pos >= 1 << 63 else pos


def sys_preadv2(p, fd, iov, iovcnt, pos_l, pos_h, flags):
    if flags & ~RWF_KNOWN or flags & RWF_APPEND:
        raise KernelError(errno.EOPNOTSUPP)
    pos = _pos_from_hilo(p, pos_l, pos_h)
    if pos == -1:   # preadv2: the file's own position, as readv
        return sys_readv(p, fd, iov, iovcnt)
    if pos < 0:
        raise KernelError(errno.EINVAL)
    f = p.fds.get(fd)
    vecs = _iovecs(p, iov, iovcnt)
    if not all(p.mm.writable(base, n) for base, n in vecs):
        raise KernelError(errno.EFAULT)
    total = sum(n for _, n in vecs)
    return _scatter(p, vecs, f.pread(min(total, MAX_READ), pos))


def sys_pwritev2(p, fd, iov, iovcnt, pos_l, pos_h, flags):
    if flags & ~RWF_KNOWN:
        raise KernelError(errno.EOPNOTSUPP)
    pos = _pos_from_hilo(p, pos_l, pos_h)
    if pos == -1:
        return sys_writev(p, fd, iov, iovcnt)
    if pos < 0:
        raise KernelError(errno.EINVAL)
    f = p.fds.get(fd)
    vecs = _iovecs(p, iov, iovcnt)
    return _pwrite_all(p, f, pos, min(sum(n for _, n in vecs), MAX_RW),
                       lambda off, n: _gather_range(p, vecs, off, n))


def sys_preadv(p, fd, iov, iovcnt, pos_l, pos_h):
    if _pos_from_hilo(p, pos_l, pos_h) == -1:
        raise KernelError(errno.EINVAL)   # only preadv2 reads -1 as "the file position"
    return sys_preadv2(p, fd, iov, iovcnt, pos_l, pos_h, 0)


def sys_pwritev(p, fd, iov, iovcnt, pos_l, pos_h):
    if _pos_from_hilo(p, pos_l, pos_h) == -1:
        raise KernelError(errno.EINVAL)
    return sys_pwritev2(p, fd, iov, iovcnt, pos_l, pos_h, 0)


def sys_pread64(p, fd, buf, count, pos):
    f = p.fds.get(fd)
    if pos < 0:
        raise KernelError(errno.EINVAL)
    data = f.pread(min(count, MAX_READ), pos)
    p.mm.write(buf, data)
    return len(data)


def sys_pwrite64(p, fd, buf, count, pos):
    f = p.fds.get(fd)
    if pos < 0:
        raise KernelError(errno.EINVAL)
    return _pwrite_all(p, f, pos, min(count, MAX_RW), lambda off, n: _copy_in(p, f, buf + off, n))


def _pwrite_all(p, f, pos: int, count: int, take) -> int:
    """pwrite64 and pwritev: at pos, a chunk at a time (as _write_all), until a short step."""
    done = 0
    while True:
        try:
            copied = take(done, min(count - done, WRITE_CHUNK))
            data = _within_output_limit(p, f, copied)
            data = _within_file_size_limit(p, f, data, pos + done)
            n = _modified(p, f, f.pwrite(data, pos + done))
        except KernelError:
            if done:
                return done
            raise
        done += n
        if n < len(copied) or done >= count or not copied:
            return done


def sys_lseek(p, fd, offset, whence):
    return p.fds.get(fd).lseek(offset, whence)


def sys__llseek(p, fd, high, low, result, whence):
    offset = (high << 32) | (low & 0xFFFFFFFF)
    if offset >= 1 << 63:
        offset -= 1 << 64
    pos = p.fds.get(fd).lseek(offset, whence)
    p.mm.write(result, struct.pack("<q", pos))
    return 0


def _would_block():
    raise WouldBlock()


def sys_sendfile(p, out_fd, in_fd, offset, count):
    """Copies what the destination takes now; nothing is taken from the source that is not
    written (the source offset, or *offset, advances by the bytes written)."""
    src, dst = p.fds.get(in_fd), p.fds.get(out_fd)
    if src.status_flags & O_ACCMODE == O_WRONLY:
        raise KernelError(errno.EBADF)
    if dst.status_flags & O_APPEND and not isinstance(dst, PipeWriteEnd):
        raise KernelError(errno.EINVAL)   # do_splice_direct: no appending file as the target
    if isinstance(src, PipeEnd):
        # A pipe cannot be spliced from (no splice_read): Go's io.Copy(conn, pipe) takes
        # EINVAL as "use read and write", and an offset as "seek" (ESPIPE).
        raise KernelError(errno.ESPIPE if offset else errno.EINVAL)
    count = min(count, 1 << 20)
    if isinstance(dst, PipeWriteEnd) and dst.pipe.readers:
        room = dst.pipe.capacity - dst.pipe.size
        if room <= 0:   # wait for room before reading anything
            _blocking(p, dst, _would_block, False)
        count = min(count, room)
    wide = p.sysvec.word_bits == 64
    if offset:
        pos = struct.unpack("<q", p.mm.read(offset, 8))[0] if wide else p.mm.read_u32(offset)
        data = src.pread(count, pos)
    else:
        data = _blocking(p, src, lambda: src.read(count), True)
    if not data:
        return 0
    allowed = _within_output_limit(p, dst, data)
    if len(allowed) < len(data) and not offset:
        _unread(src, len(data) - len(allowed))
    data = allowed
    try:
        n = _blocking(p, dst, lambda: dst.write(data), False)
    except BaseException:
        if not offset:
            _unread(src, len(data))
        raise
    if offset:
        if wide:
            p.mm.write(offset, struct.pack("<q", pos + n))
        else:
            p.mm.write_u32(offset, pos + n)
    elif n < len(data):
        _unread(src, len(data) - n)
    return n


def _unread(src, n: int) -> None:
    """Give bytes read but not written back to a seekable source."""
    try:
        src.lseek(-n, 1)
    except Exception:
        pass


sys_sendfile64 = sys_sendfile


# --- open and close ------------------------------------------------------------------------------

def do_open(p, dirfd, path_addr, flags, mode, base=None):
    path = _path(p, path_addr)
    if not path:
        raise KernelError(errno.ENOENT)
    mode &= ~p.linux.umask
    key = (dirfd, path, flags)
    waiting = p.fifo_open
    p.fifo_open = None
    if waiting is not None and waiting[0] == key:
        f = waiting[1]   # a FIFO end opened before this call blocked
    else:
        p.fds.check_room()
        f = _fs(p).open(base if base is not None else _base(p, dirfd, path), path, flags,
                        mode, p)
    if f.kind == "file" and hasattr(f, "fd"):
        try:
            locks.break_lease(p, f, write=flags & O_ACCMODE != 0 or bool(flags & O_TRUNC),
                              nonblock=bool(flags & O_NONBLOCK))
        except (KernelError, Block):
            f.decref()
            raise
    if getattr(f, "fifo", False) and not flags & O_NONBLOCK:
        # As Linux: opening a FIFO waits until the other end has been opened too (it may
        # have been closed again since: a reader then reads what the writer left).
        pipe = f.pipe
        other = "w" if isinstance(f, PipeReadEnd) else "r"
        seen = waiting[2] if waiting is not None and waiting[0] == key else pipe.opened[other]
        now_open = pipe.writers if other == "w" else pipe.readers
        if now_open == 0 and pipe.opened[other] == seen:
            p.fifo_open = (key, f, seen)

            def forget() -> None:
                p.fifo_open = None
                f.decref()
            raise Block(lambda: pipe.opened[other] != seen, on_interrupt=forget)
    try:
        fd = p.fds.install(f, cloexec=bool(flags & O_CLOEXEC))
    except KernelError:
        f.decref()
        raise
    if _fs(p).on_change is not None and not flags & O_PATH:
        _report_open(p, f, flags)        # (an open that found no descriptor reports nothing)
    return fd


def _report_open(p, f, flags: int) -> None:
    """fsnotify_open for a file or directory of the tree, and fsnotify_close when its
    last descriptor goes (IN_CLOSE_WRITE if it was opened for writing)."""
    if f.kind not in ("file", "dir") or f.fast_host_fd() < 0 or not f.guest_path.startswith("/"):
        return
    fs, guest = _fs(p), f.guest_path
    fs.changed_path(guest, "open", ctx=p)
    event = "close_write" if flags & O_ACCMODE else "close_nowrite"
    before = getattr(f, "on_last_close", None)

    def closed() -> None:
        if fs.on_change is not None:
            fs.changed_path(guest, event)
        if before is not None:
            before()
    f.on_last_close = closed


def sys_open(p, path, flags, mode):
    return do_open(p, AT_FDCWD, path, flags, mode)


def sys_openat(p, dirfd, path, flags, mode):
    return do_open(p, dirfd, path, flags, mode)


OPEN_HOW_SIZE_VER0 = 24          # struct open_how: flags, mode, resolve (u64 each)
# The open flags Linux knows (VALID_OPEN_FLAGS): openat2 refuses any other, as open ignores them
VALID_OPEN_FLAGS = 0o3 | 0o100 | 0o200 | 0o400 | 0o1000 | 0o2000 | 0o4000 | 0o10000 | \
    0o20000 | 0o40000 | 0o100000 | 0o200000 | 0o400000 | 0o1000000 | 0o2000000 | 0o4000000 | \
    0o10000000 | 0o20000000


def sys_openat2(p, dirfd, path, how, size):
    """openat with struct open_how: unknown flags, resolve bits or a mode without O_CREAT or
    O_TMPFILE are EINVAL (openat2 is strict where open is lenient); a bigger struct is taken
    when its tail is zero (E2BIG otherwise); the resolve flags restrict the walk
    (runtime/vfs.py); RESOLVE_CACHED says EAGAIN, as Linux may when the cache cannot answer."""
    from ..vfs import (O_CREAT, O_TMPFILE_BIT, RESOLVE_ALL, RESOLVE_BENEATH, RESOLVE_CACHED,
                       RESOLVE_IN_ROOT)
    if size < OPEN_HOW_SIZE_VER0 or size > 4096:
        raise KernelError(errno.EINVAL if size < OPEN_HOW_SIZE_VER0 else errno.E2BIG)
    raw = p.mm.read(how, size)
    if any(raw[OPEN_HOW_SIZE_VER0:]):
        raise KernelError(errno.E2BIG)
    flags, mode, resolve = struct.unpack_from("<QQQ", raw)
    if flags & ~VALID_OPEN_FLAGS or resolve & ~RESOLVE_ALL or mode & ~0o7777:
        raise KernelError(errno.EINVAL)
    if mode and not flags & (O_CREAT | O_TMPFILE_BIT):
        raise KernelError(errno.EINVAL)
    if resolve & RESOLVE_BENEATH and resolve & RESOLVE_IN_ROOT:
        raise KernelError(errno.EINVAL)
    if resolve & RESOLVE_CACHED:
        raise KernelError(errno.EAGAIN)
    fs = _fs(p)
    fs.resolve_flags = resolve
    try:
        base = _base(p, dirfd, "x") if resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT) else None
        return do_open(p, dirfd, path, flags, mode, base=base)
    finally:
        fs.resolve_flags = 0


def sys_creat(p, path, mode):
    return do_open(p, AT_FDCWD, path, 0o1 | 0o100 | 0o1000, mode)


def sys_close(p, fd):
    p.fds.close(fd)
    return 0


CLOSE_RANGE_UNSHARE, CLOSE_RANGE_CLOEXEC = 0x2, 0x4


def sys_close_range(p, fd, max_fd, flags):
    """Close (or mark close-on-exec) every descriptor from fd to max_fd (unsigned: ~0U is
    all of them); with CLOSE_RANGE_UNSHARE, in a table of this thread's own first."""
    first, last = fd & 0xFFFFFFFF, max_fd & 0xFFFFFFFF
    if flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) or first > last:
        raise KernelError(errno.EINVAL)
    if flags & CLOSE_RANGE_UNSHARE and p.kernel.fds_shared(p):
        p.fds = p.fds.fork()
        p.engine.load_files(p)
    for n in [n for n, _ in p.fds.items() if first <= n <= last]:
        if flags & CLOSE_RANGE_CLOEXEC:
            p.fds.set_cloexec(n, True)
        else:
            p.fds.close(n)
    return 0


def sys_dup(p, fd):
    return p.fds.dup(fd)


def sys_dup2(p, old, new):
    if old == new:
        p.fds.get(old)
        return new
    return p.fds.dup2(old, new)


def sys_dup3(p, old, new, flags):
    """ksys_dup3's order: unknown flags, then old == new, then the descriptors."""
    if flags & ~O_CLOEXEC or old == new:
        raise KernelError(errno.EINVAL)
    return p.fds.dup3(old, new, bool(flags & O_CLOEXEC))


def sys_pipe(p, fds):
    return sys_pipe2(p, fds, 0)


O_DIRECT = 0o40000   # pipe2: packet mode; accepted, the byte stream is the same for writes
                     # no larger than PIPE_BUF


def sys_pipe2(p, fds, flags):
    if flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT):
        raise KernelError(errno.EINVAL)
    r, w = make_pipe()
    for end in (r, w):
        end.status_flags |= flags & O_NONBLOCK
    cloexec = bool(flags & O_CLOEXEC)
    try:
        rfd = p.fds.install(r, cloexec=cloexec)
    except KernelError:
        r.decref(); w.decref()
        raise
    try:
        wfd = p.fds.install(w, cloexec=cloexec)
    except KernelError:
        p.fds.close(rfd); w.decref()
        raise
    try:
        p.mm.write(fds, struct.pack("<ii", rfd, wfd))
    except KernelError:
        # Linux installs the descriptors only once they are copied out: none leak on EFAULT.
        p.fds.close(rfd); p.fds.close(wfd)
        raise
    return 0


def sys_fcntl(p, fd, cmd, arg):
    f = p.fds.get(fd)
    if cmd in (F_DUPFD, F_DUPFD_CLOEXEC):
        new = p.fds.dup(fd, lowest=arg)
        if cmd == F_DUPFD_CLOEXEC:
            p.fds.set_cloexec(new, True)
        return new
    if cmd in (shm.F_ADD_SEALS, shm.F_GET_SEALS):
        if not isinstance(f, shm.MemFile):
            raise KernelError(errno.EINVAL)      # seals are a memfd's
        if cmd == shm.F_GET_SEALS:
            return f.seals()
        f.add_seals(p, arg & 0xFFFFFFFF)
        return 0
    if cmd == F_GETFD:
        return FD_CLOEXEC if p.fds.cloexec(fd) else 0
    if cmd == F_SETFD:
        p.fds.set_cloexec(fd, bool(arg & FD_CLOEXEC))
        return 0
    if cmd == F_GETFL:
        return f.status_flags
    if cmd == F_SETFL:
        settable = O_APPEND | O_NONBLOCK | fasync.O_ASYNC
        f.status_flags = (f.status_flags & ~settable) | (arg & settable)
        fasync.set_async(p, f, bool(arg & fasync.O_ASYNC), fd)
        return 0
    if cmd in fasync.COMMANDS:
        return fasync.fcntl_owner(p, f, cmd, arg)
    if cmd in locks.COMMANDS:
        return locks.fcntl_lock(p, f, cmd, arg)
    if cmd == dnotify.F_NOTIFY:
        return dnotify.fcntl_notify(p, fd, f, arg)
    if cmd in (F_SETPIPE_SZ, F_GETPIPE_SZ):
        return _pipe_size(p, f, cmd, arg)
    raise KernelError(errno.EINVAL)


sys_fcntl64 = sys_fcntl
F_SETPIPE_SZ, F_GETPIPE_SZ = 1031, 1032


def _pipe_size(p, f, cmd: int, arg: int) -> int:
    """pipe_set_size: a power-of-two number of pages, at most /proc/sys/fs/pipe-max-size
    without CAP_SYS_RESOURCE, never below what the pipe holds."""
    from ..procfs import PIPE_MAX_SIZE
    from .cred import CAP_SYS_RESOURCE
    pipe = getattr(f, "pipe", None)
    if pipe is None:
        raise KernelError(errno.EBADF)
    if cmd == F_GETPIPE_SZ:
        return pipe.capacity
    size = arg & 0xFFFFFFFF
    if size > 1 << 31:
        raise KernelError(errno.EINVAL)
    size = max(4096, 1 << (size - 1).bit_length())
    if size > PIPE_MAX_SIZE and not cred_of(p).capable(CAP_SYS_RESOURCE):
        raise KernelError(errno.EPERM)
    if size < pipe.size:
        raise KernelError(errno.EBUSY)
    pipe.resize(size)
    return size


SIOCOUTQ, SIOCATMARK = 0x5411, 0x8905      # SIOCOUTQ is TIOCOUTQ's number


def _socket_queue_ioctl(p, s, cmd: int, arg: int) -> int:
    """SIOCOUTQ: the bytes sent that the peer has not taken yet (a TCP peer on the machine's
    loopback has them at once, as if acknowledged); SIOCATMARK: no urgent mark (urgent data
    is not kept apart here)."""
    if cmd == SIOCATMARK:
        value = 0
    else:
        tx = getattr(s, "tx", None)
        local = s.family == 1                  # AF_UNIX
        value = tx.size if local and tx is not None and hasattr(tx, "size") else 0
    p.mm.write_u32(arg, value)
    return 0


def sys_ioctl(p, fd, cmd, arg):
    f = _not_path_only(p.fds.get(fd))       # fdget: an O_PATH descriptor has no ioctls
    if cmd in (FICLONE, FICLONERANGE):      # do_vfs_ioctl's, before any file's own
        return _clone_file_range(p, f, cmd, arg)
    device_ioctl = getattr(f, "ioctl", None)      # a device's own (runtime/loop.py)
    if device_ioctl is not None and cmd not in (FIONBIO, FIOCLEX, FIONCLEX, FIOASYNC):
        return device_ioctl(p, cmd, arg)
    if f.kind == "sock" and cmd in (SIOCOUTQ, SIOCATMARK):
        return _socket_queue_ioctl(p, f, cmd, arg)
    if cmd in TTY_IOCTLS or (cmd == FIONREAD and getattr(f, "tty", None) is not None):
        tty = getattr(f, "tty", None)
        if tty is None:
            raise KernelError(errno.ENOTTY)
        return tty_ioctl(p, f, tty, cmd, arg)
    if cmd == FIONBIO:   # the ioctl form of F_SETFL O_NONBLOCK (Python's setblocking)
        on = p.mm.read_u32(arg)
        f.status_flags = (f.status_flags & ~O_NONBLOCK) | (O_NONBLOCK if on else 0)
        return 0
    if cmd in (FIOCLEX, FIONCLEX):
        p.fds.set_cloexec(fd, cmd == FIOCLEX)
        return 0
    if cmd == FIOASYNC:  # the ioctl form of F_SETFL O_ASYNC, for any file (nginx's channels)
        on = bool(p.mm.read_u32(arg))
        f.status_flags = (f.status_flags & ~fasync.O_ASYNC) | (fasync.O_ASYNC if on else 0)
        fasync.set_async(p, f, on, fd)
        return 0
    if cmd in INODE_FLAG_IOCTLS and isinstance(getattr(f, "fd", None), int) and \
            f.kind in ("file", "dir"):
        return _inode_flags(p, f, cmd, arg)
    if f.kind == "sock":
        from . import netdev
        if netdev.handles(cmd):
            return netdev.netdev_ioctl(p, cmd, arg)
    if cmd == FIONREAD:
        pipe = getattr(f, "pipe", None)
        if f.kind == "file" and f.fast_host_fd() >= 0:    # a regular file: what is left
            unread = max(0, f.fstat().st_size - f.lseek(0, os.SEEK_CUR))
        else:
            unread = f.unread() if hasattr(f, "unread") else pipe.size if pipe is not None else 0
        p.mm.write_u32(arg, unread)
        return 0
    raise KernelError(errno.ENOTTY)


FICLONE, FICLONERANGE = 0x40049409, 0x4020940D    # _IOW(0x94, 9, int), (.., 13, 32 bytes)


def _clone_file_range(p, dst, cmd: int, arg: int) -> int:
    """FICLONE/FICLONERANGE (cp --reflink): the source descriptor (fdget: EBADF), then
    vfs_clone_file_range's checks in order: one file system (EXDEV), no directory (EISDIR),
    regular files (EINVAL), the source readable and the destination writable and not
    appending (EBADF). The machine's file system is ext4, which has no reflinks (no
    remap_file_range): EOPNOTSUPP, and callers fall back to copying."""
    if cmd == FICLONERANGE:     # struct file_clone_range: src_fd, src_offset, length, dest
        src_fd = struct.unpack("<q24x", p.mm.read(arg, 32))[0]
    else:
        src_fd = arg
    src = _not_path_only(p.fds.get(src_fd & 0xFFFFFFFF))
    st_src, st_dst = src.fstat(), dst.fstat()
    if st_src.st_dev != st_dst.st_dev:
        raise KernelError(errno.EXDEV)
    if S.S_ISDIR(st_src.st_mode) or S.S_ISDIR(st_dst.st_mode):
        raise KernelError(errno.EISDIR)
    if not S.S_ISREG(st_src.st_mode) or not S.S_ISREG(st_dst.st_mode):
        raise KernelError(errno.EINVAL)
    if src.status_flags & O_ACCMODE == O_WRONLY or dst.status_flags & O_ACCMODE == O_RDONLY \
            or dst.status_flags & O_APPEND:
        raise KernelError(errno.EBADF)
    raise KernelError(errno.EOPNOTSUPP)


# FS_IOC_GETFLAGS/SETFLAGS (_IOR/_IOW('f', 1/2, long)) and their 32-bit forms.
FS_IOC_GETFLAGS = {0x80086601, 0x80046601}
FS_IOC_SETFLAGS = {0x40086602, 0x40046602}
INODE_FLAG_IOCTLS = FS_IOC_GETFLAGS | FS_IOC_SETFLAGS


def _inode_flags(p, f, cmd: int, arg: int) -> int:
    """chattr/lsattr's inode flags (runtime/iattr.py keeps them): setting needs the owner
    or CAP_FOWNER, immutable and append-only CAP_LINUX_IMMUTABLE; flags the file system
    does not have are EOPNOTSUPP (tmpfs's set: immutable, append-only, nodump, noatime)."""
    fs = _fs(p)
    st = os.fstat(f.fd)
    old = fs.iattrs.iflags(st)
    if cmd in FS_IOC_GETFLAGS:
        p.mm.write_u32(arg, old)
        return 0
    new = p.mm.read_u32(arg)
    _want_write_file(p, f)
    cred = cred_of(p)
    if not perm.owner_or_capable(cred, fs.iattrs.apply(st)):
        raise KernelError(errno.EPERM)
    if (old ^ new) & (iattr.FS_IMMUTABLE_FL | iattr.FS_APPEND_FL) and cred is not None and \
            not cred.capable(CAP_LINUX_IMMUTABLE):
        raise KernelError(errno.EPERM)
    if new & ~iattr.INODE_FLAGS:
        raise KernelError(errno.EOPNOTSUPP)
    fs.iattrs.set_iflags(st, new)
    fs.changed_path(f.guest_path, "attrib", ctx=p)
    return 0


# --- metadata ------------------------------------------------------------------------------------

def _host_stat_of(p, dirfd, path_addr, flags):
    """The host file's stat for a *at() call's (dirfd, path, AT_ flags)."""
    if path_addr == 0 and not flags & AT_EMPTY_PATH:
        raise KernelError(errno.EFAULT)
    path = _path(p, path_addr) if path_addr else ""
    if not path:
        if flags & AT_EMPTY_PATH:
            return p.fds.get(dirfd).fstat()
        raise KernelError(errno.ENOENT)
    follow = not flags & AT_SYMLINK_NOFOLLOW
    # a lookup from the cwd or the root, the C trap path may answer next time
    remember = p.lookup_words[0] if dirfd == AT_FDCWD or path.startswith("/") else 0
    return _fs(p).stat(_base(p, dirfd, path), path, follow, p, remember)


def _stat_of(p, dirfd, path_addr, flags):
    """What the guest's stat calls show: the host's stat with the guest's owner, set-id bits
    and device-node type laid over it (runtime/iattr.py)."""
    return _fs(p).iattrs.apply(_host_stat_of(p, dirfd, path_addr, flags))


def _write_stat(p, buf, st):
    p.mm.write(buf, pack_stat(st, p.sysvec.arch) if p.sysvec.word_bits == 64 else pack_stat(st, "i386"))


def sys_stat(p, path, buf):
    _write_stat(p, buf, _stat_of(p, AT_FDCWD, path, 0))
    return 0


def sys_lstat(p, path, buf):
    _write_stat(p, buf, _stat_of(p, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW))
    return 0


def sys_fstat(p, fd, buf):
    _write_stat(p, buf, _stat_of(p, fd, 0, AT_EMPTY_PATH))
    return 0


def sys_newfstatat(p, dirfd, path, buf, flags):
    _write_stat(p, buf, _stat_of(p, dirfd, path, flags))
    return 0


def sys_stat64(p, path, buf):
    p.mm.write(buf, pack_stat64(_stat_of(p, AT_FDCWD, path, 0)))
    return 0


def sys_lstat64(p, path, buf):
    p.mm.write(buf, pack_stat64(_stat_of(p, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW)))
    return 0


def sys_fstat64(p, fd, buf):
    p.mm.write(buf, pack_stat64(_stat_of(p, fd, 0, AT_EMPTY_PATH)))
    return 0


def sys_fstatat64(p, dirfd, path, buf, flags):
    p.mm.write(buf, pack_stat64(_stat_of(p, dirfd, path, flags)))
    return 0


STATX_RESERVED, AT_STATX_SYNC_TYPE = 0x80000000, 0x6000
STATX_FLAGS = AT_SYMLINK_NOFOLLOW | 0x800 | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE  # 0x800: NO_AUTOMOUNT


def sys_statx(p, dirfd, path, flags, mask, buf):
    """statx's own checks first (the flags it knows, no reserved mask bit, one sync type),
    then the lookup."""
    if flags & ~STATX_FLAGS or mask & STATX_RESERVED or \
            flags & AT_STATX_SYNC_TYPE == AT_STATX_SYNC_TYPE:
        raise KernelError(errno.EINVAL)
    st = _stat_of(p, dirfd, path, flags)
    birth = _birth(p, dirfd, path, flags) if mask & STATX_BTIME else None
    p.mm.write(buf, pack_statx(st, mask, birth))
    return 0



def _birth(p, dirfd, path_addr, flags):
    """The host's birth time of the file a statx names (stat(1)'s Birth, ls --time=birth),
    None for a synthetic node or a host file system that keeps none."""
    from ..birthtime import birth_time
    path = _path(p, path_addr) if path_addr else ""
    if not path:
        fd = p.fds.get(dirfd).fast_host_fd()
        return birth_time(fd) if fd >= 0 else None
    fs = _fs(p)
    r = fs.resolve(_base(p, dirfd, path), path, not flags & AT_SYMLINK_NOFOLLOW, p)
    if r.synthetic is not None and r.synthetic[0] == "fd":   # /proc/self/fd/N, /dev/stdin
        fd = p.fds.get(r.synthetic[1]).fast_host_fd()
        return birth_time(fd) if fd >= 0 else None
    if r.synthetic is not None or not r.exists:
        return None
    fd = fs.host_inode_fd(r.host)      # reached beneath the root, as every host call is
    try:
        return birth_time(fd)
    finally:
        os.close(fd)


def sys_access(p, path, mode):
    return sys_faccessat(p, AT_FDCWD, path, mode)


def sys_faccessat(p, dirfd, path, mode):
    return sys_faccessat2(p, dirfd, path, mode, 0)


AT_EACCESS = 0x200


def sys_faccessat2(p, dirfd, path, mode, flags):
    """access checks with the real ids (AT_EACCESS: the effective ones); a caller whose
    real uid is not 0 has no capabilities for it, a real root its permitted ones."""
    if flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH):
        raise KernelError(errno.EINVAL)
    c = cred_of(p)
    if not flags & AT_EACCESS:
        from dataclasses import replace
        c = replace(c, fsuid=c.uid, fsgid=c.gid,
                    cap_effective=c.cap_permitted if c.uid == 0 else 0)
    name = _path(p, path)
    _fs(p).access(_base(p, dirfd, name), name, mode, p, cred=c)
    return 0


def sys_readlink(p, path, buf, size):
    return sys_readlinkat(p, AT_FDCWD, path, buf, size)


def sys_readlinkat(p, dirfd, path, buf, size):
    if size <= 0:
        raise KernelError(errno.EINVAL)
    name = _path(p, path)
    target = os.fsencode(_fs(p).readlink(_base(p, dirfd, name), name, p))[:size]
    p.mm.write(buf, target)
    return len(target)


def sys_getdents64(p, fd, dirp, count):
    data = p.fds.get(fd).getdents64(count, p.sysvec.arch)
    p.mm.write(dirp, data)
    return len(data)


def sys_getdents(p, fd, dirp, count):
    """The old getdents (struct linux_dirent: d_ino and d_off as longs, d_type in the
    record's last byte), which static programs of old C libraries call: getdents64's
    records rewritten (never longer, so what fits one fits the other); on i386 an inode
    number past 32 bits is EOVERFLOW, as filldir says."""
    word = p.sysvec.word_bits // 8
    data = p.fds.get(fd).getdents64(count, p.sysvec.arch)
    out, at = bytearray(), 0
    while at < len(data):
        ino, off, reclen, dtype = struct.unpack_from("<QqHB", data, at)
        name = data[at + 19:at + reclen].split(b"\0", 1)[0]
        if word == 4 and (ino >> 32 or not -(1 << 31) <= off < 1 << 31):
            raise KernelError(errno.EOVERFLOW)
        size = -(-(2 * word + 2 + len(name) + 2) // word) * word    # name, NUL, d_type
        record = struct.pack("<QqH" if word == 8 else "<IiH", ino, off, size) + name
        out += record + bytes(size - len(record) - 1) + bytes([dtype])
        at += reclen
    p.mm.write(dirp, bytes(out))
    return len(out)


# --- directories and names -----------------------------------------------------------------------

def sys_getcwd(p, buf, size):
    """The cwd as seen from the process's root; Linux marks one outside it "(unreachable)",
    and has no name for one that was removed (ENOENT)."""
    if _fs(p).held_gone(p.cwd, p):
        raise KernelError(errno.ENOENT)
    if p.root == "/":
        cwd = p.cwd
    elif p.cwd == p.root or p.cwd.startswith(p.root + "/"):
        cwd = p.cwd[len(p.root):] or "/"
    else:
        cwd = "(unreachable)" + p.cwd
    data = os.fsencode(cwd) + b"\0"
    if len(data) > size:
        raise KernelError(errno.ERANGE)
    p.mm.write(buf, data)
    return len(data)


def sys_chdir(p, path):
    name = _path(p, path)
    fs = _fs(p)
    p.set_cwd(fs.hold_dir(fs.chdir_target(p.cwd, name, p), p))   # the directory, not its name
    return 0


def sys_fchdir(p, fd):
    f = p.fds.get(fd)
    if f.kind != "dir":
        raise KernelError(errno.ENOTDIR)
    cred = perm.cred_of(p)
    if not perm.unchecked(cred):
        perm.check(cred, _fs(p).iattrs.apply(f.fstat()), perm.MAY_EXEC)
    if getattr(f, "fd", -1) >= 0 and f.guest_path.startswith("/") and f.guest_path != "/":
        p.set_cwd(DirRef.of_open(f.guest_path, f, own=True))
    else:
        p.set_cwd(f.guest_path)
    return 0


def sys_chroot(p, path):
    """Paths of this process and its children start at this directory from now on; the cwd
    stays where it is (chroot(1) changes it to the new root itself). It needs
    CAP_SYS_CHROOT: an unprivileged chroot into a tree of one's own making, with a
    set-user-ID program linked in, would run it on files its user wrote."""
    target = _fs(p).chdir_target(p.cwd, _path(p, path), p)
    if not cred_of(p).capable(CAP_SYS_CHROOT):
        raise KernelError(errno.EPERM)
    p.set_root(target)
    return 0


def sys_mkdir(p, path, mode):
    return sys_mkdirat(p, AT_FDCWD, path, mode)


def sys_mkdirat(p, dirfd, path, mode):
    name = _path(p, path)
    _fs(p).mkdir(_base(p, dirfd, name), name, mode & ~p.linux.umask, p)
    return 0


def sys_unlink(p, path):
    return sys_unlinkat(p, AT_FDCWD, path, 0)


def sys_rmdir(p, path):
    return sys_unlinkat(p, AT_FDCWD, path, AT_REMOVEDIR)


def sys_unlinkat(p, dirfd, path, flags):
    name = _path(p, path)
    if flags & AT_REMOVEDIR:
        _fs(p).rmdir(_base(p, dirfd, name), name, p)
    else:
        _fs(p).unlink(_base(p, dirfd, name), name, p)
    return 0


def sys_rename(p, old, new):
    return sys_renameat2(p, AT_FDCWD, old, AT_FDCWD, new, 0)


def sys_renameat(p, olddirfd, old, newdirfd, new):
    return sys_renameat2(p, olddirfd, old, newdirfd, new, 0)


RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT = 1, 2, 4


def sys_renameat2(p, olddirfd, old, newdirfd, new, flags):
    a, b = _path(p, old), _path(p, new)
    if flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT) or \
            flags & RENAME_EXCHANGE and flags & (RENAME_NOREPLACE | RENAME_WHITEOUT):
        raise KernelError(errno.EINVAL)
    if flags & RENAME_WHITEOUT:
        raise KernelError(errno.EPERM)    # a whiteout is a device node: CAP_MKNOD in the host
    if flags & RENAME_NOREPLACE and \
            _fs(p).resolve(_base(p, newdirfd, b), b, False, p).exists:
        raise KernelError(errno.EEXIST)
    _fs(p).rename(_base(p, olddirfd, a), a, _base(p, newdirfd, b), b, p,
                  exchange=bool(flags & RENAME_EXCHANGE))
    return 0


def sys_link(p, old, new):
    return sys_linkat(p, AT_FDCWD, old, AT_FDCWD, new, 0)


def sys_linkat(p, olddirfd, old, newdirfd, new, flags):
    a, b = _path(p, old), _path(p, new)
    if flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH):
        raise KernelError(errno.EINVAL)
    if not a and flags & AT_EMPTY_PATH:          # the file olddirfd holds
        _fs(p).link_file(p.fds.get(olddirfd), _base(p, newdirfd, b), b, p)
        return 0
    fd_link = _proc_fd(p, _base(p, olddirfd, a), a) if flags & AT_SYMLINK_FOLLOW else None
    if fd_link is not None:                      # /proc/self/fd/N: the file it holds
        _fs(p).link_file(fd_link, _base(p, newdirfd, b), b, p)
        return 0
    fs = _fs(p)
    _may_link(p, fs.iattrs.apply(fs.stat(_base(p, olddirfd, a), a,
                                         bool(flags & AT_SYMLINK_FOLLOW), p)))
    _fs(p).link(_base(p, olddirfd, a), a, _base(p, newdirfd, b), b, p,
                follow=bool(flags & AT_SYMLINK_FOLLOW))
    return 0


def _may_link(p, st) -> None:
    """may_linkat under fs.protected_hardlinks (1, as /proc/sys/fs says): a link to a file
    the caller does not own needs a regular file it may read and write that is neither
    set-user-ID nor executable set-group-ID, or CAP_FOWNER -- else a user could keep a
    hard link to a set-id program (or to a file about to be secured) as their own."""
    import stat as S
    cred = cred_of(p)
    if perm.owner_or_capable(cred, st):
        return
    mode = st.st_mode
    if S.S_ISREG(mode) and not mode & S.S_ISUID and \
            not (mode & S.S_ISGID and mode & S.S_IXGRP) and \
            perm.allowed(cred, st, perm.MAY_READ | perm.MAY_WRITE):
        return
    raise KernelError(errno.EPERM)


def _proc_fd(p, cwd: str, path: str):
    """The description behind a /proc/<pid>/fd/<n> path, or None for any other path."""
    r = _fs(p).resolve(cwd, path, False, p)
    if r.synthetic is not None and r.synthetic[0] == "fd":
        return _fs(p)._fd_file(r, p)
    return None


def sys_symlink(p, target, linkpath):
    return sys_symlinkat(p, target, AT_FDCWD, linkpath)


def sys_symlinkat(p, target, newdirfd, linkpath):
    t, name = _path(p, target), _path(p, linkpath)
    _fs(p).symlink(t, _base(p, newdirfd, name), name, p)
    return 0


def sys_truncate(p, path, length):
    name = _path(p, path)

    def size_ok(n: int) -> None:
        _within_size_limit(p, n)
        if locks.lock_table(p.kernel).leases:     # a lease holder is told first
            f = _fs(p).open(p.cwd, name, O_PATH, 0, p)
            try:
                locks.break_lease(p, f, write=True, nonblock=False)
            finally:
                f.decref()
    _fs(p).truncate(p.cwd, name, length, p, size_ok=size_ok)
    _truncated(p)
    return 0


def sys_ftruncate(p, fd, length):
    """do_sys_ftruncate: a negative length, something not a regular file, or a descriptor
    not open for writing are all EINVAL."""
    if length < 0:
        raise KernelError(errno.EINVAL)
    f = p.fds.get(fd)
    if not hasattr(f, "truncate") or not f.status_flags & 3:
        raise KernelError(errno.EINVAL)
    _within_size_limit(p, length)
    f.truncate(length)
    _remove_privs(p, f)
    _fs(p).changed_path(f.guest_path, "modify", ctx=p)
    _truncated(p)
    return 0


def _truncated(p) -> None:
    """Mapped pages of a file now wholly past its end raise SIGBUS from the next access on."""
    from .shm import revalidate
    revalidate(p.kernel)


S_IFMT, S_IFREG, S_IFIFO, S_IFCHR, S_IFBLK = 0o170000, 0o100000, 0o010000, 0o020000, 0o060000
S_IFSOCK = 0o140000


def sys_mknodat(p, dirfd, filename, mode, dev):
    """Regular files, FIFOs and device nodes. A device node is a plain host file whose
    type and number the guest sees (runtime/iattr.py); opening one reaches the machine's
    own device of that number, or fails with ENXIO as a node with no driver does."""
    path = _path(p, filename)
    kind = mode & S_IFMT
    perms = mode & 0o7777 & ~p.linux.umask
    base = _base(p, dirfd, path)
    if kind == S_IFIFO:
        _fs(p).mkfifo(base, path, perms, p)
    elif kind == S_IFSOCK:
        _fs(p).mksock(base, path, perms, p, exists_errno=errno.EEXIST)
    elif kind in (0, S_IFREG, S_IFCHR, S_IFBLK):
        if kind in (S_IFCHR, S_IFBLK) and not cred_of(p).capable(CAP_MKNOD):
            raise KernelError(errno.EPERM)
        f = _fs(p).open(base, path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, perms, p)
        try:
            st = f.fstat()
        finally:
            f.decref()
        _fs(p).iattrs.chmod(st, perms)
        if kind in (S_IFCHR, S_IFBLK):
            # The kernel's new_decode_dev: 12 bits of major, 20 of minor.
            major, minor = (dev & 0xFFF00) >> 8, (dev & 0xFF) | ((dev >> 12) & 0xFFF00)
            _fs(p).iattrs.mknod(st, kind, os.makedev(major, minor))
    else:
        raise KernelError(errno.EINVAL)
    return 0


def sys_mknod(p, filename, mode, dev):
    return sys_mknodat(p, AT_FDCWD, filename, mode, dev)


def sys_fallocate(p, fd, mode, offset, length):
    """The host's fallocate on the file, every mode it has: allocate (growing the file, or
    not: FALLOC_FL_KEEP_SIZE), punch a hole, zero, collapse or insert a range. A shared
    mapping's pages are written out first and read again after (the data moved)."""
    f = p.fds.get(fd)
    host_fd = getattr(f, "fd", None)
    if offset < 0 or length <= 0:
        raise KernelError(errno.EINVAL)
    if not isinstance(host_fd, int) or f.kind != "file":
        raise KernelError(errno.ESPIPE if getattr(f, "pipe", None) is not None else errno.ENODEV)
    if not f.status_flags & 3:   # O_RDONLY
        raise KernelError(errno.EBADF)
    if not mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE):
        check = getattr(f, "check_allocation", None)     # a memfd's room (shm.MemfdBudget)
        if check is not None:
            check(length)
    if not mode & FALLOC_FL_KEEP_SIZE:
        # growing the file is bounded by RLIMIT_FSIZE, as a truncate is (inode_newsize_ok)
        size = os.fstat(host_fd).st_size
        grown = size + length if mode & FALLOC_FL_INSERT_RANGE else offset + length
        if grown > size:
            _within_size_limit(p, grown)
    caches = page_caches(host_fd)
    for cache in caches:
        cache.writeback()
    try:
        if mode:
            _host_fallocate(host_fd, mode, offset, length)
        else:
            os.posix_fallocate(host_fd, offset, length)
    except OSError as exc:
        raise KernelError(exc.errno or errno.EIO) from None
    for cache in caches:
        cache.reload()
    _remove_privs(p, f)             # (file_modified, as a write)
    return 0


_fallocate = None
FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, FALLOC_FL_COLLAPSE_RANGE = 0x1, 0x2, 0x8
FALLOC_FL_INSERT_RANGE = 0x20


def _host_fallocate(fd: int, mode: int, offset: int, length: int) -> None:
    """fallocate(2) with a mode, through the C library (os has only posix_fallocate)."""
    global _fallocate
    if _fallocate is None:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        _fallocate = libc.fallocate64
        _fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
        _fallocate.restype = ctypes.c_int
    if _fallocate(fd, mode & 0xFFFFFFFF, offset, length) != 0:
        import ctypes
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def sys_readahead(p, fd, offset, count):
    """A hint to read a file's pages into the cache: a regular file open for reading
    takes it (EBADF otherwise; EINVAL for what has no pages to read ahead)."""
    f = p.fds.get(fd)
    if f.status_flags & O_ACCMODE == os.O_WRONLY:
        raise KernelError(errno.EBADF)
    if f.kind != "file" or offset < 0:
        raise KernelError(errno.EINVAL)
    return 0


def sys_readahead32(p, fd, offset_lo, offset_hi, count):
    return sys_readahead(p, fd, _pos_from_hilo(p, offset_lo, offset_hi), count)


SYNC_FILE_RANGE_FLAGS = 0x7    # WAIT_BEFORE, WRITE, WAIT_AFTER


def sys_sync_file_range(p, fd, offset, nbytes, flags):
    """Write a range of a file out: the host's fdatasync does (more than) that."""
    if flags & ~SYNC_FILE_RANGE_FLAGS or offset < 0 or nbytes < 0 or \
            offset + nbytes < 0 or offset + nbytes > (1 << 63) - 1:
        raise KernelError(errno.EINVAL)
    f = p.fds.get(fd)
    if f.kind not in ("file", "dir", "blk"):
        raise KernelError(errno.ESPIPE)
    host_fd = f.fast_host_fd()
    if flags and host_fd >= 0:
        try:
            os.fdatasync(host_fd)
        except OSError as exc:
            raise KernelError(exc.errno or errno.EIO) from None
    return 0


def sys_sync_file_range32(p, fd, offset_lo, offset_hi, nbytes_lo, nbytes_hi, flags):
    return sys_sync_file_range(p, fd, _pos_from_hilo(p, offset_lo, offset_hi),
                               _pos_from_hilo(p, nbytes_lo, nbytes_hi), flags)


def sys_fallocate32(p, fd, mode, offset_lo, offset_hi, len_lo, len_hi):
    return sys_fallocate(p, fd, mode, offset_lo | offset_hi << 32, len_lo | len_hi << 32)


def _noop(p, *args):
    return 0


def sys_chmod(p, path, mode):
    return sys_fchmodat(p, AT_FDCWD, path, mode)


# Guest chmod never sets set-user-ID or set-group-ID on host files: the root directory is
# the host's, and a setuid-root file there would be a way up for any host user. The guest
# sees them all the same (runtime/iattr.py).
GUEST_MODE_BITS = 0o1777


def sys_fchmodat(p, dirfd, path, mode):
    """Permission bits of a file inside the root (the guest is root there)."""
    name = _path(p, path)
    r = _fs(p).resolve(_base(p, dirfd, name), name, True, p)
    if not r.exists:
        raise KernelError(errno.ENOENT)
    if r.synthetic is None:
        _fs(p)._want_write(r)
        # Through a descriptor opened from the root without following symlinks: another
        # machine sharing the root cannot swap a directory to aim this outside.
        fd = _fs(p).host_inode_fd(r.host)
        try:
            _host_fchmod(p, fd, mode, by_path=True)
        finally:
            os.close(fd)
        _fs(p)._changed(r, "attrib", itself=os.path.isdir(r.host))
    return 0


def _host_fchmod(p, fd: int, mode: int, by_path: bool = False) -> None:
    """chmod of the host file behind fd (by_path: an O_PATH descriptor, through /proc)."""
    _fs(p).frozen(os.fstat(fd))
    try:
        mode = perm.chmod_mode(perm.cred_of(p), _fs(p).iattrs.apply(os.fstat(fd)), mode)
        if by_path:
            os.chmod(fd_inode_path(fd), mode & GUEST_MODE_BITS)
        else:
            os.fchmod(fd, mode & GUEST_MODE_BITS)
        _fs(p).iattrs.chmod(os.fstat(fd), mode)
    except OSError as exc:
        raise KernelError(exc.errno or errno.EPERM) from None


def _not_path_only(f):
    """fdget, not fdget_raw: an O_PATH descriptor does nothing to its file."""
    if isinstance(f, PathFile):
        raise KernelError(errno.EBADF)
    return f


def _want_write_file(p, f) -> None:
    """mnt_want_write_file: EROFS for a file on a read-only mount."""
    if getattr(f, "fd", None) is not None and f.guest_path.startswith("/"):
        check_readonly(_fs(p).mount_of(f.guest_path))


def sys_fchmod(p, fd, mode):
    f = _not_path_only(p.fds.get(fd))
    if getattr(f, "fd", None) is not None:
        _want_write_file(p, f)
        _host_fchmod(p, f.fd, mode)
        _fs(p).changed_path(f.guest_path, "attrib", ctx=p)
    return 0


def sys_fchownat(p, dirfd, path, user, group, flags):
    """The owner the guest sees (runtime/iattr.py); host files keep theirs. -1 keeps an id.
    A synthetic node (/proc, /sys, a device) keeps its owner: nothing is recorded."""
    st = _host_stat_of(p, dirfd, path, flags)
    if st.st_dev != SYNTHETIC_DEV and not _synthetic_target(p, dirfd, path, flags):
        _chown_want_write(p, dirfd, path, flags)
        _fs(p).frozen(st)
        perm.check_chown(perm.cred_of(p), _fs(p).iattrs.apply(st), user, group)
        _fs(p).iattrs.chown(st, user, group)
        if _fs(p).on_change is not None:
            name = _path(p, path) if path else ""
            guest = p.fds.get(dirfd).guest_path if not name else \
                _fs(p).resolve(_base(p, dirfd, name), name, not flags & AT_SYMLINK_NOFOLLOW,
                               p).guest
            _fs(p).changed_path(guest, "attrib", ctx=p)
    return 0


def _synthetic_target(p, dirfd, path_addr, flags) -> bool:
    """Whether a *at() call's target is a node with no host file (its st_dev is its pseudo
    file system's, which a host file's may equal: the walk tells)."""
    name = _path(p, path_addr) if path_addr else ""
    if not name:
        return getattr(p.fds.get(dirfd), "fd", None) is None
    r = _fs(p).resolve(_base(p, dirfd, name), name, not flags & AT_SYMLINK_NOFOLLOW, p)
    return r.synthetic is not None or r.in_synthetic


def _chown_want_write(p, dirfd, path_addr, flags) -> None:
    """EROFS for an owner change on a read-only mount (after the lookup, before the
    permission check, as chown_common's mnt_want_write)."""
    name = _path(p, path_addr) if path_addr else ""
    if name:
        r = _fs(p).resolve(_base(p, dirfd, name), name, not flags & AT_SYMLINK_NOFOLLOW, p)
        _fs(p)._want_write(r)
    else:
        _want_write_file(p, p.fds.get(dirfd))


def _ids16(p, user, group) -> tuple[int, int]:
    """i386's first chown calls take 16-bit ids, where 0xffff is -1."""
    if p.sysvec.word_bits == 32:
        user, group = (-1 if i & 0xFFFF == 0xFFFF else i & 0xFFFF for i in (user, group))
    return user, group


def sys_chown(p, path, user, group):
    return sys_fchownat(p, AT_FDCWD, path, *_ids16(p, user, group), 0)


def sys_lchown(p, path, user, group):
    return sys_fchownat(p, AT_FDCWD, path, *_ids16(p, user, group), AT_SYMLINK_NOFOLLOW)


def sys_fchown(p, fd, user, group):
    _not_path_only(p.fds.get(fd))
    return sys_fchownat(p, fd, 0, *_ids16(p, user, group), AT_EMPTY_PATH)


def sys_chown32(p, path, user, group):
    return sys_fchownat(p, AT_FDCWD, path, user, group, 0)


def sys_lchown32(p, path, user, group):
    return sys_fchownat(p, AT_FDCWD, path, user, group, AT_SYMLINK_NOFOLLOW)


def sys_fchown32(p, fd, user, group):
    _not_path_only(p.fds.get(fd))
    return sys_fchownat(p, fd, 0, user, group, AT_EMPTY_PATH)


def sys_fsync(p, fd):
    """Writes reach the host's file at once here (nothing is cached between), so there is
    nothing to flush; the descriptor must be open (EBADF), and a path-only one cannot."""
    _not_path_only(p.fds.get(fd))
    return 0


sys_fdatasync = sys_syncfs = sys_fsync
sys_sync = _noop
UTIME_NOW, UTIME_OMIT = (1 << 30) - 1, (1 << 30) - 2


def sys_utimensat(p, dirfd, path, times, flags):
    """Set access and modification times; a missing file is ENOENT (touch relies on it)."""
    return _utimensat(p, dirfd, path, times, flags, p.sysvec.word_bits == 64)


def sys_utimensat_time64(p, dirfd, path, times, flags):
    """i386's utimensat with 64-bit timespecs: dates past 2038 (glibc's touch and cp -p
    try it first, and fall back to the 32-bit call only for times that fit)."""
    return _utimensat(p, dirfd, path, times, flags, True)


def _utimensat(p, dirfd, path, times, flags, wide: bool):
    pairs = None
    if times:
        raw = p.mm.read(times, 32 if wide else 16)
        vals = struct.unpack("<qqqq", raw) if wide else struct.unpack("<iiii", raw)
        if wide and p.sysvec.word_bits == 32:   # a compat caller's tv_nsec is 32 bits
            vals = (vals[0], _nsec32(vals[1]), vals[2], _nsec32(vals[3]))
        pairs = [(vals[0], vals[1]), (vals[2], vals[3])]
        if any(n not in (UTIME_NOW, UTIME_OMIT) and not 0 <= n < 10**9 for _, n in pairs):
            raise KernelError(errno.EINVAL)
    return _set_times(p, dirfd, path, flags, pairs)


def _nsec32(value: int) -> int:
    """get_timespec64 for a compat caller: only tv_nsec's low 32 bits count."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def _set_times(p, dirfd, path, flags, pairs):
    """utimensat's work: pairs of (seconds, nanoseconds or UTIME_NOW/UTIME_OMIT), or None
    for now. Now needs the owner or write permission; explicit times the owner or
    CAP_FOWNER (fs/utimes.c)."""
    if path:
        name = _path(p, path)
        r = _fs(p).resolve(_base(p, dirfd, name), name, not flags & AT_SYMLINK_NOFOLLOW, p)
        if not r.exists:
            raise KernelError(errno.ENOENT)
        target = r.host if r.synthetic is None else None
        if target is not None:
            _fs(p)._want_write(r)
    else:
        f = p.fds.get(dirfd)
        target = getattr(f, "fd", None)
        _want_write_file(p, f)
    if target is None:
        return 0
    if pairs is not None and all(n == UTIME_OMIT for _, n in pairs):
        return 0
    try:
        st = os.lstat(target) if isinstance(target, str) else os.fstat(target)
    except OSError as exc:
        raise KernelError(exc.errno or errno.ENOENT) from None
    view, cred = _fs(p).iattrs.apply(st), perm.cred_of(p)
    _fs(p).frozen(st, append_too=pairs is not None)
    if not perm.owner_or_capable(cred, view):
        if pairs is not None and any(n != UTIME_NOW for _, n in pairs):
            raise KernelError(errno.EPERM)
        perm.check(cred, view, perm.MAY_WRITE)
    import time as host_time
    now = host_time.time_ns()
    old = (st.st_atime_ns, st.st_mtime_ns)
    ns = (now, now) if pairs is None else tuple(
        now if n == UTIME_NOW else old[i] if n == UTIME_OMIT else s * 10**9 + n
        for i, (s, n) in enumerate(pairs))
    try:
        if isinstance(target, str):
            if os.path.islink(target):   # AT_SYMLINK_NOFOLLOW on a link: the link itself
                _fs(p)._at(lambda name, dir_fd: os.utime(name, ns=ns, dir_fd=dir_fd,
                                                         follow_symlinks=False), target)
            else:
                fd = _fs(p).host_inode_fd(target)
                try:
                    os.utime(fd_inode_path(fd), ns=ns)
                finally:
                    os.close(fd)
        else:
            os.utime(target, ns=ns)
    except OSError as exc:
        raise KernelError(exc.errno or errno.EPERM) from None
    if _fs(p).on_change is not None:
        _fs(p).changed_path(r.guest if path else f.guest_path, "attrib", ctx=p)
    return 0


def sys_utimes(p, path, times):
    return sys_futimesat(p, AT_FDCWD, path, times)


def sys_futimesat(p, dirfd, path, times):
    """struct timeval[2]: microseconds."""
    pairs = None
    if times:
        fmt = "<qqqq" if p.sysvec.word_bits == 64 else "<iiii"
        vals = struct.unpack(fmt, p.mm.read(times, struct.calcsize(fmt)))
        if any(not 0 <= us < 10**6 for us in (vals[1], vals[3])):
            raise KernelError(errno.EINVAL)
        pairs = [(vals[0], vals[1] * 1000), (vals[2], vals[3] * 1000)]
    return _set_times(p, dirfd, path, 0, pairs)


def sys_utime(p, path, times):
    """struct utimbuf: whole seconds."""
    pairs = None
    if times:
        fmt = "<qq" if p.sysvec.word_bits == 64 else "<ii"
        actime, modtime = struct.unpack(fmt, p.mm.read(times, struct.calcsize(fmt)))
        pairs = [(actime, 0), (modtime, 0)]
    return _set_times(p, AT_FDCWD, path, 0, pairs)


POSIX_FADV_NOREUSE = 5     # the advice values are 0 (NORMAL) .. 5


def sys_fadvise64(p, fd, *rest):
    """Advice is taken and changes nothing here, but its checks are Linux's: EBADF, ESPIPE
    for a pipe, EINVAL for advice it does not know. (The advice is the last argument on
    every ABI: i386 splits the offset and, for fadvise64_64, the length.)"""
    f = p.fds.get(fd)
    if isinstance(f, (PipeEnd, PipeWriteEnd)):
        raise KernelError(errno.ESPIPE)
    if not 0 <= rest[-1] <= POSIX_FADV_NOREUSE:
        raise KernelError(errno.EINVAL)
    return 0


sys_fadvise64_64 = sys_fadvise64
sys_flock = locks.sys_flock


# --- statfs: the root's host file system, the guest's mounts, the pseudo file systems -----

def _statfs_bytes(p, wide64: bool, fs) -> bytes:
    """struct statfs of (host statvfs, Mount or None, guest path): the root's file system
    shows as ext4, a mount as its own type with its flags, a path on a pseudo file system
    /proc/mounts lists (/proc, /sys, /dev, /dev/pts: runtime/procfs.py) as that file
    system, with no blocks and no inodes."""
    from ..procfs import pseudo_mount_of
    st, m, guest = fs
    magic, flags = (0xEF53, 0) if m is None else (TMPFS_MAGIC, m.statfs_flags())
    values = (magic, st.f_bsize, st.f_blocks, st.f_bfree, st.f_bavail, st.f_files, st.f_ffree)
    namemax, frsize = st.f_namemax, st.f_frsize
    pseudo = pseudo_mount_of(_fs(p), guest) if m is None else None
    if pseudo is not None:
        magic, flags = pseudo.magic, pseudo.flags
        values, namemax, frsize = (magic, 4096, 0, 0, 0, 0, 0), 255, 4096
    if p.sysvec.word_bits == 64:
        return struct.pack("<qqQQQQQ2iqqq4q", *values, 0, 0, namemax, frsize, flags,
                           0, 0, 0, 0)
    if wide64:   # i386 struct statfs64
        return struct.pack("<IIQQQQQ2iIII4I", *values, 0, 0, namemax, frsize, flags,
                           0, 0, 0, 0)
    clip = [min(v, 0xFFFFFFFF) for v in values]
    return struct.pack("<IIIIIII2iIII4I", *clip, 0, 0, namemax, frsize, flags,
                       0, 0, 0, 0)


def _statfs_of_path(p, path):
    name = _path(p, path)
    return _fs(p).statfs(p.cwd, name, p)


def _statfs_of_fd(p, fd):
    f = p.fds.get(fd)
    m = _fs(p).mount_of(f.guest_path) if f.guest_path.startswith("/") else None
    return os.statvfs(m.host if m is not None else _fs(p).root), m, f.guest_path


def sys_statfs(p, pathname, buf):
    p.mm.write(buf, _statfs_bytes(p, False, _statfs_of_path(p, pathname)))
    return 0


def sys_fstatfs(p, fd, buf):
    p.mm.write(buf, _statfs_bytes(p, False, _statfs_of_fd(p, fd)))
    return 0


def sys_statfs64(p, pathname, sz, buf):
    p.mm.write(buf, _statfs_bytes(p, True, _statfs_of_path(p, pathname))[:sz])
    return 0


def sys_fstatfs64(p, fd, sz, buf):
    p.mm.write(buf, _statfs_bytes(p, True, _statfs_of_fd(p, fd))[:sz])
    return 0

