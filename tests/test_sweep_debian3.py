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
