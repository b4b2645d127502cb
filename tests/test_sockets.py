"""Sockets on the machine's own network: AF_UNIX, TCP and UDP on loopback, readiness, with
real musl and glibc programs (x86-64 and i386) and busybox's httpd, wget and nc."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc

COMPILERS = [("musl-gcc", ()), ("gcc", ()), ("gcc", ("-m32",))]
IDS = ["musl-x86_64", "glibc-x86_64", "glibc-i386"]


def _run_checks(toolchain, name, cc, flags, timeout=120):
    res = tblc("run", "--timeout", str(timeout), toolchain.c(name, cc=cc, flags=flags))
    out = res.stdout.decode()
    assert res.returncode == 0, out + res.stderr.decode()
    assert "FAIL" not in out
    return out.splitlines()


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_unix_sockets(toolchain, cc, flags):
    assert _run_checks(toolchain, "sock_unix", cc, flags) == [
        "ok stream socketpair", "ok dgram boundaries", "ok seqpacket boundaries",
        "ok listen/connect path", "ok listen/connect abstract", "ok via SCM_RIGHTS",
        "ok SCM_CREDENTIALS", "ok dgram on a path"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_tcp_loopback(toolchain, cc, flags):
    assert _run_checks(toolchain, "sock_tcp", cc, flags) == [
        "ok pre-forked echo server, 3 workers, 8 clients",
        "ok ECONNREFUSED, EADDRINUSE, ENETUNREACH", "ok half-close, reset, options, names",
        "ok IPv6 loopback and dual stack", "ok non-blocking accept, poll and select"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_udp_loopback_and_socketcall(toolchain, cc, flags):
    lines = _run_checks(toolchain, "sock_udp", cc, flags)
    assert lines == ["ok UDP request/response"] + (["ok socketcall"] if flags else [])


@pytest.fixture
def www_root(tmp_path, busybox):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    (root / "www").mkdir()
    (root / "www" / "index.html").write_text("<h1>served inside the machine</h1>\n")
    (root / "tmp").mkdir()
    return root


def test_busybox_httpd_and_wget(www_root):
    script = ("busybox httpd -f -p 8080 -h /www & sleep 0.3; "
              "busybox wget -q -O - http://127.0.0.1:8080/index.html; kill $!")
    res = tblc("run", "--timeout", "60", "--root", www_root, "/bin/busybox", "sh", "-c", script)
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"<h1>served inside the machine</h1>\n"


def test_busybox_nc_delivers_and_a_closed_port_refuses(www_root):
    script = ("cd /tmp; busybox nc -l -p 9000 > f & sleep 0.3; echo hi | busybox nc 127.0.0.1 9000;"
              " wait; cat f; busybox nc 127.0.0.1 9001; echo status=$?")
    res = tblc("run", "--timeout", "60", "--root", www_root, "/bin/busybox", "sh", "-c", script)
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"hi\nstatus=1\n"
    assert b"Connection refused" in res.stderr


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_epoll_eventfd_timerfd_signalfd(toolchain, cc, flags):
    assert _run_checks(toolchain, "sock_epoll", cc, flags) == [
        "ok edge-triggered loop over 100 connections", "ok level-triggered and oneshot",
        "ok eventfd and timerfd", "ok signalfd"]


def test_100_mib_through_a_socket_pair_arrives_whole(toolchain):
    """Odd-sized blocking writes and reads; a full buffer blocks the writer, nothing is lost."""
    exe = toolchain.c("sock_bulk", flags=("-O2",))
    res = tblc("run", "--timeout", "300", exe, "100", timeout=320)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.startswith(b"ok 100 MiB, fnv1a ")


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_map_shared_across_fork_files_and_memfd(toolchain, cc, flags):
    assert _run_checks(toolchain, "sock_shared", cc, flags) == [
        "ok shared counter 4000", "ok private stays private", "ok shared file mapping",
        "ok memfd_create"]
