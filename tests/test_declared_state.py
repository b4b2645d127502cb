"""Per-process and per-machine state is declared (issue 12): the PCB's fields, LinuxProcess and
LinuxMachine, the Win32 state's PROCESS_FIELDS and per-thread properties, Kernel.__init__ and
AddressSpace.__init__. Nothing in runtime/ hangs undeclared attributes on them through
`__dict__` or reads them through getattr with a default, and every `p.win32.NAME` and
`p.linux.NAME` a module uses is a declared field."""
from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from sysvec.runtime.linux.personality import LinuxProcess
from sysvec.runtime.win32.state import PROCESS_FIELDS, Win32Process

RUNTIME = Path(__file__).resolve().parent.parent / "runtime"

# Where __dict__ is right, and why.
DICT_ALLOWED = {
    "pcb.py": "PCB.__getattr__ reads pstate from __dict__ so that a missing one does not recurse",
    "win32/state.py": "the process-wide dictionary a process's threads share is the declared "
                      "state itself (PROCESS_FIELDS fills it)",
}
# getattr/hasattr on a process, its state or the kernel that is right, and why.
GETATTR_ALLOWED = {
    ("procfs.py", "coredump_filter"): "/proc/PID/coredump_filter is a Linux process's; the core "
                                      "names no personality's type",
    ("procfs.py", "umask"): "/proc/PID/status shows a Linux process's umask; a process of "
                            "another personality has none, and the core names no personality's type",
}
PROCESS_NAMES = {"p", "proc", "pcb", "thread", "t", "leader", "child", "parent", "kernel"}
STATE_ATTRS = {"pstate", "win32", "linux", "kernel"}


def _modules():
    for path in sorted(RUNTIME.rglob("*.py")):
        yield path.relative_to(RUNTIME).as_posix(), ast.parse(path.read_text())


def _is_process_like(node) -> bool:
    return (isinstance(node, ast.Name) and node.id in PROCESS_NAMES) or \
        (isinstance(node, ast.Attribute) and node.attr in STATE_ATTRS)


def test_no_undeclared_state_through_dict():
    found = sorted(f"{name}:{node.lineno}" for name, tree in _modules() if name not in DICT_ALLOWED
                   for node in ast.walk(tree)
                   if isinstance(node, ast.Attribute) and node.attr == "__dict__")
    assert found == [], "declare the field (PCB, LinuxProcess, PROCESS_FIELDS, Kernel, AddressSpace)"


def test_no_getattr_with_a_default_on_a_process_or_the_kernel():
    found = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id in ("getattr", "hasattr") and node.args and \
                    _is_process_like(node.args[0]):
                attr = node.args[1].value if len(node.args) > 1 and \
                    isinstance(node.args[1], ast.Constant) else "?"
                if (name, attr) not in GETATTR_ALLOWED:
                    found.append(f"{name}:{node.lineno} {node.func.id}(..., {attr!r})")
    assert found == []


def _state_uses(state_name: str) -> dict[str, list[str]]:
    """NAME -> where `<something>.<state_name>.NAME` is used in runtime/."""
    uses: dict[str, list[str]] = {}
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and \
                    node.value.attr == state_name and \
                    not (isinstance(node.value.value, ast.Name) and node.value.value.id == "runtime"):
                uses.setdefault(node.attr, []).append(f"{name}:{node.lineno}")
    return uses


def test_every_win32_field_a_module_uses_is_declared():
    declared = set(PROCESS_FIELDS) | set(dir(Win32Process))
    undeclared = {n: w for n, w in _state_uses("win32").items() if n not in declared}
    assert undeclared == {}, "add them to PROCESS_FIELDS or as per-thread properties (state.py)"


def test_per_thread_win32_fields_go_through_their_properties():
    """The thread's own dictionary (`local`) is state.py's: handlers use the properties."""
    assert {w for w in _state_uses("win32").get("local", []) if not w.startswith("win32/state.py")} \
        == set()


def test_every_linux_field_a_module_uses_is_declared():
    declared = {f.name for f in dataclasses.fields(LinuxProcess)} | set(dir(LinuxProcess))
    undeclared = {n: w for n, w in _state_uses("linux").items() if n not in declared}
    assert undeclared == {}


def test_the_win32_state_declares_a_fresh_container_per_process():
    one, two = Win32Process(), Win32Process()
    for name in PROCESS_FIELDS:
        value = getattr(one, name)
        if isinstance(value, (dict, list, set, bytearray)):
            assert value is not getattr(two, name), name
    thread = one.for_thread(teb=0x1000)
    thread.suspend_count = 2
    assert (one.suspend_count, thread.suspend_count, thread.teb) == (0, 2, 0x1000)
    thread.tls_used.add(3)
    assert one.tls_used == {3}   # process-wide fields are shared by its threads
