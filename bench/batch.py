"""tblc batch throughput: programs per second for a corpus of small static programs with 1
and 2 local Dask workers, next to a bare `tblc run` loop and to each program run in-process;
the engine's start-up and per-task overhead; and the same for Ray, which is how Dask was
chosen (README: "Batch runs").

    python bench/batch.py [-n PROGRAMS] [-r ROUNDS] [--no-ray]

Per-task overhead = (engine wall time for the corpus, start-up excluded, x workers) /
programs - the in-process time per program: what shipping a run to a worker and its record
back costs on top of the run itself."""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT  # noqa: E402

SOURCE = """#include <stdio.h>
int main(int argc, char **argv) { printf("program %d: %d args\\n", ID, argc); return ID % 7; }
"""


def corpus(n: int) -> list[Path]:
    """n distinct static musl programs (distinct content, so each ships as its own blob)."""
    out = OUT / "batch-corpus"
    out.mkdir(parents=True, exist_ok=True)
    progs = []
    for i in range(n):
        exe = out / f"prog{i}"
        if not exe.exists():
            src = out / f"prog{i}.c"
            src.write_text(SOURCE.replace("ID", str(i)))
            subprocess.run(["musl-gcc", "-static", "-O1", "-o", str(exe), str(src)], check=True)
        progs.append(exe)
    return progs


def jobs_for(progs):
    from sysvec.runtime.batch.api import prepare

    specs = []
    for task in prepare([str(p) for p in progs]):
        spec = {"id": task.identify({}), "program": task.program, "args": [], "stdin": b"",
                "env": {}, "tables_text": {}, "limits": {}, "capture": 4096, "trace": False,
                "blob_kind": "file", "blob_sha": task.sha256}
        specs.append((spec, task.sha256, Path(task.program).read_bytes()))
    return specs


def bare_loop(progs) -> float:
    """Seconds for `tblc run` of each program, one after another (a shell loop)."""
    t0 = time.perf_counter()
    for p in progs:
        subprocess.run([sys.executable, "-m", "sysvec.cli", "run", str(p)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def inline(jobs) -> float:
    from sysvec.runtime.batch.execute import run_task

    t0 = time.perf_counter()
    for spec, _key, data in jobs:
        assert run_task(spec, data)["outcome"] == "exited"
    return time.perf_counter() - t0


def dask_run(jobs, workers: int) -> tuple[float, float]:
    """(start-up seconds, corpus seconds) on a fresh local cluster."""
    from sysvec.runtime.batch.engine import DaskEngine
    from sysvec.runtime.batch.execute import run_task

    t0 = time.perf_counter()
    engine = DaskEngine(workers=workers)
    engine.client.wait_for_workers(workers)
    # Warm each worker (imports, the table build load): start-up, not per-task cost.
    engine.client.run(lambda: __import__("sysvec.runtime.machine"))
    t1 = time.perf_counter()
    results = [r for _i, r in engine.map(run_task, jobs)]
    t2 = time.perf_counter()
    engine.close()
    assert all(isinstance(r, dict) and r["outcome"] == "exited" for r in results), results[:2]
    return t1 - t0, t2 - t1


def ray_run(jobs, workers: int) -> tuple[float, float]:
    import ray

    from sysvec.runtime.batch.execute import run_task

    t0 = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    remote = ray.remote(num_cpus=1, max_retries=0)(run_task)
    warm = ray.remote(num_cpus=1)(lambda: __import__("sysvec.runtime.machine") and 0)
    ray.get([warm.remote() for _ in range(workers)])
    t1 = time.perf_counter()
    blobs = {}
    refs = []
    for spec, key, data in jobs:
        if key not in blobs:
            blobs[key] = ray.put(data)
        refs.append(remote.remote(spec, blobs[key]))
    results = ray.get(refs)
    t2 = time.perf_counter()
    ray.shutdown()
    assert all(r["outcome"] == "exited" for r in results)
    return t1 - t0, t2 - t1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=40, help="programs in the corpus (default 40)")
    ap.add_argument("-r", "--rounds", type=int, default=3)
    ap.add_argument("--no-ray", action="store_true", help="skip the Ray comparison")
    args = ap.parse_args(argv)
    repo = Path(__file__).resolve().parent.parent
    os.environ.setdefault("PYTHONPATH", subprocess.run([str(repo / "scripts" / "pkgpath")], check=True,
                                                       capture_output=True, text=True).stdout.strip())
    subprocess.run([sys.executable, "-m", "sysvec.cli", "build"], check=True,
                   stdout=subprocess.DEVNULL)
    progs = corpus(args.n)
    jobs = jobs_for(progs)
    have_ray = not args.no_ray
    if have_ray:
        try:
            import ray  # noqa: F401
        except ImportError:
            have_ray = False
    rows: dict[str, list] = {}

    def add(name, value):
        rows.setdefault(name, []).append(value)

    n = len(jobs)
    for _ in range(args.rounds):
        bare = bare_loop(progs)
        add("bare `tblc run` loop (programs/s)", n / bare)
        add("  bare loop: per program (ms)", 1e3 * bare / n)
        inl = inline(jobs)
        add("in-process, no engine (programs/s)", n / inl)
        add("  in-process: per program (ms)", 1e3 * inl / n)
        for workers in (1, 2):
            start, spent = dask_run(jobs, workers)
            add(f"dask, {workers} worker(s) (programs/s, start-up excluded)", n / spent)
            add(f"  dask {workers}: start-up (s)", start)
            add(f"  dask {workers}: per-task overhead (ms)",
                1e3 * (spent * workers / n - inl / n))
        if have_ray:
            for workers in (1, 2):
                start, spent = ray_run(jobs, workers)
                add(f"ray, {workers} worker(s) (programs/s, start-up excluded)", n / spent)
                add(f"  ray {workers}: start-up (s)", start)
                add(f"  ray {workers}: per-task overhead (ms)",
                    1e3 * (spent * workers / n - inl / n))
    print(f"tblc batch: {n} small static programs, {args.rounds} rounds, {os.cpu_count()} cores")
    print(f"{'figure':<58} {'median':>9} {'min':>9} {'max':>9}")
    for name, values in rows.items():
        print(f"{name:<58} {statistics.median(values):9.2f} {min(values):9.2f} "
              f"{max(values):9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
