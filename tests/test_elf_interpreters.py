"""ELF program interpreters: an ET_EXEC interpreter is mapped where it is linked (klibc's
shared library, used by every klibc-utils tool), an ET_DYN one (ld.so) anywhere free."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import tblc


@pytest.fixture(scope="session")
def klibc_root(tmp_path_factory) -> Path:
    """Debian's klibc-utils and libklibc unpacked into a root (downloaded with apt)."""
    work = tmp_path_factory.mktemp("klibc")
    res = subprocess.run(["apt-get", "download", "klibc-utils", "libklibc"], cwd=work,
                         capture_output=True)
    debs = sorted(work.glob("*.deb"))
    if res.returncode != 0 or len(debs) != 2:
        if os.environ.get("CI"):
            pytest.fail(f"apt-get download klibc-utils libklibc failed: {res.stderr.decode()}")
        pytest.skip("klibc-utils is not available (apt-get download failed)")
    root = work / "root"
    for deb in debs:
        subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
    return root


def test_klibc_tools_run_with_their_fixed_address_interpreter(klibc_root):
    interp = next((klibc_root / "lib").glob("klibc-*.so"))
    assert interp.read_bytes()[16] == 2   # e_type ET_EXEC: linked at a fixed address
    (klibc_root / "hello.txt").write_text("hello from klibc\n")
    res = tblc("run", "--root", klibc_root, "/usr/lib/klibc/bin/cat", "/hello.txt")
    assert (res.returncode, res.stdout) == (0, b"hello from klibc\n"), res.stderr
    res = tblc("run", "--root", klibc_root, "/usr/lib/klibc/bin/sh", "-c",
               "/usr/lib/klibc/bin/uname -m; /usr/lib/klibc/bin/false; echo status $?")
    assert (res.returncode, res.stdout) == (0, b"x86_64\nstatus 1\n"), res.stderr


def test_ls_lists_the_root_through_klibc(klibc_root):
    res = tblc("run", "--root", klibc_root, "/usr/lib/klibc/bin/ls", "/usr/lib/klibc")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().split()[-1] == "bin"
