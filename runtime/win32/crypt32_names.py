"""crypt32's distinguished names as text (CertNameToStr): a DER Name's relative distinguished
names in encoded order (reversed on request), each attribute as a value, OID=value or X.500
key=value, quoted when it holds a separator, as .NET's X500DistinguishedName shows them."""
from __future__ import annotations

from .wide import put_string
from .x509 import children, oid_text, tlv

CERT_SIMPLE_NAME_STR, CERT_OID_NAME_STR, CERT_X500_NAME_STR = 1, 2, 3
CERT_NAME_STR_SEMICOLON_FLAG, CERT_NAME_STR_NO_PLUS_FLAG = 0x40000000, 0x20000000
CERT_NAME_STR_NO_QUOTING_FLAG, CERT_NAME_STR_CRLF_FLAG = 0x10000000, 0x08000000
CERT_NAME_STR_REVERSE_FLAG = 0x02000000

X500_KEYS = {
    "2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.5": "SERIALNUMBER", "2.5.4.6": "C", "2.5.4.7": "L",
    "2.5.4.8": "S", "2.5.4.9": "STREET", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.12": "T",
    "2.5.4.13": "Description", "2.5.4.17": "PostalCode", "2.5.4.42": "G", "2.5.4.43": "I",
    "1.2.840.113549.1.9.1": "E", "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID",
}
BMP_STRING, UNIVERSAL_STRING = 0x1E, 0x1C
SPECIAL = set(',+="\n<>#;')


def _value_text(tag: int, raw: bytes) -> str:
    if tag == BMP_STRING:
        return raw.decode("utf-16-be", "replace")
    if tag == UNIVERSAL_STRING:
        return raw.decode("utf-32-be", "replace")
    if tag in (0x0C, 0x13, 0x14, 0x16, 0x1A):   # UTF8, Printable, Teletex, IA5, Visible
        return raw.decode("utf-8" if tag == 0x0C else "latin-1", "replace")
    return "#" + raw.hex().upper()              # not a string: its encoding in hex


def name_rdns(der: bytes) -> list[list[tuple[str, str]]]:
    """The Name's RDNs, each a list of (OID, value)."""
    tag, start, end = tlv(der, 0)
    if tag != 0x30:
        raise ValueError("not a Name")
    rdns = []
    for _, _, sstart, send in children(der, start, end):
        rdn = []
        for _, _, astart, aend in children(der, sstart, send):
            (otag, _, ostart, oend), (vtag, _, vstart, vend) = children(der, astart, aend)[:2]
            if otag != 0x06:
                raise ValueError("not an attribute")
            rdn.append((oid_text(der[ostart:oend]), _value_text(vtag, der[vstart:vend])))
        rdns.append(rdn)
    return rdns


def _quoted(value: str, flags: int) -> str:
    if flags & CERT_NAME_STR_NO_QUOTING_FLAG:
        return value
    if value == "" or SPECIAL & set(value) or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


def name_to_str(der: bytes, str_type: int) -> str:
    kind = str_type & 0xFFFF
    rdns = name_rdns(der)
    if str_type & CERT_NAME_STR_REVERSE_FLAG:
        rdns.reverse()
    between = "; " if str_type & CERT_NAME_STR_SEMICOLON_FLAG else \
        "\r\n" if str_type & CERT_NAME_STR_CRLF_FLAG else ", "   # COMMA_FLAG: the default
    plus = ", " if str_type & CERT_NAME_STR_NO_PLUS_FLAG else " + "
    parts = []
    for rdn in rdns:
        items = []
        for oid, value in rdn:
            value = _quoted(value, str_type)
            if kind == CERT_SIMPLE_NAME_STR:
                items.append(value)
            elif kind == CERT_OID_NAME_STR:
                items.append(f"{oid}={value}")
            else:
                key = X500_KEYS.get(oid)
                items.append(f"{key}={value}" if key else f"OID.{oid}={value}")
        parts.append(plus.join(items))
    return between.join(parts)


def _cert_name_to_str(p, pName, dwStrType, psz, csz, wide: bool) -> int:
    """Characters written including the terminator (a buffer too small gets the string cut
    short), or needed when psz is NULL; 1 (an empty string) for a name that is not DER."""
    word = p.sysvec.word_bits // 8
    size = p.mm.read_u32(pName)
    data = p.mm.read_word(pName + word)
    try:
        text = name_to_str(p.mm.read(data, size), dwStrType) if size else ""
    except ValueError:
        text = ""
    if not psz or not csz:
        return len(text) + 1
    return put_string(p, text[:csz - 1], psz, csz, wide) + 1


def sys_crypt32_CertNameToStrW(p, dwCertEncodingType, pName, dwStrType, psz, csz):
    return _cert_name_to_str(p, pName, dwStrType, psz, csz, True)


def sys_crypt32_CertNameToStrA(p, dwCertEncodingType, pName, dwStrType, psz, csz):
    return _cert_name_to_str(p, pName, dwStrType, psz, csz, False)
