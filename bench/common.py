"""Helpers shared by the benchmarks: interleaved rounds, medians, a ratio table, guest
programs built with the host toolchain."""
from __future__ import annotations

import hashlib
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "build" / "bench"


def measure(cases: dict, rounds: int = 5) -> dict:
    """Run every case once per round, interleaved, so machine noise hits them alike.
    A case returns operations per second."""
    results = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            results[name].append(fn())
    return results


def table(results: dict, baseline: str, unit: str, title: str) -> str:
    base = statistics.median(results[baseline])
    lines = [title, f"{'case':<44} {'median':>12} {'min':>12} {'max':>12}  vs {baseline}"]
    for name, values in results.items():
        med = statistics.median(values)
        lines.append(f"{name:<44} {fmt(med):>12} {fmt(min(values)):>12} {fmt(max(values)):>12}"
                     f"  {med / base:6.2f}x")
    lines.append(f"(operations per second, {unit}; median of {len(next(iter(results.values())))} "
                 "interleaved rounds)")
    return "\n".join(lines)


def fmt(v: float) -> str:
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if v >= scale:
            return f"{v / scale:.2f} {suffix}"
    return f"{v:.1f}"


def build_asm(src: Path, bits: int = 64) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:10]
    out = OUT / f"{src.stem}-{digest}"
    if not out.exists():
        obj = out.with_suffix(".o")
        subprocess.run(["as", f"--{bits}", "-o", str(obj), str(src)], check=True)
        subprocess.run(["ld", "-static", "-m", "elf_x86_64" if bits == 64 else "elf_i386",
                        "-o", str(out), str(obj)], check=True)
    return out


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0
