"""Structures the tracer decodes by the name their spec type gives them (`in<sockaddr>[len]`,
`inout<msghdr>`, `out<epoll_event>`), as strace prints them: one decoder per structure,
never per call. A decoder reads guest memory through the checked accessors; a bad pointer
makes the tracer fall back to the address."""
from __future__ import annotations

import struct

from .net.addr import describe
from .trace import quote

EPOLL_BITS = [(0x1, "EPOLLIN"), (0x2, "EPOLLPRI"), (0x4, "EPOLLOUT"), (0x8, "EPOLLERR"),
              (0x10, "EPOLLHUP"), (0x40, "EPOLLRDNORM"), (0x80, "EPOLLRDBAND"),
              (0x100, "EPOLLWRNORM"), (0x200, "EPOLLWRBAND"), (0x2000, "EPOLLRDHUP"),
              (1 << 28, "EPOLLEXCLUSIVE"), (1 << 29, "EPOLLWAKEUP"), (1 << 30, "EPOLLONESHOT"),
              (1 << 31, "EPOLLET")]
CMSG_TYPES = {(1, 1): "SCM_RIGHTS", (1, 2): "SCM_CREDENTIALS"}
MAX_SHOWN = 8


def _read_partial(mm, addr: int, n: int) -> bytes:
    """Up to n bytes, fewer if the end of the mapping comes first."""
    while n > 0:
        try:
            return mm.read(addr, n)
        except Exception:
            n //= 2
    return b""


def sockaddr(proc, addr: int, length: int | None, count: int | None) -> str:
    data = _read_partial(proc.mm, addr, min(length, 128) if length is not None else 128)
    return describe(data) if len(data) >= 2 else f"{addr:#x}"


def _flags(value: int, names) -> str:
    parts = [name for bit, name in names if value & bit]
    rest = value & ~sum(bit for bit, _ in names)
    if rest or not parts:
        parts.append(f"{rest:#x}")
    return "|".join(parts)


def epoll_event(proc, addr: int, length: int | None, count: int | None) -> str:
    n = 1 if count is None else max(0, min(count, MAX_SHOWN))
    events = []
    for i in range(n):
        mask, data = struct.unpack("<IQ", proc.mm.read(addr + 12 * i, 12))
        events.append(f"{{events={_flags(mask, EPOLL_BITS)}, data={data:#x}}}")
    if count is None:
        return events[0]
    more = ", ..." if count > MAX_SHOWN else ""
    return "[" + ", ".join(events) + more + "]"


def _cmsgs(proc, control: int, controllen: int, wide: bool) -> str:
    fmt, unit = ("<QiI", 8) if wide else ("<IiI", 4)
    head = struct.calcsize(fmt)
    raw = _read_partial(proc.mm, control, min(controllen, 4096))
    out, pos = [], 0
    while pos + head <= len(raw) and len(out) < MAX_SHOWN:
        length, level, type_ = struct.unpack_from(fmt, raw, pos)
        if length < head:
            break
        body = raw[pos + head:pos + length]
        name = CMSG_TYPES.get((level, type_), str(type_))
        level_name = "SOL_SOCKET" if level == 1 else str(level)
        if name == "SCM_RIGHTS":
            data = "[" + ", ".join(str(v) for v in struct.unpack(f"<{len(body) // 4}i",
                                                                 body[:len(body) // 4 * 4])) + "]"
        elif name == "SCM_CREDENTIALS" and len(body) >= 12:
            pid, uid, gid = struct.unpack_from("<iII", body)
            data = f"{{pid={pid}, uid={uid}, gid={gid}}}"
        else:
            data = quote(body)
        out.append(f"{{cmsg_len={length}, cmsg_level={level_name}, cmsg_type={name}, "
                   f"cmsg_data={data}}}")
        pos += (length + unit - 1) & ~(unit - 1)
    return "[" + ", ".join(out) + "]"


def msghdr(proc, addr: int, length: int | None, count: int | None) -> str:
    wide = proc.sysvec.word_bits == 64
    if wide:
        name, namelen, iov, iovlen, control, controllen, flags = \
            struct.unpack("<QI4xQQQQi4x", proc.mm.read(addr, 56))
    else:
        name, namelen, iov, iovlen, control, controllen, flags = \
            struct.unpack("<IIIIIIi", proc.mm.read(addr, 28))
    parts = [f"msg_name={sockaddr(proc, name, namelen, None) if name and namelen else 'NULL'}",
             f"msg_namelen={namelen}"]
    vecs, fmt = [], "<QQ" if wide else "<II"
    for i in range(min(iovlen, MAX_SHOWN)):
        base, n = struct.unpack(fmt, proc.mm.read(iov + i * struct.calcsize(fmt),
                                                  struct.calcsize(fmt)))
        vecs.append(f"{{iov_base={quote(_read_partial(proc.mm, base, min(n, 33)))}, iov_len={n}}}")
    parts.append("msg_iov=[" + ", ".join(vecs) + (", ..." if iovlen > MAX_SHOWN else "") + "]")
    parts.append(f"msg_iovlen={iovlen}")
    if control and controllen:
        parts.append(f"msg_control={_cmsgs(proc, control, controllen, wide)}")
    parts += [f"msg_controllen={controllen}", f"msg_flags={flags:#x}" if flags else "msg_flags=0"]
    return "{" + ", ".join(parts) + "}"


DECODERS = {"sockaddr": sockaddr, "epoll_event": epoll_event, "msghdr": msghdr}
