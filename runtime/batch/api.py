"""sysvec.runtime.batch.run: the one path from programs to records, for `tblc batch`, notebooks and
pipelines alike."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import blobs
from .engine import DaskEngine, InlineEngine, is_lost
from .execute import run_task
from .records import complete
from .tasks import BatchError, Task, collect, hash_program

CAPTURE_BYTES = 4096


def prepare(programs: Iterable, root: str | None = None) -> list[Task]:
    """Tasks from paths, directories, globs, manifests (str or Path) and Task objects."""
    tasks: list[Task] = []
    paths: list[str] = []
    for item in programs:
        if isinstance(item, Task):
            tasks.extend(collect(paths, root))
            paths = []
            tasks.append(item if item.sha256 else hash_program(item))
        else:
            paths.append(str(item))
    tasks.extend(collect(paths, root))
    return tasks


def run(programs: Iterable, *, workers: int | None = None, cluster: str | None = None,
        limits: dict | None = None, root: str | None = None, capture: int = CAPTURE_BYTES,
        trace_dir: str | Path | None = None, skip: Iterable[str] = (),
        on_start=None) -> Iterator[dict]:
    """Run every program in its own Machine and yield one record per program as it finishes.

    programs: paths, directories, globs, .csv/.yaml manifests or Task objects. workers: local
    worker processes (default: one per core; 0 runs each program in this process); cluster:
    an existing Dask scheduler's address instead. limits: Machine limits (max_seconds,
    pages_per_process, max_output, max_processes, ...). skip: record ids already done
    (--resume). on_start(n_tasks, n_skipped) is called once the work is known."""
    limits = dict(limits or {})
    tasks = prepare(programs, root)
    skip = set(skip)
    jobs, early, skipped = [], [], 0
    packed: dict[str, tuple[str, bytes]] = {}
    trace_dir = Path(trace_dir) if trace_dir else None
    for task in tasks:
        rid = task.identify(limits)
        base = {"id": rid, "path": task.program, "root": task.root, "args": task.args,
                "sha256": task.sha256, "size": task.size}
        if rid in skip:
            skipped += 1
            continue
        if task.root is None and task.sha256 is None:
            early.append(complete({**base, "outcome": "rejected", "exit_status": 127,
                                   "error": f"{task.program}: cannot read the program file",
                                   "errno": "ENOENT"}))
            continue
        if task.root is not None:
            if task.root not in packed:
                data = blobs.pack_root(Path(task.root))
                packed[task.root] = (blobs.digest(data), data)
            kind, (sha, data) = "root", packed[task.root]
        else:
            kind, sha = "file", task.sha256
            data = Path(task.program).read_bytes     # read when its run is sent
        try:
            tables_text = {Path(t).name: Path(t).read_text() for t in task.tables}
        except OSError as exc:
            raise BatchError(f"table {exc.filename}: {exc.strerror}") from None
        spec = {"id": rid, "program": task.program, "args": task.args, "stdin": task.stdin,
                "env": task.env, "tables_text": tables_text, "limits": limits,
                "capture": capture, "trace": trace_dir is not None,
                "blob_kind": kind, "blob_sha": sha}
        jobs.append((spec, base, sha, data))
    if on_start is not None:
        on_start(len(jobs) + len(early), skipped)
    yield from early
    if not jobs:
        return
    engine = InlineEngine() if workers == 0 and not cluster else \
        DaskEngine(workers=workers, address=cluster)
    with engine:
        work = [(spec, sha, data) for spec, _base, sha, data in jobs]
        for i, result in engine.map(run_task, work):
            base = jobs[i][1]
            if isinstance(result, BaseException):
                record = {**base, "outcome": "lost", "error": is_lost(result)}
            else:
                record = {**base, **result}
            trace = record.pop("trace", None)
            if trace is not None and trace_dir is not None:
                trace_dir.mkdir(parents=True, exist_ok=True)
                path = trace_dir / f"{record['id']}.trace"
                path.write_text(trace)
                record["trace_file"] = str(path)
            yield complete(record)


def default_workers() -> int:
    return os.cpu_count() or 1
