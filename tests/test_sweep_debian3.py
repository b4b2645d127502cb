"""What a third sweep of Debian programs found (jq, gawk, perl, lua, tclsh, ruby, php,
sqlite3, xz/zstd/bzip2/lz4, nginx, lighttpd, redis, memcached, postgres, valgrind, bwrap,
setfacl, ss...): each fix's C program prints what Linux prints, and the Debian program
that failed runs as on Linux."""
from __future__ import annotations

import pytest

import re

from conftest import debian_root, make_root, tblc

CCS = ["gcc", "musl-gcc", "gcc -m32"]


def _lines(toolchain, tmp_path, name: str, cc: str) -> list[str]:
    cc, *flags = cc.split()
    root = make_root(tmp_path, {"/prog": toolchain.c(name, cc, tuple(flags))})
    (root / "tmp").mkdir()
    res = tblc("run", "--root", root, "/prog")
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout.decode().splitlines()


UNSHARE_FLAGS = [   # what Linux 6.12 prints for root without CAP_SYS_ADMIN (all three builds)
    "clone NEWPID: Operation not permitted",
    "clone NEWNS: Operation not permitted",
    "clone NEWUTS|NEWIPC|NEWNET: Operation not permitted",
    "clone NEWNS|FS: Invalid argument",
    "clone NEWUSER|FS: Invalid argument",
    "clone THREAD|NEWPID: Invalid argument",
    "unshare nothing: ok",
    "unshare NEWNS: Operation not permitted",
    "unshare NEWPID|FILES: Operation not permitted",
    "unshare PIDFD: Invalid argument",
    "unshare THREAD|VM|SIGHAND: ok",
    "unshare FS|FILES: ok",
    "shared table: child 0, parent's descriptor closed",
    "unshared table: child 0, parent's descriptor open",
    "shared fs: child 0, parent in / umask 077",
    "unshared fs: child 0, parent in /tmp umask 022",
    "semaphore after up: 1",
    "unshare SYSVSEM: ok",
    "semaphore after unshare: 0",
]


@pytest.mark.parametrize("cc", CCS)
def test_namespaces_are_refused_and_unshare_separates_what_is_shared(toolchain, tmp_path, cc):
    """clone's namespace flags are EPERM as unshare's (clone had made an ordinary child,
    so a 'sandbox' ran in the caller's namespaces), after copy_process's EINVAL checks;
    unshare of a shared descriptor table, fs_struct or semaphore undos works (every
    unshare was EPERM)."""
    assert _lines(toolchain, tmp_path, "unshare_flags", cc) == UNSHARE_FLAGS


@pytest.fixture(scope="module")
def bwrap_root(tmp_path_factory):
    return debian_root(tmp_path_factory.mktemp("bwrap") / "root", "bubblewrap")


def test_bubblewrap_says_it_cannot_make_a_namespace(bwrap_root):
    """bwrap's clone(CLONE_NEWPID|CLONE_NEWNS) fails as on a kernel that refuses
    namespaces, and bwrap says so: it made an ordinary child, looked for /proc/PID/ns and
    was killed as deadlocked waiting for that child."""
    res = tblc("run", "--root", bwrap_root, "/usr/bin/bwrap", "--ro-bind", "/", "/",
               "--unshare-pid", "/usr/bin/bwrap", "--version")
    assert (res.returncode, res.stdout, res.stderr) == (
        1, b"", b"bwrap: Creating new namespace failed: Operation not permitted\n"), res


PING_SOCKET = [   # what Linux 6.12 prints (all three builds), in a network namespace of its own
    *[line for v6 in (False, True) for line in (
        f"{'icmpv6' if v6 else 'icmp'} socket: ok",
        "  echo reply sent: Invalid argument",
        "  4-byte request: Invalid argument",
        "  no address: Destination address required",
        "  request: ok",
        "  readable: 1",
        f"  reply: 24 bytes from {'::1' if v6 else '127.0.0.2'} port 0, type "
        f"{129 if v6 else 0} code 0, id is the socket's 1, seq 7, payload same, checksum right",
        "  connect: ok",
        "  send: ok",
        "  recv: 24")],
    "socket outside ping_group_range: Permission denied",
]


@pytest.mark.parametrize("cc", CCS)
def test_ping_sockets_get_the_machines_echo_replies(toolchain, tmp_path, cc):
    """socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) and the ICMPv6 one, allowed by
    net.ipv4.ping_group_range: an echo request to one of the machine's addresses is answered
    with the socket's identifier, the payload and a right checksum (every ping socket was
    EACCES whatever the range said)."""
    assert _lines(toolchain, tmp_path, "ping_socket", cc) == PING_SOCKET


RAW_ICMP_V4 = "36 bytes from 127.0.0.1, version 4 header 20 total 36 ttl 64 protocol 1 " \
    "header checksum right, type {} id 17185, checksum {}"
RAW_ICMP = [     # what Linux 6.12 prints for root (all three builds), in a network namespace
    "protocol 0: Protocol not supported",
    "icmp raw socket: ok",
    "  no address: Destination address required",
    "  request: ok",
    "  request heard: " + RAW_ICMP_V4.format(8, "right"),
    "  reply heard: " + RAW_ICMP_V4.format(0, "right"),
    "  then: Resource temporarily unavailable",
    "  another socket hears the request: " + RAW_ICMP_V4.format(8, "right"),
    "  and the reply: " + RAW_ICMP_V4.format(0, "right"),
    "  ICMP_FILTER: ok, reads back 0x100",
    "  filtered: first heard: " + RAW_ICMP_V4.format(0, "right"),
    "  then: Resource temporarily unavailable",
    "  (request 2): " + RAW_ICMP_V4.format(8, "right"),
    "  (reply 2): " + RAW_ICMP_V4.format(0, "right"),
    "  bad checksum heard: " + RAW_ICMP_V4.format(8, "wrong"),
    "  then: Resource temporarily unavailable",
    "  ICMPv6 filter on it: Protocol not available",
    "icmpv6 raw socket: ok",
    "  request: ok",
    "  request heard: 12 bytes from ::1, type 128 id 17185, checksum made",
    "  reply heard: 12 bytes from ::1, type 129 id 17185, checksum made",
    "  ICMP6_FILTER: ok",
    "  odd IPV6_CHECKSUM: Invalid argument",
    "  filtered: first heard: 12 bytes from ::1, type 129 id 17185, checksum made",
    "  then: Resource temporarily unavailable",
    "user's raw socket: Operation not permitted",
]


@pytest.mark.parametrize("cc", CCS)
def test_raw_icmp_sockets_hear_what_arrives_on_lo(toolchain, tmp_path, cc):
    """Raw ICMP sockets for a process with CAP_NET_RAW: each hears every ICMP message that
    arrives (IPv4 with its IP header) but the types its filter drops, and the machine
    answers a well-formed echo request (every raw socket was EPERM, root's too)."""
    assert _lines(toolchain, tmp_path, "raw_icmp", cc) == RAW_ICMP


@pytest.fixture(scope="module")
def ping_root(tmp_path_factory):
    return debian_root(tmp_path_factory.mktemp("ping") / "root", "iputils-ping")


@pytest.mark.parametrize("target", ["127.0.0.1", "::1"])
def test_debians_ping_reaches_the_machines_own_addresses(ping_root, target):
    """iputils' ping as root: the ping socket is EACCES (ping_group_range "1 0"), so it
    takes a raw socket with its ICMP filter, and prints each reply's ttl and time (it said
    "ping: socket: Operation not permitted")."""
    res = tblc("run", "--root", ping_root, "/usr/bin/ping", "-c", "2", "-i", "0.2", target)
    out = res.stdout.decode()
    assert (res.returncode, res.stderr) == (0, b""), res
    assert len(re.findall(rf"^64 bytes from {re.escape(target)}: icmp_seq=\d ttl=64 time=",
                          out, re.M)) == 2, out
    assert "2 packets transmitted, 2 received, 0% packet loss" in out, out


def test_busybox_ping_hears_the_hop_limit_by_rfc_2292s_option(busybox, tmp_path):
    """busybox ping -6 asks for the hop limit with IPV6_2292HOPLIMIT and sets its ICMPv6
    checksum offset at SOL_RAW: it printed ttl=-1 and a setsockopt warning."""
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "busybox ping -c1 127.0.0.1 && busybox ping -6 -c1 ::1")
    out = res.stdout.decode()
    assert (res.returncode, res.stderr) == (0, b""), res
    assert re.search(r"^64 bytes from 127.0.0.1: seq=0 ttl=64 time=", out, re.M), out
    assert re.search(r"^64 bytes from ::1: seq=0 ttl=64 time=", out, re.M), out


@pytest.fixture(scope="module")
def ss_root(tmp_path_factory, toolchain):
    root = debian_root(tmp_path_factory.mktemp("ss") / "root", "iproute2")
    return make_root(root.parent, {"/prog": toolchain.c("sock_diag_peers", "gcc")})


def _ss(root, *args) -> list[tuple]:
    res = tblc("run", "--root", root, "/prog", "/usr/bin/ss", *args)
    assert (res.returncode, res.stderr) == (0, b""), res
    return [tuple(line.split()) for line in res.stdout.decode().splitlines()[1:]]


def test_ss_lists_the_machines_sockets_through_sock_diag(ss_root):
    """iproute2's ss asks NETLINK_SOCK_DIAG for TCP, UDP and unix sockets: the rows are
    what Linux lists for the same sockets (sock_diag_peers.c), queues included (ss said
    "Cannot open netlink socket: Protocol not supported" twice, then read /proc/net)."""
    tcp = _ss(ss_root, "-tan")
    client = next(row for row in tcp if row[3] != "127.0.0.1:7101" and row[0] == "ESTAB")[3]
    assert sorted(tcp) == sorted([
        ("LISTEN", "0", "5", "127.0.0.1:7101", "0.0.0.0:*"),
        ("ESTAB", "0", "0", client, "127.0.0.1:7101"),
        ("ESTAB", "3", "0", "127.0.0.1:7101", client)]), tcp
    assert _ss(ss_root, "-uan") == [("UNCONN", "0", "0", "127.0.0.1:7102", "0.0.0.0:*")]
    unix = [row for row in _ss(ss_root, "-xa") if row[0] == "u_str"]
    listener = [row for row in unix if row[1] == "LISTEN"]
    assert [row[1:5] + row[6:] for row in listener] == [
        ("LISTEN", "0", "7", "/tmp/diag.sock", "*", "0")], unix
    ends = {row[5]: row for row in unix if row[1] == "ESTAB"}
    assert len(ends) == 2 and all(row[7] in ends and ends[row[7]][7] == ino
                                  for ino, row in ends.items()), unix     # each the other's peer
    assert sorted(row[2] for row in ends.values()) == ["0", "5"], unix
