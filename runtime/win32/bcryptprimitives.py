"""bcryptprimitives.dll's ProcessPrng, the process's random-number generator (Rust's std seeds
its HashMap keys from it)."""
from __future__ import annotations

import os


def sys_bcryptprimitives_ProcessPrng(p, pbData, cbData):
    """Fill the buffer from the host's random source; it always succeeds, as Windows says."""
    if cbData:
        p.mm.write(pbData, os.urandom(cbData))
    return 1
