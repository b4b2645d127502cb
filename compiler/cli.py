"""The `tblc` command: build, check, list, fmt, export, import, diff, pe-imports and run.

Exit status: 0 on success; 1 for spec errors; 2 for usage and environment errors; for `run`,
the guest's own exit status (128+signal when a signal killed it)."""
from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from .diagnostics import SpecError, render_all


def _err(message: str) -> None:
    sys.stderr.write(f"tblc: {message}\n")


def cmd_build(args) -> int:
    from .build import BuildError, build, table_files

    try:
        files = table_files(Path(args.tables_dir) if args.tables_dir else None,
                            [Path(f) for f in args.files])
        result = build(files, Path(args.cache) if args.cache else None,
                       log=lambda m: print(m), target=args.target)
    except SpecError as exc:
        sys.stderr.write(render_all(exc.diagnostics) + "\n")
        return 1
    except BuildError as exc:
        _err(str(exc))
        return 2
    if args.verbose:
        print(result.directory)
    return 0


def cmd_check(args) -> int:
    from .check import check_file

    diags = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            _err(f"{name}: no such file")
            return 2
        diags.extend(check_file(path, check_python=not args.no_handlers))
    if diags:
        sys.stderr.write(render_all(diags) + "\n")
        return 1
    print(f"tblc: {len(args.files)} file{'s' if len(args.files) != 1 else ''} OK")
    return 0


def _find_table(name: str) -> Path:
    from .build import TABLES_DIR

    path = Path(name)
    if path.is_file():
        return path
    candidate = TABLES_DIR / f"{name}.tbl"
    if candidate.is_file():
        return candidate
    raise FileNotFoundError(name)


def _load_listed(args):
    """The table list and export show: at --target when it is one of its versions."""
    from .build import _target_missing
    from .check import load_table

    path = _find_table(args.table)
    table = load_table(path, check_python=False, target=args.target)
    if args.target:
        missing = _target_missing(args.target, [table], {table.name: path})
        if missing:
            raise SpecError(missing)
    return table


def cmd_list(args) -> int:
    try:
        table = _load_listed(args)
    except FileNotFoundError:
        _err(f"no table '{args.table}' (give a .tbl path or a bundled table name)")
        return 2
    except SpecError as exc:
        sys.stderr.write(render_all(exc.diagnostics) + "\n")
        return 1
    gates = ", ".join(str(g) for g in table.gates)
    version = f", {table.version} (of {len(table.versions)} versions)" if table.version else ""
    print(f"# {table.name}: platform {table.platform}, {table.arch}, gate {gates}, "
          f"{len(table.entries)} calls{version}")
    width = max((len(e.name) for e in table.entries), default=4)
    for e in table.entries:
        handler = {"c": "C", "py": "Python", "fail": "fails", None: "unimplemented"}[e.handler.kind]
        if e.handler.error:
            handler += f" {e.handler.error}"
        elif e.handler.function:
            handler += f" ({e.handler.function})"
        sig = ", ".join(f"{a.type} {a.name}" for a in e.args)
        print(f"{e.number:5d}  {e.name:<{width}}  ({sig}) -> {e.ret}  [{handler}]")
    return 0


def cmd_fmt(args) -> int:
    from .fmt import format_text

    diags, unformatted = [], []
    for name in args.files:
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _err(f"{name}: cannot read: {getattr(exc, 'strerror', None) or exc}")
            return 2
        formatted, found = format_text(text, str(path))
        if found:
            diags.extend(found)
            continue
        if formatted == text:
            continue
        unformatted.append(name)
        if args.check:
            print(f"tblc: {name} is not formatted")
        else:
            path.write_text(formatted, encoding="utf-8")
            print(f"tblc: formatted {name}")
    if diags:
        sys.stderr.write(render_all(diags) + "\n")
        return 1
    return 1 if args.check and unformatted else 0


def cmd_export(args) -> int:
    from .export import EXPORTERS

    try:
        table = _load_listed(args)
    except FileNotFoundError:
        _err(f"no table '{args.table}' (give a .tbl path or a bundled table name)")
        return 2
    except SpecError as exc:
        sys.stderr.write(render_all(exc.diagnostics) + "\n")
        return 1
    text = EXPORTERS[args.format](table)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text)
    except OSError as exc:
        _err(f"cannot write {args.output}: {exc.strerror or exc}")
        return 2
    return 0


def cmd_import(args) -> int:
    from .build import TABLES_DIR
    from .importer import TableImportError, base_path, regenerate

    tables_dir = Path(args.tables_dir) if args.tables_dir else TABLES_DIR
    data_dir = Path(args.data) if args.data else None
    try:
        text = regenerate(args.table, tables_dir, data_dir, args.column)
    except (TableImportError, OSError) as exc:
        _err(str(exc))
        return 2
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.output) if args.output else base_path(tables_dir, args.table)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    except OSError as exc:
        _err(f"cannot write {out}: {exc.strerror or exc}")
        return 2
    print(f"tblc: wrote {out}")
    return 0


def cmd_diff(args) -> int:
    from .diff import DiffError, diff_bases

    try:
        lines = diff_bases(Path(args.old), Path(args.new))
    except DiffError as exc:
        if exc.diagnostics:
            sys.stderr.write(render_all(exc.diagnostics) + "\n")
        else:
            _err(str(exc))
        return 2
    for line in lines:
        print(line)
    return 1 if lines else 0


class _Forgiving:
    """stderr for a run: a closed or full stderr must not change the guest's exit status."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        try:
            return self.stream.write(text)
        except (OSError, ValueError):
            return len(text)

    def flush(self):
        try:
            self.stream.flush()
        except (OSError, ValueError):
            pass

    def __getattr__(self, name):
        return getattr(self.stream, name)


def cmd_pe_imports(args) -> int:
    """Each imported DLL and function of PE programs and whether sysvec provides it."""
    from sysvec.runtime.errors import ExecError
    from sysvec.runtime.win32.importscan import render, scan

    from .build import BuildError, build, table_files

    try:
        result = build(table_files(), log=lambda m: None)
    except (SpecError, BuildError) as exc:
        _err(f"cannot build the tables: {exc}")
        return 2
    status, reports = 0, []
    for name in args.programs:
        path = Path(name)
        if not path.is_file():
            _err(f"{name}: no such file")
            status = 2
            continue
        try:
            report = scan(path, result.directory / "dlls")
        except (ExecError, OSError) as exc:
            _err(str(exc))
            status = 2
            continue
        reports.append(report)
        print(render(report, missing_only=args.missing))
        if report.missing and status == 0:
            status = 1
    if len(reports) > 1:
        total = sum(r.total for r in reports)
        missing = sorted({m.split("!", 1)[1] for r in reports for m in r.missing})
        print(f"total: {len(reports)} programs, {total - sum(len(r.missing) for r in reports)} "
              f"of {total} imports provided, {len(missing)} distinct functions missing")
    return status


def cmd_run(args) -> int:
    import gc
    gc.disable()   # start-up allocates much and frees little: no collections until it is done
    import signal
    from sysvec.runtime.errors import ExecError, HostInterrupt, SysvecError
    from sysvec.runtime.machine import Machine

    machine = None

    def interrupt(signum, frame):
        # Keys a guest on the host terminal owns (^C, ^\\, ^Z) and resizes go to the guest;
        # otherwise this is raised wherever Python is: the runtime undoes an interrupted
        # call and unwinds out of Machine.run; no guest sees it (see HostInterrupt).
        if machine is not None and machine.terminal_signal(signum):
            return
        if signum in (signal.SIGTSTP, signal.SIGWINCH):
            return
        raise HostInterrupt(signum)

    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, interrupt)
    trace_sink = sys.stderr   # a failing trace sink stops tracing (runtime.trace)
    sys.stderr = _Forgiving(sys.stderr)

    env = {}
    for item in args.env:
        if "=" not in item:
            _err(f"--env takes NAME=VALUE, not {item!r}")
            return 2
        key, value = item.split("=", 1)
        env[key] = value
    try:
        limits = _limits(args)
    except SizeError as exc:
        _err(str(exc))
        return 2
    tmp = None
    if args.root:
        root, program = Path(args.root), args.program
        if not root.is_dir():
            _err(f"--root {args.root}: not a directory")
            return 2
    else:
        host = Path(args.program)
        if host.is_dir():
            _err(f"{args.program}: is a directory, not a program (to run a program inside a "
                 f"directory tree, give --root {args.program} and the program's path in it)")
            return 126
        if not host.is_file():
            _err(f"{args.program}: no such file")
            return 127
        import shutil
        import tempfile

        tmp = tempfile.mkdtemp(prefix="sysvec-root-")
        root = Path(tmp)
        shutil.copy2(host, root / host.name)
        program = "/" + host.name
    trace = trace_sink if args.trace or args.expr or args.trace_callers else None   # -e implies --trace
    try:
        machine = Machine(root=root, manifest=args.manifest, trace=trace,
                          trace_json=args.trace_json, limits=limits, env=env,
                          tables=[Path(t) for t in args.table], target=args.target,
                          gdb=args.gdb, gdb_wait=args.gdb_wait == "yes",
                          trace_callers=args.trace_callers,
                          publish=args.publish, allow_connect=args.allow_connect,
                          attrs=args.attrs)
        if args.expr:
            from sysvec.runtime.trace_filter import TraceFilter, TraceFilterError
            try:
                machine.tracer.use_filter(TraceFilter(args.expr), machine.kernel)
            except TraceFilterError as exc:
                _err(str(exc))
                machine.close()
                return 2
        proc = machine.spawn(program, [program if not args.root else args.program] + args.args,
                             tty=args.tty)
        if args.tty:
            proc.terminal.bridge(0, 1)    # host stdin types, host stdout shows the screen
        if args.tty or machine.host_terminal is not None:
            for signum in (signal.SIGQUIT, signal.SIGTSTP, signal.SIGWINCH):
                signal.signal(signum, interrupt)
        # What start-up made (tables, handlers, modules) lives as long as the process: out of
        # the collector's way, so no full collection walks it again (a ~15% cost of a start).
        gc.freeze()
        gc.enable()
        finished = machine.run()
        if not finished:
            _err("time limit reached: killing every process")
            machine.kill_all()
        machine.close()
    except SpecError as exc:
        sys.stderr.write(render_all(exc.diagnostics) + "\n")
        return 1
    except ExecError as exc:
        if tmp and exc.errno == errno.ENOENT:
            # The program is there (we copied it): what is missing is its interpreter (ld.so,
            # a #! line's shell), which a root made of one file cannot hold.
            _err(f"{exc}: {args.program} needs it, but without --root the guest's root holds "
                 f"only {args.program} itself; give --root DIR, a directory tree with the "
                 "interpreter and libraries in it, and the program's path inside DIR")
        else:
            _err(str(exc))
        return exc.shell_status
    except SysvecError as exc:
        _err(str(exc))
        return 2
    except HostInterrupt as exc:
        if machine is not None:
            machine.kill_all()
            machine.close()
        return 128 + exc.signum
    finally:
        if machine is not None:
            machine.restore_terminals()   # also on an internal error
        if tmp:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    return proc.returncode if proc.returncode is not None else 1


def _limits(args) -> dict:
    """The Limits overrides the run options ask for; SizeError names a bad one."""
    limits = {}
    for option, key in (("max_procs", "max_processes"), ("max_fds", "max_fds")):
        value = getattr(args, option)
        if value is not None:
            if value < 1:
                raise SizeError(f"--{option.replace('_', '-')} must be at least 1")
            limits[key] = value
    if args.max_memory:
        limits["pages_per_process"] = _size(args.max_memory, 4096) >> 12
    if args.max_total_memory:
        limits["pool_pages"] = _size(args.max_total_memory, 4096) >> 12
    if args.max_output:
        limits["max_output"] = _size(args.max_output, 1)
    if args.timeout:
        if not args.timeout > 0:
            raise SizeError("--timeout must be a positive number of seconds")
        limits["max_seconds"] = args.timeout
    if args.quantum is not None:
        if args.quantum < 0:
            raise SizeError("--quantum must be 0 (never preempt) or a number of blocks")
        limits["quantum"] = args.quantum
    return limits


def _size(text: str, least: int = 1) -> int:
    """A byte count: 4096, 64k, 256M, 2G. Anything else is a usage error (SizeError)."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    raw = text
    text = text.strip().lower().rstrip("b")
    scale = 1
    if text and text[-1] in units:
        text, scale = text[:-1], units[text[-1]]
    if not text.isdigit():
        raise SizeError(f"{raw!r} is not a size (a whole number, optionally k, M or G)")
    value = int(text) * scale
    if value < least:
        raise SizeError(f"{raw!r} is less than {'one 4 KiB page' if least == 4096 else least}")
    return value


class SizeError(ValueError):
    pass


def parser() -> argparse.ArgumentParser:
    from sysvec import __version__

    ap = argparse.ArgumentParser(prog="tblc", description="sysvec system-call table compiler and runtime")
    ap.add_argument("--version", action="version", version=f"tblc (sysvec) {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="compile the table specs into the trap-path extension")
    b.add_argument("files", nargs="*", help="extra .tbl files beyond the bundled tables/")
    b.add_argument("--tables-dir", help="directory of .tbl files (default: the bundled tables/)")
    b.add_argument("--cache", help="build cache directory (default: $SYSVEC_CACHE, a checkout's build/tblc, "
                   "else ~/.cache/sysvec/tblc)")
    b.add_argument("--target", metavar="VERSION", help="the version of each versioned table, "
                   "e.g. \"Windows XP (SP3)\" (default: each overlay's 'version')")
    b.add_argument("-v", "--verbose", action="store_true")
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("check", help="report every diagnostic in the given specs")
    c.add_argument("files", nargs="+")
    c.add_argument("--no-handlers", action="store_true", help="do not import Python handler modules")
    c.set_defaults(func=cmd_check)

    li = sub.add_parser("list", help="list a table: number, name, signature, handler")
    li.add_argument("table", help="a bundled table name or a .tbl path")
    li.add_argument("--target", metavar="VERSION", help="a versioned table at this version")
    li.set_defaults(func=cmd_list)

    fm = sub.add_parser("fmt", help="rewrite specs in the canonical column layout")
    fm.add_argument("files", nargs="+")
    fm.add_argument("--check", action="store_true",
                    help="change nothing; exit 1 when a file is not formatted")
    fm.set_defaults(func=cmd_fmt)

    ex = sub.add_parser("export", help="write a table as JSON or CSV (schema: compiler/table.schema.json)")
    ex.add_argument("table", help="a bundled table name or a .tbl path")
    ex.add_argument("--format", choices=("json", "csv"), default="json")
    ex.add_argument("--target", metavar="VERSION", help="a versioned table at this version")
    ex.add_argument("-o", "--output", metavar="FILE", help="where to write (default: standard output)")
    ex.set_defaults(func=cmd_export)

    df = sub.add_parser("diff", help="what changed between two generated bases (exit 1 if anything)")
    df.add_argument("old")
    df.add_argument("new")
    df.set_defaults(func=cmd_diff)

    im = sub.add_parser("import", help="regenerate a bundled table's generated base from its source data")
    im.add_argument("table", help="linux_x86_64, linux_i386, nt_x86 or nt_x64")
    im.add_argument("--column", action="append", help="NT: a Windows version column of the CSV "
                    "(repeat for a base with several versions; default: every version)")
    im.add_argument("--data", help="directory holding nt-syscalls-x86.csv / -x64.csv")
    im.add_argument("--tables-dir")
    im.add_argument("-o", "--output", help="where to write (default: tables/base/TABLE.tbl; - for stdout)")
    im.set_defaults(func=cmd_import)

    pi = sub.add_parser("pe-imports", help="list a PE program's imports and whether sysvec "
                        "provides each (exit 1 when any is missing)")
    pi.add_argument("programs", nargs="+", metavar="PROGRAM.exe")
    pi.add_argument("--missing", action="store_true", help="list only the missing functions")
    pi.set_defaults(func=cmd_pe_imports)

    r = sub.add_parser("run", help="run a program under sysvec",
                       usage="tblc run [OPTIONS] PROGRAM [ARGS ...]",
                       description="Run PROGRAM (and whatever it starts) on one emulated core, "
                       "each process with the system-call table of its own platform. The exit "
                       "status is the guest's (128+signal when a signal ended it).")
    r.add_argument("--trace", action="store_true", help="strace-style lines on stderr")
    r.add_argument("-e", dest="expr", action="append", default=[], metavar="trace=SET",
                   help="trace only SET, in strace's syntax: names, %%file, %%process, %%network, "
                   "%%signal, %%ipc, %%memory, %%desc, %%creds, %%clock, all, none; a leading ! "
                   "negates (implies --trace)")
    r.add_argument("--trace-callers", action="store_true",
                   help="--trace, naming the function (and source line) that made each call")
    r.add_argument("--trace-json", metavar="FILE", help="Chrome trace-event timeline")
    r.add_argument("--root", metavar="DIR", help="guest root directory; PROGRAM is then a path "
                   "inside it, and what the guest writes lands in DIR on the host (default: a "
                   "fresh empty root holding a copy of PROGRAM, removed afterwards)")
    r.add_argument("--attrs", metavar="FILE", help="keep the file owners, set-id bits and device "
                   "nodes the guest sets (which the root's host files never carry) in FILE, "
                   "and start from what FILE holds: a root set up once stays so across runs")
    r.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                   help="set a variable in the guest's environment (repeatable); the guest "
                   "does not inherit the host's environment")
    r.add_argument("--manifest", metavar="FILE", help="machine manifest (YAML; docs/manifest.md)")
    r.add_argument("--table", action="append", default=[], metavar="FILE.tbl",
                   help="an extra table spec to build and load (repeatable)")
    r.add_argument("--target", metavar="VERSION", help="the version of each versioned table "
                   "(NT: a Windows version, e.g. \"Windows XP (SP3)\")")
    add_limit_options(r)
    r.add_argument("--gdb", metavar="HOST:PORT", help="serve gdb's remote protocol on a loopback "
                   "address (port 0: any free port); `target extended-remote HOST:PORT`")
    r.add_argument("--gdb-wait", choices=("yes", "no"), default="yes",
                   help="yes: nothing runs until gdb connects (default); no: run until it does")
    r.add_argument("--publish", action="append", default=[], metavar="HOSTPORT:GUESTPORT",
                   help="answer host 127.0.0.1:HOSTPORT with the guest's GUESTPORT")
    r.add_argument("--allow-connect", action="append", default=[], metavar="127.0.0.1:PORT",
                   help="let guests connect to this host loopback port (nothing else leaves)")
    r.add_argument("--tty", action="store_true",
                   help="run on a new pseudo-terminal of the machine, its keyboard the host's "
                   "stdin and its screen the host's stdout (even when they are not a terminal)")
    r.add_argument("program", metavar="PROGRAM", help="the program: a host file (copied into "
                   "an empty root), or with --root a path inside the root")
    r.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS",
                   help="its arguments (optional; everything after PROGRAM goes to the guest)")
    r.set_defaults(func=cmd_run)

    from sysvec.runtime.batch.cli import add_parser as add_batch
    add_batch(sub)
    return ap


def add_limit_options(p: argparse.ArgumentParser, timeout: float | None = None) -> None:
    """The run limits `_limits` reads, shared by `run` and `batch`."""
    p.add_argument("--max-procs", type=int, metavar="N",
                   help="processes and threads alive at once (default 256)")
    p.add_argument("--max-memory", metavar="SIZE", help="per-process memory limit, e.g. 512M "
                   "(default 1G)")
    p.add_argument("--max-total-memory", metavar="SIZE",
                   help="memory all processes may touch together, e.g. 1G (default 1G)")
    p.add_argument("--max-output", metavar="SIZE", help="bytes the guests may write to the "
                   "terminal, e.g. 10M; past it a writer gets SIGXFSZ (default: unlimited)")
    p.add_argument("--max-fds", type=int, metavar="N",
                   help="open descriptors per process (default 1024)")
    p.add_argument("--timeout", type=float, default=timeout, metavar="SECONDS",
                   help="wall-clock seconds before every process is killed"
                   + (f" (default {timeout:g})" if timeout else ""))
    p.add_argument("--quantum", type=int, metavar="BLOCKS", help="basic blocks a process runs before preemption "
                   "(default 20000; 0: never)")


def _standard_descriptors() -> None:
    """A closed stdin/stdout/stderr is reopened on /dev/null, so no file the runtime opens
    later takes descriptor 0-2 and receives what was meant for the terminal."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)   # the lowest free descriptor: this one
            if getattr(sys, name) is None:
                setattr(sys, name, open(fd, "r" if fd == 0 else "w", closefd=False))


def main(argv: list[str] | None = None) -> int:
    _standard_descriptors()
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 141
    except Exception as exc:  # a bug of ours: say so plainly, traceback only on request
        if os.environ.get("SYSVEC_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set SYSVEC_DEBUG=1 for a traceback)")
        return 70
    except BaseException as exc:
        # A host signal that landed outside the run (runtime.errors.HostInterrupt).
        signum = getattr(exc, "signum", None)
        if isinstance(signum, int) and not isinstance(exc, Exception):
            return 128 + signum
        raise


if __name__ == "__main__":
    sys.exit(main())
