"""A certificate context's properties (CertGet/SetCertificateContextProperty): the hashes
crypt32 computes from the certificate (SHA-1, MD5, SHA-256, the key identifier), and the ones a
program sets (a friendly name ...), kept per context while the process lives."""
from __future__ import annotations

import hashlib

from .crypt32 import CRYPT_E_NOT_FOUND, ERROR_MORE_DATA, _fail
from .crypt32_find import encoded
from .x509 import parse_certificate

CERT_SHA1_HASH_PROP_ID, CERT_MD5_HASH_PROP_ID, CERT_KEY_IDENTIFIER_PROP_ID = 3, 4, 20
CERT_SIGNATURE_HASH_PROP_ID, CERT_SHA256_HASH_PROP_ID = 15, 107
CERT_SUBJECT_PUBLIC_KEY_MD5_HASH_PROP_ID = 25
CERT_KEY_PROV_INFO_PROP_ID, CERT_KEY_CONTEXT_PROP_ID = 2, 5
CRYPT_E_NO_KEY_PROPERTY = 0x8009200B
ERROR_INVALID_PARAMETER = 87


def _computed(p, context: int, prop: int) -> bytes | None:
    der = encoded(p, context)
    if prop == CERT_SHA1_HASH_PROP_ID:
        return hashlib.sha1(der).digest()
    if prop == CERT_MD5_HASH_PROP_ID:
        return hashlib.md5(der).digest()
    if prop in (CERT_SHA256_HASH_PROP_ID, CERT_SIGNATURE_HASH_PROP_ID):
        return hashlib.sha256(der).digest() if prop == CERT_SHA256_HASH_PROP_ID else None
    if prop in (CERT_KEY_IDENTIFIER_PROP_ID, CERT_SUBJECT_PUBLIC_KEY_MD5_HASH_PROP_ID):
        try:
            key = parse_certificate(der).public_key
        except (ValueError, IndexError, UnicodeDecodeError):
            return None
        return hashlib.sha1(key).digest() if prop == CERT_KEY_IDENTIFIER_PROP_ID else \
            hashlib.md5(key).digest()
    return None


def sys_crypt32_CertGetCertificateContextProperty(p, pCertContext, dwPropId, pvData, pcbData):
    """The property's bytes, or the size they need (pvData NULL); CRYPT_E_NOT_FOUND for one
    the certificate does not have."""
    if not pCertContext or not pcbData:
        return _fail(p, ERROR_INVALID_PARAMETER)
    data = p.win32.cert_properties.get(pCertContext, {}).get(dwPropId)
    if data is None:
        data = _computed(p, pCertContext, dwPropId)
    if data is None:
        return _fail(p, CRYPT_E_NOT_FOUND)
    have = p.mm.read_u32(pcbData)
    p.mm.write_u32(pcbData, len(data))
    if not pvData:
        return 1
    if have < len(data):
        return _fail(p, ERROR_MORE_DATA)
    p.mm.write(pvData, data)
    return 1


def sys_crypt32_CertSetCertificateContextProperty(p, pCertContext, dwPropId, dwFlags, pvData):
    """Kept as the bytes of the CRYPT_DATA_BLOB most properties take (NULL deletes it); a key
    link (CRYPT_KEY_PROV_INFO, a key handle) is accepted but not kept: no keys live here."""
    if not pCertContext:
        return _fail(p, ERROR_INVALID_PARAMETER)
    props = p.win32.cert_properties.setdefault(pCertContext, {})
    if dwPropId in (CERT_KEY_PROV_INFO_PROP_ID, CERT_KEY_CONTEXT_PROP_ID):
        return 1
    if not pvData:
        props.pop(dwPropId, None)
        return 1
    word = p.sysvec.word_bits // 8
    size, at = p.mm.read_u32(pvData), p.mm.read_word(pvData + word)
    props[dwPropId] = p.mm.read(at, size) if size else b""
    return 1


def sys_crypt32_CryptAcquireCertificatePrivateKey(p, pCert, dwFlags, pvParameters,
                                                  phCryptProvOrNCryptKey, pdwKeySpec,
                                                  pfCallerFreeProvOrNCryptKey):
    """No certificate here has a private key (no key link is kept, no key provider exists):
    CRYPT_E_NO_KEY_PROPERTY, the out values cleared. nats-server looks the call up at
    start-up and panics when it is missing."""
    for out, size in ((phCryptProvOrNCryptKey, p.sysvec.word_bits // 8), (pdwKeySpec, 4),
                      (pfCallerFreeProvOrNCryptKey, 4)):
        if out:
            p.mm.write(out, bytes(size))
    if not pCert:
        return _fail(p, ERROR_INVALID_PARAMETER)
    return _fail(p, CRYPT_E_NO_KEY_PROPERTY)
