"""Writes through a C runtime stream over a file are buffered as msvcrt and the UCRT buffer
them, in real mingw-w64 programs: the file holds every byte however the program ends (fclose,
exit, a return from main, ExitProcess, a crash), ftell and fseek, "a+" and direct I/O on the
descriptor or handle see the bytes in order, a child started meanwhile reads them, and a
file written a character at a time costs a write a buffer, not a write a character."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc
from test_win_streams import CRTS

BITS = [32, 64]


def _filled() -> bytes:
    """What stdio_write_buffer.c's fill() writes."""
    return (bytes(ord("a") + i % 26 for i in range(2500))
            + b"".join(b"odd line\n" if i % 2 else b"even line\n" for i in range(250))
            + b"".join(b"%04d|fmt\n" % i for i in range(250))
            + bytes(ord("0") + i % 10 for i in range(2625)))


def _root(mingw, tmp_path, bits, libs):
    return make_root(tmp_path, {"/wb.exe": mingw("stdio_write_buffer", bits, libs=libs)})


@pytest.mark.parametrize("libs", CRTS)
@pytest.mark.parametrize("bits", BITS)
@pytest.mark.parametrize("how, code", [("fclose", 0), ("exit", 3), ("ExitProcess", 4),
                                       ("return", 5)])
def test_file_holds_every_byte_however_the_program_ends(mingw, tmp_path, bits, libs, how,
                                                        code):
    root = _root(mingw, tmp_path, bits, libs)
    res = tblc("run", "--root", root, "/wb.exe", "end", how, timeout=60)
    assert res.returncode == code, res.stderr
    assert (root / "out.txt").read_bytes() == _filled()
    assert res.stdout == (b"fclose 0\n" if how == "fclose" else b"")


@pytest.mark.parametrize("libs", CRTS)
@pytest.mark.parametrize("bits", BITS)
def test_crash_keeps_what_fflush_wrote_and_the_rest_as_stdout_keeps_it(mingw, tmp_path, bits,
                                                                       libs):
    root = _root(mingw, tmp_path, bits, libs)
    res = tblc("run", "--root", root, "/wb.exe", "end", "crash", timeout=60)
    assert res.returncode != 0 and b"ACCESS_VIOLATION" in res.stderr, res.stderr
    assert (root / "out.txt").read_bytes() == _filled() + b"flushed\npending\n"


@pytest.mark.parametrize("libs", CRTS)
@pytest.mark.parametrize("bits", BITS)
def test_ftell_fseek_append_and_direct_io_see_pending_bytes_in_order(mingw, tmp_path, bits,
                                                                     libs):
    root = _root(mingw, tmp_path, bits, libs)
    res = tblc("run", "--root", root, "/wb.exe", timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "ftell 5 14 1 14 fgetpos 7 read [Hello World 42]",
        "a+ ftell 13 read first/second/",
        "direct size 8 34 at 42 lseek 50 fclose 0"]
    assert (root / "pos.txt").read_bytes() == b"Hello World 42"
    assert (root / "app.txt").read_bytes() == b"first\nsecond\nthird\n"     # "a": at the end
    assert (root / "direct.txt").read_bytes() == \
        b"stream1\nhandle\nstream2\nfd\nstream3\nstream4\nstream5\ntail\n"


@pytest.mark.parametrize("libs", CRTS)
@pytest.mark.parametrize("bits", BITS)
def test_a_child_started_with_bytes_pending_reads_them(mingw, tmp_path, bits, libs):
    root = _root(mingw, tmp_path, bits, libs)
    res = tblc("run", "--root", root, "/wb.exe", "spawn", timeout=90)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "system:", "written before system",
        "system 0, _spawnv:", "written before system", "written before _spawnv",
        "_spawnv 7"]
    assert (root / "spawn.txt").read_bytes() == \
        b"written before system\nwritten before _spawnv\nwritten after\n"


def _writes(root, *args) -> tuple[int, bytes]:
    """The NtWriteFile calls a run makes (its --trace lines), and what it printed."""
    res = tblc("run", "--trace", "--root", root, "/wb.exe", *args, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    lines = [line for line in res.stderr.decode(errors="replace").splitlines()
             if "NtWriteFile(" in line]
    return len(lines), res.stdout


@pytest.mark.parametrize("libs", CRTS)
@pytest.mark.parametrize("bits", BITS)
def test_fputc_to_a_file_writes_a_buffer_at_a_time(mingw, tmp_path, bits, libs):
    root = _root(mingw, tmp_path, bits, libs)
    writes, out = _writes(root, "count", 10000)
    assert out == b"count 10000\n"
    assert len((root / "count.txt").read_bytes()) == 10000
    assert writes <= 10000 // 4096 + 3, writes     # 4 KiB at a time (10,001 a byte at a time)


@pytest.mark.parametrize("bits", BITS)
def test_setvbuf_sizes_the_buffer_and_ionbf_writes_at_once(mingw, tmp_path, bits):
    root = _root(mingw, tmp_path, bits, ())
    writes, _ = _writes(root, "setvbuf", "full", 512, 10000)
    assert 10000 // 512 <= writes <= 10000 // 512 + 3, writes
    writes, _ = _writes(root, "setvbuf", "line", 4096, 10000)     # _IOLBF: full on Windows
    assert writes <= 10000 // 4096 + 3, writes
    writes, _ = _writes(root, "setvbuf", "none", 0, 300)
    assert writes >= 300, writes
    assert (root / "count.txt").read_bytes() == (b"x" * 63 + b"\n") * 4 + b"x" * 44
