"""crypt32's CryptQueryObject for a certificate: DER or Base64 (PEM) bytes in a blob or a
file, answered with its context and a memory store holding it, as .NET's X509Certificate2
loads one. Other contents (PKCS #7 messages, PFX, serialized stores) are not recognised:
CRYPT_E_NO_MATCH, which callers take as "not that kind of object"."""
from __future__ import annotations

import base64
import binascii

from ..nt import abi
from .crypt32 import STORE, X509_ASN_ENCODING, _store, make_context
from .kernel32_sync import object_of
from .wide import read_str
from .x509 import pem_certificates

CERT_QUERY_OBJECT_FILE, CERT_QUERY_OBJECT_BLOB = 1, 2
CERT_QUERY_CONTENT_CERT = 1
CERT_QUERY_FORMAT_BINARY, CERT_QUERY_FORMAT_BASE64_ENCODED = 1, 2
CRYPT_E_NO_MATCH = 0x80092009
ERROR_FILE_NOT_FOUND = 2
MAX_OBJECT_BYTES = 16 << 20


def _object_bytes(p, kind: int, obj: int) -> bytes | None:
    if kind == CERT_QUERY_OBJECT_BLOB:
        word = abi.word(p)
        size, data = p.mm.read_u32(obj), p.mm.read_word(obj + word)
        return p.mm.read(data, size) if size else b""
    if kind == CERT_QUERY_OBJECT_FILE:
        from .kernel32_files import _path, file_bytes
        return file_bytes(p, _path(p, read_str(p, obj, True)), MAX_OBJECT_BYTES)
    return None


def _certificate(data: bytes) -> tuple[bytes, int] | None:
    """(DER, format) when data is one certificate, binary or Base64 (with or without PEM
    armour)."""
    if data[:1] == b"\x30":
        return data, CERT_QUERY_FORMAT_BINARY
    pems = pem_certificates(data)
    if pems:
        return pems[0], CERT_QUERY_FORMAT_BASE64_ENCODED
    try:
        der = base64.b64decode(b"".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    return (der, CERT_QUERY_FORMAT_BASE64_ENCODED) if der[:1] == b"\x30" else None


def sys_crypt32_CryptQueryObject(p, dwObjectType, pvObject, dwExpectedContentTypeFlags,
                                 dwExpectedFormatTypeFlags, dwFlags, pdwMsgAndCertEncodingType,
                                 pdwContentType, pdwFormatType, phCertStore, phMsg, ppvContext):
    data = _object_bytes(p, dwObjectType, pvObject)
    if data is None:
        p.win32.last_error = ERROR_FILE_NOT_FOUND if dwObjectType == CERT_QUERY_OBJECT_FILE \
            else CRYPT_E_NO_MATCH
        return 0
    found = _certificate(data) if dwExpectedContentTypeFlags & 1 << CERT_QUERY_CONTENT_CERT \
        else None
    context = 0
    if found is not None and dwExpectedFormatTypeFlags & 1 << found[1]:
        store = _store(p)
        context = make_context(p, store, found[0])
    if not context:
        p.win32.last_error = CRYPT_E_NO_MATCH
        return 0
    object_of(p, store, STORE).contexts.append(context)
    for at, value in ((pdwMsgAndCertEncodingType, X509_ASN_ENCODING),
                      (pdwContentType, CERT_QUERY_CONTENT_CERT), (pdwFormatType, found[1])):
        if at:
            p.mm.write_u32(at, value)
    if phCertStore:
        abi.write_ptr(p, phCertStore, store)
    if phMsg:
        abi.write_ptr(p, phMsg, 0)
    if ppvContext:
        abi.write_ptr(p, ppvContext, context)
    return 1
