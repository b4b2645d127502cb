"""winmm.dll's timer resolution and clock: what Go's runtime loads at start-up (and
multimedia programs ask of the system timer). The host's timers are as fine as they get, so
asking for a period changes nothing and always succeeds."""
from __future__ import annotations

import time

TIMERR_NOERROR, TIMERR_NOCANDO = 0, 97


def sys_winmm_timeBeginPeriod(p, uPeriod):
    return TIMERR_NOERROR if uPeriod else TIMERR_NOCANDO


def sys_winmm_timeEndPeriod(p, uPeriod):
    return TIMERR_NOERROR if uPeriod else TIMERR_NOCANDO


def sys_winmm_timeGetTime(p):
    """Milliseconds since the system started, wrapping at 2^32."""
    return int(time.monotonic() * 1000) & 0xFFFFFFFF


def sys_winmm_timeGetDevCaps(p, ptc, cbtc):
    """TIMECAPS: the finest and coarsest periods a timer takes, in milliseconds."""
    if cbtc < 8 or not ptc:
        return TIMERR_NOCANDO
    p.mm.write_u32(ptc, 1)
    p.mm.write_u32(ptc + 4, 1_000_000)
    return TIMERR_NOERROR
