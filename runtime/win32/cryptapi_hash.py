"""CryptoAPI's hashes (advapi32: CryptCreateHash, CryptHashData, CryptGetHashParam ...), as
programs built against the old API still compute MD5 and SHA digests with them (CMake,
FFmpeg, Node's OpenSSL engine). The algorithms are hashlib's; keys, signing and encryption
(CryptDeriveKey, CryptSignHash, CryptEncrypt) are not offered: NTE_BAD_ALGID / NTE_BAD_KEY."""
from __future__ import annotations

import hashlib
from types import SimpleNamespace

from ..nt import abi
from .kernel32_sync import close_sync_handle, new_handle, object_of

ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_MORE_DATA = 6, 87, 234
NTE_BAD_ALGID, NTE_BAD_KEY, NTE_BAD_HASH_STATE, NTE_BAD_TYPE = \
    0x80090008, 0x80090003, 0x8009000C, 0x8009000A
CALG = {0x8003: "md5", 0x8004: "sha1", 0x800C: "sha256", 0x800D: "sha384",
        0x800E: "sha512", 0x8001: "md2", 0x8002: "md4"}
CALG_HMAC = 0x8009
HP_ALGID, HP_HASHVAL, HP_HASHSIZE = 0x1, 0x2, 0x4


def _new_hash(name: str):
    try:
        return hashlib.new(name)
    except ValueError:            # md2/md4: not in this OpenSSL
        return None


def sys_advapi32_CryptCreateHash(p, hProv, Algid, hKey, dwFlags, phHash):
    if object_of(p, hProv, "crypt provider") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if Algid == CALG_HMAC or hKey:
        p.win32.last_error = NTE_BAD_KEY      # no keys here to MAC with
        return 0
    name = CALG.get(Algid)
    state = _new_hash(name) if name else None
    if state is None:
        p.win32.last_error = NTE_BAD_ALGID
        return 0
    abi.write_ptr(p, phHash, new_handle(p, SimpleNamespace(kind="crypt hash", algid=Algid,
                                                           state=state, done=False)))
    return 1


def _hash(p, hHash):
    h = object_of(p, hHash, "crypt hash")
    if h is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
    return h


def sys_advapi32_CryptHashData(p, hHash, pbData, dwDataLen, dwFlags):
    h = _hash(p, hHash)
    if h is None:
        return 0
    if h.done:
        p.win32.last_error = NTE_BAD_HASH_STATE   # the value was read: the hash is finished
        return 0
    if dwDataLen:
        h.state.update(p.mm.read(pbData, dwDataLen))
    return 1


def sys_advapi32_CryptGetHashParam(p, hHash, dwParam, pbData, pdwDataLen, dwFlags):
    h = _hash(p, hHash)
    if h is None:
        return 0
    size = h.state.digest_size
    values = {HP_ALGID: h.algid.to_bytes(4, "little"), HP_HASHSIZE: size.to_bytes(4, "little")}
    if dwParam == HP_HASHVAL:
        value = h.state.digest()
    elif dwParam in values:
        value = values[dwParam]
    else:
        p.win32.last_error = NTE_BAD_TYPE
        return 0
    room = p.mm.read_u32(pdwDataLen)
    p.mm.write_u32(pdwDataLen, len(value))
    if not pbData:
        return 1                  # the size asked for
    if room < len(value):
        p.win32.last_error = ERROR_MORE_DATA
        return 0
    p.mm.write(pbData, value)
    if dwParam == HP_HASHVAL:
        h.done = True
    return 1


def sys_advapi32_CryptDestroyHash(p, hHash):
    if _hash(p, hHash) is None:
        return 0
    close_sync_handle(p, hHash)
    return 1


def sys_advapi32_CryptDuplicateHash(p, hHash, pdwReserved, dwFlags, phHash):
    h = _hash(p, hHash)
    if h is None:
        return 0
    copy = SimpleNamespace(kind="crypt hash", algid=h.algid, state=h.state.copy(), done=h.done)
    abi.write_ptr(p, phHash, new_handle(p, copy))
    return 1


def sys_advapi32_CryptGetProvParam(p, hProv, dwParam, pbData, pdwDataLen, dwFlags):
    """Nothing to enumerate (no containers, algorithms listed by name): ERROR_NO_MORE_ITEMS
    for enumerations, NTE_BAD_TYPE for the rest."""
    if object_of(p, hProv, "crypt provider") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    p.win32.last_error = 259 if dwParam in (1, 2, 22) else NTE_BAD_TYPE
    return 0


