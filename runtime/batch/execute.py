"""One batch run, in the process that calls it (a worker): a fresh root, a Machine with the
batch's limits, stdout and stderr captured to files, and the record made from what the
kernel saw. Never raises for anything the program does: that is what the record says."""
from __future__ import annotations

import errno as errno_mod
import hashlib
import io
import os
import shutil
import signal as host_signal
import socket
import tempfile
import threading
import time
from pathlib import Path

from . import blobs
from .counts import CallCounter

TRACE_LINES = 200_000   # a trace longer than this is cut (a loop of calls would fill a disk)


def signal_name(sig: int | None) -> str | None:
    if not sig:
        return None
    try:
        return host_signal.Signals(sig).name
    except ValueError:
        return f"signal {sig}"


def _stream(path: Path, cap: int) -> dict:
    h, size, head = hashlib.sha256(), 0, b""
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            if len(head) < cap:
                head += chunk[:cap - len(head)]
            h.update(chunk)
            size += len(chunk)
    return {"sha256": h.hexdigest(), "bytes": size,
            "text": head.decode("utf-8", errors="replace")}


class _CappedLines(io.TextIOBase):
    """The strace-style trace, kept in memory up to TRACE_LINES lines."""

    def __init__(self):
        self.lines: list[str] = []
        self.dropped = 0

    def write(self, text):
        if len(self.lines) < TRACE_LINES:
            self.lines.append(text)
        else:
            self.dropped += 1
        return len(text)

    def text(self) -> str:
        tail = f"... {self.dropped} more lines not kept\n" if self.dropped else ""
        return "".join(self.lines) + tail


# The runtime has one running machine per process (the trap path's RUNNING): a worker with
# several threads runs its programs one at a time.
ONE_MACHINE = threading.Lock()


def run_task(spec: dict, blob: bytes) -> dict:
    """Run spec (a Task as a dict, plus `blob_kind`, `blob_sha`, `limits`, `capture`, `trace`)
    and return the record's run fields."""
    with ONE_MACHINE:
        return _run_task(spec, blob)


def _run_task(spec: dict, blob: bytes) -> dict:
    from ..errors import ExecError, SysvecError
    from ..machine import Machine

    run_dir = Path(tempfile.mkdtemp(prefix="sysvec-batch-run-"))
    out = {"worker": f"{socket.gethostname()}:{os.getpid()}"}
    start = time.perf_counter()
    try:
        name = os.path.basename(spec["program"]) or "program"
        root = blobs.fresh_root(run_dir, spec["blob_kind"], spec["blob_sha"], blob, name)
        program = spec["program"] if spec["blob_kind"] == "root" else "/" + name
        tables = _tables(run_dir, spec.get("tables_text", {}))
        trace = _CappedLines() if spec.get("trace") else None
        machine = Machine(root=root, tables=tables, limits=spec["limits"], env=spec["env"],
                          trace=trace)
        kernel = machine.kernel
        kernel.report_crashes = False            # the record keeps the report lines
        counter = kernel.call_counter = CallCounter(kernel)
        ended = []
        kernel.on_reap = ended.append            # for their guest time, once it is added up
        paths = {n: run_dir / n for n in ("stdin", "stdout", "stderr")}
        paths["stdin"].write_bytes(spec["stdin"])
        fds = [os.open(paths["stdin"], os.O_RDONLY),
               os.open(paths["stdout"], os.O_WRONLY | os.O_CREAT, 0o600),
               os.open(paths["stderr"], os.O_WRONLY | os.O_CREAT, 0o600)]
        kernel.terminal_fds = tuple(fds[1:])     # --max-output counts what goes to these
        first_pid = kernel.next_pid
        try:
            try:
                proc = machine.spawn(program, [program] + spec["args"], stdio=fds)
            except ExecError as exc:
                out.update(outcome="rejected", exit_status=exc.shell_status,
                           error=str(exc), errno=errno_mod.errorcode.get(exc.errno))
                proc = None
            if proc is not None:
                finished = machine.run()
                if not finished:
                    machine.kill_all()
                status = proc.returncode
                out.update(outcome="exited" if proc.signal is None else "signaled",
                           exit_status=status, signal=proc.signal,
                           signal_name=signal_name(proc.signal))
                if not finished:
                    out.update(outcome="timeout", exit_status=None, signal=None,
                               signal_name=None)
            machine.close()
        finally:
            for fd in fds:
                os.close(fd)
        cpu_ns = sum(p.cpu_ns for p in ended) + sum(p.cpu_ns for p in kernel.procs.values())
        first = next((e for e in kernel.exec_events if e[0] == first_pid), None)
        out.update(counter.summary())
        out.update(
            format=first[4] if first else None,
            platform=_platform(kernel, first[3]) if first else None,
            processes=kernel.next_pid - first_pid if out["outcome"] != "rejected" else 0,
            user_s=round(cpu_ns / 1e9, 6),
            missing_imports=_count(kernel.missing_imports_hit),
            faults=list(kernel.crash_reports),
            fault=kernel.crash_reports[0] if kernel.crash_reports else None,
            stdout=_stream(paths["stdout"], spec["capture"]),
            stderr=_stream(paths["stderr"], spec["capture"]),
            trace=trace.text() if trace is not None else None)
    except SysvecError as exc:   # the machine could not be set up (a bad table, say)
        out.update(outcome="rejected", error=str(exc))
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    out["wall_s"] = round(time.perf_counter() - start, 6)
    return out


def _platform(kernel, table_name: str) -> str:
    for platform, sv in kernel.tables.by_platform.items():
        if sv.name == table_name:
            return platform
    return table_name


def _count(names: list[str]) -> dict:
    counts: dict = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


def _tables(run_dir: Path, texts: dict) -> list[Path]:
    """Extra .tbl files the task names, written here from the text the client sent."""
    out = []
    for i, (name, text) in enumerate(sorted(texts.items())):
        path = run_dir / "tables" / str(i) / name
        path.parent.mkdir(parents=True)
        path.write_text(text)
        out.append(path)
    return out
