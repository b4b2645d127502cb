"""Waiting for descriptors: poll, ppoll, select, pselect6 and epoll, all over one readiness
model (runtime/readiness.py), so sockets, pipes, files, terminals and event descriptors
answer every one of them alike. A wait blocks the process, never the machine."""
from __future__ import annotations

import errno
import struct
import time as host_time
import weakref

from .. import readiness, signals
from ..block import deadline_passed
from ..errors import Fault, KernelError
from ..files import O_RDWR, OpenFile, _inodes, synthetic_stat
from ..kernel import Block
from ..readiness import (ALWAYS, POLLERR, POLLHUP, POLLNVAL, POLLPRI,
                         READABLE, WRITABLE)
from .time import _read_timespec

SELECT_READ = READABLE | POLLHUP | POLLERR
SELECT_WRITE = WRITABLE | POLLERR
SELECT_EXCEPT = POLLPRI


def _deadline(p, key: str, timeout_s: float | None) -> tuple[float | None, bool]:
    """The wait's deadline (monotonic), made by its first call and kept across restarts, and
    whether this is a restart (block.py's deadline_passed)."""
    deadline = p.linux.deadlines.get(key)
    if deadline is not None:
        return deadline, True
    if timeout_s is not None:
        deadline = host_time.monotonic() + timeout_s
        p.linux.deadlines[key] = deadline
    return deadline, False


def _finish(p, key: str) -> None:
    p.linux.deadlines.pop(key, None)
    saved, p.linux.wait_sigmask = p.linux.wait_sigmask, None
    if saved is not None:
        p.sigmask = saved


def _apply_sigmask(p, mask: int | None) -> None:
    """ppoll/pselect6/epoll_pwait: the mask holds for the wait (restored when it ends)."""
    if mask is not None and p.linux.wait_sigmask is None:
        p.linux.wait_sigmask = p.sigmask
        p.sigmask = mask & ~signals.UNBLOCKABLE


def _wait(p, key: str, deadline, files, ready):
    """Block until ready() or the deadline; a deliverable signal ends the wait with EINTR
    (and a temporary signal mask is restored by the handler's frame, as sigsuspend's)."""
    if signals.deliverable(p):
        p.linux.deadlines.pop(key, None)
        saved, p.linux.wait_sigmask = p.linux.wait_sigmask, None
        if saved is not None:
            p.saved_sigmask = saved
        raise KernelError(errno.EINTR)
    host = tuple({fd for f in files for fd in readiness.host_fds(f)})
    own = deadline
    deadline = readiness.earliest(deadline, *(readiness.deadline(f) for f in files))
    # the call's own timeout is kept to the microsecond (block.py's EARLY_WAKE)
    raise Block(ready, host_fds=host, deadline=deadline, restartable=False,
                precise=deadline is not None and deadline == own)


def _read_sigset(p, addr: int, size: int) -> int | None:
    if not addr:
        return None
    if size != 8:
        raise KernelError(errno.EINVAL)
    return struct.unpack("<Q", p.mm.read(addr, 8))[0]


# --- poll and ppoll ------------------------------------------------------------------------------

def do_poll(p, fds: int, nfds: int, timeout_s: float | None, sigmask: int | None = None):
    if nfds > p.fds.limit:   # as Linux: more entries than RLIMIT_NOFILE
        raise KernelError(errno.EINVAL)
    raw = p.mm.read(fds, 8 * nfds)
    entries = [struct.unpack_from("<ihh", raw, 8 * i) for i in range(nfds)]
    files = []
    for fd, _, _ in entries:
        try:
            files.append(p.fds.get(fd) if fd >= 0 else None)
        except KernelError:
            files.append(POLLNVAL)

    def scan() -> list[int]:
        out = []
        for (fd, events, _), f in zip(entries, files):
            if f is None:
                out.append(0)
            elif f is POLLNVAL:
                out.append(POLLNVAL)
            else:
                out.append(readiness.poll_mask(f) & ((events & 0xFFFF) | ALWAYS))
        return out

    _apply_sigmask(p, sigmask)
    revents = scan()
    deadline, restarted = _deadline(p, "_poll_deadline", timeout_s)
    if any(revents) or timeout_s == 0 or deadline_passed(deadline, restarted):
        _finish(p, "_poll_deadline")
        out = bytearray(raw)
        for i, r in enumerate(revents):
            struct.pack_into("<h", out, 8 * i + 6, r - 0x10000 if r & 0x8000 else r)
        p.mm.write(fds, bytes(out))
        return sum(1 for r in revents if r)
    live = [f for f in files if isinstance(f, OpenFile)]
    _wait(p, "_poll_deadline", deadline, live, lambda: any(scan()))


def sys_poll(p, ufds, nfds, timeout):
    return do_poll(p, ufds, nfds, None if timeout < 0 else timeout / 1000)


def sys_ppoll(p, ufds, nfds, tsp, sigmask, sigsetsize):
    return do_poll(p, ufds, nfds, _read_timespec(p, tsp) if tsp else None,
                   _read_sigset(p, sigmask, sigsetsize))


def sys_ppoll_time64(p, ufds, nfds, tsp, sigmask, sigsetsize):
    return do_poll(p, ufds, nfds, _read_timespec(p, tsp, True) if tsp else None,
                   _read_sigset(p, sigmask, sigsetsize))


# --- select and pselect6 -------------------------------------------------------------------------

NR_OPEN_DEFAULT = 64          # a new descriptor table's size (BITS_PER_LONG)
FDS_PER_KIB = 128             # a grown one's unit: 1024 / sizeof(struct file *)


def _fd_bits(p, addr: int, n: int) -> set[int]:
    if not addr:
        return set()
    data = p.mm.read(addr, (n + 7) // 8)
    return {fd for fd in range(n) if data[fd // 8] >> (fd % 8) & 1}


def _write_fd_bits(p, addr: int, n: int, fds: set[int]) -> None:
    if addr:
        data = bytearray((n + 7) // 8)
        for fd in fds:
            data[fd // 8] |= 1 << (fd % 8)
        p.mm.write(addr, bytes(data))


def _left(deadline: float | None) -> float:
    return max(0.0, deadline - host_time.monotonic()) if deadline is not None else 0.0


def _write_time(p, addr: int, seconds: float, micro: bool, wide: bool = False) -> None:
    """Write the time a wait had left back into its timeval (micro) or timespec, as Linux's
    select, pselect6 and ppoll do (poll_select_finish)."""
    unit = 1_000_000 if micro else 1_000_000_000
    whole = int(seconds)
    frac = min(int(round((seconds - whole) * unit)), unit - 1)   # never a whole second
    fmt = "<qq" if wide or p.sysvec.word_bits == 64 else "<ii"
    whole = min(whole, (1 << 63) - 1 if fmt == "<qq" else (1 << 31) - 1)  # a huge timeout
    try:
        p.mm.write(addr, struct.pack(fmt, whole, frac))
    except Fault:
        pass           # a read-only timeout is left as it was, as Linux does


def _max_fds(p) -> int:
    """The size Linux's descriptor table has grown to (fdtable's max_fds) to hold the
    highest descriptor open: 64 at first, then 128, 256, 512 ... (alloc_fdtable)."""
    top = max(p.fds.fds, default=0)
    if top < NR_OPEN_DEFAULT:
        return NR_OPEN_DEFAULT
    units = top // FDS_PER_KIB + 1
    return FDS_PER_KIB * (1 << (units - 1).bit_length())


def do_select(p, n, inp, outp, exp, timeout_s, sigmask: int | None = None, left_to=None):
    """left_to(seconds): where the time left goes when the call ends (select's timeval).
    core_sys_select: only a negative n is EINVAL; one past the descriptor table is cut to
    its size (bits beyond it are neither read nor written)."""
    if n < 0:
        raise KernelError(errno.EINVAL)
    n = min(n, _max_fds(p))
    want_r, want_w, want_x = _fd_bits(p, inp, n), _fd_bits(p, outp, n), _fd_bits(p, exp, n)
    files = {fd: p.fds.get(fd) for fd in want_r | want_w | want_x}   # EBADF for a closed one

    def scan():
        masks = {fd: readiness.poll_mask(f) for fd, f in files.items()}
        return ({fd for fd in want_r if masks[fd] & SELECT_READ},
                {fd for fd in want_w if masks[fd] & SELECT_WRITE},
                {fd for fd in want_x if masks[fd] & SELECT_EXCEPT})

    _apply_sigmask(p, sigmask)
    r, w, x = scan()
    deadline, restarted = _deadline(p, "_select_deadline", timeout_s)
    if r or w or x or timeout_s == 0 or \
            deadline_passed(deadline, restarted):
        _finish(p, "_select_deadline")
        _write_fd_bits(p, inp, n, r)
        _write_fd_bits(p, outp, n, w)
        _write_fd_bits(p, exp, n, x)
        if left_to is not None:
            left_to(_left(deadline))
        return len(r) + len(w) + len(x)
    try:
        _wait(p, "_select_deadline", deadline, list(files.values()), lambda: any(scan()))
    except KernelError:          # EINTR: the time left goes back too
        if left_to is not None:
            left_to(_left(deadline))
        raise


def _timeval_seconds(p, addr):
    if not addr:
        return None
    fmt = "<qq" if p.sysvec.word_bits == 64 else "<ii"
    sec, usec = struct.unpack(fmt, p.mm.read(addr, struct.calcsize(fmt)))
    if sec < 0 or not 0 <= usec < 1_000_000:
        raise KernelError(errno.EINVAL)
    return sec + usec / 1e6


def sys_select(p, n, inp, outp, exp, tvp):
    return do_select(p, n, inp, outp, exp, _timeval_seconds(p, tvp),
                     left_to=(lambda s: _write_time(p, tvp, s, True)) if tvp else None)


sys__newselect = sys_select


def sys_old_select(p, arg):
    n, inp, outp, exp, tvp = struct.unpack("<iIIII", p.mm.read(arg, 20))
    return sys_select(p, n, inp, outp, exp, tvp)


def _pselect_mask(p, sig: int) -> int | None:
    """pselect6's sixth argument: {const sigset_t *ss; size_t ss_len}."""
    if not sig:
        return None
    word = p.sysvec.word_bits // 8
    ss, ss_len = struct.unpack("<QQ" if word == 8 else "<II", p.mm.read(sig, 2 * word))
    return _read_sigset(p, ss, ss_len)


def sys_pselect6(p, n, inp, outp, exp, tsp, sig):
    return do_select(p, n, inp, outp, exp, _read_timespec(p, tsp) if tsp else None,
                     _pselect_mask(p, sig),
                     (lambda s: _write_time(p, tsp, s, False)) if tsp else None)


def sys_pselect6_time64(p, n, inp, outp, exp, tsp, sig):
    return do_select(p, n, inp, outp, exp, _read_timespec(p, tsp, True) if tsp else None,
                     _pselect_mask(p, sig),
                     (lambda s: _write_time(p, tsp, s, False, True)) if tsp else None)


# --- epoll ---------------------------------------------------------------------------------------

EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD = 1, 2, 3
EPOLLEXCLUSIVE, EPOLLWAKEUP, EPOLLONESHOT, EPOLLET = 1 << 28, 1 << 29, 1 << 30, 1 << 31
EPOLL_CLOEXEC = 0o2000000
EPOLL_MAX_EVENTS = 0x7FFFFFFF // 12
# Character devices whose file operations have no poll (drivers/char/mem.c; random.c's
# urandom_fops): epoll_ctl cannot watch them (EPERM); /dev/random can be.
NO_POLL_DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/urandom")


class EpollItem:
    __slots__ = ("fd", "file", "events", "data", "seen", "armed")

    def __init__(self, fd, f, events, data):
        self.fd, self.file, self.events, self.data = fd, f, events, data
        self.seen = None       # the file's generation when last reported (edge-triggered)
        self.armed = True      # EPOLLONESHOT: off once reported, until EPOLL_CTL_MOD


class EventPoll(OpenFile):
    """An epoll instance: its interest list, keyed by (fd, file) as the kernel's."""

    kind = "anon"

    def __init__(self):
        super().__init__(O_RDWR, "anon_inode:[eventpoll]")
        self.items: dict[tuple, EpollItem] = {}
        self.ino = next(_inodes)
        self.parents = weakref.WeakSet()     # epoll instances this one was added to

    def fstat(self):
        return synthetic_stat(0o600, ino=self.ino)

    def close(self):
        self.items.clear()
        super().close()

    def _live(self):
        for key, item in list(self.items.items()):
            if item.file.closed:
                del self.items[key]    # the file's last reference went: it leaves the set
            else:
                yield item

    def ready_items(self, consume: bool, limit: int = EPOLL_MAX_EVENTS) -> list:
        global _memo
        if _memo is not None:
            return self._ready_items(consume, limit)
        _memo = {}                      # one evaluation: nested instances answer once
        try:
            return self._ready_items(consume, limit)
        finally:
            _memo = None

    def _ready_items(self, consume: bool, limit: int) -> list:
        out = []
        for item in self._live():
            if not item.armed:
                continue
            mask = readiness.poll_mask(item.file) & (item.events | POLLERR | POLLHUP)
            if not mask:
                continue
            if item.events & EPOLLET:
                gen = readiness.generation(item.file)
                if gen == item.seen:
                    continue
                if consume:
                    item.seen = gen
            if consume and item.events & EPOLLONESHOT:
                item.armed = False
            out.append((mask, item.data))
            if len(out) >= limit:
                break
        return out

    def poll(self) -> int:
        return _memoised(("poll", id(self)),
                         lambda: READABLE if self.ready_items(False, 1) else 0)

    def generation(self):
        """A number that changes when a member's readiness may have: a hash of theirs, so
        nested instances give one number each, not a tree of every path."""
        return _memoised(("generation", id(self)), lambda: hash(
            tuple(readiness.generation(i.file) for i in self._live())))

    def files(self) -> list:
        return [i.file for i in self._live()]


EP_MAX_NESTS = 4
_memo: dict | None = None       # one readiness evaluation's answers, by instance


def _memoised(key: tuple, compute):
    """An instance's poll or generation, worked out once per evaluation: a graph of nested
    instances that share members is walked once per instance, not once per path (a wide
    five-level graph had the machine walk millions of paths per epoll_wait)."""
    global _memo
    top = _memo is None
    if top:
        _memo = {}
    try:
        if key not in _memo:
            _memo[key] = compute()
        return _memo[key]
    finally:
        if top:
            _memo = None


def _nested_depth(top: EventPoll, target: EventPoll, known=None) -> int | None:
    """How deep the epoll instances inside top go, or None when target is among them
    (adding top to target would close a loop). Each instance's depth is worked out once
    and reused (a walk that counted a second visit as 0 let sharing hide the depth)."""
    if top is target:
        return None
    known = {} if known is None else known
    if id(top) in known:
        return known[id(top)]
    known[id(top)] = 0                 # (a loop already there cannot be: adds refuse them)
    depth = 0
    for item in list(top.items.values()):
        if isinstance(item.file, EventPoll):
            inner = _nested_depth(item.file, target, known)
            if inner is None:
                return None
            depth = max(depth, inner + 1)
    known[id(top)] = depth
    return depth


def _upward_depth(ep: EventPoll, known=None) -> int:
    """How many epoll instances hold ep, one inside another (each worked out once)."""
    known = {} if known is None else known
    if id(ep) in known:
        return known[id(ep)]
    known[id(ep)] = 0
    depth = max((1 + _upward_depth(parent, known) for parent in list(ep.parents)
                 if not parent.closed and any(i.file is ep for i in parent.items.values())),
                default=0)
    known[id(ep)] = depth
    return depth


def _epoll(p, epfd) -> EventPoll:
    ep = p.fds.get(epfd)
    if not isinstance(ep, EventPoll):
        raise KernelError(errno.EINVAL)
    return ep


def sys_epoll_create1(p, flags):
    if flags & ~EPOLL_CLOEXEC:
        raise KernelError(errno.EINVAL)
    return p.fds.install(EventPoll(), cloexec=bool(flags & EPOLL_CLOEXEC))


def sys_epoll_create(p, size):
    if size <= 0:
        raise KernelError(errno.EINVAL)
    return sys_epoll_create1(p, 0)


def sys_epoll_ctl(p, epfd, op, fd, event):
    ep = _epoll(p, epfd)
    f = p.fds.get(fd)
    if f is ep:
        raise KernelError(errno.EINVAL)
    if getattr(f, "kind", "") in ("file", "dir") and not hasattr(f, "poll") or \
            getattr(f, "kind", "") == "chr" and f.guest_path in NO_POLL_DEVICES:
        raise KernelError(errno.EPERM)     # regular files cannot be waited for, nor these
    key = (fd, id(f))
    if op in (EPOLL_CTL_ADD, EPOLL_CTL_MOD):
        events, data = struct.unpack("<IQ", p.mm.read(event, 12))
        if op == EPOLL_CTL_ADD:
            if key in ep.items:
                raise KernelError(errno.EEXIST)
            if isinstance(f, EventPoll):
                if events & EPOLLEXCLUSIVE:       # (not for an epoll instance inside one)
                    raise KernelError(errno.EINVAL)
                # a cycle, or a chain of instances deeper than EP_MAX_NESTS (ep_loop_check)
                below = _nested_depth(f, ep)
                if below is None or below + _upward_depth(ep) >= EP_MAX_NESTS:
                    raise KernelError(errno.ELOOP)
                f.parents.add(ep)
            ep.items[key] = EpollItem(fd, f, events, data)
        else:
            item = ep.items.get(key)
            if item is None:
                raise KernelError(errno.ENOENT)
            item.events, item.data, item.armed, item.seen = events, data, True, None
        return 0
    if op == EPOLL_CTL_DEL:
        if ep.items.pop(key, None) is None:
            raise KernelError(errno.ENOENT)
        return 0
    raise KernelError(errno.EINVAL)


def do_epoll_wait(p, epfd, events, maxevents, timeout_s, sigmask=None):
    """Linux's order (ep_check_params): the descriptor (EBADF), maxevents (EINVAL), the
    buffer (EFAULT), then whether it is an epoll instance (EINVAL). The whole buffer must
    be writable, before any event is taken off the ready list (Linux asks only that it be
    user space, and faults when an event is copied into it; tests/programs/sock_badargs.c
    holds the stricter answer for a buffer at address 16 with nothing ready)."""
    p.fds.get(epfd)
    if maxevents <= 0 or maxevents > EPOLL_MAX_EVENTS:
        raise KernelError(errno.EINVAL)
    if not p.mm.writable(events, 12 * maxevents):
        raise KernelError(errno.EFAULT)
    ep = _epoll(p, epfd)
    _apply_sigmask(p, sigmask)
    ready = ep.ready_items(True, maxevents)
    deadline, restarted = _deadline(p, "_epoll_deadline", timeout_s)
    if ready or timeout_s == 0 or deadline_passed(deadline, restarted):
        _finish(p, "_epoll_deadline")
        p.mm.write(events, b"".join(struct.pack("<IQ", m, d) for m, d in ready))
        return len(ready)
    _wait(p, "_epoll_deadline", deadline, ep.files(), lambda: bool(ep.ready_items(False, 1)))


def sys_epoll_wait(p, epfd, events, maxevents, timeout):
    return do_epoll_wait(p, epfd, events, maxevents, None if timeout < 0 else timeout / 1000)


def sys_epoll_pwait(p, epfd, events, maxevents, timeout, sigmask, sigsetsize):
    return do_epoll_wait(p, epfd, events, maxevents, None if timeout < 0 else timeout / 1000,
                         _read_sigset(p, sigmask, sigsetsize))


def sys_epoll_pwait2(p, epfd, events, maxevents, timeout, sigmask, sigsetsize):
    return do_epoll_wait(p, epfd, events, maxevents,
                         _read_timespec(p, timeout, True) if timeout else None,
                         _read_sigset(p, sigmask, sigsetsize))
