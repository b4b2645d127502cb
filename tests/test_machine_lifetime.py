"""A Machine is a context manager: closing it writes the --trace-json timeline and gives back
its engines and their physical page pools, so an embedder can make machine after machine."""
from __future__ import annotations

import json
import os

import pytest

from sysvec.runtime.errors import SysvecError
from sysvec.runtime.machine import Machine

from conftest import make_root


def _mapped_kib() -> int:
    """This process's mapped address space (VmSize), which an unfreed 64 MiB pool chunk or
    Unicorn's translation buffer would grow."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1])
    raise AssertionError("no VmSize in /proc/self/status")


@pytest.mark.skipif(bool(os.environ.get("SYSVEC_SANITIZE")),
                    reason="ASan's allocator keeps freed memory mapped (its quarantine)")
def test_a_hundred_machines_closed_leave_the_address_space_flat(toolchain, tmp_path):
    root = make_root(tmp_path, {"/hello64": toolchain.asm("hello64"),
                                "/hello32": toolchain.asm("hello32", bits=32)})

    def one() -> None:
        with Machine(root=root) as m:   # a 64-bit and a 32-bit engine, each with its pool
            a = m.spawn("/hello64", stdio=(None, None, None))
            b = m.spawn("/hello32", stdio=(None, None, None))
            assert m.run() is True
        assert (a.returncode, b.returncode) == (0, 0)   # handles outlive the machine

    for _ in range(10):
        one()
    before = _mapped_kib()
    for _ in range(100):
        one()
    grown = _mapped_kib() - before
    # Before close() freed them each machine kept 2 x (64 MiB pool chunk + ~1 GiB of
    # translation buffer) mapped; what may remain is allocator noise.
    assert grown < 32 << 10, f"the address space grew by {grown} KiB over 100 machines"


def test_closing_writes_the_timeline_and_a_closed_machine_runs_nothing(toolchain, tmp_path):
    root = make_root(tmp_path, {"/hello": toolchain.asm("hello64")})
    timeline = tmp_path / "run.json"
    with Machine(root=root, trace_json=str(timeline)) as m:
        p = m.spawn("/hello", stdio=(None, None, None))
        m.run()
        assert not timeline.exists()   # written when the machine closes
    assert p.returncode == 0
    events = json.loads(timeline.read_text())["traceEvents"]
    assert any(e.get("name") == "write" and e.get("pid") == p.pid for e in events)
    m.close()   # a second close does nothing
    with pytest.raises(SysvecError, match="closed"):
        m.spawn("/hello")
    with pytest.raises(SysvecError, match="closed"):
        m.run()


def test_closing_a_machine_mid_run_ends_its_processes(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    m = Machine(root=root)
    p = m.spawn("/bin/busybox", ["sh", "-c", "while :; do :; done"], stdio=(None, None, None))
    assert m.run(max_blocks=50_000) is False
    m.close()
    assert p.returncode == 137 and not p.running


def test_the_readme_embedding_example_writes_its_timeline(busybox, tmp_path, monkeypatch):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    start = readme.index("Embedding:\n\n```python\n") + len("Embedding:\n\n```python\n")
    example = readme[start:readme.index("```", start)]
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    monkeypatch.chdir(tmp_path)
    exec(compile(example.replace('"/srv/guest"', repr(str(root))), "README", "exec"), {})
    events = json.loads((tmp_path / "run.json").read_text())["traceEvents"]
    assert any(e.get("name") == "exec /bin/busybox" for e in events)
