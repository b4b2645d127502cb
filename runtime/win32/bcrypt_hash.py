"""bcrypt.dll's hash providers (CNG): MD5 and the SHA family, plain or keyed (HMAC), by
provider handle or by the pseudo-handles Windows 10 defines; hash objects fed piece by piece,
duplicated, reusable after their result; BCryptHash in one call; PBKDF2; and the properties
programs size their buffers by. The arithmetic is Python's hashlib and hmac."""
from __future__ import annotations

import hashlib
import hmac
from types import SimpleNamespace

from ..nt import abi
from ..nt.status import (STATUS_BUFFER_TOO_SMALL, STATUS_INVALID_HANDLE,
                         STATUS_INVALID_PARAMETER, STATUS_NOT_SUPPORTED)
from .kernel32_sync import close_sync_handle, new_handle, object_of
from .wide import read_wstr

# CNG name -> (hashlib name, digest bytes, block bytes)
HASHES = {"MD5": ("md5", 16, 64), "SHA1": ("sha1", 20, 64), "SHA256": ("sha256", 32, 64),
          "SHA384": ("sha384", 48, 128), "SHA512": ("sha512", 64, 128)}
BCRYPT_ALG_HANDLE_HMAC_FLAG, BCRYPT_HASH_REUSABLE_FLAG = 0x8, 0x20
# BCRYPT_*_ALG_HANDLE: (name, keyed)
PSEUDO_HANDLES = {0x21: ("MD5", False), 0x31: ("SHA1", False), 0x41: ("SHA256", False),
                  0x51: ("SHA384", False), 0x61: ("SHA512", False), 0x91: ("MD5", True),
                  0xA1: ("SHA1", True), 0xB1: ("SHA256", True), 0xC1: ("SHA384", True),
                  0xD1: ("SHA512", True)}
ALGORITHM, HASH = "bcrypt-hash-alg", "bcrypt-hash"
HASH_OBJECT_LENGTH = 512          # what a caller allocates for a hash object; unused here


def open_hash_provider(p, phAlgorithm, name: str, flags: int) -> int | None:
    """BCryptOpenAlgorithmProvider for a hash name; None when name is not one."""
    name = name.upper()
    if name not in HASHES:
        return None
    algorithm = SimpleNamespace(kind=ALGORITHM, name=name,
                                keyed=bool(flags & BCRYPT_ALG_HANDLE_HMAC_FLAG),
                                reusable=bool(flags & BCRYPT_HASH_REUSABLE_FLAG))
    abi.write_ptr(p, phAlgorithm, new_handle(p, algorithm))
    return 0


def algorithm_of(p, handle: int):
    pseudo = PSEUDO_HANDLES.get(handle)
    if pseudo is not None:
        return SimpleNamespace(kind=ALGORITHM, name=pseudo[0], keyed=pseudo[1], reusable=False)
    return object_of(p, handle, ALGORITHM)


def _new_state(algorithm, secret: bytes):
    digest = HASHES[algorithm.name][0]
    return hmac.new(secret, digestmod=digest) if algorithm.keyed else hashlib.new(digest)


def sys_bcrypt_BCryptCreateHash(p, hAlgorithm, phHash, pbHashObject, cbHashObject, pbSecret,
                                cbSecret, dwFlags):
    algorithm = algorithm_of(p, hAlgorithm)
    if algorithm is None:
        return STATUS_INVALID_HANDLE
    if not phHash:
        return STATUS_INVALID_PARAMETER
    secret = p.mm.read(pbSecret, cbSecret) if cbSecret else b""
    obj = SimpleNamespace(kind=HASH, algorithm=algorithm, secret=secret,
                          state=_new_state(algorithm, secret),
                          reusable=algorithm.reusable or bool(dwFlags & BCRYPT_HASH_REUSABLE_FLAG))
    abi.write_ptr(p, phHash, new_handle(p, obj))
    return 0


def sys_bcrypt_BCryptHashData(p, hHash, pbInput, cbInput, dwFlags):
    obj = object_of(p, hHash, HASH)
    if obj is None or obj.state is None:
        return STATUS_INVALID_HANDLE
    if cbInput:
        obj.state.update(p.mm.read(pbInput, cbInput))
    return 0


def sys_bcrypt_BCryptFinishHash(p, hHash, pbOutput, cbOutput, dwFlags):
    """The digest, whose size cbOutput must be; a reusable hash starts over, another is
    spent."""
    obj = object_of(p, hHash, HASH)
    if obj is None or obj.state is None:
        return STATUS_INVALID_HANDLE
    if cbOutput != HASHES[obj.algorithm.name][1]:
        return STATUS_INVALID_PARAMETER
    p.mm.write(pbOutput, obj.state.digest())
    obj.state = _new_state(obj.algorithm, obj.secret) if obj.reusable else None
    return 0


def sys_bcrypt_BCryptDuplicateHash(p, hHash, phNewHash, pbHashObject, cbHashObject, dwFlags):
    obj = object_of(p, hHash, HASH)
    if obj is None or obj.state is None:
        return STATUS_INVALID_HANDLE
    copy = SimpleNamespace(kind=HASH, algorithm=obj.algorithm, secret=obj.secret,
                           state=obj.state.copy(), reusable=obj.reusable)
    abi.write_ptr(p, phNewHash, new_handle(p, copy))
    return 0


def close_object(p, handle: int, kind: str) -> int | None:
    """Close a CNG object of the kind; None when handle is no such object."""
    if object_of(p, handle, kind) is None:
        return None
    close_sync_handle(p, handle)
    return 0


def sys_bcrypt_BCryptDestroyHash(p, hHash):
    closed = close_object(p, hHash, HASH)
    return STATUS_INVALID_HANDLE if closed is None else closed


def sys_bcrypt_BCryptHash(p, hAlgorithm, pbSecret, cbSecret, pbInput, cbInput, pbOutput,
                          cbOutput):
    algorithm = algorithm_of(p, hAlgorithm)
    if algorithm is None:
        return STATUS_INVALID_HANDLE
    if cbOutput != HASHES[algorithm.name][1]:
        return STATUS_INVALID_PARAMETER
    state = _new_state(algorithm, p.mm.read(pbSecret, cbSecret) if cbSecret else b"")
    state.update(p.mm.read(pbInput, cbInput) if cbInput else b"")
    p.mm.write(pbOutput, state.digest())
    return 0


def sys_bcrypt_BCryptDeriveKeyPBKDF2(p, hPrf, pbPassword, cbPassword, pbSalt, cbSalt,
                                     cIterations, pbDerivedKey, cbDerivedKey, dwFlags):
    """PBKDF2 with the provider's HMAC (it must be keyed)."""
    algorithm = algorithm_of(p, hPrf)
    if algorithm is None:
        return STATUS_INVALID_HANDLE
    if not algorithm.keyed or not 0 < cIterations < 1 << 31 or not cbDerivedKey:
        return STATUS_INVALID_PARAMETER      # (more rounds than hashlib takes: years anyway)
    key = hashlib.pbkdf2_hmac(HASHES[algorithm.name][0],
                              p.mm.read(pbPassword, cbPassword) if cbPassword else b"",
                              p.mm.read(pbSalt, cbSalt) if cbSalt else b"", cIterations,
                              cbDerivedKey)
    p.mm.write(pbDerivedKey, key)
    return 0


def hash_property(p, obj, name: str) -> bytes | None:
    """A hash provider's or hash object's property, as the bytes BCryptGetProperty gives."""
    algorithm = obj.algorithm if obj.kind == HASH else obj
    _, digest, block = HASHES[algorithm.name]
    values = {"ObjectLength": HASH_OBJECT_LENGTH, "HashDigestLength": digest,
              "HashBlockLength": block, "BlockLength": block}
    if name in values:
        return values[name].to_bytes(4, "little")
    if name == "AlgorithmName":
        return (algorithm.name + "\0").encode("utf-16-le")
    return None


def sys_bcrypt_BCryptGetProperty(p, hObject, pszProperty, pbOutput, cbOutput, pcbResult,
                                 dwFlags):
    from .bcrypt_rsa import key_property
    name = read_wstr(p, pszProperty) if pszProperty else ""
    obj = algorithm_of(p, hObject) or object_of(p, hObject, HASH)
    if obj is not None:
        data = hash_property(p, obj, name)
    else:
        data = key_property(p, hObject, name)
        if data is False:
            return STATUS_INVALID_HANDLE
    if data is None:
        return STATUS_NOT_SUPPORTED
    if pcbResult:
        p.mm.write_u32(pcbResult, len(data))
    if not pbOutput:
        return 0
    if cbOutput < len(data):
        return STATUS_BUFFER_TOO_SMALL
    p.mm.write(pbOutput, data)
    return 0


def close_provider(p, handle: int) -> int | None:
    """BCryptCloseAlgorithmProvider of a hash provider; None if handle is not one."""
    return close_object(p, handle, ALGORITHM)

