"""What a batch runs: one Task per program run, collected from paths, directories, globs and
manifests (.csv, .yaml), each with a stable id made from what decides its result."""
from __future__ import annotations

import csv
import glob
import hashlib
import json
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SysvecError

MANIFEST_SUFFIXES = (".csv", ".yaml", ".yml")
ROW_KEYS = {"program", "args", "stdin", "input", "root", "env", "tables"}


class BatchError(SysvecError):
    """A batch cannot start: a missing path, a malformed manifest row, a bad option."""


@dataclass
class Task:
    """One program run. `program` is a host file, or with `root` a path inside that root."""

    program: str
    args: list[str] = field(default_factory=list)
    root: str | None = None
    stdin: bytes = b""
    env: dict = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)   # extra .tbl files (host paths)
    sha256: str | None = None                         # the program file's; None if unreadable
    size: int | None = None

    def host_file(self) -> Path | None:
        """The program file on this host, if it is inside its root (or has no root)."""
        if self.root is None:
            return Path(self.program)
        root = Path(self.root).resolve()
        path = (root / self.program.lstrip("/")).resolve()
        return path if path.is_relative_to(root) else None

    def identify(self, limits: dict) -> str:
        """The key --resume goes by: the program's hash, its arguments, and everything else
        that decides the run (stdin, root path, environment, tables, limits)."""
        parts = {"sha256": self.sha256, "program": self.program, "args": self.args, "root": self.root,
                 "stdin": hashlib.sha256(self.stdin).hexdigest(), "env": self.env,
                 "tables": [file_digest(Path(t)) for t in self.tables], "limits": limits}
        blob = json.dumps(parts, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:20]


def file_digest(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def hash_program(task: Task) -> Task:
    path = task.host_file()
    if path is not None and path.is_file():
        task.sha256 = file_digest(path)
        task.size = path.stat().st_size
    return task


def collect(paths: list[str], root: str | None = None) -> list[Task]:
    """Tasks for PATH arguments: a program, a directory (every file in it, recursively,
    sorted), a glob, or a manifest. With root, programs are paths inside it."""
    tasks: list[Task] = []
    for spec in paths:
        if spec.lower().endswith(MANIFEST_SUFFIXES) and Path(spec).is_file():
            tasks.extend(read_manifest(Path(spec), root))
            continue
        base = Path(root) if root else None
        for host in _expand(spec, base):
            guest = "/" + str(host.relative_to(base)) if base else str(host)
            tasks.append(Task(program=guest, root=root))
    return [hash_program(t) for t in tasks]


def _expand(spec: str, base: Path | None) -> list[Path]:
    host = base / spec.lstrip("/") if base else Path(spec)
    if any(ch in spec for ch in "*?["):
        found = sorted(Path(p) for p in glob.glob(str(host), recursive=True))
        files = [p for p in found if p.is_file()]
        if not files:
            raise BatchError(f"{spec}: no program matches")
        return files
    if host.is_dir():
        return sorted(p for p in host.rglob("*") if p.is_file() and not p.is_symlink())
    if base is None and not host.exists():
        raise BatchError(f"{spec}: no such file or directory")
    return [host]


# --- manifests -----------------------------------------------------------------------------------

def read_manifest(path: Path, root: str | None = None) -> list[Task]:
    """Rows of program, args, stdin (a file), input (text), root, env, tables. Relative
    paths are relative to the manifest's directory."""
    try:
        if path.suffix.lower() == ".csv":
            with open(path, newline="", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
        else:
            import yaml
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            rows = data.get("programs", []) if isinstance(data, dict) else data
            if not isinstance(rows, list):
                raise BatchError(f"{path}: a manifest is a list of programs")
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BatchError(f"{path}: {exc}") from None
    except Exception as exc:   # yaml's errors
        if isinstance(exc, BatchError):
            raise
        raise BatchError(f"{path}: {exc}") from None
    return [_row_task(row, path, i + 2 if path.suffix.lower() == ".csv" else i + 1, root)
            for i, row in enumerate(rows)]


def _row_task(row, manifest: Path, line: int, default_root: str | None) -> Task:
    where = f"{manifest}:{line}"
    if not isinstance(row, dict):
        raise BatchError(f"{where}: a row is a mapping with at least 'program'")
    row = {k.strip() if isinstance(k, str) else k: v for k, v in row.items() if k is not None}
    unknown = set(row) - ROW_KEYS
    if unknown:
        raise BatchError(f"{where}: unknown column {', '.join(sorted(map(str, unknown)))} "
                         f"(known: {', '.join(sorted(ROW_KEYS))})")
    program = row.get("program")
    if not program or not isinstance(program, str):
        raise BatchError(f"{where}: 'program' is missing")
    here = manifest.parent

    def host(p: str) -> str:
        return str(p if os.path.isabs(p) else here / p)

    root = row.get("root") or default_root
    root = host(root) if root else None
    if root and not Path(root).is_dir():
        raise BatchError(f"{where}: root {root} is not a directory")
    try:
        args = _words(row.get("args"))
        env = row.get("env") or {}
        if isinstance(env, str):
            env = dict(item.split("=", 1) for item in shlex.split(env))
        if not isinstance(env, dict):
            raise ValueError("'env' is NAME=VALUE words or a mapping")
        tables = [host(t) for t in _words(row.get("tables"))]
    except ValueError as exc:
        raise BatchError(f"{where}: {exc}") from None
    stdin = b""
    if row.get("stdin"):
        try:
            stdin = Path(host(row["stdin"])).read_bytes()
        except OSError as exc:
            raise BatchError(f"{where}: stdin: {exc}") from None
    elif row.get("input"):
        stdin = str(row["input"]).encode()
    if not root and not Path(host(program)).is_file():
        raise BatchError(f"{where}: {program}: no such file")
    return Task(program=program if root else host(program), args=args, root=root, stdin=stdin,
                env={str(k): str(v) for k, v in env.items()}, tables=tables)


def _words(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return shlex.split(str(value))
