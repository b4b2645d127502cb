"""tblc batch: a generated corpus of real programs on a real Dask cluster (local, and a
two-node one the test starts), every record checked; the same records on a second run, after
a kill and --resume, and on the cluster; a killed worker loses only its program."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from batch_corpus import LIMIT_ARGS, build_corpus, check_record
from conftest import tblc

pytest.importorskip("distributed", reason="tblc batch needs the batch extra (scripts/setup)")

from sysvec.runtime.batch import read_records, stable  # noqa: E402
from sysvec.runtime.batch.summary import summarize  # noqa: E402

BIG = os.environ.get("SYSVEC_BATCH_BIG") == "1"
BATCH_TIMEOUT = 600


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, build_dir, busybox):
    return build_corpus(tmp_path_factory.mktemp("corpus"), build_dir, busybox,
                        scale=12 if BIG else 1)


@pytest.fixture(scope="module")
def first_run(corpus, tmp_path_factory):
    """The corpus on a local cluster of two workers, through the command a user runs."""
    out = tmp_path_factory.mktemp("run1")
    res = tblc("batch", "--workers", "2", *LIMIT_ARGS, "--out", out / "records.jsonl",
               "--report", out / "report.html", *corpus.paths, timeout=BATCH_TIMEOUT)
    assert res.returncode == 0, res.stderr.decode()[-3000:]
    return out, res, read_records(out / "records.jsonl")


def by_key(records):
    return {(r["path"], tuple(r["args"])): r for r in records}


def same(a, b):
    """Equal records minus times and workers, whatever order they finished in."""
    return {r["id"]: stable(r) for r in a} == {r["id"]: stable(r) for r in b}


def test_every_record_of_the_corpus_is_right(corpus, first_run):
    _out, res, records = first_run
    got = by_key(records)
    assert set(got) == set(corpus.expect)
    wrong = {f"{path} {' '.join(args)}": check_record(got[(path, args)], exp)
             for (path, args), exp in corpus.expect.items()}
    wrong = {k: v for k, v in wrong.items() if v}
    assert not wrong, json.dumps(wrong, indent=1)
    assert len({r["id"] for r in records}) == len(records)
    err = res.stderr.decode()
    assert "Traceback" not in err and f"{len(records)} records in" in err


def _hits(corpus, key):
    """name -> programs, from what the corpus says each program hits."""
    hits = {}
    for exp in corpus.expect.values():
        for name in getattr(exp, key):
            hits[name] = hits.get(name, 0) + 1
    return hits


def test_missing_calls_and_imports_are_ranked_by_programs(corpus, first_run):
    _out, res, records = first_run
    summary = summarize(records)
    enosys, imports = _hits(corpus, "unimplemented"), _hits(corpus, "missing_imports")
    assert [(name, n) for name, n, _ in summary.unimplemented] == \
        [("uselib", enosys["uselib"]), ("ustat", enosys["ustat"]), ("sysfs", enosys["sysfs"])]
    assert enosys["uselib"] > enosys["ustat"] > enosys["sysfs"] >= 1
    assert [(name, n) for name, n, _ in summary.missing_imports] == [
        ("KERNEL32.dll!CreateMailslotA", imports["KERNEL32.dll!CreateMailslotA"]),
        ("KERNEL32.dll!GetTapeStatus", imports["KERNEL32.dll!GetTapeStatus"]),
        ("KERNEL32.dll!EraseTape", 1)]
    assert imports["KERNEL32.dll!CreateMailslotA"] > imports["KERNEL32.dll!GetTapeStatus"] > 1
    assert summary.outcomes.keys() == {"exited", "signaled", "timeout", "rejected"}
    text = res.stderr.decode()   # the printed summary table
    assert "KERNEL32.dll!CreateMailslotA" in text and "uselib" in text and "timeout" in text


def test_a_second_run_gives_the_same_records(corpus, first_run, tmp_path):
    res = tblc("batch", "--workers", "2", "--no-progress", *LIMIT_ARGS, "--out",
               tmp_path / "again.jsonl", *corpus.paths, timeout=BATCH_TIMEOUT)
    assert res.returncode == 0, res.stderr.decode()[-3000:]
    assert same(read_records(tmp_path / "again.jsonl"), first_run[2])


def test_resume_after_the_batch_is_killed_halfway(corpus, first_run, tmp_path):
    out = tmp_path / "resumed.jsonl"
    cmd = [sys.executable, "-m", "sysvec.cli", "batch", "--workers", "2", "--no-progress",
           *LIMIT_ARGS, "--out", str(out), *corpus.paths]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    half = len(corpus.expect) // 2
    deadline = time.monotonic() + BATCH_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= half:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the batch finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)      # tblc and its local cluster, mid-batch
    proc.wait()
    before = read_records(out)
    assert half <= len(before) < len(corpus.expect)
    res = tblc("batch", "--workers", "2", "--no-progress", "--resume", *LIMIT_ARGS, "--out",
               out, *corpus.paths, timeout=BATCH_TIMEOUT)
    assert res.returncode == 0, res.stderr.decode()[-3000:]
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == len(corpus.expect)          # nothing done twice
    assert same(read_records(out), first_run[2])


def _start_cluster(tmp_path, nworkers: int = 2):
    """A Dask scheduler and a worker process (of nworkers single-threaded workers), as an
    operator would start them, configured as tblc batch's local cluster is."""
    env = dict(os.environ, DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="0",
               DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION="1.0")
    sched_file = tmp_path / "scheduler.json"
    logs = open(tmp_path / "cluster.log", "w")
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", "0", "--no-dashboard", "--scheduler-file", str(sched_file)],
        env=env, stdout=logs, stderr=logs, start_new_session=True)
    deadline = time.monotonic() + 60
    while not sched_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    address = json.loads(sched_file.read_text())["address"]
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers",
         str(nworkers), "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
        env=env, stdout=logs, stderr=logs, start_new_session=True)
    return address, [scheduler, worker]


def _wait_for_workers(address, n):
    from distributed import Client
    with Client(address, timeout="30s") as client:
        client.wait_for_workers(n, timeout=120)


def _stop(procs):
    for p in reversed(procs):
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def test_a_two_node_cluster_gives_the_same_records(corpus, first_run, tmp_path):
    address, procs = _start_cluster(tmp_path)
    try:
        _wait_for_workers(address, 2)
        res = tblc("batch", "--cluster", address, "--no-progress", *LIMIT_ARGS, "--out",
                   tmp_path / "cluster.jsonl", *corpus.paths, timeout=BATCH_TIMEOUT)
        assert res.returncode == 0, res.stderr.decode()[-3000:]
    finally:
        _stop(procs)
    records = read_records(tmp_path / "cluster.jsonl")
    assert same(records, first_run[2])
    assert len({r["worker"] for r in records}) == 2   # both workers ran programs


def test_a_killed_worker_loses_only_its_program(corpus, tmp_path):
    from distributed import Client

    from sysvec.runtime import batch

    spinner = next(p for (p, _), e in corpus.expect.items() if e.outcome == "timeout"
                   and "loop" in p)
    programs = [spinner, *corpus.quick[:6]]
    address, procs = _start_cluster(tmp_path)
    killed = []
    try:
        _wait_for_workers(address, 2)
        with Client(address) as watcher:
            killer = threading.Thread(target=lambda: killed.append(
                _kill_worker_running(watcher, "loop-", wait=60)))
            killer.start()
            records = list(batch.run(programs, cluster=address, limits={"max_seconds": 60}))
            killer.join()
    finally:
        _stop(procs)
    assert killed[0], "the spinner never ran"
    got = {r["path"]: r for r in records}
    assert set(got) == set(programs)
    lost = got[spinner]
    assert lost["outcome"] == "lost" and "worker" in lost["error"] and "died" in lost["error"]
    assert all(got[p]["outcome"] == "exited" for p in programs[1:]), \
        [(r["path"], r["outcome"], r["error"]) for r in records if r["outcome"] != "exited"]


def _kill_worker_running(client, name: str, wait: float = 0.0):
    """Kill -9 the worker process running the program called name*, once it has begun."""
    from sysvec.runtime.batch.engine import STARTED

    deadline = time.monotonic() + wait
    while True:
        began = {msg for _t, msg in client.get_events(STARTED) if name in msg}
        for addr, keys in client.processing().items():
            if began & {str(k) for k in keys}:
                time.sleep(0.5)    # well into its run
                pid = client.run(os.getpid, workers=[addr])[addr]
                os.kill(pid, signal.SIGKILL)
                return pid
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)
