"""Just enough DER to read an X.509 certificate's TBSCertificate fields (RFC 5280, 4.1) for
crypt32's CERT_INFO: version, serial number, signature algorithm, issuer, validity, subject
and the public key. Anything malformed raises ValueError."""
from __future__ import annotations

import calendar
from dataclasses import dataclass

SEQUENCE, INTEGER, BIT_STRING, OID, UTC_TIME, GENERALIZED_TIME = 0x30, 0x02, 0x03, 0x06, 0x17, 0x18
VERSION_TAG = 0xA0                  # [0] EXPLICIT


def tlv(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of the value, end of the value) of the element at `at`."""
    if at + 2 > len(data):
        raise ValueError("truncated")
    tag, length = data[at], data[at + 1]
    at += 2
    if length & 0x80:
        count = length & 0x7F
        if not 0 < count <= 4 or at + count > len(data):
            raise ValueError("bad length")
        length = int.from_bytes(data[at:at + count], "big")
        at += count
    if at + length > len(data):
        raise ValueError("truncated")
    return tag, at, at + length


def children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """The elements inside [start, end): (tag, element start, value start, value end)."""
    out = []
    while start < end:
        tag, vstart, vend = tlv(data, start)
        out.append((tag, start, vstart, vend))
        start = vend
    return out


def oid_text(raw: bytes) -> str:
    if not raw:
        raise ValueError("empty OID")
    parts = [min(raw[0] // 40, 2), raw[0] - 40 * min(raw[0] // 40, 2)]
    value = 0
    for byte in raw[1:]:
        value = value << 7 | byte & 0x7F
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


def time_seconds(tag: int, raw: bytes) -> int:
    """UTCTime (YYMMDDHHMMSSZ, 1950-2049) or GeneralizedTime, as Unix seconds."""
    text = raw.decode("ascii").rstrip("Z")
    if tag == UTC_TIME:
        year = int(text[:2])
        text = str(1900 + year if year >= 50 else 2000 + year) + text[2:]
    elif tag != GENERALIZED_TIME:
        raise ValueError("not a time")
    fields = (int(text[0:4]), int(text[4:6]), int(text[6:8]), int(text[8:10] or 0),
              int(text[10:12] or 0), int(text[12:14] or 0))
    return calendar.timegm(fields + (0, 0, 0))


@dataclass
class Algorithm:
    oid: str
    parameters: bytes


@dataclass
class TbsFields:
    version: int
    serial: bytes               # big-endian, as encoded
    signature: Algorithm
    issuer: bytes               # the Name's whole DER
    not_before: int             # Unix seconds
    not_after: int
    subject: bytes
    key_algorithm: Algorithm
    public_key: bytes
    unused_bits: int


def _algorithm(data: bytes, vstart: int, vend: int) -> Algorithm:
    parts = children(data, vstart, vend)
    if not parts or parts[0][0] != OID:
        raise ValueError("bad algorithm")
    params = data[parts[1][1]:parts[1][3]] if len(parts) > 1 else b""
    return Algorithm(oid_text(data[parts[0][2]:parts[0][3]]), params)


def parse_certificate(data: bytes) -> TbsFields:
    tag, start, end = tlv(data, 0)
    if tag != SEQUENCE:
        raise ValueError("not a certificate")
    outer = children(data, start, end)
    if not outer or outer[0][0] != SEQUENCE:
        raise ValueError("no TBSCertificate")
    fields = children(data, outer[0][2], outer[0][3])
    version = 0
    if fields and fields[0][0] == VERSION_TAG:
        inner = children(data, fields[0][2], fields[0][3])
        version = int.from_bytes(data[inner[0][2]:inner[0][3]], "big") if inner else 0
        fields = fields[1:]
    if len(fields) < 6 or fields[0][0] != INTEGER:
        raise ValueError("short TBSCertificate")
    serial = data[fields[0][2]:fields[0][3]]
    signature = _algorithm(data, fields[1][2], fields[1][3])
    issuer = data[fields[2][1]:fields[2][3]]
    validity = children(data, fields[3][2], fields[3][3])
    if len(validity) != 2:
        raise ValueError("bad validity")
    not_before = time_seconds(validity[0][0], data[validity[0][2]:validity[0][3]])
    not_after = time_seconds(validity[1][0], data[validity[1][2]:validity[1][3]])
    subject = data[fields[4][1]:fields[4][3]]
    spki = children(data, fields[5][2], fields[5][3])
    if len(spki) != 2 or spki[1][0] != BIT_STRING or spki[1][3] == spki[1][2]:
        raise ValueError("bad public key")
    key_algorithm = _algorithm(data, spki[0][2], spki[0][3])
    bits = data[spki[1][2]:spki[1][3]]
    return TbsFields(version, serial, signature, issuer, not_before, not_after, subject,
                     key_algorithm, bits[1:], bits[0])


def pem_certificates(text: bytes) -> list[bytes]:
    """The DER of every CERTIFICATE block in a PEM bundle."""
    import base64
    out, inside, lines = [], False, []
    for line in text.splitlines():
        line = line.strip()
        if line == b"-----BEGIN CERTIFICATE-----":
            inside, lines = True, []
        elif line == b"-----END CERTIFICATE-----" and inside:
            inside = False
            try:
                out.append(base64.b64decode(b"".join(lines)))
            except ValueError:
                pass
        elif inside:
            lines.append(line)
    return out
