"""Priority-inheritance futexes (FUTEX_LOCK_PI, FUTEX_LOCK_PI2, FUTEX_TRYLOCK_PI,
FUTEX_UNLOCK_PI): the kernel owns the lock word's protocol, as kernel/futex/pi.c. The
word holds its owner's tid, FUTEX_WAITERS while threads wait in the kernel, and
FUTEX_OWNER_DIED after an owner ended holding it. An unlock hands the lock to the first
waiter (its tid goes into the word), so the waiter returns owning it.

With one emulated CPU nothing runs at another's priority, so there is no boosting to do;
glibc's PTHREAD_PRIO_INHERIT mutexes (PipeWire, JACK, realtime code) need the protocol."""
from __future__ import annotations

import errno
import time as host_time

from ..block import Block, deadline_passed
from ..errors import Fault, KernelError
from .cred import INIT_PID

FUTEX_LOCK_PI, FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI, FUTEX_LOCK_PI2 = 6, 7, 8, 13
PI_COMMANDS = (FUTEX_LOCK_PI, FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI, FUTEX_LOCK_PI2)
FUTEX_WAITERS, FUTEX_OWNER_DIED, FUTEX_TID_MASK = 0x80000000, 0x40000000, 0x3FFFFFFF
FUTEX_CLOCK_REALTIME = 256


def _pi_queue(p, uaddr: int) -> list:
    from .misc import _key, _queue
    return _queue(p, ("pi",) + _key(p, uaddr))


def futex_pi(p, cmd: int, op: int, uaddr: int, timeout: int, wide: bool | None) -> int:
    from .misc import _check_uaddr
    if cmd == FUTEX_UNLOCK_PI:
        _check_uaddr(p, uaddr)
        return _unlock(p, uaddr)
    return _lock(p, uaddr, cmd, op, timeout, wide)


def _owner_alive(p, tid: int) -> bool:
    """A live thread has that tid: one of the machine's, or its init (pid 1, which no PCB
    stands for and which never ends; kill(1, 0) answers for it too)."""
    t = p.kernel.procs.get(tid)
    if t is None:
        return tid == INIT_PID
    return t.alive


def _lock(p, uaddr: int, cmd: int, op: int, timeout: int, wide: bool | None) -> int:
    from .misc import _check_uaddr
    state = p.linux.futex
    if state is not None and state.get("pi"):      # the restarted call of a waiter
        if p.futex_woken:                            # an unlock made it the owner
            p.futex_woken, p.linux.futex = False, None
            return 0
        if _owner_gone(p, uaddr):
            # the owner ended holding it (exit_pi_state_list): a waiter takes it over,
            # marked so, as fixup_pi_state_owner writes the word
            queue = state["queue"]
            if p in queue:
                queue.remove(p)
            p.linux.futex = None
            p.mm.write_u32(uaddr, p.pid | FUTEX_OWNER_DIED | FUTEX_WAITERS)
            return 0
        if deadline_passed(state["deadline"]):
            _leave(p, uaddr)
            raise KernelError(errno.ETIMEDOUT)
        raise _wait(p, uaddr, state["deadline"])
    # sys_futex reads and checks the timeout before anything else (futex_init_timeout):
    # a wild pointer is EFAULT, and a bad time EINVAL, whatever the word holds
    value_s = _timeout_seconds(p, timeout, wide) if timeout and cmd != FUTEX_TRYLOCK_PI \
        else None
    _check_uaddr(p, uaddr)
    value = p.mm.read_u32(uaddr)
    owner = value & FUTEX_TID_MASK
    if owner == p.pid:
        raise KernelError(errno.EDEADLK)
    if owner and not _owner_alive(p, owner):
        # a word naming a thread that is gone, unrepaired by a robust list: Linux gives
        # up (handle_exit_race), with FUTEX_WAITERS already set
        p.mm.write_u32(uaddr, value | FUTEX_WAITERS)
        raise KernelError(errno.ESRCH)
    if owner == 0:
        # free (a robust list's clean-up leaves FUTEX_OWNER_DIED for the next owner)
        died = value & FUTEX_OWNER_DIED
        queue = _pi_queue(p, uaddr)
        p.mm.write_u32(uaddr, p.pid | died | (FUTEX_WAITERS if queue else 0))
        return 0
    if cmd == FUTEX_TRYLOCK_PI:
        raise KernelError(errno.EAGAIN)
    deadline = None
    if value_s is not None:
        from .misc import CLOCK_MONOTONIC, CLOCK_REALTIME
        from .time import _clock
        # LOCK_PI's timeout is absolute CLOCK_REALTIME; LOCK_PI2's CLOCK_MONOTONIC unless
        # FUTEX_CLOCK_REALTIME says otherwise
        clock = CLOCK_REALTIME if cmd == FUTEX_LOCK_PI or op & FUTEX_CLOCK_REALTIME \
            else CLOCK_MONOTONIC
        deadline = host_time.monotonic() + max(0.0, value_s - _clock(clock))
    p.mm.write_u32(uaddr, value | FUTEX_WAITERS)
    queue = _pi_queue(p, uaddr)
    p.futex_woken = False
    queue.append(p)
    p.linux.futex = {"deadline": deadline, "queue": queue, "pi": True}
    raise _wait(p, uaddr, deadline)


def _timeout_seconds(p, timeout: int, wide: bool | None) -> float:
    from .time import _read_timespec
    return _read_timespec(p, timeout, wide)


def _wait(p, uaddr: int, deadline) -> Block:
    """Sleep until an unlock hands the lock over or its owner ends holding it; a signal's
    handler runs and the wait goes on (SA_RESTART), or it ends with EINTR and leaves the
    queue."""
    return Block(lambda: p.futex_woken or _owner_gone(p, uaddr), deadline=deadline,
                 restartable=True, precise=True, on_interrupt=lambda: _leave(p, uaddr))


def _owner_gone(p, uaddr: int) -> bool:
    """The word names no live owner: its owner ended (a robust list's clean-up leaves the
    tid 0)."""
    try:
        owner = p.mm.read_u32(uaddr) & FUTEX_TID_MASK
    except (Fault, KernelError):
        return False
    return owner == 0 or not _owner_alive(p, owner)


def _leave(p, uaddr: int) -> None:
    """A waiter gives up (timeout, signal): off the queue. The word keeps FUTEX_WAITERS, as
    Linux leaves it (the owner's unlock then comes to the kernel, which finds nobody)."""
    state, p.linux.futex = p.linux.futex, None
    queue = state["queue"] if state else _pi_queue(p, uaddr)
    if p in queue:
        queue.remove(p)


def _unlock(p, uaddr: int) -> int:
    value = p.mm.read_u32(uaddr)
    if value & FUTEX_TID_MASK != p.pid:
        raise KernelError(errno.EPERM)
    hand_over(p, uaddr, 0)
    return 0


def hand_over(p, uaddr: int, extra: int) -> None:
    """The lock goes to the first live waiter (extra: FUTEX_OWNER_DIED after its owner
    ended), or is free."""
    queue = _pi_queue(p, uaddr)
    while queue:
        t = queue.pop(0)
        if t.alive and not t.futex_woken:
            p.mm.write_u32(uaddr, t.pid | extra | (FUTEX_WAITERS if queue else 0))
            t.futex_woken = True
            p.kernel.wake(t)
            return
    p.mm.write_u32(uaddr, extra)
