"""A pty slave after its master's last close, and a master after its slave's: what poll,
select, epoll, read, write, ioctl and open say, and who hears the hangup. The expected lines
are what tests/programs/pty_hangup.c printed natively on Linux 6.18 (glibc x86_64, musl,
glibc i386)."""
from __future__ import annotations

import pytest

from conftest import tblc

EXPECTED = [
    # hung_up_tty_poll: IN|OUT|ERR|HUP (RDNORM|WRNORM too), ERR|HUP even unasked
    "poll in 0x19 in|out 0x1d none 0x18",
    "select 2 read 1 write 1 except 0",
    "epoll 1 0x1d",
    # hung_up_tty_ioctl: EIO, TIOCSPGRP ENOTTY; isatty asks TCGETS
    "tcgetattr -1 EIO", "isatty 0", "FIONREAD -1 EIO", "TIOCSPGRP -1 ENOTTY", "fstat 0 ok",
    # hung_up_tty_read: end of file, the unread "ab\n" gone; hung_up_tty_write: EIO
    "slave read 0 ok", "slave write -1 EIO", "slave again read 0 ok", "slave again write -1 EIO",
    "open slave again -1 ENOENT",                 # devpts_pty_kill removed the node
    "blocked read -1 EIO",                        # n_tty_read woken: TTY_OTHER_CLOSED
    "one master copy closed: poll 0x4", "slave write 1 ok",
    "last copy closed: poll 0x1d",
    # the slave's last close: the master reads what is left, then EIO with POLLHUP
    "master poll 0x15", "master read 2 ok", "master poll 0x14", "master read -1 EIO",
    "master write 2 ok", "slave opened again 1: master poll 0x5", "slave reads 2 ok",
    "hangup heard by N",                          # the session leader, its ctty gone
    "leader gone, heard by F",                    # then the old foreground group
]

WORDS = {"Input/output error": "EIO", "I/O error": "EIO", "No such file or directory": "ENOENT",
         "Inappropriate ioctl for device": "ENOTTY", "Not a tty": "ENOTTY"}


@pytest.mark.parametrize("cc, flags", [("gcc", ()), ("musl-gcc", ()), ("gcc", ("-m32",))],
                         ids=["glibc-x86_64", "musl-x86_64", "glibc-i386"])
def test_a_pty_slave_is_hung_up_when_its_master_closes_as_on_linux(toolchain, cc, flags):
    """The slave had read its unread input (read 3, then 0) and polled as plain POLLIN after
    the master closed, so `socat ... ,pty` saw stale input instead of the hangup."""
    res = tblc("run", toolchain.c("pty_hangup", cc=cc, flags=flags), timeout=120)
    assert res.returncode == 0, res.stderr
    out = res.stdout.decode()
    for words, name in WORDS.items():
        out = out.replace(words, name)
    assert out.splitlines() == EXPECTED
