"""read, write and lseek answered by the C trap path (csrc/files.c, the spec's `c+py` rows):
pipes, /dev/null, /dev/zero and regular files (reads, seeks, and writes while no file size
limit or watcher needs Python: tests/programs/file_writes.c) give the same results as the
Python handlers,
everything C declines (a full pipe, no reader, O_ASYNC, a bad buffer, a bad descriptor) still
behaves as Linux does, and the trace stays complete."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from sysvec.runtime import files

from conftest import calls_python_answers, make_root, tblc

EXPECTED = """\
ring 1
big 1
eof 0
full 65536 1
empty 1
efault 1 1 1
dup2 1 1
resize 1 1
poll 1 1
epipe 1 1
async 1 1
null 12345 0
zero 100 1 7
null_rdonly 1
file 1000 70000 71000 99990 10 1 1
seek_more 100000 0 100000 0 10 1 500
rewind 0
file_efault 1 0
file_short 96 96 1
pread 20 1 1 1 96
file_wronly 1
badfd 1 1
getrandom 64 64 1 1 1 1
high 1 2 2
fstat 4 statx 4 owner 1234 5678
"""


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",)), ("musl-gcc", ())],
                         ids=["glibc-x86_64", "glibc-i386", "musl-x86_64"])
def test_fast_and_fallback_paths_agree_with_linux(toolchain, tmp_path, cc, flags):
    prog = toolchain.c("fast_files", cc=cc, flags=flags)
    res = tblc("run", "--root", make_root(tmp_path, {"fast_files": prog}), "--max-fds", "2048",
               "--trace", "/fast_files")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode() == EXPECTED
    trace = res.stderr.decode()
    # calls C answered are traced like the others, with their results
    assert re.search(r'write\(\d+, "xy", 2\) = 2', trace), trace[-2000:]
    assert re.search(r"read\(\d+, .*, 70000\) = 70000", trace)
    if not flags:   # i386 glibc seeks with _llseek, a Python call
        assert re.search(r"lseek\(\d+, -10, 2\) = 99990", trace)


def test_c_answers_without_python(toolchain, tmp_path):
    """The calls the program makes on pipes with room, /dev/null and a file never reach a
    Python handler; those C declines (a blocking read, SIGPIPE) do."""
    calls, _ = calls_python_answers(tmp_path, toolchain.c("fast_files", cc="gcc"))
    seen = [name for name, _ in calls]
    reads, writes, seeks = (seen.count(c) for c in ("read", "write", "lseek"))
    # ~260 reads/writes/seeks in all; Python sees the blocking, failing and O_ASYNC ones
    assert writes < 40 and reads < 40 and seeks == 0, (reads, writes, seeks)
    assert "pread64" not in seen
    # 26 stat calls: those on fd 1500 (12), after the guest set an owner (1) and on the
    # host's stdout (1) are Python's
    assert sum(seen.count(c) for c in ("fstat", "newfstatat", "statx")) <= 14, seen
    assert "readv" in seen and "writev" in seen   # the Python handlers share the ring


def test_the_c_and_python_sides_agree_on_the_layout(tmp_path):
    from sysvec.compiler.build import build, load_module
    module = load_module(build())
    ffi, lib = module.ffi, module.lib
    pipe_fields = ["ring", "cap", "head", "len", "readers", "writers", "flags", "gen", "ino"]
    assert [ffi.offsetof("sv_pipe", f) // 8 for f in pipe_fields] == \
        [files.PIPE_RING, files.PIPE_CAP, files.PIPE_HEAD, files.PIPE_LEN, files.PIPE_READERS,
         files.PIPE_WRITERS, files.PIPE_FLAGS, files.PIPE_GEN, files.PIPE_INO]
    assert ffi.sizeof("sv_pipe") == 8 * len(pipe_fields)
    file_fields = ["kind", "status", "pipe", "host_fd", "rdev"]
    assert [ffi.offsetof("sv_file", f) // 8 for f in file_fields] == \
        [files.FILE_KIND, files.FILE_STATUS, files.FILE_PIPE, files.FILE_HOST_FD, files.FILE_RDEV]
    assert ffi.sizeof("sv_file") == 8 * len(file_fields)
    assert (lib.SV_FAST_FDS, lib.SV_PIPE_NOTIFY, lib.SV_SYNTHETIC_DEV) == \
        (files.FAST_FDS, files.PIPE_NOTIFY, files.SYNTHETIC_DEV)
    from sysvec.runtime.abi_structs import BLKSIZE
    from sysvec.runtime.linux.fs import MAX_READ, MAX_RW
    assert (lib.SV_MAX_RW, lib.SV_MAX_READ, lib.SV_BLKSIZE, lib.SV_PIPE_BUF) == \
        (MAX_RW, MAX_READ, BLKSIZE, files.PIPE_BUF)
    assert [lib.SV_FILE_NONE, lib.SV_FILE_PIPE_READ, lib.SV_FILE_PIPE_WRITE, lib.SV_FILE_PIPE_RDWR,
            lib.SV_FILE_NULL, lib.SV_FILE_ZERO, lib.SV_FILE_HOST, lib.SV_FILE_HOST_STREAM] == \
        [files.FAST_NONE, files.FAST_PIPE_READ, files.FAST_PIPE_WRITE, files.FAST_PIPE_RDWR,
         files.FAST_NULL, files.FAST_ZERO, files.FAST_HOST, files.FAST_HOST_STREAM]


def test_pipe_ring_in_python_wraps_and_resizes():
    r, w = files.make_pipe(capacity=8)
    pipe = r.pipe
    assert w.write(b"abcdef") == 6 and r.read(4) == b"abcd"
    assert pipe.put(b"ghijklmn") == 6          # 2 left + 6 of 8: full, and wrapped
    assert pipe.size == 8 and pipe.peek(8) == b"efghijkl"
    gen = pipe.generation
    pipe.resize(16)
    assert pipe.capacity == 16 and r.read(100) == b"efghijkl" and pipe.generation != gen


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",)), ("musl-gcc", ())],
                         ids=["glibc-x86_64", "glibc-i386", "musl-x86_64"])
def test_file_writes_match_the_host(toolchain, tmp_path, cc, flags):
    """Positions, O_APPEND through F_SETFL (pwrite appends too), dup'd descriptors, a buffer
    bad in whole or in part (the readable pages go in), a read-only descriptor, the edge of
    what C copies, and RLIMIT_FSIZE's short write and SIGXFSZ after it (Python's) read back as
    on the host."""
    exe = toolchain.c("file_writes", cc=cc, flags=flags)
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    host = subprocess.run([str(exe)], capture_output=True, check=True, cwd=host_dir).stdout
    root = make_root(tmp_path, {"/file_writes": exe})
    res = tblc("run", "--root", root, "/file_writes")
    assert res.returncode == 0, res.stderr
    assert res.stdout == host
    assert b"straddling one: 6" in host and b"SIGXFSZ 1" in host
    assert (root / "out.txt").read_bytes() == (host_dir / "out.txt").read_bytes()


def test_file_writes_enter_python_only_when_c_declines(toolchain, tmp_path):
    """Of the program's 20 file writes (write and pwrite64), Python answers the two on a
    read-only descriptor (EBADF), the one larger than C's copy, and the two after
    setrlimit(RLIMIT_FSIZE): 5."""
    exe = toolchain.c("file_writes", cc="gcc")
    seen, _ = calls_python_answers(tmp_path, exe, subprocess.DEVNULL)
    sizes = [args[2] for name, args in seen if name in ("write", "pwrite64") and args[0] != 1]
    assert sorted(sizes) == [1, 1, 1, 10000, 16385], sizes


def test_writes_to_the_hosts_stdout_are_answered_in_c(toolchain, tmp_path):
    """A program printing line by line to a host file or pipe given as its stdout writes from
    C: Python answers only the write larger than C's copy and the one with a bad buffer, and
    the output is the host's byte for byte."""
    exe = toolchain.c("stdout_writes", cc="gcc")
    host = subprocess.run([str(exe)], capture_output=True, check=True)
    out = tmp_path / "out.txt"
    with out.open("wb") as sink:
        seen, _ = calls_python_answers(tmp_path, exe, sink.fileno())
    sizes = sorted(args[2] for name, args in seen if name == "write" and args[0] == 1)
    assert sizes == [4, 20000], sizes
    assert out.read_bytes() == host.stdout
    res = tblc("run", "--root", make_root(tmp_path, {"/w": exe}), "/w")
    assert res.returncode == 0 and res.stdout == host.stdout and res.stderr == host.stderr


@pytest.mark.parametrize("sigpipe", ["default", "ignored"])
def test_a_closed_reader_of_the_hosts_stdout_is_sigpipe(toolchain, tmp_path, sigpipe):
    """A write C tried on a host pipe whose reader went away wrote nothing, so the Python
    handler answers it as Linux does: SIGPIPE (exit status 141), or EPIPE when ignored."""
    exe = toolchain.c("stdout_writes", cc="gcc")
    root = make_root(tmp_path, {"/w": exe})
    ignore = "ignore" if sigpipe == "ignored" else ""
    cmd = f"tblc run --root {root} /w flood {ignore} | head -c 100 >/dev/null; " \
        "echo ${PIPESTATUS[0]}"
    res = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=120)
    assert res.stdout.decode().strip() == ("141" if sigpipe == "default" else "3"), res.stderr


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",)), ("musl-gcc", ())],
                         ids=["glibc-x86_64", "glibc-i386", "musl-x86_64"])
def test_poll_reports_as_linux(toolchain, tmp_path, cc, flags):
    """poll on pipes (empty, with data, full, a PIPE_BUF short of room, hung up, no reader),
    /dev/null, a regular file, a skipped and a bad entry, and waits woken by a writer or
    timing out, each with its own timeout: the same revents and results as on the host."""
    exe = toolchain.c("poll_ready", cc=cc, flags=flags)
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    host = subprocess.run([str(exe)], capture_output=True, check=True, cwd=host_dir,
                          stdin=subprocess.DEVNULL, timeout=60).stdout
    res = tblc("run", "--root", make_root(tmp_path, {"/poll_ready": exe}), "/poll_ready")
    assert res.returncode == 0, res.stderr
    assert res.stdout == host
    assert b"timeout rc=0 waited=1" in host


def test_a_poll_that_need_not_wait_is_answered_in_c(toolchain, tmp_path):
    """Of the program's 19 polls, Python answers the one with a bad descriptor and the four
    that wait -- each twice, as it blocks and as it is restarted, since the state a wait
    keeps is Python's."""
    seen, _ = calls_python_answers(tmp_path, toolchain.c("poll_ready", cc="gcc"))
    polls = [args for name, args in seen if name == "poll"]
    assert len(polls) == 9, polls


def test_the_hosts_stdin_is_read_in_c(toolchain, tmp_path):
    """A program reading its stdin a byte at a time, polling before each byte, from a host
    file or a host pipe whose writer pauses (the read that finds it empty waits in Python):
    every byte arrives in order, and from a file Python answers no read or poll."""
    exe = toolchain.c("stdin_bytes", cc="gcc")
    data = b"".join(b"line %d of the input\n" % i for i in range(3000))
    src = tmp_path / "in.txt"
    src.write_bytes(data)
    expect = subprocess.run([str(exe)], stdin=src.open("rb"), capture_output=True,
                            check=True).stdout
    with src.open("rb") as f:
        seen, _ = calls_python_answers(tmp_path, exe, stdin=f.fileno(),
                                       stdout=subprocess.DEVNULL)
    assert [name for name, _ in seen if name in ("read", "poll")] == []
    root = make_root(tmp_path, {"/stdin_bytes": exe})
    half = len(data) // 2
    cmd = f"(head -c {half} {src}; sleep 0.3; tail -c +{half + 1} {src}) | " \
        f"tblc run --root {root} /stdin_bytes"
    res = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=120)
    assert res.returncode == 0 and res.stdout == expect, res.stderr


def test_a_host_file_given_as_stdout_takes_positioned_writes_and_truncation(tmp_path):
    """GNU cat copies with copy_file_range, which writes at the output's offset: a host
    file given as stdout must take pwrite (it said ESPIPE: `cat f > out` failed with
    "Illegal seek"), ftruncate, and say O_APPEND when the shell opened it with >>."""
    src = tmp_path / "src.txt"
    src.write_text("hello\n")
    out = tmp_path / "out.txt"
    for mode, want in (("wb", b"hello\n"), ("ab", b"hello\nhello\n")):
        with out.open(mode) as sink:
            res = subprocess.run([shutil.which("tblc") or "tblc", "run", "--root", "/", "/bin/cat",
                                  str(src)], stdout=sink, stderr=subprocess.PIPE, timeout=60)
        assert res.returncode == 0, res.stderr
        assert out.read_bytes() == want
    with out.open("ab") as sink:
        res = subprocess.run([shutil.which("tblc") or "tblc", "run", "--root", "/", "/bin/bash", "-c",
                              "cat /proc/$$/fdinfo/1 >&2; truncate -s 3 /dev/stdout"],
                             stdout=sink, stderr=subprocess.PIPE, timeout=60)
    assert res.returncode == 0, res.stderr
    info = dict(line.split(":\t") for line in res.stderr.decode().splitlines())
    assert info["flags"] == "0102001" and info["ino"] == str(out.stat().st_ino), info
    assert out.read_bytes() == b"hel"
