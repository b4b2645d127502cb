"""Network and readiness calls as Linux answers them, checked by real glibc programs (x86-64
and i386) whose expected output is what the same program prints on Linux (run with only
descriptors 0-2 open): who may share a port, bind a privileged one or set a privileged
option, TCP Fast Open's connect-and-send, select's descriptor count."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc

COMPILERS = [("gcc", ()), ("gcc", ("-m32",))]
IDS = ["glibc-x86_64", "glibc-i386"]


def _lines(toolchain, name, cc, flags, *args) -> list[str]:
    res = tblc("run", "--timeout", "60", toolchain.c(name, cc=cc, flags=flags), *args)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()
    return [line.rstrip() for line in res.stdout.decode().splitlines()]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_reuseport_low_ports_and_priority_need_the_owner_or_a_capability(toolchain, cc, flags):
    """hostile36 1f: a uid-1000 process joined root's SO_REUSEPORT listener (and took half
    its connections), bound port 80, and set SO_PRIORITY 7 and SO_MARK; SO_PEERCRED said
    every peer was root."""
    assert _lines(toolchain, "net_privilege", cc, flags) == [
        "root reuseport bind 0", "root second reuseport bind 0", "root bind port 80 0",
        "root SO_PRIORITY 7 0", "root SO_MARK 0",
        "user reuseport bind on root's port -1 EADDRINUSE", "user reuseport bind 0",
        "user second reuseport bind 0", "user bind port 80 -1 EACCES",
        "user bind port 1023 -1 EACCES", "user bind port 1024 0", "user SO_PRIORITY 6 0",
        "user SO_PRIORITY 7 -1 EPERM", "user SO_MARK -1 EPERM", "user packet socket -1 EPERM",
        "user raw socket -1 EPERM", "user connect 0",
        "root's peer: uid 1000 gid 1000 pid ok"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_a_fast_open_send_connects_and_sends(toolchain, cc, flags):
    """debsweep7 5: sendto(MSG_FASTOPEN) on an unconnected TCP socket said ENOTCONN, and
    wget2 (Fast Open on by default) retried it for ever at 100% CPU. Linux with the client
    bit of net.ipv4.tcp_fastopen connects and sends; the lines are the host's."""
    assert _lines(toolchain, "tcp_fastopen", cc, flags) == [
        "listener TCP_FASTOPEN 5 0", "sendto MSG_FASTOPEN 5",
        "blocking: server got 5 'hello'", "again on the connected socket -1 EISCONN",
        "plain send after 1", "non-blocking sendto MSG_FASTOPEN -1 EINPROGRESS",
        "poll writable 1", "repeat MSG_FASTOPEN 2", "non-blocking: server got 2 'hi'",
        "MSG_FASTOPEN with no address -1 EINVAL", "sendmsg MSG_FASTOPEN 3",
        "sendmsg: server got 3 'msg'", "TCP_FASTOPEN_CONNECT 1 0",
        "TCP_FASTOPEN_CONNECT 2 -1 EINVAL", "connect 0", "write 4",
        "TCP_FASTOPEN_CONNECT: server got 4 'tfoc'", "TCP_FASTOPEN_CONNECT reads 1",
        "connected TCP_FASTOPEN 5 -1 EINVAL", "listener TCP_FASTOPEN -1 -1 EINVAL",
        "udp sendto MSG_FASTOPEN 1"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_select_cuts_nfds_to_the_descriptor_table(toolchain, cc, flags):
    """hostile36 6a: select(1 << 30, ...) and select(2000, ...) failed EINVAL; Linux cuts
    nfds to the table's size (core_sys_select) and looks at no bit beyond it."""
    assert _lines(toolchain, "select_nfds", cc, flags) == [
        "select(1<<30) nothing 0", "select(2000) stdout writable 1", "  bit 1 1",
        "select(1<<30) wild set -1 EFAULT", "select(-1) -1 EINVAL",
        "select(4096) with bits past the table 1",
        "  bit 1 1, bit 70 still 1, bit 3000 still 1",
        "select(1<<30) a closed descriptor -1 EBADF", "select(4096) descriptor 100 1",
        "  bit 100 1, bit 200 still 1", "pselect6(1<<30) nothing 0", "pselect6(-5) -1 EINVAL"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_epoll_checks_its_descriptor_first_and_null_devices_cannot_be_watched(toolchain, cc,
                                                                             flags):
    """hostile36 6c: epoll_ctl took /dev/null (Linux EPERM: no poll operation), and
    epoll_wait checked maxevents before its descriptor (Linux 6.15+: EBADF first)."""
    assert _lines(toolchain, "epoll_edges", cc, flags) == [
        "epoll_ctl ADD pipe 0", "epoll_wait wild buffer, one ready -1 EFAULT",
        "epoll_wait the event is still there 1",
        "epoll_wait maxevents 0, bad descriptor -1 EBADF", "epoll_wait bad descriptor -1 EBADF",
        "epoll_wait on a pipe -1 EINVAL", "epoll_ctl ADD /dev/null -1 EPERM",
        "epoll_ctl ADD /dev/zero -1 EPERM", "epoll_ctl ADD /dev/full -1 EPERM",
        "epoll_ctl ADD /dev/urandom -1 EPERM", "epoll_ctl ADD /dev/random 0"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_a_tcp_reset_is_reported_once_by_the_first_call_that_looks(toolchain, cc, flags):
    """hostile36 6k: after a reset a write said EPIPE and the next read ECONNRESET (Linux:
    the write reports the reset, the read sees the end), shutdown said 0 (ENOTCONN),
    recv(MSG_OOB) 0 (EINVAL), and TCP_MAXSEG -1 and a short SO_LINGER were taken;
    TCP_DEFER_ACCEPT read back as set (Linux: the retransmissions' time, 5 -> 7)."""
    assert _lines(toolchain, "tcp_reset_order", cc, flags) == [
        "write after the reset -1 ECONNRESET", "read 0", "write again -1 EPIPE",
        "shutdown -1 ENOTCONN", "recv MSG_OOB -1 EINVAL", "read after the reset -1 ECONNRESET",
        "read again 0", "send -1 EPIPE", "SO_ERROR after the reset: ECONNRESET", "read 0",
        "writev after the reset -1 ECONNRESET", "recv MSG_OOB, nothing urgent -1 EINVAL",
        "recv MSG_OOB on the listener -1 ENOTCONN", "TCP_MAXSEG -1 -1 EINVAL",
        "TCP_MAXSEG 87 -1 EINVAL", "TCP_MAXSEG 88 0", "TCP_MAXSEG 32768 -1 EINVAL",
        "TCP_MAXSEG 0 0", "SO_LINGER optlen 2 -1 EINVAL", "SO_LINGER 0",
        "TCP_DEFER_ACCEPT 5 reads 7", "TCP_DEFER_ACCEPT 1 reads 1", "TCP_DEFER_ACCEPT 0 reads 0",
        "TCP_DEFER_ACCEPT -3 reads 0", "TCP_DEFER_ACCEPT 100 reads 127",
        "TCP_DEFER_ACCEPT 1000 reads 1087"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_a_wildcard_bound_socket_connects_from_the_routed_address(toolchain, cc, flags):
    """winsweep11 1: a TCP socket bound to 0.0.0.0:0 (libuv and Go bind so before ConnectEx)
    kept 0.0.0.0 after connect, so servers saw every node and Go client come from 0.0.0.0.
    connect fixes the source address routing picks, keeping the port, for IPv4 and IPv6."""
    assert _lines(toolchain, "bind_connect", cc, flags) == [
        "ipv4: connect 0 client 127.0.0.1 server sees 127.0.0.1 port kept 1",
        "ipv6: connect 0 client ::1 server sees ::1 port kept 1"]


@pytest.mark.parametrize("cc", ["gcc", "gcc -m32"])
def test_proc_net_counts_sockets_and_sysctl_has_the_networks_tunables(toolchain, tmp_path, cc):
    """ss -s said "get_sockstat: No such file", sysctl net.ipv4.ip_local_port_range failed."""
    cc, *flags = cc.split()
    root = make_root(tmp_path, {"/prog": toolchain.c("net_counters", cc, tuple(flags))})
    res = tblc("run", "--root", root, "/prog")
    assert res.stdout.decode().splitlines() == [
        "TCP: inuse 3 orphan 0 tw 0 alloc 3 mem 0", "UDP: inuse 1 mem 0",
        "Tcp: 1 200 120000 -1 0 0 0 0 2 0 0 0 0 0 0", "32768\t60999", "4096"], res


def test_ip_route_rule_and_route_get_show_what_linux_makes_for_lo(busybox, tmp_path):
    """`ip route` dumps were empty, `ip rule` showed nothing and `ip route get` was "Operation
    not supported": the answers are those of a Linux network namespace with lo up alone."""
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    script = ("busybox ip route show table local; busybox ip -6 route show table local; "
              "busybox ip route; busybox ip rule; busybox ip -6 rule; "
              "busybox ip route get 127.0.0.1; busybox ip -6 route get ::1; "
              "busybox ip route get 192.0.2.1 || echo status $?")
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c", script)
    assert [line.rstrip() for line in res.stdout.decode().splitlines()] == [
        "local 127.0.0.0/8 dev lo scope host  src 127.0.0.1",
        "local 127.0.0.1 dev lo scope host  src 127.0.0.1",
        "broadcast 127.255.255.255 dev lo scope link  src 127.0.0.1",
        "local ::1 dev lo  metric 0",
        "0:\tfrom all lookup local", "32766:\tfrom all lookup main",
        "32767:\tfrom all lookup default",
        "0:\tfrom all lookup local", "32766:\tfrom all lookup main",
        "local 127.0.0.1 dev lo  src 127.0.0.1",
        "local ::1 from :: dev lo table local  src ::1  metric 0", "status 2"], res
    assert b"Network is unreachable" in res.stderr


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_a_receiver_learns_the_ttl_tos_hop_limit_and_class_its_sender_set(toolchain, cc, flags):
    """IP_RECVTTL/IP_RECVTOS and IPV6_RECVHOPLIMIT/IPV6_RECVTCLASS always said 64 and 0
    (six of CPython's test_socket failed): now the sender's options or its sendmsg cmsgs, as
    the host prints."""
    assert _lines(toolchain, "udp_header_fields", cc, flags) == [
        "ipv4 default: ttl 0x40 tos 0", "ipv4 options: ttl 0x5 tos 0x10",
        "ipv6 default: hops 0x40 tclass 0", "ipv6 cmsgs: hops 0x2 tclass 0x20",
        "ipv6 option: hops 0x7 tclass 0"]
