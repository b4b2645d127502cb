"""crypt32.dll's certificate stores, as Rust programs built with native TLS roots open them
(rustls-native-certs, schannel): CertOpenStore / CertOpenSystemStore, certificate contexts
with their CERT_INFO (runtime/win32/x509.py reads the DER), enumeration, duplication and
adding, time validity, and CryptStringToBinary's Base64 and hex. The system ROOT store holds
the CA bundle of the guest's root (/etc/ssl/certs/ca-certificates.crt) when it has one, and
otherwise the host's trust anchors -- certificates only, parsed from its CA bundle -- as a
Windows ROOT store is never empty (semgrep-core refused to start on an empty one); other
system stores are empty. Chain building and policy checks are not
offered (ERROR_NOT_SUPPORTED): a program relying on them reports a TLS error."""
from __future__ import annotations

import base64
import binascii
import struct
from types import SimpleNamespace

from ..nt import abi
from .kernel32_sync import close_sync_handle, new_handle, object_of
from .wide import read_str
from .x509 import parse_certificate, pem_certificates

X509_ASN_ENCODING = 1
CERT_STORE_PROV_MEMORY, CERT_STORE_PROV_SYSTEM_A, CERT_STORE_PROV_SYSTEM_W = 2, 9, 10
CERT_STORE_PROV_SYSTEM_REGISTRY_A, CERT_STORE_PROV_SYSTEM_REGISTRY_W = 12, 13
CERT_STORE_PROV_COLLECTION = 11
ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_MORE_DATA, ERROR_NOT_SUPPORTED = 6, 87, 234, 50
ERROR_INVALID_DATA = 13
CRYPT_E_NOT_FOUND, CRYPT_E_ASN1_BADTAG, E_INVALIDARG = 0x80092004, 0x8009310B, 0x80070057
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
STORE = "cert store"


def _fail(p, error: int) -> int:
    p.win32.last_error = error
    return 0


def _store(p) -> int:
    return new_handle(p, SimpleNamespace(kind=STORE, contexts=[], refs=1))


def _root_certificates(p) -> list[bytes]:
    """The guest root's CA bundle, read once per machine (none: an empty store)."""
    machine = p.sysvec.personality.machine(p.kernel)
    if machine.ca_certificates is None:
        try:
            f = p.kernel.fs.open("/", CA_BUNDLE, 0, 0, p)
            try:
                data = b"".join(iter(lambda: f.read(1 << 20), b""))
            finally:
                f.decref()
            machine.ca_certificates = pem_certificates(data)
        except Exception:   # KernelError: no bundle in this root
            machine.ca_certificates = _host_trust_anchors()
    return machine.ca_certificates


def _host_trust_anchors() -> list[bytes]:
    """The host's CA certificates (its OpenSSL default bundle), or none."""
    import ssl
    path = ssl.get_default_verify_paths().cafile or CA_BUNDLE
    try:
        with open(path, "rb") as bundle:
            return pem_certificates(bundle.read(16 << 20))
    except OSError:
        return []


def _blob(word: int, size: int, addr: int) -> bytes:
    return struct.pack("<I4xQ" if word == 8 else "<II", size, addr)


def _put(p, data: bytes) -> int:
    if not data:
        return 0
    at = p.win32.heap.alloc(len(data))
    p.mm.write(at, data)
    return at


def _algorithm(p, word: int, alg) -> bytes:
    oid = _put(p, alg.oid.encode() + b"\0")
    return (struct.pack("<Q", oid) if word == 8 else struct.pack("<I", oid)) + \
        _blob(word, len(alg.parameters), _put(p, alg.parameters))


def _filetime(seconds: int) -> bytes:
    return struct.pack("<Q", abi.filetime_of_ns(seconds * 10**9))


def make_context(p, store: int, der: bytes) -> int:
    """A CERT_CONTEXT (and its CERT_INFO) in the process's heap, or 0 if der is no
    certificate."""
    try:
        tbs = parse_certificate(der)
    except (ValueError, IndexError, UnicodeDecodeError):
        return 0
    word = abi.word(p)
    pad = b"\0" * 4 if word == 8 else b""
    serial = tbs.serial[::-1]      # CRYPT_INTEGER_BLOB: little-endian
    bit_blob = _blob(word, len(tbs.public_key), _put(p, tbs.public_key)) + \
        struct.pack("<I", tbs.unused_bits) + pad
    empty_bits = _blob(word, 0, 0) + struct.pack("<I", 0) + pad
    info = (struct.pack("<I", tbs.version) + pad
            + _blob(word, len(serial), _put(p, serial))
            + _algorithm(p, word, tbs.signature)
            + _blob(word, len(tbs.issuer), _put(p, tbs.issuer))
            + _filetime(tbs.not_before) + _filetime(tbs.not_after)
            + _blob(word, len(tbs.subject), _put(p, tbs.subject))
            + _algorithm(p, word, tbs.key_algorithm) + bit_blob
            + empty_bits + empty_bits
            + _blob(word, 0, 0))          # cExtension, rgExtension: none listed
    info_at = _put(p, info)
    encoded = _put(p, der)
    if word == 8:
        context = struct.pack("<I4xQI4xQQ", X509_ASN_ENCODING, encoded, len(der), info_at, store)
    else:
        context = struct.pack("<IIIII", X509_ASN_ENCODING, encoded, len(der), info_at, store)
    return _put(p, context)


def _open(p, provider: int, pvPara: int, wide: bool) -> int:
    if provider in (CERT_STORE_PROV_SYSTEM_A, CERT_STORE_PROV_SYSTEM_W,
                    CERT_STORE_PROV_SYSTEM_REGISTRY_A, CERT_STORE_PROV_SYSTEM_REGISTRY_W):
        return _open_system(p, read_str(p, pvPara, wide) if pvPara else "")
    if provider in (CERT_STORE_PROV_MEMORY, CERT_STORE_PROV_COLLECTION):
        return _store(p)          # a collection: its siblings' certificates added to it
    return _fail(p, ERROR_NOT_SUPPORTED)      # files, PKCS #7, serialized stores


def _open_system(p, name: str) -> int:
    handle = _store(p)
    if name.upper() == "ROOT":
        store = object_of(p, handle, STORE)
        for der in _root_certificates(p):
            context = make_context(p, handle, der)
            if context:
                store.contexts.append(context)
    return handle


def sys_crypt32_CertOpenStore(p, lpszStoreProvider, dwEncodingType, hCryptProv, dwFlags, pvPara):
    """The provider is a small number (CERT_STORE_PROV_*) or a name ("Memory", "System")."""
    provider = lpszStoreProvider
    if provider >> 16:
        name = p.mm.read_cstr(provider, 64).decode("latin-1").lower()
        provider = {"memory": CERT_STORE_PROV_MEMORY, "system": CERT_STORE_PROV_SYSTEM_W,
                    "collection": CERT_STORE_PROV_COLLECTION,
                    "systemregistry": CERT_STORE_PROV_SYSTEM_REGISTRY_W}.get(name, -1)
    return _open(p, provider, pvPara, wide=True)


def sys_crypt32_CertOpenSystemStoreW(p, hProv, szSubsystemProtocol):
    return _open_system(p, read_str(p, szSubsystemProtocol, True))


def sys_crypt32_CertOpenSystemStoreA(p, hProv, szSubsystemProtocol):
    return _open_system(p, read_str(p, szSubsystemProtocol, False))


def sys_crypt32_CertCloseStore(p, hCertStore, dwFlags):
    """One reference fewer (CertDuplicateStore gave one more); the last closes it."""
    store = object_of(p, hCertStore, STORE)
    if store is None:
        return _fail(p, ERROR_INVALID_HANDLE)
    store.refs -= 1
    if store.refs <= 0:
        close_sync_handle(p, hCertStore)
    return 1


def sys_crypt32_CertAddStoreToCollection(p, hCollectionStore, hSiblingStore,
                                         dwUpdateFlags, dwPriority):
    """The sibling's certificates join the collection (as they are now: a sibling's later
    additions are not seen through it, which store enumeration at start-up never needs)."""
    collection = object_of(p, hCollectionStore, STORE)
    sibling = object_of(p, hSiblingStore, STORE)
    if collection is None or sibling is None:
        return _fail(p, ERROR_INVALID_HANDLE)
    collection.contexts.extend(c for c in sibling.contexts if c not in collection.contexts)
    return 1


def sys_crypt32_CertRemoveStoreFromCollection(p, hCollectionStore, hSiblingStore):
    collection = object_of(p, hCollectionStore, STORE)
    sibling = object_of(p, hSiblingStore, STORE)
    if collection is not None and sibling is not None:
        collection.contexts[:] = [c for c in collection.contexts if c not in sibling.contexts]


def sys_crypt32_CertDuplicateStore(p, hCertStore):
    store = object_of(p, hCertStore, STORE)
    if store is None:
        return _fail(p, ERROR_INVALID_HANDLE)
    store.refs += 1
    return hCertStore


def sys_crypt32_CertEnumCertificatesInStore(p, hCertStore, pPrevCertContext):
    """The context after pPrevCertContext (the first for NULL); NULL and CRYPT_E_NOT_FOUND
    at the end."""
    store = object_of(p, hCertStore, STORE)
    if store is None:
        return _fail(p, ERROR_INVALID_HANDLE)
    contexts = store.contexts
    if not pPrevCertContext:
        at = 0
    else:
        at = contexts.index(pPrevCertContext) + 1 if pPrevCertContext in contexts else len(contexts)
    if at >= len(contexts):
        return _fail(p, CRYPT_E_NOT_FOUND)
    return contexts[at]


def sys_crypt32_CertCreateCertificateContext(p, dwCertEncodingType, pbCertEncoded, cbCertEncoded):
    der = p.mm.read(pbCertEncoded, cbCertEncoded) if cbCertEncoded else b""
    context = make_context(p, 0, der)
    return context or _fail(p, CRYPT_E_ASN1_BADTAG)


def sys_crypt32_CertDuplicateCertificateContext(p, pCertContext):
    return pCertContext


def sys_crypt32_CertFreeCertificateContext(p, pCertContext):
    return 1


def sys_crypt32_CertAddCertificateContextToStore(p, hCertStore, pCertContext, dwAddDisposition,
                                                 ppStoreContext):
    store = object_of(p, hCertStore, STORE)
    if store is None or not pCertContext:
        return _fail(p, E_INVALIDARG)
    if pCertContext not in store.contexts:
        store.contexts.append(pCertContext)
    if ppStoreContext:
        abi.write_ptr(p, ppStoreContext, pCertContext)
    return 1


def sys_crypt32_CertAddEncodedCertificateToStore(p, hCertStore, dwCertEncodingType, pbCertEncoded,
                                                 cbCertEncoded, dwAddDisposition, ppCertContext):
    store = object_of(p, hCertStore, STORE)
    if store is None:
        return _fail(p, E_INVALIDARG)
    context = make_context(p, hCertStore, p.mm.read(pbCertEncoded, cbCertEncoded))
    if not context:
        return _fail(p, CRYPT_E_ASN1_BADTAG)
    store.contexts.append(context)
    if ppCertContext:
        abi.write_ptr(p, ppCertContext, context)
    return 1


def sys_crypt32_CertGetEnhancedKeyUsage(p, pCertContext, dwFlags, pUsage, pcbUsage):
    """No extended key usage is listed: an empty CERT_ENHKEY_USAGE (good for every use),
    with CRYPT_E_NOT_FOUND, as Windows answers for a certificate without the extension."""
    size = 2 * abi.word(p)
    if pUsage:
        if p.mm.read_u32(pcbUsage) < size:
            p.mm.write_u32(pcbUsage, size)
            return _fail(p, ERROR_MORE_DATA)
        p.mm.write(pUsage, b"\0" * size)
    p.mm.write_u32(pcbUsage, size)
    p.win32.last_error = CRYPT_E_NOT_FOUND
    return 1


def sys_crypt32_CertVerifyTimeValidity(p, pTimeToVerify, pCertInfo):
    """-1 before NotBefore, 1 after NotAfter, 0 within (pTimeToVerify NULL: now)."""
    now = struct.unpack("<Q", p.mm.read(pTimeToVerify, 8))[0] if pTimeToVerify else abi.filetime_now()
    at = 64 if abi.word(p) == 8 else 32
    not_before, not_after = struct.unpack("<QQ", p.mm.read(pCertInfo + at, 16))
    return 0xFFFFFFFF if now < not_before else 1 if now > not_after else 0


def _unsupported(p) -> int:
    return _fail(p, ERROR_NOT_SUPPORTED)


def sys_crypt32_CertGetCertificateChain(p, hChainEngine, pCertContext, pTime, hAdditionalStore,
                                        pChainPara, dwFlags, pvReserved, ppChainContext):
    if ppChainContext:
        abi.write_ptr(p, ppChainContext, 0)
    return _unsupported(p)


def sys_crypt32_CertCreateCertificateChainEngine(p, pConfig, phChainEngine):
    return _unsupported(p)


def sys_crypt32_CertVerifyCertificateChainPolicy(p, pszPolicyOID, pChainContext, pPolicyPara,
                                                 pPolicyStatus):
    return _unsupported(p)


def sys_crypt32_CertDuplicateCertificateChain(p, pChainContext):
    return pChainContext


def sys_crypt32_CertFreeCertificateChain(p, pChainContext):
    return 0


def sys_crypt32_CertFreeCertificateChainEngine(p, hChainEngine):
    return 0


CRYPT_STRING_BASE64HEADER, CRYPT_STRING_BASE64, CRYPT_STRING_BINARY = 0, 1, 2
CRYPT_STRING_BASE64REQUESTHEADER, CRYPT_STRING_HEX, CRYPT_STRING_BASE64_ANY = 3, 4, 6
CRYPT_STRING_ANY, CRYPT_STRING_HEX_ANY, CRYPT_STRING_BASE64X509CRLHEADER = 7, 8, 9
CRYPT_STRING_HEXRAW = 0xC


def _decode(text: str, kind: int) -> tuple[bytes, int, int] | None:
    """(bytes, characters skipped before them, the format found) or None."""
    if kind in (CRYPT_STRING_BASE64HEADER, CRYPT_STRING_BASE64REQUESTHEADER,
                CRYPT_STRING_BASE64X509CRLHEADER, CRYPT_STRING_BASE64_ANY, CRYPT_STRING_ANY):
        begin = text.find("-----BEGIN")
        if begin >= 0:
            start = text.find("-----", begin + 10)
            stop = text.find("-----END", start + 5)
            if start >= 0 and stop >= 0:
                body = text[start + 5:stop]
                try:
                    return base64.b64decode("".join(body.split()), validate=True), begin, \
                        CRYPT_STRING_BASE64HEADER
                except (binascii.Error, ValueError):
                    return None
        if kind not in (CRYPT_STRING_BASE64_ANY, CRYPT_STRING_ANY):
            return None
    if kind in (CRYPT_STRING_BASE64, CRYPT_STRING_BASE64_ANY, CRYPT_STRING_ANY):
        try:
            return base64.b64decode("".join(text.split()), validate=True), 0, CRYPT_STRING_BASE64
        except (binascii.Error, ValueError):
            if kind == CRYPT_STRING_BASE64:
                return None
    if kind in (CRYPT_STRING_HEX, CRYPT_STRING_HEXRAW, CRYPT_STRING_HEX_ANY, CRYPT_STRING_ANY):
        try:
            return bytes.fromhex("".join(text.split())), 0, CRYPT_STRING_HEX
        except ValueError:
            if kind != CRYPT_STRING_ANY:
                return None
    if kind in (CRYPT_STRING_BINARY, CRYPT_STRING_ANY):
        return text.encode("latin-1", errors="replace"), 0, CRYPT_STRING_BINARY
    return None


def _string_to_binary(p, pszString, cchString, dwFlags, pbBinary, pcbBinary, pdwSkip, pdwFlags,
                      wide: bool) -> int:
    if not pszString or not pcbBinary:
        return _fail(p, ERROR_INVALID_PARAMETER)
    if cchString:
        raw = p.mm.read(pszString, cchString * (2 if wide else 1))
        text = raw.decode("utf-16-le" if wide else "latin-1", errors="replace")
    else:
        text = read_str(p, pszString, wide)
    found = _decode(text, dwFlags & 0xFFFF)
    if found is None:
        return _fail(p, ERROR_INVALID_DATA)
    data, skipped, kind = found
    if pbBinary:
        if p.mm.read_u32(pcbBinary) < len(data):
            p.mm.write_u32(pcbBinary, len(data))
            return _fail(p, ERROR_MORE_DATA)
        p.mm.write(pbBinary, data)
    p.mm.write_u32(pcbBinary, len(data))
    if pdwSkip:
        p.mm.write_u32(pdwSkip, skipped)
    if pdwFlags:
        p.mm.write_u32(pdwFlags, kind)
    return 1


def sys_crypt32_CryptStringToBinaryA(p, pszString, cchString, dwFlags, pbBinary, pcbBinary,
                                     pdwSkip, pdwFlags):
    return _string_to_binary(p, pszString, cchString, dwFlags, pbBinary, pcbBinary, pdwSkip,
                             pdwFlags, False)


def sys_crypt32_CryptStringToBinaryW(p, pszString, cchString, dwFlags, pbBinary, pcbBinary,
                                     pdwSkip, pdwFlags):
    return _string_to_binary(p, pszString, cchString, dwFlags, pbBinary, pcbBinary, pdwSkip,
                             pdwFlags, True)


def sys_crypt32_CertEnumCRLsInStore(p, hCertStore, pPrevCrlContext):
    """The stores here hold certificates only: no revocation list (GnuTLS looks the function
    up at start-up and gives up its crypto back end when it is missing)."""
    if object_of(p, hCertStore, STORE) is None:
        return _fail(p, ERROR_INVALID_HANDLE)
    return _fail(p, CRYPT_E_NOT_FOUND)


def sys_crypt32_CertFreeCRLContext(p, pCrlContext):
    return 1
