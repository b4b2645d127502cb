"""The process's random-number generators: bcryptprimitives.dll's ProcessPrng (Rust's std
seeds its HashMap keys from it) and bcrypt.dll's BCryptGenRandom with the system's one."""
from __future__ import annotations

import os


def sys_bcryptprimitives_ProcessPrng(p, pbData, cbData):
    """Fill the buffer from the host's random source; it always succeeds, as Windows says."""
    if cbData:
        p.mm.write(pbData, os.urandom(cbData))
    return 1


STATUS_INVALID_PARAMETER = 0xC000000D
BCRYPT_USE_SYSTEM_PREFERRED_RNG = 0x2


def sys_bcrypt_BCryptGenRandom(p, hAlgorithm, pbBuffer, cbBuffer, dwFlags):
    """bcrypt.dll's generator: the system's preferred one (no algorithm handle is ever made
    here, so one must ask for that), from the host's random source."""
    if not dwFlags & BCRYPT_USE_SYSTEM_PREFERRED_RNG or hAlgorithm:
        return STATUS_INVALID_PARAMETER
    if cbBuffer:
        p.mm.write(pbBuffer, os.urandom(cbBuffer))
    return 0
