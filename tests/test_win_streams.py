"""The C runtime's FILE streams in real mingw-w64 programs, msvcrt's and the UCRT's: fclose of
the standard streams (gnulib's close_stdout), the lock mingw-w64's own printf takes in a
fopen'ed FILE, and reads through a stream's buffer agreeing with the file's bytes."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc

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
