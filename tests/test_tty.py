"""Terminals inside the machine: the line discipline, ptys (/dev/ptmx, /dev/pts/N), job
control (sessions, process groups, the foreground group, SIGTTIN), Machine.spawn(tty=True)
and `tblc run --tty`. The host's own terminal is driven through tmux in test_terminal_tmux."""
from __future__ import annotations

import os
import termios
import time

import pytest

from sysvec.runtime.machine import Machine

from conftest import make_root, tblc

DEADLINE = 120    # seconds: generous, the machine is shared; never a timing assertion


def bb_root(tmp_path, busybox, **extra):
    return make_root(tmp_path, {"/bin/busybox": busybox, "/bin/sh": busybox, **extra})


class Screen:
    """A shell on Machine.spawn(tty=True): type keys, run until the screen shows a text."""

    def __init__(self, machine, proc):
        self.m, self.p, self.term = machine, proc, proc.terminal
        self.shown = b""

    def type(self, keys: str) -> None:
        self.term.write(keys)

    def until(self, text: bytes) -> bytes:
        """Run until text is on the screen (after what earlier calls consumed); returns the
        screen bytes up to and including it."""
        end = time.monotonic() + DEADLINE
        while text not in self.shown:
            assert time.monotonic() < end, f"{text!r} never shown; screen: {self.shown!r}"
            self.m.run(max_seconds=0.5)
            self.shown += self.term.read()
        cut = self.shown.index(text) + len(text)
        out, self.shown = self.shown[:cut], self.shown[cut:]
        return out


@pytest.fixture
def shell(tmp_path, busybox):
    m = Machine(root=bb_root(tmp_path, busybox))
    p = m.spawn("/bin/sh", ["sh"], tty=True, env={"PS1": "$ "})
    screen = Screen(m, p)
    screen.until(b"$ ")
    yield screen
    m.kill_all()
    m.close()


def test_a_shell_on_a_machine_pty_sees_a_terminal(shell):
    shell.type("tty; stty size; echo $((6*7))\r")
    out = shell.until(b"42\r\n")
    assert b"/dev/pts/0\r\n24 80\r\n" in out
    shell.term.resize(40, 132)
    shell.type("stty size\r")
    shell.until(b"40 132\r\n")


def test_ctrl_c_interrupts_the_foreground_job_and_the_shell_prompts_again(shell):
    shell.type("sleep 100\r")
    shell.until(b"sleep 100\r\n")
    shell.m.run(max_seconds=0.5)
    shell.type("\x03")
    shell.until(b"^C")
    shell.until(b"$ ")
    shell.type("echo after\r")
    shell.until(b"after\r\n")
    assert shell.p.running


def test_ctrl_z_stops_the_job_and_fg_resumes_it(shell):
    shell.type("sleep 100\r")
    shell.until(b"sleep 100\r\n")
    shell.m.run(max_seconds=0.5)
    shell.type("\x1a")
    assert b"Stopped" in shell.until(b"$ ")
    shell.type("jobs\r")
    assert b"Stopped" in shell.until(b"$ ")
    shell.type("fg\r")
    shell.until(b"sleep 100\r\n")
    shell.m.run(max_seconds=0.5)
    shell.type("\x03")
    shell.until(b"$ ")
    shell.type("jobs; echo none\r")
    assert b"Stopped" not in shell.until(b"none\r\n")


def test_a_background_job_reading_the_terminal_is_stopped_by_sigttin(shell):
    shell.type("cat &\r")
    shell.until(b"$ ")
    shell.m.run(max_seconds=0.5)
    shell.type("jobs\r")
    assert b"Stopped (tty input)" in shell.until(b"$ ")


@pytest.mark.parametrize("cc, flags", [("musl-gcc", ()), ("gcc", ("-m32",))],
                         ids=["musl-x86_64", "glibc-i386"])
def test_a_program_drives_a_child_through_a_pty_pair_as_on_linux(toolchain, tmp_path, cc, flags):
    """posix_openpt/grantpt/unlockpt/ptsname, a child in its own session on the slave:
    the transcript is what Linux's n_tty shows (echo, erase, kill, ICRNL, raw mode, ^C)."""
    root = make_root(tmp_path, {"/pty_pair": toolchain.c("pty_pair", cc, flags)})
    res = tblc("run", "--root", root, "/pty_pair", timeout=DEADLINE)
    assert res.returncode == 0, res.stderr
    out = res.stdout.decode().replace("Input/output error", "I/O error")   # glibc's words
    assert out.splitlines() == [
        "slave /dev/pts/0",
        "open locked slave: I/O error",
        'start: "isatty 1 ttyname /dev/pts/0 size 30x100 fg 1\\r\\n"',
        'line 1: "hello wox\\b \\brld\\r\\nline [hello world]\\r\\n"',
        'line 2: "junk\\b \\b\\b \\b\\b \\b\\b \\bagain\\r\\nline [again]\\r\\n"',
        'raw mode: "raw\\r\\n"',
        'keys: "keys 3: 97 98 99\\r\\n"',
        'waiting: "waiting for ^C\\r\\n"',
        'after ^C: "^C"',
        "master read after the child: -1 I/O error",
        "master poll after the child: 1 0x10",      # POLLHUP, no POLLIN: nothing to read
        "child killed by 2",
    ]


def test_run_tty_gives_a_scripted_session_a_terminal(tmp_path, busybox):
    root = bb_root(tmp_path, busybox)
    res = tblc("run", "--tty", "--root", root, "/bin/sh",
               input=b"tty\nstty size\n[ -t 0 ] && echo on-a-tty\nstty -g\nexit 3\n",
               timeout=DEADLINE)
    assert res.returncode == 3, res.stderr
    out = res.stdout
    assert b"/dev/pts/0\r\n" in out and b"24 80\r\n" in out and b"on-a-tty\r\n" in out
    # a new pty's modes as the host's (its cflag has no HUPCL: drivers/tty/pty.c)
    master, slave = os.openpty()
    iflag, oflag, cflag, lflag = termios.tcgetattr(slave)[:4]
    os.close(master), os.close(slave)
    assert f"\n{iflag:x}:{oflag:x}:{cflag:x}:{lflag:x}:".encode() in out, out


def test_proc_stat_names_the_controlling_terminal_and_its_foreground_group(tmp_path, busybox):
    """/proc/PID/stat's tty_nr and tpgid (ps's TTY column, ps -t, pgrep -t): /dev/pts/0 is
    136,0; the foreground group is the shell's, whose pipeline runs in it. None on pipes."""
    root = bb_root(tmp_path, busybox)
    script = b"cut -d' ' -f5,7,8 /proc/self/stat\nexit\n"
    res = tblc("run", "--tty", "--root", root, "/bin/sh", input=script, timeout=DEADLINE)
    pgid, tty_nr, tpgid = res.stdout.rsplit(b"/proc/self/stat\r\n", 1)[1].split()[:3]
    assert (int(tty_nr), tpgid) == (136 << 8, pgid), res.stdout
    res = tblc("run", "--root", root, "/bin/sh", "-c", "cut -d' ' -f7,8 /proc/self/stat",
               input=b"", timeout=DEADLINE)
    assert res.stdout == b"0 -1\n", res


def test_without_tty_a_guest_on_pipes_has_no_terminal(tmp_path, busybox):
    root = bb_root(tmp_path, busybox)
    res = tblc("run", "--root", root, "/bin/sh", "-c",
               "tty; [ -t 0 ] || echo not-a-tty; stty size", input=b"", timeout=DEADLINE)
    assert b"not a tty" in res.stdout and b"not-a-tty\n" in res.stdout
    assert res.returncode != 0       # stty has no terminal to ask


def test_sessions_and_process_groups_follow_linux_rules(toolchain, tmp_path):
    """setsid, setpgid, getpgid, getsid, /dev/tty, TIOCSCTTY, tcsetpgrp, SIGTTIN and EIO
    answer as on Linux."""
    root = make_root(tmp_path, {"/sessions": toolchain.c("sessions")})
    res = tblc("run", "--root", root, "/sessions", timeout=DEADLINE)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "setsid as group leader: EPERM",
        "getpgid(child) is mine 1",
        "setpgid(child) into a missing group: EPERM",
        "child setsid: ok, sid is pid 1",
        "setpgid of a child in another session: EPERM",
        "child /dev/tty without a terminal: ENXIO",
        "tcgetpgrp before TIOCSCTTY: ENOTTY",
        "TIOCSCTTY: ok",
        "foreground is mine 1, TIOCGSID is me 1",
        "background tcsetpgrp, SIGTTOU ignored: ok",
        "now foreground 1",
        "reader in the background: stopped by 21",
        "background read, SIGTTIN ignored: EIO",
        "setpgid of a reaped child: ESRCH",
        "getsid of a missing pid: ESRCH",
    ]


@pytest.mark.parametrize("bits", [32, 64])
def test_a_mingw_console_program_with_line_input_off_reads_single_keys(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/keys.exe": mingw("console_keys", bits)})
    m = Machine(root=root)
    p = m.spawn("/keys.exe", ["keys.exe"], tty=True)
    screen = Screen(m, p)
    assert screen.until(b"single keys\r\n") == \
        b"line 1 echo 1 processed 1\r\nnow line 0 echo 0\r\nsingle keys\r\n"
    for key in b"xyz":
        screen.type(chr(key))              # no Enter: each key is read on its own
        assert screen.until(b"key %c\r\n" % key) == b"key %c\r\n" % key   # and not echoed
    screen.type("\r")
    assert screen.until(b"enter 0x0d\r\n") == b"enter 0x0d\r\n"    # a CR, not ICRNL's LF
    screen.until(b"a line\r\n")
    screen.type("hello\r")
    assert screen.until(b"line [hello]\r\n") == b"hello\r\nline [hello]\r\n"   # echoed again
    m.run(max_seconds=DEADLINE)
    assert p.returncode == 0
    m.close()


def test_a_windows_program_on_pipes_has_no_console_mode(mingw, tmp_path):
    root = make_root(tmp_path, {"/keys.exe": mingw("console_keys", 32)})
    res = tblc("run", "--root", root, "/keys.exe", input=b"", timeout=DEADLINE)
    assert res.returncode == 1 and res.stdout == b"not a console: error 6\n"


def test_canonical_mode_word_erase_and_end_of_file(shell):
    """cat reads through the machine's line discipline: ^W erases a word, ^D ends a line
    without a newline, and ^D on an empty line is end of file."""
    shell.type("cat\r")
    shell.until(b"cat\r\n")
    shell.type("one two\x17three\r")
    assert shell.until(b"one three\r\n") == b"one two\b \b\b \b\b \bthree\r\none three\r\n"
    shell.type("ab\x04")
    shell.until(b"abab")                   # echoed, then cat's copy: no newline in between
    shell.type("\x04")
    shell.until(b"$ ")


def test_noncanonical_vtime_read_times_out_with_nothing(shell):
    """VMIN 0, VTIME 3: a read with nothing typed returns 0 bytes after 0.3 s."""
    shell.type("stty -icanon min 0 time 3; dd bs=10 count=1; stty sane; echo done\r")
    out = shell.until(b"\ndone\r\n")
    assert b"0+0 records in" in out


def _drawn_on_a_terminal(exe, tmp_path, last: bytes) -> bytes:
    """What a console program shows on a 100x30 terminal of the machine, up to its last
    line; it must exit 0."""
    root = make_root(tmp_path, {"/prog.exe": exe})
    m = Machine(root=root)
    p = m.spawn("/prog.exe", ["prog.exe"], tty=True)
    p.terminal.resize(30, 100)
    shown = Screen(m, p).until(last)
    m.run(max_seconds=DEADLINE)
    assert p.returncode == 0, shown
    m.close()
    return shown


@pytest.mark.parametrize("bits", [32, 64])
def test_a_windows_console_on_a_terminal_draws_through_escape_sequences(mingw, tmp_path, bits):
    """The screen buffer is the terminal's window; a colour, a fill and a cursor move reach
    the terminal as the escape sequences ConPTY sends; the output mode and code page stay
    as set."""
    shown = _drawn_on_a_terminal(mingw("console_screen", bits), tmp_path, b"cp 65001\r\n")
    assert shown == (b"size 100x30 window 0,0-99,29 attr 0x7\r\n"
                     b"\x1b[0;91;44mred on blue"
                     b"\x1b[0m|ex attr 0x1c palette[7] 0xcccccc\r\n"
                     b"\x1b7\x1b[6;4H****\x1b8filled 4\r\n"
                     b"\x1b[8;1Hvt 1 utf8 1 cp 65001\r\n"), shown


@pytest.mark.parametrize("bits", [32, 64])
def test_a_full_screen_console_program_draws_cells_and_scrolls(mingw, tmp_path, bits):
    """tcell's calls (fzf, lazygit, k9s panicked on a missing SetConsoleWindowInfo): the
    window is the terminal's and accepts its own size, a rectangle of cells is drawn in its
    colours with the cursor put back, characters go where asked, rows scroll through the
    terminal's scrolling region."""
    shown = _drawn_on_a_terminal(mingw("console_cells", bits), tmp_path, b"scrolled 1\r\n")
    assert shown == (b"largest 100x30 window 1 0 (87) buffer 1 0\r\n"
                     b"\x1b7\x1b[2;3H\x1b[0;31mab\x1b8"
                     b"\x1b7\x1b[3;3H\x1b[0;44m\xe2\x98\xba\x1b[0md\x1b8\x1b[0m"
                     b"cells 1 region 2,1-3,2\r\n"
                     b"\x1b7\x1b[4;6Hxyz\x1b8characters 3\r\n"
                     b"\x1b7\x1b[0m\x1b[1;5r\x1b[1S\x1b[r\x1b[0m\x1b8scrolled 1\r\n"), shown


@pytest.mark.parametrize("bits", [32, 64])
def test_a_windows_console_reads_keys_as_input_records(mingw, tmp_path, bits):
    """crossterm, libuv and .NET wait on a console input handle (often a copy of standard
    input, or CONIN$), then read INPUT_RECORDs: key-down and key-up with virtual-key codes;
    the terminal's escape sequences are keys."""
    root = make_root(tmp_path, {"/records.exe": mingw("console_records", bits)})
    m = Machine(root=root)
    p = m.spawn("/records.exe", ["records.exe"], tty=True)
    screen = Screen(m, p)
    assert screen.until(b"type\r\n") == (
        b"dup is input: 1 line 1\r\nconin is input: 1 events 0\r\n"
        b"cursor: 1 size 25 visible 1\r\nconsole window: 1\r\n"
        b"wait with nothing typed: 0x102\r\ntype\r\n")
    screen.type("aB\x1b[A\x03")
    shown = screen.until(b"too many: 0 8\r\n")
    m.run(max_seconds=DEADLINE)
    assert p.returncode == 0, shown
    assert shown == (b"wait: 0x0\r\npeeked 4, events 8\r\n"
                     b"key vk 0x41 char 97 ctrl 0x0\r\nkey vk 0x42 char 66 ctrl 0x10\r\n"
                     b"key vk 0x26 char 0 ctrl 0x0\r\nkey vk 0x43 char 3 ctrl 0x8\r\n"
                     b"written 1\r\nkey vk 0x74 char 0 ctrl 0x0\r\ntoo many: 0 8\r\n"), shown
    m.close()


def test_a_windows_program_on_pipes_has_no_screen_buffer(mingw, tmp_path):
    root = make_root(tmp_path, {"/screen.exe": mingw("console_screen", 64)})
    res = tblc("run", "--root", root, "/screen.exe", input=b"", timeout=DEADLINE)
    assert res.returncode == 1 and res.stdout == b"no console: error 6, colour 0\n", res


@pytest.mark.parametrize("cc, flags", [("gcc", ()), ("musl-gcc", ()), ("gcc", ("-m32",))],
                         ids=["glibc-x86_64", "musl-x86_64", "glibc-i386"])
def test_a_pty_master_in_packet_mode_reads_status_bytes(toolchain, cc, flags):
    """TIOCPKT was ENOTTY, so `screen -dmS` exited at once ("TIOCPKT ioctl: Inappropriate
    ioctl for device"). The host prints the same lines."""
    res = tblc("run", toolchain.c("pty_packet", cc=cc, flags=flags), timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "TIOCPKT 0", "TIOCGPKT 1", "raw with ixon: poll 0 pri 0 read -1 status -1",
        "data: poll 1 pri 0 read 3 status 0 [hi]",
        "input flushed: poll 1 pri 1 read 1 status 1",        # TIOCPKT_FLUSHREAD
        "ixon off: poll 1 pri 1 read 1 status 16",            # TIOCPKT_NOSTOP
        "ixon on: poll 1 pri 1 read 1 status 32"]             # TIOCPKT_DOSTOP


def test_literal_next_and_reprint_keys_edit_a_canonical_line(toolchain):
    """^V took no effect: it went into the line and echoed as "^V" (typing ^V^A showed
    "^V^A"). The host prints the same lines."""
    res = tblc("run", toolchain.c("pty_lnext"), timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        r"line: x y \x01 z \x03 q \x7f w \x0a",
        r"echo: x y ^ \x08 ^ A z ^ \x08 ^ C q ^ \x08 ^ ? w ^ R \x0d \x0a x y ^ A z ^ C q ^ ? w"
        r" \x0d \x0a"]


@pytest.mark.parametrize("cc, flags", [("gcc", ()), ("musl-gcc", ()), ("gcc", ("-m32",))],
                         ids=["glibc-x86_64", "musl-x86_64", "glibc-i386"])
def test_sysv_termio_calls_the_termios_lock_and_breaks(toolchain, cc, flags):
    """stress-ng's pty stressor failed at TCGETA (ENOTTY). The host prints the same lines."""
    res = tblc("run", toolchain.c("pty_termio", cc=cc, flags=flags), timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "TCGETA 0: canonical 1, intr 3", "TCSETA 0: canonical 0, intr 7, iexten kept 1",
        "TIOCSLCKTRMIOS 0: echo locked on 1, isig off 1", "TIOCGLCKTRMIOS 0: lflag lock 0x8",
        "TIOCSBRK 0 TIOCCBRK 0"]


@pytest.mark.parametrize("bits", [32, 64])
def test_conin_and_conout_name_the_terminal_when_stdio_is_redirected(mingw, tmp_path,
                                                                     busybox, bits):
    """CONIN$ and CONOUT$ opened standard input's and output's files: with both redirected
    a program prompting on the console (git's credential prompt, a password reader) read
    its answer from the piped input and wrote the prompt into the output file."""
    root = bb_root(tmp_path, busybox, **{"/names.exe": mingw("console_names", bits)})
    (root / "in.txt").write_text("from the file\n")
    m = Machine(root=root)
    p = m.spawn("/bin/sh", ["sh"], tty=True, env={"PS1": "$ "})
    screen = Screen(m, p)
    screen.until(b"$ ")
    screen.type("/names.exe < /in.txt > /out.txt; echo done $?\r")
    screen.until(b"password: ")
    screen.type("secret\r")
    screen.until(b"done 0\r\n")
    assert (root / "out.txt").read_text().replace("\r\n", "\n") == \
        "piped [from the file] typed [secret] console out 1 in 1\n"
    m.kill_all()
    m.close()
