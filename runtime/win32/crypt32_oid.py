"""crypt32's object identifier table (CryptFindOIDInfo): the hash, public-key and signature
algorithms and the PKCS #7 content types programs look up by OID, name, ALG_ID or CNG
algorithm name. .NET's Oid class and certificate code ask it for friendly names and CNG
names. Entries are laid out once per process in its heap and never freed, as crypt32's are
static."""
from __future__ import annotations

import struct

from .wide import read_str

CRYPT_OID_INFO_OID_KEY, CRYPT_OID_INFO_NAME_KEY, CRYPT_OID_INFO_ALGID_KEY = 1, 2, 3
CRYPT_OID_INFO_SIGN_KEY, CRYPT_OID_INFO_CNG_ALGID_KEY, CRYPT_OID_INFO_CNG_SIGN_KEY = 4, 5, 6
HASH, ENCRYPT, PUBKEY, SIGN, RDN_ATTR, EXT_OR_ATTR, ENHKEY_USAGE = 1, 2, 3, 4, 5, 6, 7
CRYPT_OID_INFO_OID_GROUP_BIT_LEN_SHIFT = 16
CRYPT_OID_INFO_PUBKEY_SIGN_KEY_FLAG = 0x80000000

# (OID, name, group, ALG_ID, CNG algorithm, CNG extra algorithm, (hash ALG_ID, key ALG_ID))
OIDS = (
    ("1.2.840.113549.2.5", "md5", HASH, 0x8003, "MD5", "", ()),
    ("1.3.14.3.2.26", "sha1", HASH, 0x8004, "SHA1", "", ()),
    ("2.16.840.1.101.3.4.2.1", "sha256", HASH, 0x800C, "SHA256", "", ()),
    ("2.16.840.1.101.3.4.2.2", "sha384", HASH, 0x800D, "SHA384", "", ()),
    ("2.16.840.1.101.3.4.2.3", "sha512", HASH, 0x800E, "SHA512", "", ()),
    ("2.16.840.1.101.3.4.1.2", "aes128", ENCRYPT, 0x660E, "AES", "", ()),
    ("2.16.840.1.101.3.4.1.42", "aes256", ENCRYPT, 0x6610, "AES", "", ()),
    ("1.2.840.113549.1.1.1", "RSA", PUBKEY, 0xA400, "RSA", "", ()),
    ("1.2.840.10045.2.1", "ECC", PUBKEY, 0, "ECC", "", ()),
    ("1.2.840.113549.1.1.5", "sha1RSA", SIGN, 0x8004, "SHA1", "RSA", (0x8004, 0xA400)),
    ("1.2.840.113549.1.1.11", "sha256RSA", SIGN, 0x800C, "SHA256", "RSA", (0x800C, 0xA400)),
    ("1.2.840.113549.1.1.12", "sha384RSA", SIGN, 0x800D, "SHA384", "RSA", (0x800D, 0xA400)),
    ("1.2.840.113549.1.1.13", "sha512RSA", SIGN, 0x800E, "SHA512", "RSA", (0x800E, 0xA400)),
    ("1.2.840.10045.4.3.2", "sha256ECDSA", SIGN, 0xFFFFFFFF, "SHA256", "ECDSA", ()),
    ("1.2.840.10045.4.3.3", "sha384ECDSA", SIGN, 0xFFFFFFFF, "SHA384", "ECDSA", ()),
    ("2.5.4.3", "CN", RDN_ATTR, 0, "", "", ()),
    ("2.5.4.4", "SN", RDN_ATTR, 0, "", "", ()),
    ("2.5.4.5", "SERIALNUMBER", RDN_ATTR, 0, "", "", ()),
    ("2.5.4.6", "C", RDN_ATTR, 0, "", "", ()),
    ("2.5.4.7", "L", RDN_ATTR, 0, "", "", ()),
    ("2.5.4.8", "S", RDN_ATTR, 0, "", "", ()),
    ("2.5.4.9", "STREET", RDN_ATTR, 0, "", "", ()),
    ("2.5.4.10", "O", RDN_ATTR, 0, "", "", ()),
    ("2.5.4.11", "OU", RDN_ATTR, 0, "", "", ()),
    ("2.5.4.12", "T", RDN_ATTR, 0, "", "", ()),
    ("2.5.4.42", "G", RDN_ATTR, 0, "", "", ()),
    ("2.5.4.43", "I", RDN_ATTR, 0, "", "", ()),
    ("1.2.840.113549.1.9.1", "E", RDN_ATTR, 0, "", "", ()),
    ("0.9.2342.19200300.100.1.25", "DC", RDN_ATTR, 0, "", "", ()),
    ("1.2.840.113549.1.7.1", "PKCS 7 Data", EXT_OR_ATTR, 0, "", "", ()),
    ("1.2.840.113549.1.7.2", "PKCS 7 Signed", EXT_OR_ATTR, 0, "", "", ()),
    ("1.2.840.113549.1.7.3", "PKCS 7 Enveloped", EXT_OR_ATTR, 0, "", "", ()),
    ("1.2.840.113549.1.9.3", "Content Type", EXT_OR_ATTR, 0, "", "", ()),
    ("1.2.840.113549.1.9.4", "Message Digest", EXT_OR_ATTR, 0, "", "", ()),
    ("1.2.840.113549.1.9.5", "Signing Time", EXT_OR_ATTR, 0, "", "", ()),
    ("1.3.6.1.5.5.7.3.1", "Server Authentication", ENHKEY_USAGE, 0, "", "", ()),
    ("1.3.6.1.5.5.7.3.2", "Client Authentication", ENHKEY_USAGE, 0, "", "", ()),
    ("1.3.6.1.5.5.7.3.3", "Code Signing", ENHKEY_USAGE, 0, "", "", ()),
)


def _layout(p) -> list[int]:
    """Each entry's CRYPT_OID_INFO in the process's heap, laid out on first use."""
    if not p.win32.oid_infos:
        p.win32.oid_infos.extend(_build(p))
    return p.win32.oid_infos


def _build(p) -> list[int]:
    wide = p.sysvec.word_bits == 64
    ptr, pad = ("Q", "4x") if wide else ("I", "")
    addrs = []
    for oid, name, group, algid, cng, cng_extra, extra in OIDS:
        strings = [oid.encode() + b"\0", (name + "\0").encode("utf-16-le"),
                   (cng + "\0").encode("utf-16-le"), (cng_extra + "\0").encode("utf-16-le"),
                   struct.pack(f"<{len(extra)}I", *extra)]
        at = [_copy(p, data) for data in strings]
        # cbSize, pszOID, pwszName, dwGroupId, Algid, ExtraInfo, pwszCNGAlgid, pwszCNGExtraAlgid
        info = struct.pack(f"<I{pad}{ptr}{ptr}II I{pad}{ptr}{ptr}{ptr}", 0, at[0], at[1], group,
                           algid, len(strings[4]), at[4] if extra else 0, at[2], at[3])
        addrs.append(_copy(p, struct.pack("<I", len(info)) + info[4:]))
    return addrs


def _copy(p, data: bytes) -> int:
    block = p.win32.heap.alloc(max(len(data), 1))
    p.mm.write(block, data)
    return block


def sys_crypt32_CryptFindOIDInfo(p, dwKeyType, pvKey, dwGroupId):
    """The entry matching the key in the group (0: any), or NULL."""
    group = dwGroupId & 0xFFFF
    found = None
    for i, (oid, name, gid, algid, cng, cng_extra, extra) in enumerate(OIDS):
        if group and gid != group:
            continue
        if dwKeyType == CRYPT_OID_INFO_OID_KEY:
            hit = p.mm.read_cstr(pvKey).decode("latin-1") == oid
        elif dwKeyType == CRYPT_OID_INFO_NAME_KEY:
            hit = read_str(p, pvKey, True).lower() == name.lower()
        elif dwKeyType == CRYPT_OID_INFO_ALGID_KEY:
            hit = algid and p.mm.read_u32(pvKey) == algid
        elif dwKeyType == CRYPT_OID_INFO_SIGN_KEY:
            hit = extra and tuple(struct.unpack("<II", p.mm.read(pvKey, 8))) == extra
        elif dwKeyType == CRYPT_OID_INFO_CNG_ALGID_KEY:
            hit = cng and not cng_extra and read_str(p, pvKey, True) == cng
        elif dwKeyType == CRYPT_OID_INFO_CNG_SIGN_KEY:
            hash_name, key_name = (read_str(p, p.mm.read_word(pvKey + k * (p.sysvec.word_bits // 8)),
                                            True) for k in (0, 1))
            hit = cng_extra and (cng, cng_extra) == (hash_name, key_name)
        else:
            hit = False
        if hit:
            found = i
            break
    return 0 if found is None else _layout(p)[found]
