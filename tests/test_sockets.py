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
def test_a_unix_sockets_file_takes_chmod_and_utimensat(toolchain, cc, flags):
    """The file a bound socket made is changed as any inode (it was opened to be changed,
    and a socket cannot be: ENXIO broke every multiprocessing forkserver)."""
    res = tblc("run", toolchain.c("sock_chmod", cc=cc, flags=flags))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "chmod: 0", "utimensat: 0", "mode 600 mtime 1000000000.5"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_tcp_loopback(toolchain, cc, flags):
    assert _run_checks(toolchain, "sock_tcp", cc, flags) == [
        "ok pre-forked echo server, 3 workers, 8 clients",
        "ok ECONNREFUSED, EADDRINUSE, ENETUNREACH", "ok half-close, reset, options, names",
        "ok IPv6 loopback and dual stack", "ok non-blocking accept, poll and select",
        "ok a peer that dies: EOF, EPIPE/ECONNRESET, SIGPIPE", "ok ppoll and pselect"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_a_nonblocking_connect_is_refused_after_the_call(toolchain, cc, flags):
    """A non-blocking connect to a loopback port nobody listens on failed ECONNREFUSED in
    the call; Linux says EINPROGRESS and reports the reset through poll and SO_ERROR. The
    host prints the same lines."""
    res = tblc("run", toolchain.c("refused_connect", cc=cc, flags=flags))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "nonblocking connect -1 EINPROGRESS", "poll 1 out 1 err 1 hup 1", "so_error refused 1",
        "so_error then 0", "blocking connect -1 refused 1"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_resolver_finds_localhost_and_the_hostname_in_the_synthesized_hosts(toolchain, cc, flags):
    assert _run_checks(toolchain, "sock_resolve", cc, flags, timeout=60) == [
        "hostname sysvec", "localhost 127.0.0.1", "sysvec 127.0.1.1", "ok resolver"]


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


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_publish_lets_a_host_client_fetch_from_guest_httpd(www_root):
    import subprocess
    import sys
    import time
    import urllib.request

    from conftest import REPO
    port = _free_port()
    script = "busybox httpd -f -p 80 -h /www & sleep 4; kill $!"
    guest = subprocess.Popen([sys.executable, "-m", "sysvec.cli", "run", "--timeout", "60",
                              "--publish", f"{port}:80", "--root", str(www_root),
                              "/bin/busybox", "sh", "-c", script],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        page, deadline = None, time.monotonic() + 30
        while page is None and time.monotonic() < deadline:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html",
                                              timeout=10).read()
            except OSError:
                time.sleep(0.2)
        assert page == b"<h1>served inside the machine</h1>\n"
    finally:
        out, err = guest.communicate(timeout=60)
    assert guest.returncode == 0, err


def test_without_publish_the_host_cannot_reach_the_guest(www_root):
    """The guest listens on a port number that is free on the host: the host finds nothing."""
    import socket
    import subprocess
    import sys
    import time

    from conftest import REPO
    port = _free_port()
    script = (f"busybox httpd -f -p {port} -h /www & sleep 0.5; "
              f"busybox wget -q -O - http://127.0.0.1:{port}/index.html; sleep 3; kill $!")
    guest = subprocess.Popen([sys.executable, "-m", "sysvec.cli", "run", "--timeout", "60",
                              "--root", str(www_root), "/bin/busybox", "sh", "-c", script],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(1.5)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        out, err = guest.communicate(timeout=60)
    assert out == b"<h1>served inside the machine</h1>\n", err   # it was listening


@pytest.fixture
def host_echo():
    """A host server on a free loopback port answering 'host says: ' + what it got."""
    import socket
    import threading
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)

    def serve():
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            with c:
                c.sendall(b"host says: " + c.recv(100))
    threading.Thread(target=serve, daemon=True).start()
    yield srv.getsockname()[1]
    srv.close()


def test_allow_connect_reaches_a_named_host_port_and_nothing_else(www_root, host_echo):
    script = f"echo hello | busybox nc 127.0.0.1 {host_echo}"
    res = tblc("run", "--timeout", "30", "--allow-connect", f"127.0.0.1:{host_echo}",
               "--root", www_root, "/bin/busybox", "sh", "-c", script)
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"host says: hello\n"
    res = tblc("run", "--trace", "--timeout", "30", "--root", www_root, "/bin/busybox", "sh", "-c",
               script)
    assert res.returncode == 1 and b"Connection refused" in res.stderr
    assert b"needs --allow-connect" in res.stderr
    res = tblc("run", "--trace", "--timeout", "30", "--allow-connect", f"127.0.0.1:{host_echo}",
               "--root", www_root, "/bin/busybox", "sh", "-c", "busybox nc 192.0.2.7 80")
    assert res.returncode == 1
    assert b"ENETUNREACH" in res.stderr and b"not on this machine" in res.stderr


@pytest.mark.parametrize("bad", ["80", "0:80", "x:y", "70000:80"])
def test_a_bad_publish_is_a_clear_error(www_root, bad):
    res = tblc("run", "--publish", bad, "--root", www_root, "/bin/busybox", "true")
    assert res.returncode != 0 and b"--publish" in res.stderr and b"Traceback" not in res.stderr


def test_allow_connect_names_host_loopback_only(www_root):
    res = tblc("run", "--allow-connect", "8.8.8.8:53", "--root", www_root, "/bin/busybox", "true")
    assert res.returncode != 0 and b"loopback" in res.stderr and b"Traceback" not in res.stderr


def test_manifest_network_section(www_root, host_echo, tmp_path):
    manifest = tmp_path / "m.yaml"
    manifest.write_text(f"network: {{hostname: box1, allow_connect: ['127.0.0.1:{host_echo}']}}\n")
    res = tblc("run", "--manifest", manifest, "--root", www_root, "/bin/busybox", "sh", "-c",
               f"busybox hostname; cat /etc/hostname; echo hi | busybox nc 127.0.0.1 {host_echo}")
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"box1\nbox1\nhost says: hi\n"
    manifest.write_text("network: {publsh: ['1:2']}\n")
    res = tblc("run", "--manifest", manifest, "--root", www_root, "/bin/busybox", "true")
    assert res.returncode != 0 and b"publsh" in res.stderr


def test_dsl_sized_struct_type_checks_its_length_argument():
    from sysvec.compiler.check import check
    from sysvec.compiler.parse import parse_text
    header = "table t\narch x86_64\ngate syscall\nnumber eax\nargs rdi, rsi, rdx\nreturn rax\nerrors errno\n"
    good = header + "42 connect (fd fd, in<sockaddr>[addrlen] uservaddr, int addrlen) -> int -\n"
    table, diagnostics = check(parse_text(good, "t.tbl"), good, False)
    assert diagnostics == []
    (arg,) = [a for a in table.entries[0].args if a.name == "uservaddr"]
    assert str(arg.type) == "in<sockaddr>[addrlen]"
    bad = header + "42 connect (fd fd, in<sockaddr>[size] uservaddr, int addrlen) -> int -\n"
    (d,) = check(parse_text(bad, "t.tbl"), bad, False)[1]
    assert "size" in d.message


def test_trace_decodes_sockaddr_msghdr_and_epoll_event(toolchain):
    res = tblc("run", "--trace", "--timeout", "120", toolchain.c("sock_tcp"))
    err = res.stderr.decode()
    assert res.returncode == 0, err
    assert 'connect(3, {sa_family=AF_INET, sin_port=htons(7000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0' in err
    assert "sin6_port=htons(7002)" in err
    res = tblc("run", "--trace", "--timeout", "120", toolchain.c("sock_unix"))
    err = res.stderr.decode()
    assert 'bind(3, {sa_family=AF_UNIX, sun_path="/tmp/s.sock"}, 110) = 0' in err
    assert 'sun_path=@"sysvec-test"' in err
    assert "cmsg_type=SCM_RIGHTS, cmsg_data=[" in err
    res = tblc("run", "--trace", "--timeout", "120", toolchain.c("sock_epoll"))
    err = res.stderr.decode()
    assert "{events=EPOLLIN|EPOLLRDHUP|EPOLLET, data=0x" in err
    assert "epoll_pwait(4, [{events=EPOLLIN, data=0x" in err   # musl waits with epoll_pwait


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_bad_socket_arguments_get_linux_errors(toolchain, cc, flags):
    assert _run_checks(toolchain, "sock_badargs", cc, flags, timeout=60) == ["ok bad arguments"]


def test_socket_buffers_are_bounded_per_socket_and_per_machine(toolchain, tmp_path):
    """A writer meets EAGAIN at the socket's buffer size, and sooner when the machine's
    budget for all socket buffers is spent (host memory stays bounded)."""
    import os

    from sysvec.runtime import Machine
    exe = toolchain.c("sock_fill")

    def fill(budget=None) -> bytes:
        (tmp_path / str(budget)).mkdir()
        root = make_root(tmp_path / str(budget), {"/fill": exe})
        r, w = os.pipe()
        m = Machine(root=root)
        if budget is not None:
            m.kernel.net.budget.limit = budget
        p = m.spawn("/fill", stdio=(None, w, 2))
        m.run()
        os.close(w)
        assert p.returncode == 0
        with os.fdopen(r, "rb") as f:
            return f.read()
    assert fill() == b"212992 EAGAIN\n"
    assert fill(8192) == b"8192 EAGAIN\n"


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_system_v_shared_memory(toolchain, cc, flags):
    """shmget/shmat/shmdt/shmctl (x86-64), and i386 glibc's ipc() multiplexer for them."""
    assert _run_checks(toolchain, "sock_sysvshm", cc, flags, timeout=60) == [
        "ok System V shared memory"]


def test_proc_net_lists_the_sockets_as_linux(toolchain, tmp_path, busybox):
    """/proc/net/tcp, tcp6, udp and unix list a program's listeners, connections, datagram
    sockets, paths and abstract names (netstat, fuser and lsof read them) as the host's do."""
    import subprocess
    exe = toolchain.c("proc_net", cc="gcc")
    host = subprocess.run([str(exe)], capture_output=True, cwd=tmp_path, check=True).stdout
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host
    assert b"tcp listener: 0100007F:B813 00000000:0000 0A" in host and b"not listed\n" in host
    res = tblc("run", "--root", make_root(tmp_path, {"/bin/busybox": busybox}), "/bin/busybox",
               "ls", "/proc/net", "/proc/self/net")
    assert res.stdout.decode().split() == ["/proc/net:", *NET_FILES, "/proc/self/net:",
                                           *NET_FILES], res.stderr


NET_FILES = ["dev", "if_inet6", "netstat", "route", "snmp", "sockstat", "sockstat6", "tcp", "tcp6",
             "udp", "udp6", "unix"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_a_write_into_a_closed_tcp_peer_is_answered_with_a_reset(toolchain, cc, flags):
    """The host prints the same lines: the reset shows in poll and once in SO_ERROR."""
    res = tblc("run", toolchain.c("tcp_reset_after_close", cc=cc, flags=flags))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "poll after the peer's FIN 0x5", "first write 1", "poll after the reset 0x1d",
        "SO_ERROR EPIPE", "SO_ERROR again 0, poll 0x15", "read 0", "second write -1 EPIPE"]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_a_wildcard_udp_server_answers_a_connected_client(toolchain, cc, flags):
    """dnsmasq on 0.0.0.0 never reached dig (its socket is connected): the reply's source
    was taken as the wildcard. The host prints the same lines."""
    res = tblc("run", toolchain.c("udp_wildcard_reply", cc=cc, flags=flags), timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "0.0.0.0 server, connected IPv4 client: reply pong",
        "[::] server, connected IPv6 client: reply pong",
        "dual-stack [::] server, connected IPv4 client: reply pong"]
