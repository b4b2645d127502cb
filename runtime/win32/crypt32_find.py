"""crypt32's CertFindCertificateInStore: the next certificate of a store, after a previous
one, that matches by hash, by subject or issuer name (as DER or as a substring of its text),
by issuer and serial number (a signer's CERT_INFO), or by being the same certificate."""
from __future__ import annotations

import hashlib

from ..nt import abi
from .crypt32 import CRYPT_E_NOT_FOUND, ERROR_INVALID_HANDLE, STORE, _fail
from .crypt32_names import CERT_SIMPLE_NAME_STR, name_to_str
from .kernel32_sync import object_of
from .wide import read_str
from .x509 import parse_certificate

CERT_FIND_ANY, CERT_FIND_SHA1_HASH, CERT_FIND_SHA256_HASH = 0, 0x10000, 0x1A0000
CERT_FIND_ISSUER_NAME, CERT_FIND_SUBJECT_NAME = 0x20004, 0x20007
CERT_FIND_ISSUER_STR_A, CERT_FIND_SUBJECT_STR_A = 0x70004, 0x70007
CERT_FIND_ISSUER_STR_W, CERT_FIND_SUBJECT_STR_W = 0x80004, 0x80007
CERT_FIND_SUBJECT_CERT, CERT_FIND_EXISTING = 0xB0000, 0xD0000


def encoded(p, context: int) -> bytes:
    """A CERT_CONTEXT's certificate bytes."""
    word = abi.word(p)
    data, size = p.mm.read_word(context + word), p.mm.read_u32(context + 2 * word)
    return p.mm.read(data, size)


def _blob(p, at: int) -> bytes:
    """A CRYPT_DATA_BLOB's bytes."""
    size, data = p.mm.read_u32(at), p.mm.read_word(at + abi.word(p))
    return p.mm.read(data, size) if size else b""


def _matcher(p, find_type: int, para: int):
    """A test of (certificate DER, its fields), or None for a find type not offered."""
    word = abi.word(p)
    if find_type == CERT_FIND_ANY:
        return lambda der, tbs: True
    if find_type in (CERT_FIND_SHA1_HASH, CERT_FIND_SHA256_HASH):
        want, algorithm = _blob(p, para), "sha1" if find_type == CERT_FIND_SHA1_HASH else "sha256"
        return lambda der, tbs: hashlib.new(algorithm, der).digest() == want
    if find_type in (CERT_FIND_ISSUER_NAME, CERT_FIND_SUBJECT_NAME):
        want = _blob(p, para)
        field = "issuer" if find_type == CERT_FIND_ISSUER_NAME else "subject"
        return lambda der, tbs: getattr(tbs, field) == want
    if find_type in (CERT_FIND_ISSUER_STR_A, CERT_FIND_SUBJECT_STR_A, CERT_FIND_ISSUER_STR_W,
                     CERT_FIND_SUBJECT_STR_W):
        want = read_str(p, para, find_type >> 16 == 8).lower()
        field = "issuer" if find_type & 0xFFFF == 4 else "subject"
        return lambda der, tbs: want in name_to_str(getattr(tbs, field),
                                                    CERT_SIMPLE_NAME_STR).lower()
    if find_type == CERT_FIND_SUBJECT_CERT:
        # CERT_INFO: dwVersion, SerialNumber (little-endian), SignatureAlgorithm (an OID
        # pointer and a blob: three words), Issuer ...
        serial = _blob(p, para + word)[::-1]
        issuer = _blob(p, para + 6 * word)
        return lambda der, tbs: tbs.issuer == issuer and \
            tbs.serial.lstrip(b"\0") == serial.lstrip(b"\0")
    if find_type == CERT_FIND_EXISTING:
        want = encoded(p, para)
        return lambda der, tbs: der == want
    return None


def sys_crypt32_CertFindCertificateInStore(p, hCertStore, dwCertEncodingType, dwFindFlags,
                                           dwFindType, pvFindPara, pPrevCertContext):
    store = object_of(p, hCertStore, STORE)
    if store is None:
        return _fail(p, ERROR_INVALID_HANDLE)
    match = _matcher(p, dwFindType, pvFindPara)
    if match is None:
        return _fail(p, CRYPT_E_NOT_FOUND)
    contexts = store.contexts
    at = contexts.index(pPrevCertContext) + 1 if pPrevCertContext in contexts else \
        len(contexts) if pPrevCertContext else 0
    for context in contexts[at:]:
        der = encoded(p, context)
        try:
            tbs = parse_certificate(der)
        except (ValueError, IndexError, UnicodeDecodeError):
            continue
        if match(der, tbs):
            return context
    return _fail(p, CRYPT_E_NOT_FOUND)
