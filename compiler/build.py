"""tblc build: specs -> checked models -> generated C, JSON, headers, stubs -> a cffi extension.

Every artefact lands in a directory named by a content hash of every input (specs, csrc/, the
compiler itself, the versions of Python, cffi and unicorn), so an unchanged build is a no-op.
A build is made in a temporary directory and renamed into place: a build killed half way
leaves the previous good one usable."""
from __future__ import annotations

import functools
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .textfile import read_bytes, read_text

if TYPE_CHECKING:   # a warm build (every `tblc run`) needs neither the model nor the checker
    from .model import Table

REPO = Path(__file__).resolve().parent.parent
TABLES_DIR = REPO / "tables"
CSRC_DIR = REPO / "csrc"
COMPILER_DIR = Path(__file__).resolve().parent
MODULE_PREFIX = "_sysvec_"
COMPLETE = "BUILD-COMPLETE"


class BuildError(Exception):
    """The C compiler or cffi failed; the message holds its output."""


@dataclass(frozen=True)
class BuildResult:
    directory: Path
    module_name: str
    fresh: bool  # False when the cache already held this build

    @property
    def meta_path(self) -> Path:
        return self.directory / "tables.json"


def default_cache_dir() -> Path:
    """SYSVEC_CACHE, else a source checkout's own build/, else the user's cache directory (an
    installed package's folder may not be writable, and is no place for build products)."""
    env = os.environ.get("SYSVEC_CACHE")
    if env:
        return Path(env)
    if (REPO / "pyproject.toml").exists():
        return REPO / "build" / "tblc"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sysvec" / "tblc"


def table_files(tables_dir: Path | None = None, extra: list[Path] | None = None) -> list[Path]:
    """The bundled (or given) directory's specs plus the extra ones; BuildError names an extra
    file that is not there."""
    directory = tables_dir or TABLES_DIR
    if not directory.is_dir():
        raise BuildError(f"{directory}: no such tables directory")
    files = sorted(directory.glob("*.tbl"))
    for path in extra or []:
        if not Path(path).is_file():
            raise BuildError(f"{path}: no such table file")
        if path.resolve() not in {f.resolve() for f in files}:
            files.append(path)
    return files


def dist_version(dist: str) -> str | None:
    """An installed distribution's version, from the name of the .dist-info directory beside
    its package (what importlib.metadata reads too, without importing it and the email
    package on every start); importlib.metadata when that directory is elsewhere."""
    spec = importlib.util.find_spec(dist)
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent.parent
        prefix = f"{dist}-"
        try:
            for entry in os.listdir(site):
                if entry.startswith(prefix) and entry.endswith(".dist-info"):
                    return entry[len(prefix):-len(".dist-info")]
        except OSError:
            pass
    from importlib import metadata
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


@functools.cache
def _versions() -> str:
    """Python's, cffi's and the engine's versions: those this process has loaded, so looked up
    once (a warm server retires when site-packages changes)."""
    parts = [sys.version]
    for dist in ("cffi", "unicorn"):
        parts.append(f"{dist}={dist_version(dist) or 'none'}")
    return "\n".join(parts)


def _inputs(files: list[Path]) -> list[tuple[str, Path]]:
    """Everything a build depends on, labelled: tables, their bases, the C sources, the compiler."""
    inputs = [(f"table:{f.name}", f) for f in files]
    inputs += [(f"base:{b.name}", b) for b in _bases(files)]
    return inputs + _sources()


def _sources() -> list[tuple[str, Path]]:
    """The C sources and the compiler's own files, labelled."""
    inputs = [(f"csrc:{p.name}", p) for p in sorted(CSRC_DIR.iterdir()) if p.is_file()]
    inputs += [(f"compiler:{p.name}", p) for p in sorted(COMPILER_DIR.iterdir())
               if p.suffix in (".py", ".lark")]
    return inputs


def _target_line(target: str | None, targets: dict | None) -> str:
    return f"target:{target!r}:{sorted((targets or {}).items())!r}\n"


def content_hash(files: list[Path], target: str | None = None, targets: dict | None = None,
                 inputs: list[tuple[str, Path]] | None = None) -> str:
    import hashlib

    h = hashlib.sha256(_versions().encode())
    h.update(_target_line(target, targets).encode())
    for label, path in inputs if inputs is not None else _inputs(files):
        data = read_bytes(path)
        h.update(f"{label}:{len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()[:16]


SETTLED_NS = 2_000_000_000   # inputs unchanged this long may be known by size and mtime


def _stat_lines(inputs: list[tuple[str, Path]]) -> tuple[str, int]:
    """Each input's label, path, size and mtime, one line each; and the newest mtime."""
    lines, newest = [], 0
    for label, path in inputs:
        st = path.stat()
        lines.append(f"{label}:{path}:{st.st_size}:{st.st_mtime_ns}\n")
        newest = max(newest, st.st_mtime_ns)
    return "".join(lines), newest


def build_digest(files: list[Path], cache: Path, target: str | None = None,
                 targets: dict | None = None) -> str:
    """content_hash of the inputs, or, when none changed size or mtime since a stamp in the
    cache recorded it, that digest: a warm start reads and hashes nothing. The stamp also
    lists the specs' bases (found by reading the specs), so a warm start need not read the
    specs to find them: unchanged specs name the same bases. As the program cache does,
    inputs changed within the last seconds get no stamp (a rewrite within the timestamps'
    granularity could keep both)."""
    import time
    import zlib

    own = [(f"table:{f.name}", f) for f in files] + _sources()
    own_lines, newest = _stat_lines(own)
    key = _versions() + "\n" + _target_line(target, targets) + own_lines
    stamp = cache / "stamps" / f"{zlib.crc32(key.encode()):08x}"
    try:
        recorded, _, digest = stamp.read_text().rpartition("\n")
        if recorded.startswith(key):
            bases = [line.split(":", 2) for line in recorded[len(key):].splitlines()]
            base_inputs = [(f"{kind}:{name}", Path(rest.rsplit(":", 2)[0]))
                           for kind, name, rest in bases]
            if _stat_lines(base_inputs)[0] == recorded[len(key):]:
                return digest
    except (OSError, ValueError):
        pass
    base_inputs = [(f"base:{b.name}", b) for b in _bases(files)]
    base_lines, newest_base = _stat_lines(base_inputs)
    inputs = own[:len(files)] + base_inputs + own[len(files):]
    digest = content_hash(files, target, targets, inputs)
    if max(newest, newest_base) < time.time_ns() - SETTLED_NS:
        tmp = stamp.with_name(f"{stamp.name}.{os.getpid()}.tmp")
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(key + base_lines + "\n" + digest)
            os.replace(tmp, stamp)
        except OSError:   # a read-only cache just hashes every time
            pass
    return digest


def _bases(files: list[Path]) -> list[Path]:
    """The files the overlays among FILES name (`base "FILE"`, `include "FILE"`), which
    exist: a change to an included spec is a change to the build."""
    import re
    found = []
    for f in files:
        try:
            text = read_text(f, errors="replace")
        except OSError:
            continue
        for m in re.finditer(r'^(?:base|include)\s+"([^"\n]+)"', text, re.M):
            if (f.parent / m[1]).is_file() and f.parent / m[1] not in found:
                found.append(f.parent / m[1])
    return found


def unicorn_paths() -> tuple[Path, Path]:
    """The include and lib directories of the unicorn wheel the Python binding loads."""
    spec = importlib.util.find_spec("unicorn")
    if spec is None or not spec.origin:
        raise BuildError("the unicorn Python package is not installed (pip install 'unicorn>=2.1.4,<2.2')")
    root = Path(spec.origin).parent
    include, lib = root / "include", root / "lib"
    if not (include / "unicorn" / "unicorn.h").exists() or not (lib / "libunicorn.so.2").exists():
        raise BuildError(f"the unicorn wheel at {root} lacks include/unicorn/unicorn.h or lib/libunicorn.so.2")
    return include, lib


def load_tables(files: list[Path], check_python: bool = True, target: str | None = None,
                targets: dict | None = None) -> list[Table]:
    """Check every spec; one SpecError holding the diagnostics of all files. Versioned tables
    are taken at TARGET where they have it, or at the version TARGETS names for them."""
    from .check import load_table
    from .diagnostics import SpecError

    tables, diags = [], []
    names: dict[str, Path] = {}
    for path in files:
        try:
            table = load_table(path, check_python, target, targets)
        except SpecError as exc:
            diags.extend(exc.diagnostics)
            continue
        except OSError as exc:
            from .diagnostics import Diagnostic
            from .model import Span
            diags.append(Diagnostic(Span(str(path), 1, 1, ""), f"cannot read: {exc.strerror}"))
            continue
        if table.name in names:
            from .diagnostics import Diagnostic
            diags.append(Diagnostic(table.entries[0].span if table.entries else
                                    Span(str(path), 1, 1, ""),
                                    f"table name '{table.name}' is also used by {names[table.name]}"))
        names[table.name] = path
        tables.append(table)
    for table in tables:
        if table.shadow and table.shadow not in names:
            from .diagnostics import Diagnostic
            from .model import Span
            diags.append(Diagnostic(Span(str(names[table.name]), 1, 1, ""),
                                    f"shadow table '{table.shadow}' is not part of this build"))
    if not diags and target and tables:
        diags += _target_missing(target, tables, names)
    if diags:
        raise SpecError(diags)
    return tables


def _target_missing(target: str, tables: list[Table], names: dict[str, Path]) -> list:
    """A diagnostic when no versioned table has the TARGET version."""
    from .diagnostics import Diagnostic
    from .model import Span
    from .overlay import find_version

    versioned = [t for t in tables if t.versions]
    if any(find_version(target, list(t.versions)) for t in versioned):
        return []
    where = Span(str(names[(versioned or tables)[0].name]), 1, 1, "")
    have = "; ".join(f"{t.name}: {', '.join(t.versions)}" for t in versioned) or "none"
    return [Diagnostic(where, f"no table has the version {target!r} (versioned tables: {have})")]


def generate(tables: list[tuple[Table, str]], out: Path) -> list[Path]:
    """Write every generated artefact into out; returns the C sources to compile."""
    from .emit_c import emit_module
    from .emit_headers import emit_header
    from .emit_meta import emit_meta
    from .emit_stubs import emit_stubs

    (out / "include").mkdir(parents=True, exist_ok=True)
    (out / "stubs").mkdir(exist_ok=True)
    (out / "tables.c").write_text(emit_module(tables))
    (out / "tables.json").write_text(emit_meta(tables))
    from .emit_dll import dlls_for, programs_for

    by_name = {t.name: t for t, _ in tables}
    for table, source in tables:
        (out / "include" / f"{table.name}.h").write_text(emit_header(table, source))
        (out / "stubs" / f"{table.name}.S").write_text(emit_stubs(table, source))
        if table.convention.errors == "ntstatus":
            dll_dir = out / "dlls" / table.platform
            dll_dir.mkdir(parents=True, exist_ok=True)
            for name, image in dlls_for(table, by_name.get(table.shadow)).items():
                (dll_dir / f"{name}.dll").write_bytes(image)
            for name, image in programs_for(table, by_name.get(table.shadow)).items():
                (dll_dir / name).write_bytes(image)
    return [out / "tables.c"]


def compile_module(module_name: str, generated_c: list[Path], out: Path) -> None:
    import shutil

    import cffi

    from .abi import MAX_ARGS, SHADOW_BIT
    include, lib = unicorn_paths()
    ffi = cffi.FFI()
    ffi.cdef((CSRC_DIR / "cdef.h").read_text())
    sources = [str(p) for p in sorted(CSRC_DIR.glob("*.c"))] + [str(p) for p in generated_c]
    ffi.set_source(
        module_name, '#include "sysvec.h"\n', sources=sources,
        include_dirs=[str(CSRC_DIR), str(include)], library_dirs=[str(lib)],
        define_macros=[("SV_SHADOW_BIT", f"{SHADOW_BIT:#x}u"), ("SV_MAX_ARGS", str(MAX_ARGS))],
        libraries=[":libunicorn.so.2"], extra_link_args=[f"-Wl,-rpath,{lib}"] + _sanitizer_flags(),
        extra_compile_args=["-O2", "-Wall", "-Wno-unused-function"] + _sanitizer_flags(),
    )
    work = out / "cffi"
    log = out / "compile.log"
    try:
        with _stderr_to(log):
            ffi.compile(tmpdir=str(work), verbose=False)
    except Exception as exc:  # distutils/cffi raise several unrelated types
        detail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
        raise BuildError(f"C compilation failed: {exc}\n{detail}") from exc
    built = next(work.glob(f"{module_name}*.so"), None)
    if built is None:
        raise BuildError(f"cffi produced no {module_name} module in {work}")
    shutil.move(str(built), out / built.name)


class _stderr_to:
    """Send fd 2 (where the C compiler writes) to a file for the duration."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        sys.stderr.flush()
        self.saved = os.dup(2)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 2)
        os.close(fd)

    def __exit__(self, *exc):
        sys.stderr.flush()
        os.dup2(self.saved, 2)
        os.close(self.saved)


def _sanitizer_flags() -> list[str]:
    """SYSVEC_SANITIZE=1 builds the C code with ASan and UBSan (a separate cache entry), and
    with the trap path's self-checks (SV_SELFCHECK) compiled in."""
    if os.environ.get("SYSVEC_SANITIZE"):
        return ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-g", "-DSV_SELFCHECK"]
    return []


# A warm server's build of the bundled tables (runtime/warmstart.py), whose inputs it watches:
# the first build() of the same tables in a run it forks is that one, without a stat of them.
_BUILT_AHEAD: dict = {}


def build_ahead(files: list[Path]) -> tuple[BuildResult, list[Path]]:
    """Build FILES and keep the result for this process's forked runs; returns it, and the
    paths whose change must retire the keeper (every input, and the build's completion mark)."""
    result = build(files)
    _BUILT_AHEAD[_ahead_key(files, None, None, default_cache_dir())] = result
    return result, [path for _, path in _inputs(files)] + [result.directory / COMPLETE]


def _ahead_key(files, target, targets, cache) -> tuple:
    return (tuple(map(str, files)), target, repr(sorted((targets or {}).items())), str(cache),
            os.environ.get("SYSVEC_SANITIZE"))


def build(files: list[Path] | None = None, cache_dir: Path | None = None,
          log=lambda msg: None, target: str | None = None,
          targets: dict | None = None) -> BuildResult:
    """Build the extension for these spec files, or reuse the cached build of the same inputs.
    TARGET (a version name, e.g. "Windows XP (SP3)") or TARGETS (table name -> version) pick
    the version of each versioned table; ntdll.dll and the dispatch arrays follow it."""
    files = files if files is not None else table_files()
    cache = cache_dir or default_cache_dir()
    ahead = _BUILT_AHEAD.pop(_ahead_key(files, target, targets, cache), None) \
        if _BUILT_AHEAD else None
    if ahead is not None:
        return ahead
    digest = build_digest(files, cache, target, targets) + \
        ("-san" if os.environ.get("SYSVEC_SANITIZE") else "")
    module_name = MODULE_PREFIX + digest.replace("-", "_")
    final = cache / digest
    if (final / COMPLETE).exists():
        log(f"tblc: up to date ({len(files)} tables, build {digest})")
        return BuildResult(final, module_name, fresh=False)
    import shutil
    import tempfile

    tables = load_tables(files, target=target, targets=targets)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{digest}.", dir=cache))
    try:
        sources = [(t, _display(f)) for t, f in zip(tables, files)]
        generated = generate(sources, tmp)
        compile_module(module_name, generated, tmp)
        shutil.rmtree(tmp / "cffi", ignore_errors=True)
        (tmp / COMPLETE).write_text(digest + "\n")
        if final.exists():  # a half-finished or concurrent build: replace it
            shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    (cache / "latest").write_text(digest + "\n")
    log(f"tblc: built {len(tables)} tables into {final}")
    return BuildResult(final, module_name, fresh=True)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return path.name


def load_module(result: BuildResult):
    """Import the built extension (once per process per build)."""
    if result.module_name in sys.modules:
        return sys.modules[result.module_name]
    so = next(result.directory.glob(f"{result.module_name}*.so"))
    spec = importlib.util.spec_from_file_location(result.module_name, so)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[result.module_name] = module
    return module
