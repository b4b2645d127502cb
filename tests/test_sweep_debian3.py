"""What a third sweep of Debian programs found (jq, gawk, perl, lua, tclsh, ruby, php,
sqlite3, xz/zstd/bzip2/lz4, nginx, lighttpd, redis, memcached, postgres, valgrind, bwrap,
setfacl, ss...): each fix's C program prints what Linux prints, and the Debian program
that failed runs as on Linux."""
from __future__ import annotations

import pytest

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
