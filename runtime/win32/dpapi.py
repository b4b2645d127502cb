"""DPAPI (crypt32 CryptProtectData / CryptUnprotectData): data sealed to the user who
protected it. The key is derived from the user's SID and the entropy the caller gives, so a
blob made in one run opens in the next (a credential store keeps them), and a wrong entropy
or another user's blob fails as Windows' does. The blob is sysvec's own format (a version
and DPAPI's provider GUID first, as Windows' blobs begin): programs keep it, never read it.
The cipher is SHA-256 in counter mode with an HMAC-SHA-256 tag: a sandbox's seal, not a
secret from whoever controls the host."""
from __future__ import annotations

import hashlib
import hmac
import os
import struct

from ..nt import abi
from .security import user_sid
from .wide import read_wstr

PROVIDER = bytes.fromhex("d08c9ddf0115d1118c7a00c04fc297eb")   # {df9d8cd0-1501-11d1-...}
HEADER = struct.pack("<I", 1) + PROVIDER
ERROR_INVALID_PARAMETER, ERROR_INVALID_DATA = 87, 13
CRYPTPROTECT_LOCAL_MACHINE = 0x4
MAX_BLOB = 1 << 28


def _key(p, entropy: bytes, machine: bool) -> bytes:
    owner = b"machine" if machine else user_sid(p)
    return hashlib.sha256(b"sysvec dpapi\0" + owner + b"\0" + entropy).digest()


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(key + nonce + struct.pack("<Q", counter)).digest()
        counter += 1
    return bytes(out[:length])


def _blob_in(p, at: int) -> bytes | None:
    """A DATA_BLOB's bytes (cbData, pbData), or None for NULL."""
    if not at:
        return None
    size = p.mm.read_u32(at)
    data = abi.read_ptr(p, at + abi.word(p))
    if size > MAX_BLOB:
        raise ValueError("too large")
    return p.mm.read(data, size) if size else b""


def _blob_out(p, at: int, data: bytes) -> None:
    """Fill a DATA_BLOB with a LocalAlloc'd copy of data (LocalFree frees it)."""
    block = p.win32.heap.alloc(max(len(data), 1))
    p.mm.write(block, data)
    p.mm.write_u32(at, len(data))
    abi.write_ptr(p, at + abi.word(p), block)


def _inputs(p, data_in: int, entropy_at: int, data_out: int):
    """(the input blob's bytes, the entropy's), or None with ERROR_INVALID_PARAMETER."""
    try:
        data, entropy = _blob_in(p, data_in), _blob_in(p, entropy_at) or b""
    except ValueError:
        data = None
    if data is None or not data_out:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return None
    return data, entropy


def sys_crypt32_CryptProtectData(p, pDataIn, szDataDescr, pOptionalEntropy, pvReserved,
                                 pPromptStruct, dwFlags, pDataOut):
    given = _inputs(p, pDataIn, pOptionalEntropy, pDataOut)
    if given is None:
        return 0
    plain, entropy = given
    description = read_wstr(p, szDataDescr).encode("utf-16-le") if szDataDescr else b""
    machine = bool(dwFlags & CRYPTPROTECT_LOCAL_MACHINE)
    key, nonce = _key(p, entropy, machine), os.urandom(16)
    body = struct.pack("<?I", machine, len(description)) + description + plain
    sealed = bytes(a ^ b for a, b in zip(body, _stream(key, nonce, len(body))))
    tag = hmac.new(key, HEADER + nonce + sealed, hashlib.sha256).digest()
    _blob_out(p, pDataOut, HEADER + nonce + tag + sealed)
    return 1


def sys_crypt32_CryptUnprotectData(p, pDataIn, ppszDataDescr, pOptionalEntropy, pvReserved,
                                   pPromptStruct, dwFlags, pDataOut):
    given = _inputs(p, pDataIn, pOptionalEntropy, pDataOut)
    if given is None:
        return 0
    blob, entropy = given
    head = len(HEADER) + 16 + 32
    if len(blob) < head + 5 or blob[:len(HEADER)] != HEADER:
        p.win32.last_error = ERROR_INVALID_DATA
        return 0
    nonce, tag, sealed = blob[20:36], blob[36:68], blob[68:]
    for machine in (False, True):               # (the blob says which; the tag checks it)
        key = _key(p, entropy, machine)
        if hmac.compare_digest(tag, hmac.new(key, HEADER + nonce + sealed,
                                             hashlib.sha256).digest()):
            break
    else:
        p.win32.last_error = ERROR_INVALID_DATA      # another user's, or a wrong entropy
        return 0
    body = bytes(a ^ b for a, b in zip(sealed, _stream(key, nonce, len(sealed))))
    _machine, size = struct.unpack_from("<?I", body)
    description, plain = body[5:5 + size], body[5 + size:]
    if ppszDataDescr:
        text = p.win32.heap.alloc(len(description) + 2)
        p.mm.write(text, description + b"\0\0")
        abi.write_ptr(p, ppszDataDescr, text)
    _blob_out(p, pDataOut, plain)
    return 1
