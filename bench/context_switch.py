"""Context-switch and process life-cycle benchmark.

  - two processes yielding to each other: switches per second under sysvec, next to the
    host doing the same, and next to the trap-path floor (a C syscall hook, calls per second);
  - fork + execve + exit + wait4 of a tiny static program: per second under sysvec and on the
    host, with the ratio.

Usage: python bench/context_switch.py [-r ROUNDS]"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, build_asm, fmt, measure, table, timed  # noqa: E402

HERE = Path(__file__).resolve().parent


def build_c(name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / name
    src = HERE / f"{name}.c"
    if not out.exists() or out.stat().st_mtime < src.stat().st_mtime:
        subprocess.run(["musl-gcc", "-static", "-O2", "-o", str(out), str(src)], check=True)
    return out


def sysvec_run(files: dict, argv: list[str]):
    from runtime.machine import Machine

    def run() -> float:
        with tempfile.TemporaryDirectory() as root:
            for guest, host in files.items():
                shutil.copy2(host, Path(root) / guest)
            m = Machine(root=root)
            p = m.spawn("/" + argv[0], ["/" + argv[0]] + argv[1:])
            elapsed = timed(m.run)
            assert p.returncode == 0, p.returncode
            return elapsed
    return run


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-r", "--rounds", type=int, default=5)
    ap.add_argument("--yields", type=int, default=50_000)
    ap.add_argument("--spawns", type=int, default=200)
    args = ap.parse_args(argv)
    from compiler.build import build, load_module, table_files
    from bench.trap_path import case_floor

    module = load_module(build(table_files()))
    pair, loop, tiny = build_c("yield_pair"), build_c("spawn_loop"), build_asm(HERE / "tiny.S")
    y, s = args.yields, args.spawns
    sv_yield = sysvec_run({"pair": pair}, ["pair", str(y)])
    sv_spawn = sysvec_run({"loop": loop, "tiny": tiny}, ["loop", str(s), "/tiny"])
    cases = {
        "host: yields (2 cores, may not switch)": lambda: 2 * y * 10 / timed(
            lambda: subprocess.run([str(pair), str(y * 10)], check=True)),
        "sysvec: yield ping-pong": lambda: 2 * y / sv_yield(),
        "trap-path floor (C hook calls)": case_floor(module, 2_000_000),
        "host: fork+exec+exit+wait": lambda: s * 5 / timed(
            lambda: subprocess.run([str(loop), str(s * 5), str(tiny)], check=True)),
        "sysvec: fork+exec+exit+wait": lambda: s / sv_spawn(),
    }
    results = measure(cases, args.rounds)
    print(table(results, "host: yields (2 cores, may not switch)", "yields = switches; spawns", "context switch and process life cycle"))
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"\nswitches/s under sysvec: {fmt(med['sysvec: yield ping-pong'])} (target >= 100 k)")
    print(f"fork+exec+exit+wait: sysvec {fmt(med['sysvec: fork+exec+exit+wait'])}/s vs host "
          f"{fmt(med['host: fork+exec+exit+wait'])}/s = "
          f"{med['sysvec: fork+exec+exit+wait'] / med['host: fork+exec+exit+wait']:.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
