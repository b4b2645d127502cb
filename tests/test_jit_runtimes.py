"""Runtimes that compile to machine code as they run. Erlang's BeamAsm writes its code
through one view of a memfd and runs it through another (W^X by two mappings), LuaJIT makes
its code pages writable with mprotect to patch them: a store through a view that is not
executable must drop what the engine translated from the frame."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import copy_host_libraries, tblc
from test_memory import COMPILER_IDS, COMPILERS


@pytest.mark.parametrize("cc,flags", COMPILERS, ids=COMPILER_IDS)
def test_code_written_through_one_mapping_runs_through_another(toolchain, cc, flags):
    """A memfd mapped writable and executable: functions rewritten through the writable view
    run their new code through the executable one. A page patched between mprotect(RW) and
    mprotect(RX) runs the patch (only the first store's bytes were dropped before). A forked
    child rewriting code it ran from a page shared with its parent runs its copy's new code."""
    res = tblc("run", toolchain.c("code_aliases", cc=cc, flags=flags))
    assert res.stdout.decode().splitlines() == ["dual mapping: ok", "mprotect toggling: ok",
                                                "forked child's rewrite: ok"], res.stdout
    assert res.returncode == 0, res.stderr


@pytest.fixture(scope="session")
def erlang_root(tmp_path_factory) -> Path:
    """Debian's erlang-base unpacked into a root with the host's libraries it links."""
    work = tmp_path_factory.mktemp("erlang")
    res = subprocess.run(["apt-get", "download", "erlang-base"], cwd=work, capture_output=True)
    debs = sorted(work.glob("erlang-base_*.deb"))
    if res.returncode != 0 or not debs:
        if os.environ.get("CI"):
            pytest.fail(f"apt-get download erlang-base failed: {res.stderr.decode()}")
        pytest.skip("erlang-base is not available (apt-get download failed)")
    root = work / "root"
    subprocess.run(["dpkg", "-x", str(debs[0]), str(root)], check=True)
    for link in ("bin", "lib", "lib64"):
        if not (root / link).exists():
            (root / link).symlink_to(f"usr/{link}")
    (root / "tmp").mkdir(exist_ok=True)
    copy_host_libraries(root, (root / "usr/lib/erlang").glob("erts-*/bin/*"))
    return root


def test_erlang_runs_its_jit_compiled_code(erlang_root):
    """erlexec starts beam.smp (a scheduler thread per CPU, erl_child_setup beside it): 50
    processes exchange messages, a module compiled at run time is loaded and called, a timer
    fires. It crashed in JIT code that still ran the bytes of an earlier compile."""
    erts = next((erlang_root / "usr/lib/erlang").glob("erts-*")).name
    program = (
        "Self = self(),"
        "[spawn(fun() -> Self ! {N, lists:sum(lists:seq(1, N * 100))} end) || N <- lists:seq(1, 50)],"
        "Sums = [receive {N, S} -> S end || N <- lists:seq(1, 50)],"
        "io:format(\"sum ~p~n\", [lists:sum(Sums)]),"
        "{ok, M, Bin} = compile:forms([{attribute, 1, module, m},"
        " {attribute, 2, export, [{f, 1}]},"
        " {function, 3, f, 1, [{clause, 3, [{var, 3, 'X'}], [],"
        " [{op, 3, '*', {var, 3, 'X'}, {integer, 3, 7}}]}]}]),"
        "{module, m} = code:load_binary(M, \"m.erl\", Bin),"
        "io:format(\"compiled ~p~n\", [m:f(6)]),"
        "erlang:send_after(50, self(), tick), receive tick -> io:format(\"tick~n\") end,"
        "halt().")
    res = tblc("run", "--root", erlang_root, "--env", "ROOTDIR=/usr/lib/erlang",
               "--env", f"BINDIR=/usr/lib/erlang/{erts}/bin", "--env", "EMU=beam",
               "--env", "PROGNAME=erl", "--env", "HOME=/tmp",
               f"/usr/lib/erlang/{erts}/bin/erlexec", "-noshell", "-eval", program, timeout=600)
    assert res.stdout.decode().splitlines() == ["sum 214688750", "compiled 42", "tick"], \
        res.stdout.decode() + res.stderr.decode()
    assert res.returncode == 0, res.stderr
