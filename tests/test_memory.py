"""Memory coherence: what a guest loads is what it, or the kernel on its behalf, last stored
there, through copy-on-write after fork, mprotect, munmap and remapping, whatever the engine's
TLB cached. The host kernel running the same programs is the model."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import make_root, tblc

COMPILERS = [("musl-gcc", ()), ("gcc", ()), ("gcc", ("-m32",))]
COMPILER_IDS = ["musl", "glibc", "glibc-i386"]

# Seeds per run of the differential test: bounded in CI, set it higher by hand
# (SYSVEC_MEMFUZZ_SEEDS=500) for a longer search.
SEEDS = int(os.environ.get("SYSVEC_MEMFUZZ_SEEDS", "8"))


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=COMPILER_IDS)
def test_kernel_copy_outs_into_copy_on_write_pages_are_seen(toolchain, cc, flags):
    """After fork, a page the guest has loaded from is written by the kernel (read, pread,
    preadv, fstat, clock_gettime, a pipe read, pipe(), getcwd): the guest sees the new bytes
    and the child, still sharing the page, the old ones."""
    res = tblc("run", toolchain.c("cowcopy", cc=cc, flags=flags))
    lines = res.stdout.decode().splitlines()
    assert lines == [f"{path}: ok" for path in (
        "read", "pread", "readv", "fstat", "clock_gettime", "pipe read", "pipe", "getcwd",
        "read then store", "child kept the old bytes")], res.stderr
    assert res.returncode == 0


@pytest.mark.parametrize("quantum", ["100000", "100"], ids=["quantum-default", "quantum-100"])
@pytest.mark.parametrize("cc,flags", COMPILERS[1:], ids=COMPILER_IDS[1:])
def test_random_loads_stores_copy_outs_forks_and_remaps_match_the_host(toolchain, tmp_path, cc,
                                                                        flags, quantum):
    """memfuzz interleaves guest stores and loads, kernel copy-outs, forks that keep pages
    shared, mprotect, munmap and MAP_FIXED on a few pages, and prints every load: its output
    under sysvec must equal the host's, seed for seed. (glibc builds: under musl the host run
    itself does not finish some seeds, so it cannot serve as the model.)"""
    exe = toolchain.c("memfuzz", cc=cc, flags=flags)
    args = ["0", str(SEEDS), "150"]
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    host = subprocess.run([str(exe), *args], capture_output=True, cwd=host_dir, check=True)
    res = tblc("run", "--quantum", quantum, exe, *args, timeout=900)
    assert res.returncode == 0, res.stderr
    assert res.stdout.count(b"seed ") == 2 * SEEDS and res.stdout.count(b" done 0\n") == SEEDS
    first_difference(host.stdout, res.stdout)


def first_difference(expected: bytes, got: bytes) -> None:
    """Fail with the first differing line and its seed, not a diff of 100k lines."""
    want, have = expected.decode().splitlines(), got.decode().splitlines()
    seed = "?"
    for i, (a, b) in enumerate(zip(want, have)):
        if a.startswith("seed "):
            seed = a
        assert a == b, f"{seed}, line {i + 1}: host {a!r}, sysvec {b!r}"
    assert len(want) == len(have)


def test_failed_pipe_copy_out_leaves_no_descriptors(toolchain, tmp_path):
    """pipe() into a read-only page is EFAULT and, as on Linux, installs no descriptors (the
    differential test found the two leaked: later descriptors were numbered differently)."""
    exe = toolchain.c("memfuzz", cc="gcc")
    # Seed 0 with 150 steps hits pipe() on a read-only page before other pipe() calls.
    host = subprocess.run([str(exe), "0", "1", "150"], capture_output=True, cwd=tmp_path,
                          check=True).stdout
    assert b"copy-out 3 at" in host and b"= -1\n" in host and b"pipe fds" in host
    res = tblc("run", exe, "0", "1", "150")
    first_difference(host, res.stdout)


@pytest.fixture(scope="session")
def bash_static(tmp_path_factory) -> Path:
    """Debian's bash-static, downloaded with apt (cached for the session)."""
    work = tmp_path_factory.mktemp("bash-static")
    res = subprocess.run(["apt-get", "download", "bash-static"], cwd=work, capture_output=True)
    debs = list(work.glob("bash-static_*.deb"))
    if res.returncode != 0 or not debs:
        if os.environ.get("CI"):
            pytest.fail(f"apt-get download bash-static failed: {res.stderr.decode()}")
        pytest.skip("bash-static is not available (apt-get download bash-static failed)")
    subprocess.run(["dpkg", "-x", str(debs[0]), str(work / "x")], check=True)
    return work / "x" / "bin" / "bash-static"


def long_script() -> str:
    """A script file several of bash's read buffers long, with subshells that stay alive
    (sharing bash's pages copy-on-write) while bash reads on, pipelines, substitutions, wait."""
    lines = ["#!/bin/bash", "total=0"]
    for i in range(300):
        if i % 20 == 0:
            lines.append("( n=0; while [ $n -lt 200 ]; do n=$((n + 1)); done; echo sub $n ) &")
        lines.append(f"total=$((total + {i})); echo \"line {i} $(echo {i} | tr 0-9 a-j)\" | cat")
        if i % 50 == 49:
            lines.append("wait; echo \"checkpoint $total\"")
    lines.append("wait; echo \"finished $total\"")
    return "\n".join(lines) + "\n"


def test_bash_static_runs_long_script_files_with_subshells(bash_static, busybox, tmp_path):
    script = long_script()
    root = make_root(tmp_path, {"/bin/bash": bash_static, "/bin/busybox": busybox})
    for applet in ("cat", "tr"):
        os.symlink("busybox", root / "bin" / applet)
    (root / "script.sh").write_text(script)
    host = subprocess.run([str(bash_static), str(root / "script.sh")], capture_output=True,
                          env={"PATH": f"{root / 'bin'}:/usr/bin:/bin"}, check=True).stdout
    # ~10 s of CPU; the timeout only catches a hang (the old bug deadlocked), with room for load.
    res = tblc("run", "--root", root, "/bin/bash", "/script.sh", timeout=900)
    assert res.returncode == 0, res.stderr
    assert res.stderr == b""
    # Background subshells print in any order: compare the lines the script orders itself.
    ordered = [l for l in res.stdout.decode().splitlines() if not l.startswith("sub ")]
    assert ordered == [l for l in host.decode().splitlines() if not l.startswith("sub ")]
    assert res.stdout.decode().splitlines().count("sub 200") == 15
