"""One readiness model for every open file, as the kernel's f_op->poll: a file says which
poll events hold now (poll_mask), which host descriptors or deadline can change that
(host_fds, deadline), and a generation that moves on every wake-up (for edge-triggered
epoll). poll, select, ppoll, pselect6 and epoll all ask through here."""
from __future__ import annotations

from .files import PipeReadEnd, PipeWriteEnd

POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL = 0x1, 0x2, 0x4, 0x8, 0x10, 0x20
POLLRDNORM, POLLRDBAND, POLLWRNORM, POLLWRBAND = 0x40, 0x80, 0x100, 0x200
POLLRDHUP = 0x2000
READABLE = POLLIN | POLLRDNORM
WRITABLE = POLLOUT | POLLWRNORM
ALWAYS = POLLERR | POLLHUP | POLLNVAL     # reported whether asked for or not


def poll_mask(f) -> int:
    """The events that hold for f now."""
    poll = getattr(f, "poll", None)
    if poll is not None:
        return poll()
    if isinstance(f, PipeReadEnd):
        pipe = f.pipe
        return (READABLE if pipe.size or pipe.empty_message_first() else 0) | \
            (POLLHUP if pipe.writers == 0 else 0)
    if isinstance(f, PipeWriteEnd):
        pipe = f.pipe
        if pipe.readers == 0:
            return WRITABLE | POLLERR
        return WRITABLE if f.writable_now() else 0
    return (READABLE if f.readable_now() else 0) | (WRITABLE if f.writable_now() else 0)


def generation(f):
    """A value that changes whenever f's readiness may have changed (a wake-up)."""
    gen = getattr(f, "generation", None)
    if gen is not None:
        return gen()
    pipe = getattr(f, "pipe", None)
    if pipe is not None:
        return (pipe.generation, pipe.readers, pipe.writers)
    return poll_mask(f)


def host_fds(f) -> tuple:
    """Host descriptors whose readiness changes f's (the scheduler sleeps in select on them)."""
    fds = getattr(f, "host_fds", None)
    if fds is not None:
        return tuple(fds())
    host_fd = getattr(f, "host_fd", None)
    return (host_fd,) if isinstance(host_fd, int) and host_fd >= 0 else ()


def deadline(f) -> float | None:
    """The monotonic time f becomes ready by itself (a timerfd expiring), or None."""
    fn = getattr(f, "next_deadline", None)
    return fn() if fn is not None else None


def earliest(*times) -> float | None:
    known = [t for t in times if t is not None]
    return min(known) if known else None
