"""The process's random-number generators: bcryptprimitives.dll's ProcessPrng (Rust's std
seeds its HashMap keys from it) and bcrypt.dll's BCryptGenRandom, with the system's
generator or an RNG algorithm provider's (ffmpeg opens one)."""
from __future__ import annotations

from types import SimpleNamespace

from ..nt import abi
from ..nt.status import STATUS_INVALID_HANDLE, STATUS_INVALID_PARAMETER, STATUS_NOT_FOUND
from .guestmem import fill_random


def sys_bcryptprimitives_ProcessPrng(p, pbData, cbData):
    """Fill the buffer from the host's random source; it always succeeds, as Windows says."""
    fill_random(p, pbData, cbData)
    return 1


BCRYPT_USE_SYSTEM_PREFERRED_RNG = 0x2


RNG_ALGORITHMS = {"RNG", "FIPS186DSARNG", "DUALECRNG"}


def sys_bcrypt_BCryptOpenAlgorithmProvider(p, phAlgorithm, pszAlgId, pszImplementation, dwFlags):
    """A random-number, hash (bcrypt_hash.py) or RSA (bcrypt_rsa.py) algorithm's provider;
    others: STATUS_NOT_FOUND."""
    from .kernel32_sync import new_handle
    from .wide import read_wstr
    from .bcrypt_hash import open_hash_provider
    from .bcrypt_rsa import open_rsa_provider
    name = read_wstr(p, pszAlgId) if pszAlgId else ""
    if name.upper() not in RNG_ALGORITHMS:
        for opened in (open_hash_provider(p, phAlgorithm, name, dwFlags),
                       open_rsa_provider(p, phAlgorithm, name)):
            if opened is not None:
                return opened
        return STATUS_NOT_FOUND
    abi.write_ptr(p, phAlgorithm, new_handle(p, SimpleNamespace(kind="bcrypt-rng")))
    return 0


def sys_bcrypt_BCryptCloseAlgorithmProvider(p, hAlgorithm, dwFlags):
    from .bcrypt_hash import close_provider as close_hash
    from .bcrypt_rsa import close_provider as close_rsa
    from .kernel32_sync import close_sync_handle, object_of
    if object_of(p, hAlgorithm, "bcrypt-rng") is None:
        closed = close_hash(p, hAlgorithm)
        closed = close_rsa(p, hAlgorithm) if closed is None else closed
        return STATUS_INVALID_HANDLE if closed is None else closed
    close_sync_handle(p, hAlgorithm)
    return 0


def sys_bcrypt_BCryptGenRandom(p, hAlgorithm, pbBuffer, cbBuffer, dwFlags):
    """bcrypt.dll's generator, the system's preferred one or an RNG provider's, from the
    host's random source."""
    from .kernel32_sync import object_of
    preferred = dwFlags & BCRYPT_USE_SYSTEM_PREFERRED_RNG
    if (preferred and hAlgorithm) or (not preferred and
                                      object_of(p, hAlgorithm, "bcrypt-rng") is None):
        return STATUS_INVALID_PARAMETER if preferred else STATUS_INVALID_HANDLE
    fill_random(p, pbBuffer, cbBuffer & 0xFFFFFFFF)
    return 0


def sys_bcrypt_BCryptGetFipsAlgorithmMode(p, pfEnabled):
    """Whether the system's FIPS policy is on: it is not (Microsoft's Go asks at start-up)."""
    if not pfEnabled:
        return STATUS_INVALID_PARAMETER
    p.mm.write_u32(pfEnabled, 0)
    return 0
