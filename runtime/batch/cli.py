"""`tblc batch`: run a corpus, write a record per program, print a summary.

Exit status: 0 when every program was run, whatever their outcomes; 1 when some were lost
(their worker died: rerun with --resume); 2 for usage and environment errors."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEFAULT_TIMEOUT = 60.0


def add_parser(sub) -> None:
    from ..cli import add_limit_options

    b = sub.add_parser("batch", help="run many programs, one record each (local or a cluster)",
                       description="Run every program in its own machine on Dask distributed "
                       "and write one JSON record per program.")
    b.add_argument("paths", nargs="+", metavar="PATH",
                   help="a program, a directory of programs, a glob, or a .csv/.yaml list")
    b.add_argument("--workers", type=int, help="local worker processes (default: one per "
                   "core; 0: run each program in this process)")
    b.add_argument("--cluster", metavar="ADDRESS", help="an existing Dask scheduler, e.g. "
                   "tcp://10.0.0.5:8786 (default: $DASK_SCHEDULER_ADDRESS, else a local cluster)")
    b.add_argument("--root", help="guest root; PATHs are then paths inside it")
    b.add_argument("--out", default="batch.jsonl", help="records file: .jsonl (default "
                   "batch.jsonl) or .parquet")
    b.add_argument("--resume", action="store_true", help="skip programs whose record is "
                   "already in --out (lost ones run again)")
    b.add_argument("--report", metavar="FILE.html", help="write the summary as a static page")
    b.add_argument("--trace-dir", metavar="DIR", help="write each program's full trace here")
    b.add_argument("--capture", default="4k", metavar="BYTES", help="stdout/stderr text kept "
                   "in a record (default 4k; the digest covers everything)")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_limit_options(b, timeout=DEFAULT_TIMEOUT)
    b.set_defaults(func=cmd_batch)


def cmd_batch(args) -> int:
    from ..cli import SizeError, _limits, _size, err
    from ..errors import SysvecError
    from .engine import EngineError
    from .records import JsonlWriter, read_records, write_parquet

    try:
        limits = _limits(args)
        capture = _size(args.capture, 0)
    except SizeError as exc:
        err(str(exc))
        return 2
    if args.workers is not None and args.workers < 0:
        err("--workers must be 0 or more")
        return 2
    if args.root and not Path(args.root).is_dir():
        err(f"--root {args.root}: not a directory")
        return 2
    out = Path(args.out)
    parquet = out.suffix == ".parquet"
    if parquet:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            err("Parquet output needs pyarrow: pip install 'sysvec[batch]'")
            return 2
    journal = out.with_name(out.name + ".jsonl") if parquet else out
    cluster = args.cluster or os.environ.get("DASK_SCHEDULER_ADDRESS") or None

    previous = []
    if args.resume:
        previous = read_records(journal) if journal.exists() else read_records(out)
    done = {r["id"] for r in previous if r.get("outcome") != "lost"}
    writer = JsonlWriter(journal, append=args.resume and journal.exists())
    if args.resume and not journal.exists() and previous:   # resuming a finished Parquet run
        for r in previous:
            writer.write(r)
    records = {r["id"]: r for r in previous}
    lost = 0
    try:
        with _Progress(not args.no_progress) as progress:
            from .api import run
            for record in run(args.paths, workers=args.workers, cluster=cluster, limits=limits,
                              root=args.root, capture=capture, trace_dir=args.trace_dir,
                              skip=done, on_start=progress.start):
                writer.write(record)
                records.pop(record["id"], None)
                records[record["id"]] = record
                lost += record["outcome"] == "lost"
                progress.advance(record)
    except (SysvecError, EngineError) as exc:
        err(str(exc))
        return 2
    finally:
        writer.close()
    final = list(records.values())
    if parquet:
        write_parquet(out, final)
        journal.unlink()
    from .summary import render, summarize
    summary = summarize(final)
    render(summary)
    if args.report:
        from .report import render_html
        Path(args.report).write_text(render_html(summary, final), encoding="utf-8")
    print(f"tblc: {len(final)} records in {out}" + (f"; report in {args.report}"
                                                    if args.report else ""), file=sys.stderr)
    return 1 if lost else 0


class _Progress:
    """A rich progress bar on stderr: programs done, rate, ETA, and the outcomes so far."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and _have_rich()
        self.bar = None
        self.counts: dict = {}

    def __enter__(self):
        return self

    def start(self, total: int, skipped: int) -> None:
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self.bar = Progress(TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                            TextColumn("ETA"), TimeRemainingColumn(),
                            TextColumn("{task.fields[outcomes]}"),
                            console=Console(stderr=True), transient=False)
        self.bar.start()
        note = f"{skipped} already done" if skipped else ""
        self.task = self.bar.add_task("batch", total=total, rate="", outcomes=note)

    def advance(self, record: dict) -> None:
        if self.bar is None:
            return
        outcome = record.get("outcome")
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        self.bar.advance(self.task)
        task = self.bar.tasks[0]
        rate = f"{task.speed:.1f}/s" if task.speed else ""
        self.bar.update(self.task, rate=rate,
                        outcomes=" ".join(f"{k}:{v}" for k, v in sorted(self.counts.items())))

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


def _have_rich() -> bool:
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv=None) -> int:   # python -m sysvec.runtime.batch.cli: the same as `tblc batch`
    from sysvec.cli import main as tblc_main
    return tblc_main(["batch", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    sys.exit(main())
