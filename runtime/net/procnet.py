"""/proc/net: the machine's sockets and its one interface as Linux lists them (tcp4_seq_show,
udp4_seq_format, unix_seq_show, dev_seq_show), for netstat, fuser, lsof and the like. A
socket is listed while some process holds a descriptor for it."""
from __future__ import annotations

from .addr import AF_INET, AF_INET6, AF_UNIX
from .ping import PingSocket
from .socket import CONNECTED, LISTENING, Socket

FILES = ("tcp", "tcp6", "udp", "udp6", "unix", "dev", "if_inet6", "route", "sockstat",
         "sockstat6", "snmp", "netstat")
# include/net/tcp_states.h: what st shows (a datagram socket: established or close)
TCP_ESTABLISHED, TCP_LISTEN, TCP_CLOSE = 0x01, 0x0A, 0x07
SS_UNCONNECTED, SS_CONNECTED = 1, 3
SO_ACCEPTCON = 0x00010000

INET_HEADER = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
               "   uid  timeout inode")
INET6_HEADER = ("  sl  local_address                         remote_address                      "
                "  st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode")
DEV = ("Inter-|   Receive                                                |  Transmit\n"
       " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs"
       " drop fifo colls carrier compressed\n"
       "    lo:       0       0    0    0    0     0          0         0        0       0    0"
       "    0    0     0       0          0\n")
IF_INET6 = "00000000000000000000000000000001 01 80 10 80       lo\n"
ROUTE = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"


def open_sockets(kernel) -> list[Socket]:
    """Every socket a live process holds, once, oldest first."""
    found = {}
    for proc in list(kernel.procs.values()):
        if proc.alive and proc.fds is not None:
            for _, f in proc.fds.items():
                if isinstance(f, Socket) and not f.closed:
                    found[id(f)] = f
    return sorted(found.values(), key=lambda s: s.ino)


def _hex_ip(ip) -> str:
    """The address as the kernel prints its __be32 words: each in host (little-endian) order."""
    packed = ip.packed
    return "".join(f"{int.from_bytes(packed[i:i + 4], 'little'):08X}"
                   for i in range(0, len(packed), 4))


def _endpoint(addr, family: int) -> str:
    if addr is None:
        return ("0" * (8 if family == AF_INET else 32)) + ":0000"
    return f"{_hex_ip(addr.ip)}:{addr.port:04X}"


def _queued(q) -> int:
    return q.size if q is not None else 0


def _inet(kernel, family: int, stream: bool) -> str:
    lines = [INET_HEADER if family == AF_INET else INET6_HEADER]
    for sock in open_sockets(kernel):
        if sock.family != family or sock.stream != stream or sock.local is None or \
                isinstance(sock, PingSocket):       # (Linux lists those in /proc/net/icmp)
            continue
        if stream:
            state = {LISTENING: TCP_LISTEN, CONNECTED: TCP_ESTABLISHED}.get(sock.state, TCP_CLOSE)
            peer = sock.peer_addr if sock.state == CONNECTED else None
            rx = len(sock.backlog) if sock.state == LISTENING else _queued(sock.rx)
            tx = _queued(sock.tx)
        else:
            peer = sock.peer_addr
            state = TCP_ESTABLISHED if peer is not None else TCP_CLOSE
            rx, tx = _queued(sock.rx), 0
        uid = sock.uid
        lines.append(f"{len(lines) - 1:4d}: {_endpoint(sock.local, family)} "
                     f"{_endpoint(peer, family)} {state:02X} {tx:08X}:{rx:08X} 00:00000000 "
                     f"00000000 {uid:5d}        0 {sock.ino} 1 0000000000000000 100 0 0 10 0")
    return "\n".join(lines) + "\n"


def _unix(kernel) -> str:
    lines = ["Num       RefCount Protocol Flags    Type St Inode Path"]
    for sock in open_sockets(kernel):
        if sock.family != AF_UNIX:
            continue
        listening = sock.stream and sock.state == LISTENING
        connected = (sock.stream and sock.state == CONNECTED) or \
            (not sock.stream and getattr(sock, "peer", None) is not None)
        line = (f"0000000000000000: {sock.refs + 1:08X} 00000000 "
                f"{SO_ACCEPTCON if listening else 0:08X} {sock.type:04X} "
                f"{SS_CONNECTED if connected else SS_UNCONNECTED:02X} {sock.ino:5d}")
        name = sock.local
        if name:
            name = b"@" + name[1:] if name[:1] == b"\0" else name
            line += " " + name.decode("utf-8", "replace")
        lines.append(line)
    return "\n".join(lines) + "\n"


def _sockstat(kernel, family: int) -> str:
    """sockstat / sockstat6 (sockstat_seq_show): sockets in use by protocol (ss -s)."""
    socks = open_sockets(kernel)
    inet = [s for s in socks if s.family == family and s.local is not None and
            not isinstance(s, PingSocket)]
    tcp, udp = sum(s.stream for s in inet), sum(not s.stream for s in inet)
    if family == AF_INET6:
        return (f"TCP6: inuse {tcp}\nUDP6: inuse {udp}\nUDPLITE6: inuse 0\nRAW6: inuse 0\n"
                "FRAG6: inuse 0 memory 0\n")
    return (f"sockets: used {len(socks)}\nTCP: inuse {tcp} orphan 0 tw 0 alloc {tcp} mem 0\n"
            f"UDP: inuse {udp} mem 0\nUDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n")


# /proc/net/snmp and netstat (snmp_seq_show, netstat_seq_show): each group a line of names
# and a line of values. The machine counts no packets; the constants are Linux's.
SNMP = (("Ip", "Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams "
               "InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes "
               "ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates",
         {"Forwarding": 2, "DefaultTTL": 64}),
        ("Icmp", "InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs "
                 "InSrcQuenchs InRedirects InEchos InEchoReps InTimestamps InTimestampReps "
                 "InAddrMasks InAddrMaskReps OutMsgs OutErrors OutDestUnreachs OutTimeExcds "
                 "OutParmProbs OutSrcQuenchs OutRedirects OutEchos OutEchoReps OutTimestamps "
                 "OutTimestampReps OutAddrMasks OutAddrMaskReps", {}),
        ("Tcp", "RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
                "EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors",
         {"RtoAlgorithm": 1, "RtoMin": 200, "RtoMax": 120000, "MaxConn": -1}),
        ("Udp", "InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors "
                "InCsumErrors IgnoredMulti MemErrors", {}),
        ("UdpLite", "InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors "
                    "InCsumErrors IgnoredMulti MemErrors", {}))
NETSTAT = (("TcpExt", "SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts "
                      "PruneCalled RcvPruned OfoPruned OutOfWindowIcmps LockDroppedIcmps "
                      "ArpFilter TW TWRecycled TWKilled PAWSActive PAWSEstab DelayedACKs "
                      "DelayedACKLocked DelayedACKLost ListenOverflows ListenDrops", {}),
           ("IpExt", "InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts "
                     "OutBcastPkts InOctets OutOctets InMcastOctets OutMcastOctets "
                     "InBcastOctets OutBcastOctets InCsumErrors InNoECTPkts InECT1Pkts "
                     "InECT0Pkts InCEPkts ReasmOverlaps", {}))


def _counters(groups, values: dict) -> str:
    lines = []
    for group, names, fixed in groups:
        names = names.split()
        lines.append(f"{group}: " + " ".join(names))
        lines.append(f"{group}: " + " ".join(str(values.get((group, n), fixed.get(n, 0)))
                                             for n in names))
    return "\n".join(lines) + "\n"


def proc_net_file(kernel, name: str) -> str:
    """The text of /proc/net/NAME (one of FILES)."""
    if name in ("tcp", "tcp6", "udp", "udp6"):
        return _inet(kernel, AF_INET6 if name.endswith("6") else AF_INET, name.startswith("tcp"))
    if name == "unix":
        return _unix(kernel)
    if name in ("sockstat", "sockstat6"):
        return _sockstat(kernel, AF_INET6 if name.endswith("6") else AF_INET)
    if name == "snmp":
        established = sum(1 for s in open_sockets(kernel) if s.family in (AF_INET, AF_INET6)
                          and s.stream and s.state == CONNECTED)
        return _counters(SNMP, {("Tcp", "CurrEstab"): established})
    if name == "netstat":
        return _counters(NETSTAT, {})
    return {"dev": DEV, "if_inet6": IF_INET6, "route": ROUTE}[name]

