"""What `tblc run` does at start-up: only what the run needs (no plugin metadata scan without
a plugin, no compiler model, no JSON parse once the table metadata is cached), and a binfmt
plugin, when one is installed, still found and registered. No timings are asserted here."""
from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

from sysvec.runtime.machine import ENTRY_POINT_GROUP, plugins_declared

REPO = Path(__file__).resolve().parent.parent

RUN_AND_LIST_MODULES = """
import sys
from sysvec.cli import main
status = main(["run", sys.argv[1]])
sys.stdout.flush()
print("MODULES", " ".join(sorted(sys.modules)))
sys.exit(status)
"""


def run_listing_modules(program: Path, extra_path: str = "") -> tuple[int, str, set[str]]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(REPO), extra_path) if p))
    res = subprocess.run([sys.executable, "-c", RUN_AND_LIST_MODULES, str(program)],
                         capture_output=True, text=True, env=env, timeout=120)
    out, _, mods = res.stdout.partition("MODULES ")
    return res.returncode, out + res.stderr, set(mods.split())


def dist_with_plugin(where: Path, marker: Path) -> None:
    """An installed distribution (dist-info on the path) whose entry point registers a
    handler that recognises nothing and leaves a marker file when it is made."""
    info = where / "sysvec_test_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: sysvec-test-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nnothing = sysvec_test_plugin:make\n")
    (where / "sysvec_test_plugin.py").write_text(
        "from pathlib import Path\n"
        "class Nothing:\n"
        "    formats = ()\n"
        "    def recognises(self, bprm):\n"
        "        return False\n"
        "def make():\n"
        f"    Path({str(marker)!r}).write_text('made')\n"
        "    return Nothing()\n")


def test_a_plain_run_loads_neither_package_metadata_nor_the_compiler_model(toolchain):
    status, out, mods = run_listing_modules(toolchain.asm("hello64"))
    assert status == 0, out
    assert out.startswith("hello\n")
    # Whatever the interpreter's own start loads here (site, .pth files) does not count.
    bare = subprocess.run([sys.executable, "-c", "import sys; print(' '.join(sys.modules))"],
                          capture_output=True, text=True, check=True).stdout.split()
    unneeded = {"importlib.metadata", "email", "sysvec.compiler.model", "sysvec.compiler.check"} - set(bare)
    assert not unneeded & mods, sorted(unneeded & mods)


def test_an_installed_plugin_is_still_found_and_registered(toolchain, tmp_path):
    site, marker = tmp_path / "site", tmp_path / "made"
    dist_with_plugin(site, marker)
    assert plugins_declared([str(site)])
    status, out, mods = run_listing_modules(toolchain.asm("hello64"), str(site))
    assert status == 0, out
    assert out.startswith("hello\n")
    assert marker.read_text() == "made"
    assert "sysvec_test_plugin" in mods


def test_plugin_scan_ignores_other_groups_and_missing_dirs(tmp_path):
    info = tmp_path / "other-2.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("[console_scripts]\nother = other:main\n")
    (tmp_path / "plain.dist-info").mkdir()   # no entry_points.txt at all
    assert not plugins_declared([str(tmp_path), str(tmp_path / "absent"), ""])


def test_table_metadata_cache_holds_what_the_json_says(toolchain):
    from sysvec.compiler.build import build, table_files
    from sysvec.runtime.tables import _load_meta

    result = build(table_files())
    fast = result.directory / "tables.marshal"
    meta = _load_meta(str(result.meta_path))   # makes the cache when it is missing
    assert fast.exists()
    expected = json.loads(result.meta_path.read_text())

    def unpacked(m):   # each table's calls are kept packed, unpacked when first asked for
        return {"tables": [{**t, "calls": marshal.loads(t["calls"])} for t in m["tables"]]}
    assert unpacked(meta) == expected
    assert unpacked(marshal.loads(fast.read_bytes())) == expected


def test_a_warm_build_neither_reads_nor_hashes_unchanged_inputs(tmp_path, monkeypatch):
    from sysvec.compiler import build as build_mod

    files = build_mod.table_files()
    digest = build_mod.build_digest(files, tmp_path)
    assert digest == build_mod.content_hash(files)
    assert list((tmp_path / "stamps").iterdir())   # the repository's inputs are settled

    def no_hashing(*args, **kwargs):
        raise AssertionError("hashed inputs a stamp covers")

    monkeypatch.setattr(build_mod, "content_hash", no_hashing)
    assert build_mod.build_digest(files, tmp_path) == digest
    # A table just written (or changed) is hashed, and gets no stamp while it may still change.
    fresh = tmp_path / "extra.tbl"
    fresh.write_bytes(files[0].read_bytes())
    monkeypatch.undo()
    before = set((tmp_path / "stamps").iterdir())
    assert build_mod.build_digest(files + [fresh], tmp_path) == \
        build_mod.content_hash(files + [fresh])
    assert set((tmp_path / "stamps").iterdir()) == before
