"""The C runtime's FILE streams in real mingw-w64 programs, msvcrt's and the UCRT's: fclose of
the standard streams (gnulib's close_stdout), the lock mingw-w64's own printf takes in a
fopen'ed FILE, and reads through a stream's buffer agreeing with the file's bytes."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc

DATA = bytes(1 + (i * 7 + i // 251) % 255 for i in range(12345))   # no NUL, some newlines
CRLF = b"ab\r\ncd\r\n\r\nlone\rcr\r\nlast\r"
CRTS = [pytest.param((), id="msvcrt"), pytest.param(("-lucrt",), id="ucrt")]


@pytest.mark.parametrize("libs", CRTS)
@pytest.mark.parametrize("bits", [32, 64])
def test_fclose_of_stdout_writes_its_buffer_and_closes_descriptor_1(mingw, tmp_path, bits, libs):
    root = make_root(tmp_path, {"/close.exe": mingw("stdio_close", bits, libs=libs)})
    res = tblc("run", "--root", root, "/close.exe", input=b"")
    assert res.stdout == b"buffered text\n"
    assert res.stderr.decode().splitlines() == [
        "fclose(stdout)=0 errno=0",
        "fputs after=-1 puts after=-1",
        "_write(1)=-1 ebadf=1",
        "fclose again=-1",
        "fclose(stdin)=0 getchar=-1 _read(0)=-1 ebadf=1"]
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("libs", CRTS)
@pytest.mark.parametrize("bits", [32, 64])
def test_gnulib_close_stdout_at_exit_succeeds(mingw, tmp_path, bits, libs):
    root = make_root(tmp_path, {"/close.exe": mingw("stdio_close", bits, libs=libs)})
    res = tblc("run", "--root", root, "/close.exe", "gnulib")
    assert (res.returncode, res.stdout, res.stderr) == (
        0, b"output before exit\nmore output\n", b"")


@pytest.mark.parametrize("bits", [32, 64])
def test_mingw_printf_to_a_fopen_file_takes_the_lock_after_the_file(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/filex.exe": mingw("stdio_filex", bits)})
    res = tblc("run", "--root", root, "/filex.exe", timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        *(f"log: year 1971 line {i} text" for i in range(3)),
        "other: 000.0|ab  |", "other: 002.5|ab  |", "other: 005.0|ab  |"]


def _sum(data: bytes) -> int:
    s = 0
    for b in data:
        s = (s * 31 + b) & 0xFFFFFFFF
    return s


def _mixed_reads(name: str, d: bytes) -> list[str]:
    """What stdio_buffered.c's mixed() prints for the file d."""
    line = d[105:105 + 19]
    got = line.find(b"\n") + 1 or 19
    at = 105 + got
    rest = d[at + 5000:]
    return [f"{name} getc {d[0]} {d[1]} {d[2]} ftell 3",
            f"ungetc ftell 2 getc {ord('X')} next {d[3]}",
            f"seek_cur ftell 104 getc {d[104]}",
            f"fgets {got} ftell {at}",
            f"fread 5000 sum {_sum(d[at:at + 5000])} ftell {at + 5000}",
            f"fread rest {len(rest)} sum {_sum(rest)} eof 1",
            f"end ftell {len(d) - 10} fread 10 eof 1 cleared 0",
            f"getc all {len(d)} sum {_sum(d)} eof 1 ftell {len(d)}"]


def _text_getc(data: bytes) -> str:
    """getc over a text stream: CRLF is LF (its position after it the raw one), a lone CR
    stays."""
    out, i = [], 0
    while i < len(data):
        if data[i:i + 2] == b"\r\n":
            i += 2
            out.append(f"10@{i}")
        else:
            out.append(str(data[i]) + (f"@{i + 1}" if data[i] == 10 else ""))
            i += 1
    return "text " + " ".join(out)


@pytest.mark.parametrize("bits", [32, 64])
def test_stream_reads_mixed_with_ungetc_ftell_and_fseek_agree_with_the_file(mingw, tmp_path,
                                                                            bits):
    root = make_root(tmp_path, {"/buf.exe": mingw("stdio_buffered", bits), "/data.bin": DATA,
                                "/rw.bin": b"0123456789" * 1000, "/crlf.txt": CRLF})
    res = tblc("run", "--root", root, "/buf.exe", timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        *_mixed_reads("buffered", DATA), *_mixed_reads("unbuffered", DATA),
        "r+ read 01234 then 8 ftell 9", "r+ back 01234abc8901",
        "r fputc -1 ferror 1 cleared 0", "r+ tail 45END!",
        "w+ lines 300 last line 299", "w+ at 7 line 1", _text_getc(CRLF)]
    assert (root / "rw.bin").read_bytes() == b"01234abc89" + b"0123456789" * 998 + b"012345END!"


@pytest.mark.parametrize("bits", [32, 64])
def test_getc_reads_a_file_a_buffer_at_a_time(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/buf.exe": mingw("stdio_buffered", bits), "/data.bin": DATA})
    res = tblc("run", "-e", "trace=NtReadFile", "--root", root, "/buf.exe", "count",
               timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout == f"count {len(DATA)}\n".encode()
    reads = res.stderr.decode().count("NtReadFile(")
    assert reads <= len(DATA) // 4096 + 4, reads      # 4 KiB at a time (12,346 a byte at a time)
