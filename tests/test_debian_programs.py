"""The host's own Debian programs (dynamically linked against glibc) run the way a user runs
them: `tblc run --root ROOT /usr/bin/X`, ROOT holding the programs, their shared libraries
and Debian's merged-/usr layout (/bin -> usr/bin)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import tblc

PROGRAMS = ("bash", "sh", "ls", "ps", "df", "tar", "gzip", "chmod", "stat", "cat", "mkdir", "sleep",
            "sqlite3", "pmap", "setarch", "uname")


@pytest.fixture(scope="module")
def debian_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("debroot")
    (root / "usr/bin").mkdir(parents=True)
    (root / "bin").symlink_to("usr/bin")
    (root / "etc").mkdir()
    (root / "tmp").mkdir()
    for name in ("passwd", "group"):
        shutil.copy2(Path("/etc") / name, root / "etc" / name)
    for prog in PROGRAMS:
        found = shutil.which(prog, path="/usr/bin:/bin")
        if found is None:
            pytest.skip(f"the host has no {prog}")
        exe = Path(found).resolve()
        shutil.copy2(exe, root / "usr/bin" / prog)
        ldd = subprocess.run(["ldd", str(exe)], capture_output=True, text=True).stdout
        for lib in re.findall(r"(/\S+) \(0x", ldd):
            dest = root / lib.lstrip("/")
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(lib).resolve(), dest)
    return root


def _sh(root: Path, script: str) -> str:
    res = tblc("run", "--root", root, "--env", "PATH=/usr/bin:/bin", "--env", "LANG=C",
               "/usr/bin/bash", "-c", script, timeout=240)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()
    return res.stdout.decode()


def test_ps_lists_the_machines_processes_with_its_init(debian_root):
    out = _sh(debian_root, "sleep 1 & ps -e -o pid=,comm=")
    listed = {tuple(line.split()) for line in out.splitlines()}
    assert ("1", "init") in listed and any(comm == "sleep" for _, comm in listed), out


def test_df_reads_the_mount_table_and_sizes_the_root(debian_root):
    out = _sh(debian_root, "df -P /")
    assert re.search(r"^/dev/root\s+\d+\s+\d+\s+\d+\s+\d+%\s+/$", out, re.M), out


def test_tar_compresses_through_sh_and_gzip_and_lists_what_it_packed(debian_root):
    out = _sh(debian_root, "cd /tmp && mkdir -p w && echo hi > w/a && chmod 4755 w/a && "
                           "tar czf w.tgz w && tar tzvf w.tgz && ls -l w/a")
    assert re.search(r"^-rwsr-xr-x root/root\s+3 .* w/a$", out, re.M), out
    assert re.search(r"^-rwsr-xr-x 1 root root 3 .* w/a$", out, re.M), out


def test_sqlite_with_memory_mapped_io_keeps_its_database(debian_root):
    """SQLite's mmap_size maps the database MAP_SHARED while it writes with pwrite: the
    mapping and the writes must agree (munmap wrote stale zeros over the new pages)."""
    out = _sh(debian_root, "cd /tmp && sqlite3 m.db 'pragma mmap_size=1000000;' "
                           "'create table t(x)' 'insert into t values(1),(2)' && "
                           "sqlite3 m.db 'pragma mmap_size=1000000;' 'insert into t values(3)' "
                           "'select sum(x) from t' && sqlite3 m.db 'pragma integrity_check'")
    assert out.splitlines() == ["1000000", "1000000", "6", "ok"], out


def test_pmap_reads_each_mappings_sizes(debian_root):
    """procps' pmap -x reads /proc/PID/smaps: a row per mapping and the total (it printed
    only the header)."""
    out = _sh(debian_root, "sleep 2 & pmap -x $!; wait")
    lines = out.splitlines()
    assert re.match(r"^\d+: +sleep 2$", lines[0]), out
    assert any(line.endswith("sleep") for line in lines[2:]), out
    assert re.match(r"^total kB +\d+ +\d+ +\d+$", lines[-1]), out


def test_setarch_i386_makes_uname_say_i686(debian_root):
    """personality(PER_LINUX32), as setarch i386 and linux32 set it, makes a 64-bit kernel's
    uname say i686 (setarch: "Kernel cannot set architecture to i386"); it passes to what
    the shell runs, and plain uname stays x86_64."""
    res = tblc("run", "--root", debian_root, "/usr/bin/setarch", "i386", "/bin/sh", "-c",
               "uname -m; cat /proc/self/personality")
    assert (res.returncode, res.stdout) == (0, b"i686\n00000008\n"), res
    res = tblc("run", "--root", debian_root, "/usr/bin/uname", "-m")
    assert res.stdout == b"x86_64\n", res


def test_a_root_of_slash_counts_the_machines_one_cpu_in_sys():
    """With --root /, the host's live sysfs is the guest's /sys: its processor files are the
    machine's (one CPU, as sched_getaffinity says: getconf said 2 where nproc said 1); the
    rest of the host's /sys stays as it is."""
    with open("/proc/self/mounts") as mounts:
        if not any(line.split()[1:3] == ["/sys", "sysfs"] for line in mounts):
            pytest.skip("the host's /sys is no sysfs")
    for name in ("_NPROCESSORS_ONLN", "_NPROCESSORS_CONF"):
        res = tblc("run", "--root", "/", "/usr/bin/getconf", name)
        assert (res.returncode, res.stdout) == (0, b"1\n"), res
    res = tblc("run", "--root", "/", "/usr/bin/cat", "/sys/devices/system/cpu/online",
               "/sys/class/net/lo/type")
    assert (res.returncode, res.stdout) == (0, b"0\n772\n"), res
