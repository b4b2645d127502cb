"""Where batch runs go: Dask distributed, a local cluster of N single-threaded worker
processes by default (one Unicorn engine each), or an existing cluster's scheduler. The
README says why Dask and not Ray (bench/batch.py measures both).

A worker that dies costs only the program it was running: the scheduler fails that task at
once (allowed-failures 0) and keeps the rest queued on itself (worker-saturation 1.0), so
no program waits on a worker it was merely assigned to."""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator

SCHEDULER_CONFIG = {
    "distributed.scheduler.allowed-failures": 0,
    "distributed.scheduler.worker-saturation": 1.0,
}
BLOB_PREFIX = "sysvec-blob-"


class EngineError(Exception):
    """The distributed engine cannot start or be reached."""


def _import_distributed():
    try:
        import dask
        import distributed
    except ImportError:
        raise EngineError("tblc batch runs on Dask distributed: pip install 'sysvec[batch]' "
                          "(or --workers 0 to run in this process)") from None
    return dask, distributed


class DaskEngine:
    """A client on a local or existing cluster; map() streams (index, result or exception)."""

    def __init__(self, workers: int | None = None, address: str | None = None):
        dask, distributed = _import_distributed()
        self.cluster = None
        with dask.config.set(SCHEDULER_CONFIG):
            try:
                if address:
                    self.client = distributed.Client(address, timeout="20s")
                else:
                    n = workers or os.cpu_count() or 1
                    self.cluster = distributed.LocalCluster(
                        n_workers=n, threads_per_worker=1, processes=True,
                        dashboard_address=None, silence_logs=logging.ERROR,
                        worker_dashboard_address=None)
                    self.client = distributed.Client(self.cluster)
            except (OSError, TimeoutError) as exc:
                self.close()
                where = f"the scheduler at {address}" if address else "a local cluster"
                raise EngineError(f"cannot reach {where}: {exc}") from None
        self.distributed = distributed

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def workers(self) -> dict:
        """Worker address -> pid, for tests and the bench."""
        return self.client.run(os.getpid)

    def map(self, fn, jobs: list[tuple[dict, str, bytes]]) -> Iterator[tuple[int, object]]:
        """Run fn(spec, blob) for each (spec, blob_key, blob_bytes); results come back as they
        finish. A blob is scattered under its content hash while runs needing it are in
        flight; a window of a few runs per worker thread keeps the workers fed without
        holding every program in the cluster's memory."""
        users: dict[str, int] = {}
        for _spec, key, _data in jobs:
            users[key] = users.get(key, 0) + 1
        blobs: dict[str, object] = {}
        window = max(4, 3 * sum(self.client.nthreads().values()))
        pending = self.distributed.as_completed()
        futures = {}
        queue = iter(enumerate(jobs))

        def submit_more():
            while len(futures) < window:
                item = next(queue, None)
                if item is None:
                    return
                i, (spec, key, data) = item
                if key not in blobs:
                    name = BLOB_PREFIX + key
                    data = data() if callable(data) else data
                    blobs[key] = self.client.scatter({name: data}, hash=False)[name]
                fut = self.client.submit(fn, spec, blobs[key], pure=False, retries=0,
                                         key=f"sysvec-run-{spec['id']}-{i}")
                futures[fut] = (i, key)
                pending.add(fut)

        submit_more()
        for fut in pending:
            i, key = futures.pop(fut)
            try:
                result = fut.result()
            except Exception as exc:     # KilledWorker, or a bug of ours on the worker
                result = exc
            fut.release()
            users[key] -= 1
            if not users[key]:
                blobs.pop(key).release()   # the last run needing it is done: free it
            submit_more()
            yield i, result


class InlineEngine:
    """--workers 0: each run in this process, one after another (no distributed engine)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def close(self) -> None:
        pass

    def map(self, fn, jobs):
        for i, (spec, _key, data) in enumerate(jobs):
            try:
                yield i, fn(spec, data() if callable(data) else data)
            except Exception as exc:
                yield i, exc


def is_lost(exc: BaseException) -> str:
    """Why a run has no result: its worker died, or the worker failed to run it."""
    name = type(exc).__name__
    if name == "KilledWorker":
        return "its worker process died while running it"
    if name == "CancelledError":
        return "cancelled: the cluster lost its task"
    return f"the worker failed to run it: {name}: {exc}"
