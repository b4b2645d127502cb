"""Deterministic mode: instruction counts (callgrind's Ir) instead of wall time, so a
regression shows on a noisy machine. Every figure is one whole `tblc run` or `tblc check`
process under `valgrind --tool=callgrind`, with PYTHONHASHSEED fixed; the per-call cost of a
trap is the difference between a long and a one-call getpid loop, divided by the extra calls."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import REPO, build_asm
from bench.groups import LOOP_SRC, tblc_command

C_CALLS, PY_CALLS = 100_000, 20_000

# The trap-path floor (a bare engine with one minimal C syscall hook) as a whole process.
FLOOR_DRIVER = """import sys
sys.path.insert(0, {repo!r})
from bench.trap_path import case_floor
from sysvec.compiler.build import build, load_module, table_files
case_floor(load_module(build(table_files())), int(sys.argv[1]))()
"""


def valgrind_version() -> str | None:
    if shutil.which("valgrind") is None:
        return None
    res = subprocess.run(["valgrind", "--version"], capture_output=True, text=True)
    return res.stdout.strip() or "valgrind"


def instructions(argv: list[str], scratch: Path) -> int:
    """Total Ir of one process (and every thread of it) under callgrind."""
    out = scratch / "callgrind.out"
    env = dict(os.environ, PYTHONHASHSEED="0")
    res = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + argv,
                         capture_output=True, text=True, env=env, timeout=1800)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])} under callgrind exited {res.returncode}: "
                           f"{(res.stderr.strip().splitlines() or [''])[-1]}")
    text = out.read_text()
    out.unlink()
    m = re.search(r"^(?:summary|totals):\s*(\d+)", text, re.M)
    if not m:
        raise RuntimeError("no instruction total in callgrind's output")
    return int(m.group(1))


def run(log=lambda m: None) -> dict:
    """Every figure: {name: Ir}, plus the per-call trap costs derived from them."""
    loop = build_asm(LOOP_SRC)
    tblc = tblc_command()
    results: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="sysvec-callgrind-") as tmp:
        scratch = Path(tmp)
        manifest = scratch / "bench_py.yaml"
        manifest.write_text(f"tables: [{REPO / 'bench' / 'bench_py.tbl'}]\n"
                            "links: {elf64: bench_py}\n")
        py = ["--manifest", str(manifest)]
        leaves_manifest = scratch / "bench_leaves.yaml"
        leaves_manifest.write_text(f"tables: [{REPO / 'bench' / 'bench_leaves.tbl'}]\n"
                                   "links: {elf64: bench_leaves}\n")
        leaves = ["--manifest", str(leaves_manifest)]
        figures = [
            ("tblc run getpid_loop 1 (C-handler table)", ["run", str(loop), "1"]),
            (f"tblc run getpid_loop {C_CALLS} (C handler)", ["run", str(loop), str(C_CALLS)]),
            ("tblc run getpid_loop 1 (Python-handler table)", ["run"] + py + [str(loop), "1"]),
            (f"tblc run getpid_loop {PY_CALLS} (Python handler)", ["run"] + py + [str(loop), str(PY_CALLS)]),
            ("tblc check tables/linux_x86_64.tbl", ["check", str(REPO / "tables" / "linux_x86_64.tbl")]),
            ("tblc run getpid_loop 1 (C handler, leaves rcx/r11)", ["run"] + leaves + [str(loop), "1"]),
            (f"tblc run getpid_loop {C_CALLS} (C handler, leaves rcx/r11)",
             ["run"] + leaves + [str(loop), str(C_CALLS)]),
        ]
        floor = [sys.executable, "-c", FLOOR_DRIVER.format(repo=str(REPO))]
        figures = [(name, tblc + args) for name, args in figures] + [
            ("C hook floor driver, 1 call", floor + ["1"]),
            (f"C hook floor driver, {C_CALLS} calls", floor + [str(C_CALLS)]),
        ]
        for name, argv in figures:
            log(f"  callgrind: {name} ...")
            results[name] = instructions(argv, scratch)
    names = [n for n, _ in figures]
    per_call = {
        "trap, C hook floor (Ir per getpid)": (results[names[8]] - results[names[7]]) / (C_CALLS - 1),
        "trap, C handler (Ir per getpid)": (results[names[1]] - results[names[0]]) / (C_CALLS - 1),
        "trap, Python handler (Ir per getpid)": (results[names[3]] - results[names[2]]) / (PY_CALLS - 1),
        "trap, C handler with leaves rcx/r11 (Ir per getpid)":
            (results[names[6]] - results[names[5]]) / (C_CALLS - 1),
    }
    return {"totals": results, "per_call": per_call}


def text_table(data: dict) -> str:
    w = max(len(n) for n in list(data["totals"]) + list(data["per_call"]))
    lines = [f"{'figure':<{w}} {'instructions (Ir)':>20}", "-" * (w + 21)]
    for name, ir in data["totals"].items():
        lines.append(f"{name:<{w}} {ir:>20,}")
    for name, ir in data["per_call"].items():
        lines.append(f"{name:<{w}} {ir:>20,.0f}")
    pc = data["per_call"]
    lines.append(f"C handler / floor, as calls per instruction: "
                 f"{pc['trap, C hook floor (Ir per getpid)'] / pc['trap, C handler (Ir per getpid)']:.2f}x "
                 "(the wall-time target is >= 0.7x)")
    lines.append("(valgrind --tool=callgrind, whole process, PYTHONHASHSEED=0; per getpid = "
                 "(long loop - 1-call loop) / extra calls)")
    return "\n".join(lines)
