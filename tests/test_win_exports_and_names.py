"""What a sweep of Windows programs from PyPI wheels found in how exports are numbered and
names are passed: Bun's delay-loaded WSOCK32 ordinal 115 (WSAStartup) came back NULL and
its junk-topped version word ended the process; renames to and from names beyond Latin-1
made "??.txt" or failed."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc, windows_lines


@pytest.mark.parametrize("bits", [64, 32])
def test_get_proc_address_by_ordinal_finds_windows_numbering(mingw, tmp_path, bits):
    """The generated DLLs numbered their exports in name order: ws2_32 #9 was
    WSAAddressToStringW, #115 nothing. Now ws2_32, wsock32 and oleaut32 have Windows'
    ordinals (pefile's ordlookup tables): wsock32 is a DLL of its own, no longer ws2_32 under
    another name, since its ordinals differ (Bun's #12, ioctlsocket, was ws2_32's
    inet_ntoa and every Bun server hung); WSAStartup takes the WORD of its argument."""
    assert windows_lines(mingw, tmp_path, "by_ordinal", bits, ("-lws2_32",)) == [
        "ws2_32.dll #1 accept: 1", "ws2_32.dll #9 htons: 1", "ws2_32.dll #23 socket: 1",
        "ws2_32.dll #111 WSAGetLastError: 1", "ws2_32.dll #115 WSAStartup: 1",
        "ws2_32.dll #116 WSACleanup: 1", "wsock32.dll #115 WSAStartup: 1",
        "wsock32.dll #10 inet_addr: 1", "wsock32.dll #12 ioctlsocket: 1",
        "wsock32.dll #1141 AcceptEx: 1",
        "oleaut32.dll #2 SysAllocString: 1", "oleaut32.dll #6 SysFreeString: 1",
        "past the last ordinal: 1", "WSAStartup: 0 version 0x202"]


@pytest.mark.parametrize("bits", [64, 32])
def test_a_root_without_tmp_still_gives_windows_a_temp_directory(mingw, tmp_path, bits):
    """TEMP and TMP were unset in a root with no /tmp and GetTempPath named a directory that
    did not exist (Bun's native modules failed to load). The machine mounts a tmpfs there;
    the root's own directory is left as it was."""
    root = make_root(tmp_path, {"/prog.exe": mingw("temp_dir", bits)})
    assert not (root / "tmp").exists()
    res = tblc("run", "--root", root, "--cwd", "/", "/prog.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "TEMP set 1, a directory 1", "read back [temporary], deleted 1"]
    assert sorted(p.name for p in root.iterdir()) == ["prog.exe"]


@pytest.mark.parametrize("bits", [64, 32])
def test_renames_keep_names_beyond_latin1(mingw, tmp_path, bits):
    """MoveFileExW passed its names through Latin-1: `cmake -E rename b.txt 数据.txt` made
    "??.txt" on the host, and a rename from such a name failed with ERROR_FILE_NOT_FOUND."""
    root = make_root(tmp_path, {"/prog.exe": mingw("rename_unicode", bits)})
    res = tblc("run", "--root", root, "--cwd", "/", "/prog.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "to CJK: 1, there 1, old gone 1", "to emoji: 1, there 1", "back: 1, there 1"]
    assert sorted(p.name for p in root.iterdir()) == ["c.txt", "prog.exe"]


@pytest.mark.parametrize("bits", [64, 32])
def test_strlen_strcmp_and_ascii_classes_run_in_the_guest_as_the_handlers_answer(
        mingw, tmp_path, bits):
    """msvcrt's strlen and strcmp are machine code in the DLL, and its ASCII classes answer
    c in 0..127 there (a mingw-built SWIG made 3.6 million such calls through the trap, 45 s
    of its run): each class of every c from -1 to 255 is what the Python handler says (the
    others still go to it), strcmp compares unsigned bytes, and a bad pointer is an access
    violation the program's filter sees."""
    from sysvec.runtime.win32 import stdlib
    root = make_root(tmp_path, {"/prog.exe": mingw("crt_classes_native", bits)})
    res = tblc("run", "--root", root, "/prog.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    lines = res.stdout.decode().splitlines()
    for line in lines[:7]:
        name, digits = line.split()
        handler = getattr(stdlib, f"sys_msvcrt_{name}")
        assert digits == "".join(str(int(bool(handler(None, c)))) for c in range(-1, 256)), name
    assert lines[7:] == ["strlen 0 3 3", "strcmp 0 -1 1 -1 1 0", "fault 0xc0000005"]


@pytest.mark.parametrize("bits", [64, 32])
def test_replace_file_moves_the_replacement_in_and_the_old_file_to_the_backup(mingw, tmp_path,
                                                                               bits):
    """kernel32's ReplaceFileW was missing (a sweep's program ended calling it)."""
    assert windows_lines(mingw, tmp_path, "replace_file", bits) == [
        "replace with backup: 1", "  doc.txt: new", "  doc.new: none", "  doc.bak: old",
        "replace: 1", "  doc.txt: newer", "  doc.new: none", "missing: 0 2"]
