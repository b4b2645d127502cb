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
    from sysvec.runtime.machine import Machine

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


HOST_YIELD = "host: yields (2 cores, may not switch)"
SV_YIELD = "sysvec: yield ping-pong"
HOST_SPAWN = "host: fork+exec+exit+wait"
SV_SPAWN = "sysvec: fork+exec+exit+wait"


def switch_cases(yields: int = 50_000) -> dict:
    """Two processes yielding to each other: switches per second on the host and under sysvec."""
    pair = build_c("yield_pair")
    sv_yield = sysvec_run({"pair": pair}, ["pair", str(yields)])
    return {
        HOST_YIELD: lambda: 2 * yields * 10 / timed(
            lambda: subprocess.run([str(pair), str(yields * 10)], check=True)),
        SV_YIELD: lambda: 2 * yields / sv_yield(),
    }


def lifecycle_cases(spawns: int = 200) -> dict:
    """fork + execve + exit + wait4 of a tiny static program: per second on the host and
    under sysvec."""
    loop, tiny = build_c("spawn_loop"), build_asm(HERE / "tiny.S")
    sv_spawn = sysvec_run({"loop": loop, "tiny": tiny}, ["loop", str(spawns), "/tiny"])
    return {
        HOST_SPAWN: lambda: spawns * 5 / timed(
            lambda: subprocess.run([str(loop), str(spawns * 5), str(tiny)], check=True)),
        SV_SPAWN: lambda: spawns / sv_spawn(),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-r", "--rounds", type=int, default=5)
    ap.add_argument("--yields", type=int, default=50_000)
    ap.add_argument("--spawns", type=int, default=200)
    args = ap.parse_args(argv)
    from sysvec.compiler.build import build, load_module, table_files
    from bench.trap_path import case_floor

    module = load_module(build(table_files()))
    switches, spawns = switch_cases(args.yields), lifecycle_cases(args.spawns)
    cases = {
        HOST_YIELD: switches[HOST_YIELD],
        SV_YIELD: switches[SV_YIELD],
        "trap-path floor (C hook calls)": case_floor(module, 2_000_000),
        HOST_SPAWN: spawns[HOST_SPAWN],
        SV_SPAWN: spawns[SV_SPAWN],
    }
    results = measure(cases, args.rounds)
    print(table(results, HOST_YIELD, "yields = switches; spawns", "context switch and process life cycle"))
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"\nswitches/s under sysvec: {fmt(med['sysvec: yield ping-pong'])} (target >= 100 k)")
    print(f"fork+exec+exit+wait: sysvec {fmt(med['sysvec: fork+exec+exit+wait'])}/s vs host "
          f"{fmt(med['host: fork+exec+exit+wait'])}/s = "
          f"{med['sysvec: fork+exec+exit+wait'] / med['host: fork+exec+exit+wait']:.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
