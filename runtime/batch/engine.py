"""Where batch runs go: Dask distributed, a local cluster of N single-threaded worker
processes by default (one Unicorn engine each), or an existing cluster's scheduler. The
README says why Dask and not Ray (bench/batch.py measures both).

A worker that dies costs only the program it was running: the scheduler fails that task at
once (allowed-failures 0). A run that was only assigned to that worker (it never logged its
start on the scheduler), or one that had finished there but whose result died with the
worker before it was fetched (it logged its end), is submitted again instead of being
called lost."""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator

SCHEDULER_CONFIG = {
    "distributed.scheduler.allowed-failures": 0,      # a run whose worker died is lost
    "distributed.scheduler.worker-saturation": 1.0,   # queue runs on the scheduler
}
BLOB_PREFIX = "sysvec-blob-"
STARTED = "sysvec-batch-started"   # the scheduler's event topic: runs that began
ENDED = "sysvec-batch-ended"       # ... and runs that returned (their result on the worker)
MAX_ATTEMPTS = 3                   # submissions of a run whose worker died before or after it


def hold(data: bytes) -> bytes:
    """A blob as a task's result: workers fetch it from each other by key, once each."""
    return data


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
                        # CRITICAL: a worker's heartbeat racing the cluster's shutdown logs
                        # an ERROR with distributed's traceback; the batch reports its own
                        # failures (a lost run, an engine that will not start).
                        dashboard_address=None, silence_logs=logging.CRITICAL,
                        worker_dashboard_address=None, host="127.0.0.1",
                        # no dashboard, but the scheduler's HTTP server still binds: any port
                        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
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

    def map(self, fn, jobs: list[tuple[dict, str, bytes]]) -> Iterator[tuple[int, object]]:
        """Run fn(spec, blob) for each (spec, blob_key, blob_bytes); results come back as they
        finish. A blob is held on the cluster under its content hash while runs needing it
        are in flight; a window of a few runs per worker thread keeps the workers fed without
        holding every program in the cluster's memory."""
        users: dict[str, int] = {}
        for _spec, key, _data in jobs:
            users[key] = users.get(key, 0) + 1
        blobs: dict[str, object] = {}
        window = max(4, 3 * sum(self.client.nthreads().values()))
        pending = self.distributed.as_completed()
        futures = {}
        queue = iter(enumerate(jobs))
        attempts: dict[int, int] = {}

        generations: dict[str, int] = {}

        def submit(i: int, attempt: int = 0) -> None:
            spec, key, data = jobs[i]
            if key in blobs and (attempt or blobs[key].status in ("error", "cancelled", "lost")):
                # A run submitted again lost its worker, and maybe the blob with it: the
                # blob's task may have been waiting there and erred, which this client may
                # not have heard yet. A new blob under a new key cannot be the erred one.
                blobs.pop(key).release()
                generations[key] = generations.get(key, 0) + 1
            if key not in blobs:
                gen = generations.get(key, 0)
                name = BLOB_PREFIX + key + (f"-{gen}" if gen else "")
                # A task, not scattered data: if the worker holding it dies, the scheduler
                # makes it again elsewhere instead of failing its users.
                blobs[key] = self.client.submit(hold, data() if callable(data) else data,
                                                key=name, pure=False)
            task_key = f"sysvec-run-{_label(spec)}-{spec['id']}-{i}-{attempt}"
            fut = self.client.submit(_on_worker, fn, task_key, spec, blobs[key], pure=False,
                                     retries=0, key=task_key)
            futures[fut] = (i, key, task_key)
            pending.add(fut)

        def submit_more() -> None:
            while len(futures) < window:
                item = next(queue, None)
                if item is None:
                    return
                submit(item[0])

        submit_more()
        for fut in pending:
            i, key, task_key = futures.pop(fut)
            try:
                result = fut.result()
            except Exception as exc:     # KilledWorker, or a bug of ours on the worker
                result = exc
            fut.release()
            if isinstance(result, Exception) and attempts.get(i, 1) < MAX_ATTEMPTS and \
                    self._not_lost(task_key):
                # Its worker died before it began (it was only assigned there), or after it
                # ended with the result still there: the run itself was not lost.
                attempts[i] = attempts.get(i, 1) + 1
                submit(i, attempts[i] - 1)
                continue
            users[key] -= 1
            if not users[key]:
                blobs.pop(key).release()   # the last run needing it is done: free it
            submit_more()
            yield i, result

    def _not_lost(self, task_key: str) -> bool:
        """Whether a failed run never began or had ended: the scheduler's logs say."""
        try:
            began = any(msg == task_key for _time, msg in self.client.get_events(STARTED))
            ended = any(msg == task_key for _time, msg in self.client.get_events(ENDED))
        except Exception:
            return False
        return not began or ended


def _on_worker(fn, task_key: str, spec: dict, blob: bytes):
    """Say on the scheduler that this run began, run it, and say that it ended."""
    from distributed import get_worker

    worker = get_worker()
    worker.log_event(STARTED, task_key)
    result = fn(spec, blob)
    worker.log_event(ENDED, task_key)
    return result


def _label(spec: dict) -> str:
    """The program's name in its task key, so a cluster's dashboard says what runs."""
    name = os.path.basename(spec["program"])
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:40] or "program"


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
