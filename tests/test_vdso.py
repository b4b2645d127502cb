"""The vDSO Linux maps into every ELF process (runtime/linux/vdso.py): C libraries find their
time functions in it by symbol and version, dietlibc cannot start without it, and i386
handlers installed without SA_RESTORER return through its sigreturn."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import make_root, missing, tblc

CCS = ["gcc", "musl-gcc", "gcc -m32"]

COMMON = [  # what tests/programs/vdso.c prints on Linux 6.x
    "found: clock_gettime 1 gettimeofday 1 time 1 getcpu 1",
    "clock_gettime: 0, monotonic 1",
    "gettimeofday: 0, time agrees 1 1",
    "getcpu: 0, cpu 1",
]
I386 = [
    "__kernel_vsyscall is AT_SYSINFO: 1",
    "vsyscall getpid agrees: 1",
    "sigreturns: 1 1",
    "plain handler without SA_RESTORER: rc 0, returned with 10",
    "siginfo handler without SA_RESTORER: rc 0, returned with 10",
]


@pytest.mark.parametrize("cc", CCS)
def test_the_vdso_is_an_elf_image_with_versioned_time_functions(toolchain, tmp_path, cc):
    cc, *flags = cc.split()
    exe = toolchain.c("vdso", cc, tuple(flags))
    root = make_root(tmp_path, {"/prog": exe})
    res = tblc("run", "--root", root, "/prog")
    assert res.returncode == 0, res.stdout + res.stderr
    wide = "-m32" not in flags
    soname = "linux-vdso.so.1" if wide else "linux-gate.so.1"
    assert res.stdout.decode().splitlines() == [f"soname {soname}"] + COMMON + \
        ([] if wide else I386)


def test_the_dynamic_loader_lists_the_vdso(toolchain, tmp_path):
    """glibc's ld.so makes the vDSO a link map named by its soname, as `ldd` shows."""
    exe = tmp_path / "hello"
    src = tmp_path / "hello.c"
    src.write_text('#include <stdio.h>\nint main(void){puts("hi");return 0;}\n')
    subprocess.run(["gcc", "-O1", "-o", str(exe), str(src)], check=True)
    res = tblc("run", "--root", "/", "/lib64/ld-linux-x86-64.so.2", "--list", str(exe))
    assert res.returncode == 0, res.stderr
    first = res.stdout.decode().splitlines()[0].split()
    assert first[0] == "linux-vdso.so.1" and first[1].startswith("(0x"), res.stdout


def test_a_dietlibc_program_finds_its_clock_in_the_vdso(tmp_path):
    """dietlibc takes gettimeofday from the vDSO at start-up; without one it read the
    legacy vsyscall page and died."""
    if shutil.which("diet") is None:
        missing("dietlibc is not installed (scripts/setup installs dietlibc-dev)")
    src = tmp_path / "clock.c"
    src.write_text("#include <stdio.h>\n#include <time.h>\n#include <sys/time.h>\n"
                   "int main(void){struct timeval tv; gettimeofday(&tv, 0);"
                   " time_t t = time(0);"
                   " printf(\"%d %d\\n\", t > 1700000000, t - tv.tv_sec <= 1); return 0;}\n")
    exe = tmp_path / "clock"
    subprocess.run(["diet", "gcc", "-O1", "-o", str(exe), str(src)], check=True,
                   capture_output=True)
    root = make_root(tmp_path, {"/clock": exe})
    res = tblc("run", "--root", root, "/clock")
    assert (res.returncode, res.stdout) == (0, b"1 1\n"), res.stderr


@pytest.fixture(scope="session")
def mksh_root(tmp_path_factory) -> Path:
    """Debian's mksh, whose static builds use dietlibc, klibc and musl (apt-get download)."""
    work = tmp_path_factory.mktemp("mksh")
    res = subprocess.run(["apt-get", "download", "mksh"], cwd=work, capture_output=True)
    debs = sorted(work.glob("*.deb"))
    if res.returncode != 0 or not debs:
        if os.environ.get("CI"):
            pytest.fail(f"apt-get download mksh failed: {res.stderr.decode()}")
        pytest.skip("mksh is not available (apt-get download failed)")
    root = work / "root"
    subprocess.run(["dpkg", "-x", str(debs[0]), str(root)], check=True)
    return root


@pytest.mark.parametrize("libc", ["diet", "klibc", "x86_64-linux-musl"])
def test_debians_static_mksh_builds_run(mksh_root, libc):
    res = tblc("run", "--root", mksh_root, f"/usr/lib/{libc}/bin/mksh", "-c",
               'echo $((6 * 7)); s=${EPOCHREALTIME%.*}; [ "$s" -gt 1700000000 ] && echo clock')
    assert (res.returncode, res.stdout) == (0, b"42\nclock\n"), res.stderr
