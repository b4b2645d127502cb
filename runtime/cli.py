"""The runtime's `tblc` commands: pe-imports, run and batch (runtime/batch/cli.py). The one
`tblc` parser (sysvec/cli.py) adds them after the compiler's.

Exit status of `run`: the guest's own (128+signal when a signal killed it); 2 for usage and
environment errors; 1 for spec errors in an extra table."""
from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path

from sysvec.compiler.cli import err
from sysvec.compiler.diagnostics import SpecError, render_all


def add_commands(sub) -> None:
    """pe-imports, run and batch, on the subcommand set of the `tblc` parser."""
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
    r.add_argument("--cwd", metavar="DIR", default="/", help="the guest's working directory, "
                   "a path inside the root, or as drive C: names it (default: /)")
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

    from .batch.cli import add_parser as add_batch
    add_batch(sub)


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
    p.add_argument("--quantum", type=int, metavar="BLOCKS", help="basic blocks a process runs "
                   "before preemption, counted, so a run repeats its interleaving (default: "
                   "slices of ~1 ms, timed; 0: never preempt)")


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
    from sysvec.compiler.build import BuildError, build, table_files

    from .errors import ExecError
    from .win32.importscan import render, scan

    try:
        result = build(table_files(), log=lambda m: None)
    except (SpecError, BuildError) as exc:
        err(f"cannot build the tables: {exc}")
        return 2
    status, reports = 0, []
    for name in args.programs:
        path = Path(name)
        if not path.is_file():
            err(f"{name}: no such file")
            status = 2
            continue
        try:
            report = scan(path, result.directory / "dlls")
        except (ExecError, OSError) as exc:
            err(str(exc))
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
    from .errors import ExecError, HostInterrupt, SysvecError
    from .machine import Machine

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
            err(f"--env takes NAME=VALUE, not {item!r}")
            return 2
        key, value = item.split("=", 1)
        env[key] = value
    try:
        limits = _limits(args)
    except SizeError as exc:
        err(str(exc))
        return 2
    tmp = None
    if args.root:
        root, program = Path(args.root), _root_path(args.program, args.root)
        if not root.is_dir():
            err(f"--root {args.root}: not a directory")
            return 2
    else:
        host = Path(args.program)
        if host.is_dir():
            err(f"{args.program}: is a directory, not a program (to run a program inside a "
                 f"directory tree, give --root {args.program} and the program's path in it)")
            return 126
        if not host.is_file():
            if host.exists():       # a FIFO, a device, a socket: exec says EACCES
                err(f"{args.program}: not a regular file, so not a program")
                return 126
            err(f"{args.program}: no such file")
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
            from .trace_filter import TraceFilter, TraceFilterError
            try:
                machine.tracer.use_filter(TraceFilter(args.expr), machine.kernel)
            except TraceFilterError as exc:
                err(str(exc))
                machine.close()
                return 2
        cwd = _root_path(args.cwd, args.root)
        if args.root:
            program = machine.find_program(program, cwd)
        proc = machine.spawn(program, [program if not args.root else args.program] + args.args,
                             cwd=cwd, tty=args.tty)
        if args.tty:
            proc.terminal.bridge(0, 1)    # host stdin types, host stdout shows the screen
        if args.tty or machine.host_terminal is not None:
            for signum in (signal.SIGQUIT, signal.SIGTSTP, signal.SIGWINCH):
                signal.signal(signum, interrupt)
        # What start-up made (tables, handlers, modules) lives as long as the process: out of
        # the collector's way, so no full collection walks it again (a ~15% cost of a start).
        gc.freeze()
        gc.enable()
        # The run ends with PROGRAM's session: a daemon it started (setsid) would otherwise
        # keep tblc waiting after PROGRAM is done; machine.close() ends what is left.
        finished = machine.run(until=lambda: machine.session_over(proc))
        if not finished:
            err("time limit reached: killing every process")
            machine.kill_all()
        machine.close()
    except SpecError as exc:
        sys.stderr.write(render_all(exc.diagnostics) + "\n")
        return 1
    except ExecError as exc:
        if tmp and exc.errno == errno.ENOENT:
            # The program is there (we copied it): what is missing is its interpreter (ld.so,
            # a #! line's shell), which a root made of one file cannot hold.
            err(f"{exc}: {args.program} needs it, but without --root the guest's root holds "
                 f"only {args.program} itself; give --root DIR, a directory tree with the "
                 "interpreter and libraries in it, and the program's path inside DIR")
        else:
            err(str(exc))
        return exc.shell_status
    except SysvecError as exc:
        err(str(exc))
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


def _root_path(program: str, root: str | None = None) -> str:
    """A program's (or --cwd's) path in the root; a Windows path (`C:\\pg\\bin\\psql.exe`)
    names the same file, the root being drive C: as its Windows processes see it, and as
    case-insensitively as they would (`C:\\PG\\Bin` finds pg/bin)."""
    if len(program) > 2 and program[0].isalpha() and program[1] == ":" and program[2] in "\\/":
        path = program[2:].replace("\\", "/")
        return _fold_case(root, path) if root else path
    return program


def _fold_case(root: str, path: str) -> str:
    """path with each component spelled as the root's directory spells it, where only the
    case differs (the first match, as NTFS finds one)."""
    import os
    here, out = root, []
    for name in [n for n in path.split("/") if n]:
        if not os.path.lexists(os.path.join(here, name)):
            try:
                name = next((n for n in sorted(os.listdir(here)) if n.lower() == name.lower()),
                            name)
            except OSError:
                pass
        out.append(name)
        here = os.path.join(here, name)
    return "/" + "/".join(out)


def _limits(args) -> dict:
    """The Limits overrides the run options ask for; SizeError names a bad one."""
    limits = {}
    for option, key in (("max_procs", "max_processes"), ("max_fds", "max_fds")):
        value = getattr(args, option)
        if value is not None:
            least = 3 if option == "max_fds" else 1     # the standard descriptors
            if not least <= value <= 1 << 62:
                raise SizeError(f"--{option.replace('_', '-')} must be from {least} to {1 << 62}")
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
        if not 0 <= args.quantum <= 1 << 62:
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


