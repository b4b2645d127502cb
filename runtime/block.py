"""How a handler waits: it raises Block, and the call is restarted once the wait is over. Its
own module, so the signal code and the personalities' handlers import it without the kernel."""
from __future__ import annotations

import time


# How long before a sleep's deadline its process is woken. Waking a host thread and running
# the scheduler's way back to the guest takes ~0.2 ms, and a guest timing its sleep (as LTP's
# nanosleep01 does) would see every sleep that much too long; woken this early, the restarted
# call waits out the rest itself (runtime/linux/time.py) and returns on time.
EARLY_WAKE = 0.00025


def kept_deadline(kept, key, seconds: float) -> tuple:
    """A blocking call's deadline that survives its restarts (a socket's SO_RCVTIMEO):
    kept is what the last attempt kept, (key, deadline) or None. Returns what to keep now
    and the deadline to block until, or (None, None) once the deadline has passed."""
    if kept is not None and kept[0] == key:
        if time.monotonic() >= kept[1]:
            return None, None
        return kept, kept[1]
    deadline = time.monotonic() + seconds
    return (key, deadline), deadline


def deadline_passed(deadline: float | None, restarted: bool = True) -> bool:
    """Whether a timed wait is over: its deadline (monotonic) has passed, or -- in the call
    restarted after its precise Block woke it -- is within EARLY_WAKE, which is waited out
    here. A first call always blocks, however short the wait: the core goes to another
    process meanwhile, as a sleep on Linux gives it up."""
    if deadline is None:
        return False
    if not restarted:
        return time.monotonic() >= deadline
    if deadline - time.monotonic() > EARLY_WAKE:
        return False
    while time.monotonic() < deadline:
        pass
    return True


class Block(Exception):
    """Raised by a handler that must wait: the call is restarted once `ready()` is true."""

    def __init__(self, ready, host_fds=(), deadline: float | None = None, restartable=True,
                 partial: int = 0, on_interrupt=None, precise: bool = False):
        self.ready, self.host_fds, self.deadline = ready, tuple(host_fds), deadline
        # a sleep: woken EARLY_WAKE before the deadline, to finish the wait itself
        self.wake_at = deadline - EARLY_WAKE if precise and deadline is not None else deadline
        self.restartable = restartable   # SA_RESTART may re-run it after a handler
        self.partial = partial           # done before blocking: a signal returns this count
        self.on_interrupt = on_interrupt # forget the progress when a signal ends the call
        self.call = None                 # (table, number) of the call that waits, once it does
