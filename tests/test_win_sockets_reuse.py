"""IP_MTU_DISCOVER and IPV6_MTU_DISCOVER (Windows 10's path-MTU state) are taken and read
back. Haskell's network package sets IP_PMTUDISC_DO on every IPv4 socket it opens; refused
(WSAENOPROTOOPT), it closed the handle while its Socket's GC finalizer kept the number, the
AF_INET6 socket tried next was given the same handle value, and after the next garbage
collection the finalizer closed that listener: `pandoc server` answered one request, then
stopped with "Network.Socket.accept: failed (WSAENOTSOCK)".

tests/programs/win/sockets_reuse.c opens its listener as network does and runs the
finalizer's closesocket by hand between two connections."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc


@pytest.fixture(scope="module", params=[64, 32])
def lines(request, mingw, tmp_path_factory):
    bits = request.param
    exe = mingw("sockets_reuse", bits, libs=("-lws2_32",))
    root = make_root(tmp_path_factory.mktemp(f"reuse{bits}"), {"/bin/sockets_reuse.exe": exe})
    res = tblc("run", "--root", root, "/bin/sockets_reuse.exe", timeout=60)
    assert res.returncode == 0, res.stderr.decode()
    return res.stdout.decode().splitlines()


def test_ip_mtu_discover_is_not_set_by_default_takes_a_pmtud_state_and_refuses_others(lines):
    assert "pmtud tcp: default 0 set 0 get 1 bad 10022" in lines     # 4 is WSAEINVAL
    assert "pmtud udp: default 0 set 0 get 1 bad 10022" in lines


def test_ipv6_mtu_discover_is_kept_on_an_ipv6_socket(lines):
    assert "pmtud6: default 0 set 0 get 2" in lines


def test_a_listener_opened_as_haskells_network_does_keeps_its_ipv4_socket_and_serves(lines):
    # family 23 with "err 10038": the IPv4 socket refused, its handle reused and closed
    assert "server: family 2 served 2" in lines
