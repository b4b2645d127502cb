"""bcrypt.dll's RSA public keys: a BCRYPT_RSAKEY_BLOB imported from RSAPUBLICBLOB (or the
public half of a private blob), and signature verification with PKCS #1 v1.5 or PSS padding
(RFC 8017, 8.2.2 and 9.1.2), as certificate and package checkers verify signatures. Private
keys, signing and encryption are not offered (STATUS_NOT_SUPPORTED)."""
from __future__ import annotations

import hashlib
from types import SimpleNamespace

from ..nt import abi
from ..nt.status import STATUS_INVALID_HANDLE, STATUS_INVALID_PARAMETER, STATUS_NOT_SUPPORTED
from .bcrypt_hash import HASHES, close_object
from .kernel32_sync import new_handle, object_of
from .wide import read_wstr

ALGORITHM, KEY = "bcrypt-rsa-alg", "bcrypt-key"
RSA_PSEUDO_HANDLE = 0xE1
BCRYPT_RSAPUBLIC_MAGIC, BCRYPT_RSAPRIVATE_MAGIC, BCRYPT_RSAFULLPRIVATE_MAGIC = \
    0x31415352, 0x32415352, 0x33415352
BCRYPT_PAD_PKCS1, BCRYPT_PAD_PSS = 0x2, 0x8
STATUS_INVALID_SIGNATURE = 0xC000A000
# DER of DigestInfo's AlgorithmIdentifier and the OCTET STRING header, before the digest
DIGEST_INFO = {
    "MD5": bytes.fromhex("3020300c06082a864886f70d020505000410"),
    "SHA1": bytes.fromhex("3021300906052b0e03021a05000414"),
    "SHA256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "SHA384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "SHA512": bytes.fromhex("3051300d060960864801650304020305000440"),
}


def open_rsa_provider(p, phAlgorithm, name: str) -> int | None:
    if name.upper() != "RSA":
        return None
    abi.write_ptr(p, phAlgorithm, new_handle(p, SimpleNamespace(kind=ALGORITHM)))
    return 0


def close_provider(p, handle: int) -> int | None:
    return close_object(p, handle, ALGORITHM)


def sys_bcrypt_BCryptImportKeyPair(p, hAlgorithm, hImportKey, pszBlobType, phKey, pbInput,
                                   cbInput, dwFlags):
    if hAlgorithm != RSA_PSEUDO_HANDLE and object_of(p, hAlgorithm, ALGORITHM) is None:
        return STATUS_INVALID_HANDLE
    blob_type = read_wstr(p, pszBlobType) if pszBlobType else ""
    if blob_type not in ("RSAPUBLICBLOB", "RSAPRIVATEBLOB", "RSAFULLPRIVATEBLOB") or \
            cbInput < 24 or not phKey:
        return STATUS_INVALID_PARAMETER
    data = p.mm.read(pbInput, cbInput)
    magic, bits, exp_len, mod_len = (int.from_bytes(data[i:i + 4], "little")
                                     for i in range(0, 16, 4))
    if magic not in (BCRYPT_RSAPUBLIC_MAGIC, BCRYPT_RSAPRIVATE_MAGIC,
                     BCRYPT_RSAFULLPRIVATE_MAGIC) or 24 + exp_len + mod_len > len(data) or \
            not exp_len or not mod_len:
        return STATUS_INVALID_PARAMETER
    e = int.from_bytes(data[24:24 + exp_len], "big")
    n = int.from_bytes(data[24 + exp_len:24 + exp_len + mod_len], "big")
    key = SimpleNamespace(kind=KEY, n=n, e=e, bits=bits or n.bit_length())
    abi.write_ptr(p, phKey, new_handle(p, key))
    return 0


def sys_bcrypt_BCryptDestroyKey(p, hKey):
    closed = close_object(p, hKey, KEY)
    return STATUS_INVALID_HANDLE if closed is None else closed


def key_property(p, handle: int, name: str):
    """A key's property as bytes, None if it has no such property, False if handle is no
    key."""
    key = object_of(p, handle, KEY)
    if key is None:
        return False
    if name in ("KeyLength", "KeyStrength"):
        return key.bits.to_bytes(4, "little")
    if name == "AlgorithmName":
        return "RSA\0".encode("utf-16-le")
    return None


def _mgf1(seed: bytes, length: int, digest: str) -> bytes:
    out, counter = b"", 0
    while len(out) < length:
        out += hashlib.new(digest, seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:length]


def _pss_ok(em: bytes, em_bits: int, m_hash: bytes, salt_len: int, digest: str) -> bool:
    h_len = len(m_hash)
    if len(em) < h_len + salt_len + 2 or em[-1] != 0xBC:
        return False
    masked, h = em[:len(em) - h_len - 1], em[len(em) - h_len - 1:-1]
    unused = 8 * len(em) - em_bits          # leftmost bits of the encoding that must be 0
    if unused and masked[0] >> (8 - unused):
        return False
    db = bytearray(a ^ b for a, b in zip(masked, _mgf1(h, len(masked), digest)))
    if unused:
        db[0] &= 0xFF >> unused
    pad = len(em) - h_len - salt_len - 2
    if any(db[:pad]) or db[pad] != 1:
        return False
    salt = bytes(db[len(db) - salt_len:]) if salt_len else b""
    return hashlib.new(digest, bytes(8) + m_hash + salt).digest() == h


def sys_bcrypt_BCryptVerifySignature(p, hKey, pPaddingInfo, pbHash, cbHash, pbSignature,
                                     cbSignature, dwFlags):
    key = object_of(p, hKey, KEY)
    if key is None:
        return STATUS_INVALID_HANDLE
    m_hash = p.mm.read(pbHash, cbHash) if cbHash else b""
    signature = int.from_bytes(p.mm.read(pbSignature, cbSignature), "big") if cbSignature else 0
    k = (key.n.bit_length() + 7) // 8
    if cbSignature != k or signature >= key.n:
        return STATUS_INVALID_SIGNATURE
    em = pow(signature, key.e, key.n).to_bytes(k, "big")
    alg = read_wstr(p, p.mm.read_word(pPaddingInfo)) \
        if pPaddingInfo and p.mm.read_word(pPaddingInfo) else ""
    if dwFlags & BCRYPT_PAD_PKCS1:
        prefix = DIGEST_INFO.get(alg.upper(), b"") if alg else b""
        if alg and not prefix:
            return STATUS_NOT_SUPPORTED
        t = prefix + m_hash
        ok = len(t) + 11 <= k and em == b"\0\1" + b"\xff" * (k - len(t) - 3) + b"\0" + t
    elif dwFlags & BCRYPT_PAD_PSS and alg.upper() in HASHES:
        salt_len = p.mm.read_u32(pPaddingInfo + abi.word(p))
        em_bits = key.n.bit_length() - 1
        if len(em) > (em_bits + 7) // 8 and em[0]:     # modBits % 8 == 1: a byte that is 0
            return STATUS_INVALID_SIGNATURE
        em = em[-((em_bits + 7) // 8):]
        ok = _pss_ok(em, em_bits, m_hash, salt_len, HASHES[alg.upper()][0])
    else:
        return STATUS_NOT_SUPPORTED
    return 0 if ok else STATUS_INVALID_SIGNATURE
