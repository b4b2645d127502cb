"""A guest on the host's own terminal, driven as a person would: each test starts a private
tmux server whose pane runs a host shell, types `tblc run` there with send-keys and reads
the screen with capture-pane. Polls the screen against a deadline (never fixed sleeps):
the machine is shared and slow."""
from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import REPO, make_root, missing

DEADLINE = 120
TBLC = f"{shlex.quote(sys.executable)} -m sysvec.cli"


class Pane:
    """One tmux server (its own socket) with one 80x24 pane running a host shell."""

    def __init__(self, workdir: Path):
        self.dir = Path(tempfile.mkdtemp(prefix="tmx", dir="/tmp"))   # short socket path
        self.sock = str(self.dir / "s")
        env = f"env -i PATH={shlex.quote(os.environ['PATH'])} PYTHONPATH={REPO} TERM=xterm " \
              f"HOME={workdir} PS1='host$ ' /bin/sh"
        self.tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "t", env)
        self.until(lambda s: "host$" in s)

    def tmux(self, *args) -> str:
        return subprocess.run(["tmux", "-S", self.sock, "-f", "/dev/null", *args],
                              capture_output=True, text=True, check=True).stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def line(self, text: str) -> None:
        self.keys("-l", text)
        self.keys("Enter")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen().splitlines() if line.strip()]

    def until(self, ready, what: str = "") -> str:
        end = time.monotonic() + DEADLINE
        while True:
            screen = self.screen()
            if ready(screen):
                return screen
            if time.monotonic() > end:
                pytest.fail(f"the screen never showed {what or ready}:\n{screen}")
            time.sleep(0.2)

    def shows(self, text: str, count: int = 1) -> str:
        return self.until(lambda s: s.count(text) >= count, repr(text))

    def prompt_last(self, prompt: str) -> str:
        """Wait until the last non-empty line is the prompt (the command finished)."""
        return self.until(lambda s: [x for x in s.splitlines() if x.strip()][-1:] ==
                          [prompt.rstrip()] if s.strip() else False, f"prompt {prompt!r}")

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.sock, "kill-server"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def pane(tmp_path):
    if shutil.which("tmux") is None:
        missing("tmux is not installed (scripts/setup installs it)")
    p = Pane(tmp_path)
    yield p
    p.close()


@pytest.fixture
def guest_root(tmp_path, busybox):
    return make_root(tmp_path, {"/bin/busybox": busybox, "/bin/sh": busybox})


def start_guest_shell(pane, root) -> None:
    pane.line("clear")
    pane.line(f"{TBLC} run --env PS1='g$ ' --root {root} /bin/sh")
    pane.prompt_last("g$")


def stty_settings(pane, tmp_path, name: str) -> str:
    """The host shell's `stty -g` (every termios field), through a file that appears whole
    (keys typed ahead of the shell's prompt make the screen a poor place to look)."""
    out = tmp_path / name
    pane.line(f"stty -g > {out}.part && mv {out}.part {out}")
    pane.until(lambda s: out.exists(), f"{out} written")
    return out.read_text().strip()


def test_ash_line_editing_and_history_show_each_line_once(pane, guest_root):
    start_guest_shell(pane, guest_root)
    pane.keys("-l", "echo hello wprld")
    pane.keys("Left", "Left", "Left", "BSpace")       # the typo: wprld -> wrld
    pane.keys("-l", "o")
    pane.keys("Enter")
    pane.shows("\nhello world")
    pane.prompt_last("g$")
    pane.keys("Up")
    pane.shows("g$ echo hello world", 2)
    pane.keys("Enter")
    pane.shows("\nhello world", 2)
    pane.prompt_last("g$")
    lines = pane.lines()
    assert lines[-5:] == ["g$ echo hello world", "hello world", "g$ echo hello world",
                          "hello world", "g$"], pane.screen()
    assert "^[" not in pane.screen() and "6;" not in pane.screen()   # no raw escape replies
    pane.line("exit")
    pane.prompt_last("host$")


def test_busybox_vi_edits_a_file_and_the_terminal_is_sane_after(pane, guest_root, tmp_path):
    (guest_root / "notes.txt").write_text("first line\n")
    before = stty_settings(pane, tmp_path, "before")
    pane.line("clear")
    pane.line(f"{TBLC} run --root {guest_root} /bin/busybox vi /notes.txt")
    pane.shows("first line")
    pane.shows("~")
    pane.keys("O")
    pane.shows("\nI ")                # vi's status line: insert mode
    pane.keys("-l", "added in vi")
    pane.shows("added in vi")
    pane.keys("Escape")
    # An Escape followed at once by ':' would read as one escape sequence (as when a person
    # types that fast): wait for vi to leave insert mode first.
    pane.until(lambda s: "\nI " not in s, "vi back in command mode")
    pane.keys("-l", ":wq")
    pane.keys("Enter")
    pane.prompt_last("host$")
    assert (guest_root / "notes.txt").read_text() == "added in vi\nfirst line\n"
    assert stty_settings(pane, tmp_path, "after") == before


def test_ctrl_c_interrupts_sleep_and_the_guest_shell_prompts_again(pane, guest_root):
    start_guest_shell(pane, guest_root)
    pane.line("sleep 100")
    pane.shows("g$ sleep 100")
    time.sleep(1)                 # let sleep start (a prompt-free wait has nothing to poll)
    pane.keys("C-c")
    pane.shows("^C")
    pane.prompt_last("g$")
    pane.line("echo still-here")
    pane.shows("\nstill-here")
    pane.line("exit")
    pane.prompt_last("host$")


def test_ctrl_z_stops_the_job_and_fg_resumes_it(pane, guest_root):
    start_guest_shell(pane, guest_root)
    pane.line("sleep 100")
    pane.shows("g$ sleep 100")
    time.sleep(1)
    pane.keys("C-z")
    pane.shows("Stopped")
    pane.prompt_last("g$")
    pane.line("fg")
    pane.shows("\nsleep 100")
    time.sleep(1)
    pane.keys("C-c")
    pane.prompt_last("g$")
    pane.line("jobs; echo no-jobs")
    screen = pane.shows("\nno-jobs")
    assert screen.count("Stopped") == 1
    pane.line("exit")
    pane.prompt_last("host$")


def test_resizing_the_window_changes_stty_size(pane, guest_root):
    start_guest_shell(pane, guest_root)
    pane.line("stty size")
    pane.shows("\n24 80")
    pane.tmux("resize-window", "-t", "t", "-x", "100", "-y", "30")
    pane.until(lambda s: len(s.splitlines()) == 30, "30 rows")
    pane.line("stty size")
    pane.shows("\n30 100")
    pane.line("exit")
    pane.prompt_last("host$")


@pytest.mark.parametrize("signame", ["TERM", "HUP"])
def test_the_terminal_is_sane_after_the_run_is_killed(pane, guest_root, tmp_path, signame):
    (guest_root / "notes.txt").write_text("first line\n")
    before = stty_settings(pane, tmp_path, "before")
    pidfile = tmp_path / "tblc.pid"
    pane.line("clear")
    pane.line(f"sh -c 'echo $$ > {pidfile}; exec {TBLC} run --root {guest_root} "
              f"/bin/busybox vi /notes.txt'; echo status=$?")
    pane.shows("first line")          # vi runs: the terminal is raw, without echo
    os.kill(int(pidfile.read_text()), getattr(signal, f"SIG{signame}"))
    status = 128 + getattr(signal, f"SIG{signame}")
    pane.shows(f"status={status}")     # vi's screen stays, as when a killed vi leaves it
    pane.line("clear")
    pane.prompt_last("host$")
    assert stty_settings(pane, tmp_path, "after") == before


def test_a_crash_report_on_a_raw_terminal_reads_as_lines(pane, toolchain, busybox, tmp_path):
    """The runtime's own report goes out with the terminal's starting settings, not the raw
    mode the guest left it in (where a newline would not return the carriage)."""
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/bin/sh": busybox,
                                "/crash": toolchain.asm("crash64")})
    before = stty_settings(pane, tmp_path, "before")
    pane.line("clear")
    pane.line(f"{TBLC} run --root {root} /bin/sh -c 'stty raw -echo; /crash'; echo status=$?")
    pane.shows("status=139")          # sh -c execs /crash: it is the one killed
    lines = pane.lines()
    report = next((i for i, line in enumerate(lines) if line.startswith("sysvec: pid")), None)
    assert report is not None, pane.screen()
    assert "killed by SIGSEGV" in "".join(lines[report:report + 2])
    # What comes next starts a line: the report ended with CR LF, not a bare LF.
    assert "status=139" in lines, pane.screen()
    assert stty_settings(pane, tmp_path, "after") == before


def test_run_tty_on_the_host_terminal_uses_the_machine_pty(pane, guest_root, tmp_path):
    """--tty: the host terminal goes raw and the machine's line discipline does the work —
    ^C arrives as a byte and becomes SIGINT inside; a resize reaches the machine pty."""
    before = stty_settings(pane, tmp_path, "before")
    pane.line("clear")
    pane.line(f"{TBLC} run --tty --env PS1='g$ ' --root {guest_root} /bin/sh")
    pane.prompt_last("g$")
    pane.line("tty; sleep 100")
    pane.shows("\n/dev/pts/0")
    time.sleep(1)
    pane.keys("C-c")
    pane.shows("^C")
    pane.prompt_last("g$")
    pane.tmux("resize-window", "-t", "t", "-x", "90", "-y", "20")
    pane.until(lambda s: len(s.splitlines()) == 20, "20 rows")
    pane.line("stty size")
    pane.shows("\n20 90")
    pane.line("exit")
    pane.prompt_last("host$")
    assert stty_settings(pane, tmp_path, "after") == before


def test_a_guest_waiting_only_for_ctrl_c_waits_for_it(pane, toolchain, tmp_path):
    """A program in pause() whose only waker is ^C on the host terminal is not deadlocked
    (the machine killed it as one at once): it waits, and ^C runs its handler."""
    root = make_root(tmp_path, {"/pause": toolchain.c("pause_for_key")})
    pane.line(f"{TBLC} run --root {root} /pause; echo status=$?")
    pane.shows("waiting for a key")
    time.sleep(1.5)               # longer than the scheduler's longest idle wait
    lines = pane.lines()
    assert "deadlock" not in pane.screen() and not any(x.startswith("status=") for x in lines)
    pane.keys("C-c")
    pane.shows("status=3")
    assert "caught SIGINT" in pane.screen()
