"""A personality is a table, a binfmt link and a module: the toy one here is added from files
in a temporary directory alone (the ones docs/personality.md shows), and the core modules (kernel, scheduler, binfmt, VFS) import
no personality."""
from __future__ import annotations

import ast
from pathlib import Path

from sysvec.runtime.machine import Machine

from conftest import make_root

RUNTIME = Path(__file__).resolve().parent.parent / "runtime"

DOCS = RUNTIME.parent / "docs"


def _guide(pattern: str) -> str:
    """A block of docs/personality.md: the test runs the guide's own table, module and
    manifest, so the guide stays right."""
    import re

    return re.search(pattern, (DOCS / "personality.md").read_text(), re.S).group(1)


def _flat(toolchain, name: str) -> bytes:
    return b"TOY!" + toolchain.flat(name)


def test_a_toy_personality_from_files_alone(toolchain, tmp_path, monkeypatch):
    """Its table, its manifest binfmt entry and its module live in tmp_path: its state type,
    its exec registers and its fault names are the kernel's to call, not to know."""
    (tmp_path / "toy_personality.py").write_text(
        _guide(r"`toy_personality.py`, importable.*?```python\n(.*?)```"))
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "toy.tbl").write_text(_guide(r"`toy.tbl`, next to your manifest:\n\n```\n(.*?)```"))
    (tmp_path / "machine.yaml").write_text(_guide(r"```yaml\n(.*?)```"))
    root = make_root(tmp_path, {"/toy": _flat(toolchain, "toy"), "/crash": _flat(toolchain, "toy_ud2")})
    with Machine(root=root, manifest=tmp_path / "machine.yaml") as m:
        m.kernel.report_crashes = False
        toy = m.spawn("/toy", stdio=(None, None, None))
        crash = m.spawn("/crash", stdio=(None, None, None))
        assert m.run() is True
        assert toy.pcb.sysvec.name == "toy_x86_64"
        assert type(toy.pcb.sysvec.personality).__name__ == "ToyPersonality"
    assert toy.returncode == 42                      # rbx from exec_regs, plus two counts
    assert (toy.pcb.toy.calls, toy.pcb.toy.out) == (2, b"toy\n")
    assert crash.signal == 4
    assert any("killed by TOY-TRAP (SIGILL)" in r for r in m.crash_reports), m.crash_reports


def _imports(path: Path) -> set[str]:
    """Every module path imports, at any depth of the file, resolved to sysvec.* names (the
    repository root is the package `sysvec`, so a relative import resolves under it too)."""
    package = ".".join(("sysvec",) + path.relative_to(RUNTIME.parent).with_suffix("").parts)
    if path.name == "__init__.py":
        package += ".__init__"
    parts = package.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(parts[:len(parts) - node.level + 1]) if node.level else ""
            module = ".".join(x for x in (base, node.module) if x)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_the_core_imports_no_personality():
    core = [RUNTIME / "kernel.py", RUNTIME / "sched.py", RUNTIME / "vfs.py",
            RUNTIME / "signals.py", RUNTIME / "block.py", RUNTIME / "personality.py",
            *sorted((RUNTIME / "binfmt").glob("*.py"))]
    personalities = ("sysvec.runtime.linux", "sysvec.runtime.nt", "sysvec.runtime.win32")
    arrows = sorted(f"{path.relative_to(RUNTIME.parent)} -> {name}" for path in core
                    for name in _imports(path) if name.startswith(personalities))
    assert arrows == []


def _code_strings_and_attributes(path: Path) -> set[str]:
    """The string constants (docstrings aside), attribute and variable names of a module's code."""
    tree = ast.parse(path.read_text())
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            found.add(node.value)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.Name):
            found.add(node.id)
    return found


def test_the_binary_formats_name_no_platform():
    """binfmt/*.py load a format and leave the rest to the table the format is linked to and
    its personality: no platform's table name, no personality's state (p.linux, p.win32), no
    TEB or auxiliary vector of their own."""
    tables = RUNTIME.parent / "tables"
    platforms = {line.split()[1] for t in tables.glob("*.tbl")
                 for line in t.read_text().splitlines() if line.startswith("platform ")}
    formats = {"mysys"}   # flat.py's own format, whose table happens to share its name
    assert {"linux_x86_64", "nt_x64", "win32_x86"} <= platforms
    named = sorted(f"{path.name}: {word}" for path in sorted((RUNTIME / "binfmt").glob("*.py"))
                   for word in _code_strings_and_attributes(path)
                   if any(p in word for p in platforms - formats)
                   or word in ("linux", "win32", "nt", "pstate", "teb", "peb", "auxv"))
    assert named == []


def test_kernel_signals_and_the_win32_dlls_import_no_circle():
    """kernel -> signals -> kernel and kernel32 <-> msvcrt are gone."""
    assert not any(n.startswith("sysvec.runtime.kernel") for n in _imports(RUNTIME / "signals.py"))
    assert not any(n.startswith("sysvec.runtime.win32.msvcrt")
                   for n in _imports(RUNTIME / "win32" / "kernel32.py"))


def test_the_compiler_imports_no_runtime():
    """`tblc run`, `pe-imports` and `batch` live with the runtime (runtime/cli.py), and the one
    `tblc` parser above both packages (cli.py): no compiler module imports either."""
    compiler = RUNTIME.parent / "compiler"
    arrows = sorted(f"{p.relative_to(compiler)} -> {n}" for p in compiler.rglob("*.py")
                    for n in _imports(p) if n.startswith(("sysvec.runtime", "sysvec.cli")))
    assert arrows == []


def test_the_import_check_sees_relative_imports():
    """A relative import resolves under sysvec, as the checks above need."""
    names = _imports(RUNTIME / "batch" / "cli.py")
    assert "sysvec.runtime.cli.add_limit_options" in names
    assert "sysvec.runtime.errors.SysvecError" in names
