"""Batch records: their fields in one place, JSON Lines written as they arrive, Parquet when
asked (pyarrow), and reading them back for --resume and reports."""
from __future__ import annotations

import json
from pathlib import Path

# Every field of a record, in order; the Parquet column types are built from these names.
FIELDS = ("id", "path", "root", "args", "sha256", "size", "format", "platform", "outcome",
          "exit_status", "signal", "signal_name", "error", "errno", "wall_s", "user_s",
          "processes", "syscalls", "errors", "unimplemented", "missing_imports", "fault",
          "faults", "stdout", "stderr", "trace_file", "worker")
OUTCOMES = ("exited", "signaled", "timeout", "rejected", "lost")
VOLATILE = ("wall_s", "user_s", "worker")   # differ between two runs of the same program
# What a timed-out program did measures how far it got in the time it had.
TIME_BOUND = ("syscalls", "errors", "unimplemented", "processes", "stdout", "stderr")


def complete(record: dict) -> dict:
    """Every field present (None or empty where the run had nothing), in FIELDS order."""
    empty = {"args": [], "syscalls": {}, "errors": {}, "unimplemented": {},
             "missing_imports": {}, "faults": []}
    return {k: record.get(k, empty.get(k)) for k in FIELDS}


def stable(record: dict) -> dict:
    """The record without the fields that change from run to run: times, the worker, and
    for a timeout what the program got done before it."""
    drop = VOLATILE + (TIME_BOUND if record.get("outcome") == "timeout" else ())
    return {k: v for k, v in record.items() if k not in drop}


class JsonlWriter:
    """One JSON object a line, flushed per record, so a killed batch keeps what finished."""

    def __init__(self, path: Path, append: bool = False):
        path.parent.mkdir(parents=True, exist_ok=True)
        if append:
            _drop_torn_tail(path)
        self.file = open(path, "a" if append else "w", encoding="utf-8")

    def write(self, record: dict) -> None:
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.file.flush()

    def close(self) -> None:
        self.file.close()


def _drop_torn_tail(path: Path) -> None:
    """A batch killed mid-write leaves half a line: cut it before appending."""
    if not path.exists():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        path.write_bytes(data[:data.rfind(b"\n") + 1])


def read_records(path: Path) -> list[dict]:
    """The records of a .jsonl or .parquet file; a later record of the same id replaces an
    earlier one (a --resume that re-ran a lost program)."""
    if not path.exists():
        return []
    if path.suffix == ".parquet":
        rows = _read_parquet(path)
    else:
        rows = []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue    # a torn last line
    latest = {}
    for row in rows:
        if isinstance(row, dict) and "id" in row:
            latest.pop(row["id"], None)
            latest[row["id"]] = row
    return list(latest.values())


# --- Parquet -------------------------------------------------------------------------------------

def _schema():
    import pyarrow as pa

    counts = pa.map_(pa.string(), pa.int64())
    stream = pa.struct([("sha256", pa.string()), ("bytes", pa.int64()), ("text", pa.string())])
    types = {"args": pa.list_(pa.string()), "faults": pa.list_(pa.string()),
             "size": pa.int64(), "exit_status": pa.int64(), "signal": pa.int64(),
             "processes": pa.int64(), "wall_s": pa.float64(), "user_s": pa.float64(),
             "syscalls": counts, "unimplemented": counts, "missing_imports": counts,
             "errors": pa.map_(pa.string(), counts), "stdout": stream, "stderr": stream}
    return pa.schema([(name, types.get(name, pa.string())) for name in FIELDS])


def write_parquet(path: Path, records: list[dict]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("Parquet output needs pyarrow: pip install 'sysvec[batch]'") from None
    schema = _schema()
    rows = [complete(r) for r in records]
    columns = {}
    for name in FIELDS:
        values = [r[name] for r in rows]
        if name == "errors":
            values = [{k: list(v.items()) for k, v in (x or {}).items()} for x in values]
        if isinstance(schema.field(name).type, pa.MapType):
            values = [list((x or {}).items()) for x in values]
        columns[name] = pa.array(values, type=schema.field(name).type)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns, schema=schema), path)


def _read_parquet(path: Path) -> list[dict]:
    import pyarrow.parquet as pq

    rows = pq.read_table(path).to_pylist()
    for row in rows:
        for name in ("syscalls", "unimplemented", "missing_imports", "errors"):
            if isinstance(row.get(name), list):
                row[name] = dict(row[name])
        if isinstance(row.get("errors"), dict):
            row["errors"] = {k: dict(v) if isinstance(v, list) else v
                             for k, v in row["errors"].items()}
    return rows
