"""DPAPI (crypt32 CryptProtectData / CryptUnprotectData): data sealed to the user who
protected it. The key is derived from the user's SID and the entropy the caller gives, so a
blob made in one run opens in the next (a credential store keeps them), and a wrong entropy
or another user's blob fails as Windows' does. The blob is sysvec's own format (a version
and DPAPI's provider GUID first, as Windows' blobs begin): programs keep it, never read it.
The cipher is a SHAKE-256 key stream, a chunk at a time, with an HMAC-SHA-256 tag (blobs
of the first format, SHA-256 in counter mode, still open): a sandbox's seal, not a secret
from whoever controls the host."""
from __future__ import annotations

import hashlib
import hmac
import os
import struct

from ..errors import Fault
from ..nt import abi
from .security import user_sid
from .wide import read_wstr

PROVIDER = bytes.fromhex("d08c9ddf0115d1118c7a00c04fc297eb")   # {df9d8cd0-1501-11d1-...}
HEADER = struct.pack("<I", 1) + PROVIDER
ERROR_INVALID_PARAMETER, ERROR_INVALID_DATA, ERROR_NOACCESS = 87, 13, 998
CRYPTPROTECT_LOCAL_MACHINE = 0x4
MAX_BLOB = 1 << 28
SEALED = len(HEADER) + 16 + 32        # the header, the nonce and the tag, then the body
BODY = 5                              # the body's own header: local machine, description size
ERROR_NOT_ENOUGH_MEMORY = 8
CHUNK = 1 << 20                       # the cipher's step (a whole number of SHA-256 blocks)
SHAKE = b"\x02"                       # MAC'd last in a blob whose stream is SHAKE-256's


def _key(p, entropy: bytes, machine: bool) -> bytes:
    owner = b"machine" if machine else user_sid(p)
    return hashlib.sha256(b"sysvec dpapi\0" + owner + b"\0" + entropy).digest()


def _shake_stream(key: bytes, nonce: bytes, index: int, length: int) -> bytes:
    """The key stream of chunk index."""
    return hashlib.shake_256(key + nonce + struct.pack("<Q", index)).digest(length)


def _sha_stream(key: bytes, nonce: bytes, index: int, length: int) -> bytes:
    """The first format's key stream of chunk index: SHA-256 of a block counter."""
    first, prefix, pack = index * CHUNK // 32, key + nonce, struct.Struct("<Q").pack
    return b"".join([hashlib.sha256(prefix + pack(first + i)).digest()
                     for i in range((length + 31) // 32)])[:length]


def _xor(buf: bytearray, start: int, key: bytes, nonce: bytes, stream) -> None:
    """buf[start:] XOR the key stream, in place, a chunk at a time as whole numbers."""
    for index, at in enumerate(range(start, len(buf), CHUNK)):
        piece = buf[at:at + CHUNK]
        n = len(piece)
        mixed = int.from_bytes(piece, "little") ^ \
            int.from_bytes(stream(key, nonce, index, n), "little")
        buf[at:at + n] = mixed.to_bytes(n, "little")


def _mac(key: bytes, blob: bytearray):
    """HMAC-SHA-256 of the header, the nonce and the sealed body (not yet finished)."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    with memoryview(blob) as view:
        mac.update(view[:SEALED - 32])
        mac.update(view[SEALED:])
    return mac


def _blob_ref(p, at: int) -> tuple[int, int] | None:
    """A DATA_BLOB's (pbData, cbData), or None for NULL."""
    if not at:
        return None
    size = p.mm.read_u32(at)
    if size > MAX_BLOB:
        raise ValueError("too large")
    return abi.read_ptr(p, at + abi.word(p)), size


def _read_into(p, buf: bytearray, at: int, ref: tuple[int, int]) -> None:
    """The guest's bytes of a blob into buf at at, a chunk at a time."""
    data, size = ref
    for done in range(0, size, CHUNK):
        n = min(CHUNK, size - done)
        buf[at + done:at + done + n] = p.mm.read(data + done, n)


def _blob_out(p, at: int, data: bytearray, start: int = 0) -> int:
    """Fill a DATA_BLOB with a LocalAlloc'd copy of data[start:] (LocalFree frees it):
    TRUE, or FALSE with ERROR_NOT_ENOUGH_MEMORY when the heap has no room for it."""
    size = len(data) - start
    block = p.win32.heap.alloc(max(size, 1))
    if not block:
        p.win32.last_error = ERROR_NOT_ENOUGH_MEMORY
        return 0
    for done in range(0, size, CHUNK):
        p.mm.write(block + done, bytes(data[start + done:start + min(done + CHUNK, size)]))
    p.mm.write_u32(at, size)
    abi.write_ptr(p, at + abi.word(p), block)
    return 1


def _inputs(p, data_in: int, entropy_at: int, data_out: int):
    """(the input blob's (pbData, cbData), the entropy's bytes), or None with
    ERROR_INVALID_PARAMETER (ERROR_NOACCESS for an entropy that cannot be read)."""
    try:
        ref, entropy = _blob_ref(p, data_in), _blob_ref(p, entropy_at)
    except ValueError:
        ref = None
    if ref is None or not data_out:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return None
    try:
        return ref, p.mm.read(*entropy) if entropy and entropy[1] else b""
    except Fault:
        p.win32.last_error = ERROR_NOACCESS
        return None


def sys_crypt32_CryptProtectData(p, pDataIn, szDataDescr, pOptionalEntropy, pvReserved,
                                 pPromptStruct, dwFlags, pDataOut):
    given = _inputs(p, pDataIn, pOptionalEntropy, pDataOut)
    if given is None:
        return 0
    ref, entropy = given
    description = read_wstr(p, szDataDescr).encode("utf-16-le") if szDataDescr else b""
    plain_at = SEALED + BODY + len(description)
    if plain_at + ref[1] > MAX_BLOB:             # (the blob could not be opened again)
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    machine = bool(dwFlags & CRYPTPROTECT_LOCAL_MACHINE)
    key, nonce = _key(p, entropy, machine), os.urandom(16)
    blob = bytearray(plain_at + ref[1])
    blob[:SEALED - 32] = HEADER + nonce
    blob[SEALED:plain_at] = struct.pack("<?I", machine, len(description)) + description
    try:
        _read_into(p, blob, plain_at, ref)
    except Fault:
        p.win32.last_error = ERROR_NOACCESS
        return 0
    _xor(blob, SEALED, key, nonce, _shake_stream)
    mac = _mac(key, blob)
    mac.update(SHAKE)
    blob[SEALED - 32:SEALED] = mac.digest()
    return _blob_out(p, pDataOut, blob)


def sys_crypt32_CryptUnprotectData(p, pDataIn, ppszDataDescr, pOptionalEntropy, pvReserved,
                                   pPromptStruct, dwFlags, pDataOut):
    given = _inputs(p, pDataIn, pOptionalEntropy, pDataOut)
    if given is None:
        return 0
    ref, entropy = given
    if ref[1] < SEALED + BODY:
        p.win32.last_error = ERROR_INVALID_DATA
        return 0
    blob = bytearray(ref[1])
    try:
        _read_into(p, blob, 0, ref)
    except Fault:
        p.win32.last_error = ERROR_NOACCESS
        return 0
    if blob[:len(HEADER)] != HEADER:
        p.win32.last_error = ERROR_INVALID_DATA
        return 0
    nonce, tag = bytes(blob[SEALED - 48:SEALED - 32]), bytes(blob[SEALED - 32:SEALED])
    stream = None
    for machine in (False, True):               # (the blob says which; the tag checks it)
        key = _key(p, entropy, machine)
        mac = _mac(key, blob)
        if hmac.compare_digest(tag, mac.copy().digest()):
            stream = _sha_stream                # the first format's
            break
        mac.update(SHAKE)
        if hmac.compare_digest(tag, mac.digest()):
            stream = _shake_stream
            break
    if stream is None:
        p.win32.last_error = ERROR_INVALID_DATA      # another user's, or a wrong entropy
        return 0
    _xor(blob, SEALED, key, nonce, stream)
    _machine, size = struct.unpack_from("<?I", blob, SEALED)
    description = bytes(blob[SEALED + BODY:SEALED + BODY + size])
    if ppszDataDescr:
        text = p.win32.heap.alloc(len(description) + 2)
        if not text:
            p.win32.last_error = ERROR_NOT_ENOUGH_MEMORY
            return 0
        p.mm.write(text, description + b"\0\0")
        abi.write_ptr(p, ppszDataDescr, text)
    return _blob_out(p, pDataOut, blob, min(SEALED + BODY + size, len(blob)))
