"""What a sweep of Windows programs from PyPI wheels found (stop 37): pdh's counter arrays
(nats-server), the well-known SIDs (kingfisher), a Windows program's environment."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc


@pytest.mark.parametrize("bits", [64, 32])
def test_pdh_counter_arrays_list_each_instance(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/pdh_array.exe": mingw("pdh_array", bits, libs=("-lpdh",))})
    res = tblc("run", "--root", root, "/pdh_array.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "processors: more data 1, 0, 2 items: 0=0/0 _Total=0/0",
        "process: more data 1, 0, 2 items: _Total=0/0 self 1",
        "one: more data 1, 0, 1 items: pdh_array=0/0"]


@pytest.mark.parametrize("bits", [64, 32])
def test_create_well_known_sid_knows_windows_types(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/wks.exe": mingw("well_known_sids", bits, libs=("-ladvapi32",))})
    res = tblc("run", "--root", root, "/wks.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "0 S-1-0-0 1", "1 S-1-1-0 1", "2 S-1-2-0 1", "3 S-1-3-0 1", "4 S-1-3-1 1",
        "5 S-1-3-2 1", "7 S-1-5 1", "11 S-1-5-4 1", "13 S-1-5-7 1", "16 S-1-5-10 1",
        "17 S-1-5-11 1", "18 S-1-5-12 1", "19 S-1-5-13 1", "20 S-1-5-14 1", "22 S-1-5-18 1",
        "23 S-1-5-19 1", "24 S-1-5-20 1", "26 S-1-5-32-544 1", "27 S-1-5-32-545 1",
        "28 S-1-5-32-546 1", "32 S-1-5-32-550 1", "37 S-1-5-32-556 1", "51 S-1-5-64-10 1",
        "66 S-1-16-4096 1", "84 S-1-15-2-1 1",
        "domain users 1 S-1-5-21-1-2-3-513", "without the domain 0 87"]


def test_a_windows_program_gets_no_linux_home(mingw, tmp_path):
    """tblc's HOME=/ is a Linux guest's; a Windows process has no HOME (aria2 took "/" as
    its home), and a Linux parent's home is given in Windows' form."""
    root = make_root(tmp_path, {"/home.exe": mingw("home_env", 64)})
    res = tblc("run", "--root", root, "/home.exe")
    assert res.stdout.decode() == "HOME (unset) USERPROFILE C:\\Users\\user\n", res
    res = tblc("run", "--root", root, "--env", "HOME=/home/ada", "/home.exe")
    assert res.stdout.decode() == "HOME C:\\home\\ada USERPROFILE C:\\Users\\user\n", res


@pytest.mark.parametrize("bits", [64, 32])
def test_fcloseall_closes_the_streams_fopen_made(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/fca.exe": mingw("fcloseall", bits)})
    res = tblc("run", "--root", root, "--cwd", "/", "/fca.exe")
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == ["closed 2", "kept xy, stdout still open"]


def test_dir_hides_hidden_and_system_files_unless_asked(mingw, tmp_path):
    """cmd's dir lists hidden and system files only with /A, as Windows' does; /A:H lists
    only hidden ones, /A-D every file, /ADH hidden folders."""
    root = make_root(tmp_path, {"/dh.exe": mingw("dir_hidden", 64)})
    res = tblc("run", "--root", root, "--cwd", "/", "/dh.exe")
    assert res.returncode == 0, res
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "[dir /b]", "plain.txt", "sub",
        "[dir /b /a]", "hidden.txt", "plain.txt", "secret", "sub", "system.sys",
        "[dir /b /a:h]", "hidden.txt", "secret",
        "[dir /b /a-d]", "hidden.txt", "plain.txt", "system.sys",
        "[dir /b /adh]", "secret"]


def test_the_crts_scanf_on_a_pausing_pipe_reads_a_number_cut_between_writes(mingw, busybox,
                                                                          tmp_path):
    """UCRT's scanf on a pipe gave a number written in two parts as two numbers ("3", "4"
    for "34"), and the bytes a scan took were lost when its read waited: a scan that runs
    to the end of what is there waits for more and scans again, as the CRT's getc would."""
    root = make_root(tmp_path, {"/bin/busybox": busybox,
                                "/spu.exe": mingw("scanf_pipe", 64)})
    writer = ("(busybox sleep 2; busybox printf '12 3'; busybox sleep 2; "
              "busybox printf '4 5'; busybox sleep 2; busybox printf '\\nZ') | /spu.exe")
    res = tblc("run", "--root", root, "--env", "PATH=/bin", "/bin/busybox", "sh", "-c", writer)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "number 12", "number 34", "number 5", "chars 2 [\\n] [Z]", "then -1"]
