"""Names and addresses for Winsock programs: getaddrinfo (narrow and wide), getnameinfo,
gethostbyname and the inet_* converters. The machine has no DNS, as its Linux guests have
none: a name resolves when it is numeric, "localhost", or the machine's own host name (a
loopback address, as /etc/hosts says for Linux guests); any other is WSAHOST_NOT_FOUND."""
from __future__ import annotations

import ipaddress
import struct

from ..net.addr import AF_INET, AF_INET6, InetAddr
from ..nt import abi
from .kernel32_system import host_name
from .wide import encode, read_str
from .winsock import FAMILIES, WIN_AF_INET6, WSAEAFNOSUPPORT, WSAEFAULT, WSAEINVAL, \
    sockaddr_bytes

WSAHOST_NOT_FOUND, WSATYPE_NOT_FOUND, WSANO_DATA = 11001, 10109, 11004
AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV = 0x1, 0x2, 0x4, 0x8
AI_ALL, AI_V4MAPPED = 0x100, 0x800
SERVICES = {"echo": 7, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53,
            "http": 80, "pop3": 110, "ntp": 123, "imap": 143, "https": 443}
LOCALHOST = ("localhost", "localhost.")
OWN_ADDRESS = ipaddress.IPv4Address("127.0.1.1")


def _addresses(p, node: str | None, flags: int, family: int):
    """The addresses a node name stands for, IPv6 first as Windows orders loopback."""
    if not node:
        if flags & AI_PASSIVE:
            found = [ipaddress.IPv6Address("::"), ipaddress.IPv4Address("0.0.0.0")]
        else:
            found = [ipaddress.IPv6Address("::1"), ipaddress.IPv4Address("127.0.0.1")]
    else:
        try:
            found = [ipaddress.ip_address(node.split("%", 1)[0])]
        except ValueError:
            name = node.lower()
            if flags & AI_NUMERICHOST:
                return None
            if name in LOCALHOST:
                found = [ipaddress.IPv6Address("::1"), ipaddress.IPv4Address("127.0.0.1")]
            elif name.rstrip(".") == host_name(p).lower():
                found = [OWN_ADDRESS]
            else:
                return None
    if family == AF_INET:
        return [ip for ip in found if ip.version == 4]
    if family == AF_INET6:
        v6 = [ip for ip in found if ip.version == 6]
        if flags & AI_V4MAPPED and (not v6 or flags & AI_ALL):
            v6 += [ipaddress.IPv6Address(f"::ffff:{ip}") for ip in found if ip.version == 4]
        return v6
    return found


def _port(service: str | None, flags: int) -> int | None:
    if not service:
        return 0
    if service.isdigit():
        port = int(service)
        return port if port < 65536 else None
    if flags & AI_NUMERICSERV:
        return None
    return SERVICES.get(service.lower())


def _addrinfo_size(p) -> int:
    """ADDRINFO's size: four ints, ai_addrlen (a size_t), three pointers; ai_next last."""
    return 48 if abi.word(p) == 8 else 32


def _addrinfo_list(p, node, service, hints: int, wide: bool) -> tuple[int, int]:
    """(error, first node) of a getaddrinfo; nodes are heap blocks, each holding its
    addrinfo, sockaddr and canonical name."""
    flags = family = socktype = protocol = 0
    if hints:
        flags, win_family, socktype, protocol = struct.unpack("<4i", p.mm.read(hints, 16))
        family = FAMILIES.get(win_family, -1)
        if family < 0 or family == 1:
            return WSAEAFNOSUPPORT, 0
    if not node and not service:
        return WSAHOST_NOT_FOUND, 0
    port = _port(service, flags)
    if port is None:
        return WSATYPE_NOT_FOUND, 0
    ips = _addresses(p, node, flags, family)
    if ips is None:
        return WSAHOST_NOT_FOUND, 0
    if not ips:
        return WSANO_DATA, 0
    word, head = abi.word(p), _addrinfo_size(p)
    first, previous = 0, 0
    for i, ip in enumerate(ips):
        fam = AF_INET if ip.version == 4 else AF_INET6
        raw = sockaddr_bytes(fam, InetAddr(ip, port))
        canon = encode(node or "localhost", wide) + (b"\0\0" if wide else b"\0") \
            if i == 0 and flags & AI_CANONNAME else b""
        block = p.win32.heap.alloc(head + len(raw) + len(canon), zero=True)
        addr_at, canon_at = block + head, block + head + len(raw) if canon else 0
        p.mm.write(addr_at, raw + canon)
        win_family = WIN_AF_INET6 if fam == AF_INET6 else AF_INET
        if word == 8:
            p.mm.write(block, struct.pack("<4iQQQQ", 0, win_family, socktype, protocol,
                                          len(raw), canon_at, addr_at, 0))
        else:
            p.mm.write(block, struct.pack("<4iIIII", 0, win_family, socktype, protocol,
                                          len(raw), canon_at, addr_at, 0))
        if previous:
            abi.write_ptr(p, previous + head - word, block)
        first = first or block
        previous = block
    return 0, first


def _getaddrinfo(p, pNodeName, pServiceName, pHints, ppResult, wide: bool) -> int:
    if not ppResult:
        p.win32.last_error = WSAEINVAL
        return WSAEINVAL
    node = read_str(p, pNodeName, wide) if pNodeName else None
    service = read_str(p, pServiceName, wide) if pServiceName else None
    error, first = _addrinfo_list(p, node, service, pHints, wide)
    abi.write_ptr(p, ppResult, first)
    p.win32.last_error = error
    return error


def sys_ws2_32_getaddrinfo(p, pNodeName, pServiceName, pHints, ppResult):
    return _getaddrinfo(p, pNodeName, pServiceName, pHints, ppResult, False)


def sys_ws2_32_GetAddrInfoW(p, pNodeName, pServiceName, pHints, ppResult):
    return _getaddrinfo(p, pNodeName, pServiceName, pHints, ppResult, True)


def sys_ws2_32_freeaddrinfo(p, pAddrInfo):
    word, head = abi.word(p), _addrinfo_size(p)
    seen = 0
    while pAddrInfo and seen < 1024:
        following = abi.read_ptr(p, pAddrInfo + head - word)
        p.win32.heap.free(pAddrInfo)
        pAddrInfo, seen = following, seen + 1
    return 0


NI_NUMERICHOST, NI_NUMERICSERV, NI_NAMEREQD = 0x2, 0x8, 0x4


def _getnameinfo(p, pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize, pServiceBuffer,
                 ServiceBufferSize, Flags, wide: bool) -> int:
    from .winsock import WinsockError, read_sockaddr
    try:
        family, address = read_sockaddr(p, pSockaddr, SockaddrLength)
    except WinsockError as exc:
        p.win32.last_error = exc.code
        return exc.code
    if family not in (AF_INET, AF_INET6):
        p.win32.last_error = WSAEAFNOSUPPORT
        return WSAEAFNOSUPPORT
    ip = address.ip
    host = str(ip)
    if not Flags & NI_NUMERICHOST:
        if ip.is_loopback or (ip.version == 6 and ip.ipv4_mapped is not None
                              and ip.ipv4_mapped.is_loopback):
            host = host_name(p) if ip == OWN_ADDRESS else "localhost"
        elif Flags & NI_NAMEREQD:
            p.win32.last_error = WSAHOST_NOT_FOUND
            return WSAHOST_NOT_FOUND
    service = str(address.port)
    if not Flags & NI_NUMERICSERV:
        service = next((name for name, port in SERVICES.items() if port == address.port),
                       service)
    unit = 2 if wide else 1
    for text, buffer, size in ((host, pNodeBuffer, NodeBufferSize),
                               (service, pServiceBuffer, ServiceBufferSize)):
        if buffer and size:
            data = encode(text, wide) + b"\0" * unit
            if len(data) > size * unit:
                p.win32.last_error = WSAEFAULT
                return WSAEFAULT
            p.mm.write(buffer, data)
    return 0


def sys_ws2_32_getnameinfo(p, pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize,
                           pServiceBuffer, ServiceBufferSize, Flags):
    return _getnameinfo(p, pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize,
                        pServiceBuffer, ServiceBufferSize, Flags, False)


def sys_ws2_32_GetNameInfoW(p, pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize,
                            pServiceBuffer, ServiceBufferSize, Flags):
    return _getnameinfo(p, pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize,
                        pServiceBuffer, ServiceBufferSize, Flags, True)


# --- the inet_* converters -----------------------------------------------------------------

INADDR_NONE = 0xFFFFFFFF


def _ipv4_classic(text: str) -> int | None:
    """inet_addr's forms: a.b.c.d, a.b.c, a.b, a, each part decimal, octal or hex."""
    parts = text.strip().split(".")
    if not 1 <= len(parts) <= 4 or not all(parts):
        return None
    try:
        values = [int(x, 16) if x.lower().startswith("0x") else
                  int(x, 8) if x.startswith("0") and len(x) > 1 else int(x) for x in parts]
    except ValueError:
        return None
    last_bits = 8 * (5 - len(values))
    if any(v > 255 for v in values[:-1]) or values[-1] >= 1 << last_bits:
        return None
    value = 0
    for v in values[:-1]:
        value = (value << 8) | v
    return (value << last_bits) | values[-1]


def sys_ws2_32_inet_addr(p, cp):
    if not cp:
        return INADDR_NONE
    value = _ipv4_classic(p.mm.read_cstr(cp).decode("latin-1"))
    if value is None:
        return INADDR_NONE
    return struct.unpack("<I", struct.pack(">I", value))[0]    # in network byte order


def sys_ws2_32_inet_ntoa(p, in_):
    """A per-thread buffer, as Winsock's (valid until the thread's next call)."""
    text = str(ipaddress.IPv4Address(struct.pack("<I", in_ & 0xFFFFFFFF))).encode() + b"\0"
    buffer = p.win32.thread_local("inet_ntoa_buffer", lambda: p.win32.heap.alloc(16))
    p.mm.write(buffer, text)
    return buffer


def _pton(p, family: int, text: str, dst: int) -> int:
    try:
        if family == AF_INET:
            if text.count(".") != 3:
                return 0
            packed = ipaddress.IPv4Address(text).packed
        elif family == WIN_AF_INET6:
            packed = ipaddress.IPv6Address(text).packed
        else:
            p.win32.last_error = WSAEAFNOSUPPORT
            return -1
    except ValueError:
        return 0
    p.mm.write(dst, packed)
    return 1


def sys_ws2_32_inet_pton(p, Family, pszAddrString, pAddrBuf):
    return _pton(p, Family, p.mm.read_cstr(pszAddrString).decode("latin-1"), pAddrBuf)


def sys_ws2_32_InetPtonW(p, Family, pszAddrString, pAddrBuf):
    return _pton(p, Family, read_str(p, pszAddrString, True), pAddrBuf)


def _ntop(p, family: int, src: int, buf: int, size: int, wide: bool) -> int:
    if family == AF_INET:
        text = str(ipaddress.IPv4Address(p.mm.read(src, 4)))
    elif family == WIN_AF_INET6:
        text = str(ipaddress.IPv6Address(p.mm.read(src, 16)))
    else:
        p.win32.last_error = WSAEAFNOSUPPORT
        return 0
    data = encode(text, wide) + (b"\0\0" if wide else b"\0")
    if not buf or len(text) + 1 > size:
        p.win32.last_error = WSAEINVAL if buf else WSAEFAULT
        return 0
    p.mm.write(buf, data)
    return buf


def sys_ws2_32_inet_ntop(p, Family, pAddr, pStringBuf, StringBufSize):
    return _ntop(p, Family, pAddr, pStringBuf, StringBufSize, False)


def sys_ws2_32_InetNtopW(p, Family, pAddr, pStringBuf, StringBufSize):
    return _ntop(p, Family, pAddr, pStringBuf, StringBufSize, True)


def sys_ws2_32_gethostbyname(p, name):
    """A HOSTENT for the names this machine knows (IPv4 only, as gethostbyname is), in a
    per-thread block; NULL and WSAHOST_NOT_FOUND for any other."""
    text = p.mm.read_cstr(name).decode("latin-1") if name else host_name(p)
    ips = _addresses(p, text, 0, AF_INET)
    if not ips:
        p.win32.last_error = WSAHOST_NOT_FOUND
        return 0
    word = abi.word(p)
    block = p.win32.thread_local("hostent_block", lambda: p.win32.heap.alloc(512))
    # HOSTENT: h_name, h_aliases, h_addrtype (short), h_length (short), h_addr_list
    head = 4 * word if word == 8 else 16
    names_at, list_at = block + head, block + head + 8 * word
    addr_at = list_at + 2 * word
    name_at = addr_at + 4
    encoded = text.encode("latin-1")[:255] + b"\0"
    ptr = "Q" if word == 8 else "I"
    hostent = struct.pack(f"<{ptr}{ptr}hh", name_at, names_at, AF_INET, 4)
    hostent = hostent.ljust(head - word, b"\0") + struct.pack(f"<{ptr}", list_at)
    p.mm.write(block, hostent)
    p.mm.write(names_at, bytes(word))
    p.mm.write(list_at, struct.pack(f"<{ptr}{ptr}", addr_at, 0))
    p.mm.write(addr_at, ips[0].packed + encoded)
    return block


def _servent(p, name: str, port: int, proto: str) -> int:
    """A per-thread SERVENT: x64 puts s_proto before s_port, i386 after it."""
    word = abi.word(p)
    block = p.win32.thread_local("servent_block", lambda: p.win32.heap.alloc(256))
    name_at, aliases_at = block + 64, block + 128
    proto_at = block + 160
    p.mm.write(name_at, name.encode()[:60] + b"\0")
    p.mm.write(aliases_at, bytes(word))
    p.mm.write(proto_at, proto.encode()[:60] + b"\0")
    port_be = struct.unpack("<H", struct.pack(">H", port))[0]
    if word == 8:
        head = struct.pack("<QQQH", name_at, aliases_at, proto_at, port_be)
    else:
        head = struct.pack("<IIHxxI", name_at, aliases_at, port_be, proto_at)
    p.mm.write(block, head)
    return block


def sys_ws2_32_getservbyname(p, name, proto):
    """The well-known services this machine knows (/etc/services' common ones)."""
    service = p.mm.read_cstr(name).decode("latin-1").lower() if name else ""
    protocol = p.mm.read_cstr(proto).decode("latin-1") if proto else "tcp"
    port = SERVICES.get(service)
    if port is None:
        p.win32.last_error = WSANO_DATA
        return 0
    return _servent(p, service, port, protocol)


def sys_ws2_32_getservbyport(p, port, proto):
    number = struct.unpack(">H", struct.pack("<H", port & 0xFFFF))[0]
    protocol = p.mm.read_cstr(proto).decode("latin-1") if proto else "tcp"
    name = next((n for n, v in SERVICES.items() if v == number), None)
    if name is None:
        p.win32.last_error = WSANO_DATA
        return 0
    return _servent(p, name, number, protocol)


def sys_ws2_32_gethostbyaddr(p, addr, length, family):
    """A HOSTENT for the machine's own addresses (localhost, its host name); no other
    address has a name here."""
    if family != AF_INET or length < 4:
        p.win32.last_error = WSAEAFNOSUPPORT
        return 0
    ip = ipaddress.IPv4Address(p.mm.read(addr, 4))
    if ip == OWN_ADDRESS:
        name = host_name(p)
    elif ip.is_loopback:
        name = "localhost"
    else:
        p.win32.last_error = WSAHOST_NOT_FOUND
        return 0
    scratch = p.win32.thread_local("hostname_scratch", lambda: p.win32.heap.alloc(256))
    p.mm.write(scratch, name.encode()[:200] + b"\0")
    return sys_ws2_32_gethostbyname(p, scratch)



def _address_to_string(p, lpsaAddress, dwAddressLength, lpszAddressString,
                       lpdwAddressStringLength, wide: bool) -> int:
    """"1.2.3.4:80", "[::1]:80" (the port only when it is not 0, the scope when there is
    one); the size needed with its NUL, in characters, and WSAEFAULT when it does not fit."""
    from .winsock import WinsockError, read_sockaddr
    try:
        family, address = read_sockaddr(p, lpsaAddress, dwAddressLength)
    except WinsockError as exc:
        p.win32.last_error = exc.code
        return 0xFFFFFFFF
    if family not in (AF_INET, AF_INET6):
        p.win32.last_error = WSAEINVAL
        return 0xFFFFFFFF
    host = str(address.ip) + (f"%{address[3]}" if family == AF_INET6 and address[3] else "")
    if address.port:
        host = (f"[{host}]" if family == AF_INET6 else host) + f":{address.port}"
    need = len(host) + 1
    have = p.mm.read_u32(lpdwAddressStringLength)
    p.mm.write_u32(lpdwAddressStringLength, need)
    if have < need or not lpszAddressString:
        p.win32.last_error = WSAEFAULT
        return 0xFFFFFFFF
    p.mm.write(lpszAddressString, (host + "\0").encode("utf-16-le" if wide else "ascii"))
    return 0


def sys_ws2_32_WSAAddressToStringW(p, lpsaAddress, dwAddressLength, lpProtocolInfo,
                                   lpszAddressString, lpdwAddressStringLength):
    return _address_to_string(p, lpsaAddress, dwAddressLength, lpszAddressString,
                              lpdwAddressStringLength, True)


def sys_ws2_32_WSAAddressToStringA(p, lpsaAddress, dwAddressLength, lpProtocolInfo,
                                   lpszAddressString, lpdwAddressStringLength):
    return _address_to_string(p, lpsaAddress, dwAddressLength, lpszAddressString,
                              lpdwAddressStringLength, False)


def _string_to_address(p, AddressString, AddressFamily, lpAddress, lpAddressLength,
                       wide: bool) -> int:
    """"1.2.3.4", "1.2.3.4:80", "::1", "[::1]:80", "fe80::1%3" as the family's SOCKADDR;
    WSAEINVAL for text that is no address of the family, WSAEFAULT when it does not fit."""
    import re
    from .winsock import sockaddr_bytes
    text = read_str(p, AddressString, wide).strip() if AddressString else ""
    port, scope = 0, 0
    try:
        if AddressFamily == AF_INET:
            m = re.fullmatch(r"([0-9.]+)(?::(\d+))?", text)
            ip = ipaddress.IPv4Address(m.group(1)) if m else None
            port = int(m.group(2) or 0) if m else 0
            family = AF_INET
        elif AddressFamily == WIN_AF_INET6:
            m = re.fullmatch(r"\[([^\]]+)\](?::(\d+))?", text)
            host = m.group(1) if m else text
            port = int(m.group(2) or 0) if m else 0
            host, _, zone = host.partition("%")
            scope = int(zone) if zone else 0
            ip = ipaddress.IPv6Address(host)
            family = AF_INET6
        else:
            p.win32.last_error = WSAEINVAL
            return 0xFFFFFFFF
    except ValueError:
        ip = None
    if ip is None or port > 0xFFFF:
        p.win32.last_error = WSAEINVAL
        return 0xFFFFFFFF
    data = sockaddr_bytes(family, InetAddr(ip, port, 0, scope))
    have = p.mm.read_u32(lpAddressLength)
    p.mm.write_u32(lpAddressLength, len(data))
    if have < len(data) or not lpAddress:
        p.win32.last_error = WSAEFAULT
        return 0xFFFFFFFF
    p.mm.write(lpAddress, data)
    return 0


def sys_ws2_32_WSAStringToAddressW(p, AddressString, AddressFamily, lpProtocolInfo, lpAddress,
                                   lpAddressLength):
    return _string_to_address(p, AddressString, AddressFamily, lpAddress, lpAddressLength,
                              True)


def sys_ws2_32_WSAStringToAddressA(p, AddressString, AddressFamily, lpProtocolInfo, lpAddress,
                                   lpAddressLength):
    return _string_to_address(p, AddressString, AddressFamily, lpAddress, lpAddressLength,
                              False)


PROTOCOLS = {"ip": 0, "icmp": 1, "tcp": 6, "udp": 17, "ipv6": 41, "icmpv6": 58, "raw": 255}


def _protoent(p, name: str, number: int) -> int:
    """A per-thread PROTOENT: p_name, p_aliases (empty), p_proto (a short)."""
    word = abi.word(p)
    block = p.win32.thread_local("protoent_block", lambda: p.win32.heap.alloc(128))
    name_at, aliases_at = block + 32, block + 96
    p.mm.write(name_at, name.encode()[:60] + b"\0")
    p.mm.write(aliases_at, bytes(word))
    ptr = "Q" if word == 8 else "I"
    p.mm.write(block, struct.pack(f"<{ptr}{ptr}h", name_at, aliases_at, number))
    return block


def sys_ws2_32_getprotobyname(p, name):
    wanted = p.mm.read_cstr(name).decode("latin-1").lower() if name else ""
    number = PROTOCOLS.get(wanted)
    if number is None:
        p.win32.last_error = WSANO_DATA
        return 0
    return _protoent(p, wanted, number)


def sys_ws2_32_getprotobynumber(p, number):
    name = next((n for n, v in PROTOCOLS.items() if v == number), None)
    if name is None:
        p.win32.last_error = WSANO_DATA
        return 0
    return _protoent(p, name, number)
