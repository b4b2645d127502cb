"""Network calls as Linux answers them, checked by real glibc programs (x86-64 and i386)
whose expected output is what the same program prints on Linux: who may share a port, bind
a privileged one or set a privileged option, and TCP Fast Open's connect-and-send."""
from __future__ import annotations

import pytest

from conftest import tblc

COMPILERS = [("gcc", ()), ("gcc", ("-m32",))]
IDS = ["glibc-x86_64", "glibc-i386"]


def _lines(toolchain, name, cc, flags, *args) -> list[str]:
    res = tblc("run", "--timeout", "60", toolchain.c(name, cc=cc, flags=flags), *args)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()
    return [line.rstrip() for line in res.stdout.decode().splitlines()]


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=IDS)
def test_reuseport_low_ports_and_priority_need_the_owner_or_a_capability(toolchain, cc, flags):
    """hostile36 1f: a uid-1000 process joined root's SO_REUSEPORT listener (and took half
    its connections), bound port 80, and set SO_PRIORITY 7 and SO_MARK; SO_PEERCRED said
    every peer was root."""
    assert _lines(toolchain, "net_privilege", cc, flags) == [
        "root reuseport bind 0", "root second reuseport bind 0", "root bind port 80 0",
        "root SO_PRIORITY 7 0", "root SO_MARK 0",
        "user reuseport bind on root's port -1 EADDRINUSE", "user reuseport bind 0",
        "user second reuseport bind 0", "user bind port 80 -1 EACCES",
        "user bind port 1023 -1 EACCES", "user bind port 1024 0", "user SO_PRIORITY 6 0",
        "user SO_PRIORITY 7 -1 EPERM", "user SO_MARK -1 EPERM", "user connect 0",
        "root's peer: uid 1000 gid 1000 pid ok"]
