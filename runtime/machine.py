"""The embedding API: a Machine runs programs of several platforms on one emulated core.

    from sysvec.runtime import Machine
    m = Machine(root="/tmp/root")
    p = m.spawn("/bin/busybox", ["echo", "hi"])
    m.run()
    p.returncode      # 0, or 128+signal like a shell

The CLI (`tblc run`) uses only this module."""
from __future__ import annotations

import functools
import math
import os
import sys
from dataclasses import fields
from pathlib import Path

from .binfmt.batch import BatchHandler
from .binfmt.elf import ElfHandler
from .binfmt.flat import MysysHandler
from .binfmt.misc import MiscHandler
from .binfmt.script import ScriptHandler
from .errors import KernelError, ManifestError, SysvecError
from .kernel import Kernel, Limits
from .sched import Scheduler
from .tables import load_sysvecs
from .trace import Tracer
from sysvec.compiler.textfile import read_text

DEFAULT_LINKS = {"elf64": "linux_x86_64", "elf32": "linux_i386", "mysys": "mysys",
                 "pe32": "nt_x86", "pe64": "nt_x64", "batch": "nt_x64"}
DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
ENTRY_POINT_GROUP = "sysvec.binfmts"


def default_env(extra: dict | None = None) -> dict:
    env = {"PATH": DEFAULT_PATH, "HOME": "/"}
    if "TERM" in os.environ:
        env["TERM"] = os.environ["TERM"]
    env.update(extra or {})
    return env


class Process:
    """A handle on a spawned process."""

    def __init__(self, machine: "Machine", pcb, terminal=None):
        self.machine, self._pcb = machine, pcb
        self.terminal = terminal   # spawn(tty=True): write keys, read the screen (runtime/tty)

    @property
    def pcb(self):
        """The process's PCB: the one spawned, or the thread that took its pid by execve."""
        return self._pcb.pid_holder()

    @property
    def pid(self) -> int:
        return self.pcb.pid

    @property
    def running(self) -> bool:
        return self.pcb.alive

    @property
    def wait_status(self) -> int | None:
        return self.pcb.exit_status

    @property
    def returncode(self) -> int | None:
        """Exit code, or 128+signal number when a signal killed it (as a shell reports)."""
        status = self.pcb.exit_status
        if status is None:
            return None
        return 128 + (status & 0x7F) if status & 0x7F else status >> 8

    @property
    def signal(self) -> int | None:
        status = self.pcb.exit_status
        return status & 0x7F if status is not None and status & 0x7F else None


def load_manifest(path) -> dict:
    import yaml

    try:
        data = yaml.safe_load(read_text(path)) or {}
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ManifestError(f"{path}: {exc}") from None
    except RecursionError:      # the YAML reader recurses once per level of nesting
        raise ManifestError(f"{path}: nested too deeply") from None
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: a manifest is a mapping")
    data = check_manifest(data, str(path))
    # Paths in a manifest are the manifest's: relative ones resolve against its directory,
    # wherever tblc runs from.
    here = Path(path).resolve().parent
    if data.get("root") is not None:
        data["root"] = str(here / data["root"])
    if data.get("tables"):
        data["tables"] = [str(here / t) for t in data["tables"]]
    return data


# What each manifest key holds: (type, element type or None).
MANIFEST_SHAPE = {"root": (str, None), "tables": (list, str), "links": (dict, str),
                  "env": (dict, str), "limits": (dict, None), "binfmts": (list, dict),
                  "targets": (dict, str),   # table -> the version of a versioned table
                  "network": (dict, None)}
NETWORK_KEYS = {"hostname", "publish", "allow_connect"}


def check_manifest(data: dict, where: str = "manifest") -> dict:
    """The manifest's keys have the shapes sysvec reads, or a ManifestError names the key."""
    for key, value in data.items():
        if key not in MANIFEST_SHAPE:
            raise ManifestError(f"{where}: unknown key '{key}' "
                                f"(known: {', '.join(sorted(MANIFEST_SHAPE))})")
        kind, element = MANIFEST_SHAPE[key]
        if value is None:
            continue
        if not isinstance(value, kind):
            raise ManifestError(f"{where}: '{key}' must be a {kind.__name__}")
        items = value.values() if kind is dict else value if kind is list else ()
        if element is not None and not all(isinstance(v, element) for v in items):
            raise ManifestError(f"{where}: every entry of '{key}' must be a {element.__name__}")
        if kind is dict and not all(isinstance(k, str) for k in value):
            raise ManifestError(f"{where}: the names in '{key}' must be strings")
    return data


# The least each limit can be and still run a program: the standard descriptors, the first
# process, a page; and the most any can be (the C side keeps them in 64-bit words).
LEAST = {"max_fds": 3, "max_processes": 1, "pages_per_process": 1, "pool_pages": 1}
MOST = 1 << 62


def limits_from(options: dict | None) -> Limits:
    limits = Limits()
    names = {f.name for f in fields(Limits)}
    for key, value in (options or {}).items():
        if key not in names:
            raise ManifestError(f"unknown limit '{key}' (known: {', '.join(sorted(names))})")
        kind = int if key == "quantum" else type(getattr(limits, key))
        least = LEAST.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                not math.isfinite(value) or not least <= value <= MOST:
            raise ManifestError(f"limit '{key}' must be a number from {least} to {MOST}, "
                                f"not {value!r}")
        setattr(limits, key, kind(value))
    return limits


def plugins_declared(path: list[str] | None = None) -> bool:
    """Whether an installed distribution on the path (sys.path) declares an entry point of
    the group: its entry_points.txt names the group. Much cheaper than importlib.metadata,
    which reads every distribution's metadata and imports the email package, on every start."""
    needle = f"[{ENTRY_POINT_GROUP}]"
    for entry in sys.path if path is None else path:
        directory = entry or "."
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(directory, name, "entry_points.txt"), "rb") as f:
                    if needle.encode() in f.read():
                        return True
            except OSError:
                continue
    return False


@functools.cache
def _plugin_entry_points() -> tuple:
    """The installed binfmt plugins, looked up once per process (a batch worker makes a
    Machine per program); importlib.metadata only when some distribution declares one."""
    if not plugins_declared():
        return ()
    from importlib.metadata import entry_points

    return tuple(entry_points(group=ENTRY_POINT_GROUP))


class Machine:
    def __init__(self, root=None, manifest=None, tables: list | None = None, trace=None,
                 trace_json: str | None = None, limits: Limits | dict | None = None,
                 env: dict | None = None, build_log=lambda msg: None, target: str | None = None,
                 gdb: str | None = None, gdb_wait: bool = True, trace_callers: bool = False,
                 publish: list | None = None, allow_connect: list | None = None,
                 attrs=None):
        from sysvec.compiler.build import BuildError, build, load_module, table_files

        spec = load_manifest(manifest) if isinstance(manifest, (str, Path)) else \
            check_manifest(dict(manifest or {}))
        root = root or spec.get("root")
        if root is None:
            raise SysvecError("a machine needs a root directory")
        root = Path(root)
        if not root.is_dir():
            raise SysvecError(f"root {root} is not a directory")
        extra_tables = [Path(t) for t in (tables or []) + list(spec.get("tables") or [])]
        try:
            result = build(table_files(extra=extra_tables), log=build_log, target=target,
                           targets=spec.get("targets"))
        except BuildError as exc:   # a missing table file, or the C compiler failed
            raise SysvecError(str(exc)) from None
        module = load_module(result)
        if not isinstance(limits, Limits):
            merged = dict(spec.get("limits") or {})
            merged.update(limits or {})
            limits = limits_from(merged)
        self.tracer = Tracer(trace, trace_json) if (trace is not None or trace_json) else None
        if self.tracer is not None:
            self.tracer.callers = trace_callers
        self.kernel = Kernel(module, load_sysvecs(module, result.meta_path), root, limits,
                             self.tracer)
        self.kernel.dll_dir = result.directory / "dlls"
        # The owners, set-id bits and device nodes the guest sets (runtime/iattr.py), kept
        # across machines in this file when one is given.
        self.attrs_file = Path(attrs) if attrs is not None else None
        if self.attrs_file is not None:
            from .iattr import AttrFileError
            try:
                self.kernel.fs.iattrs.load(self.attrs_file)
            except AttrFileError as exc:
                self.kernel.close()
                raise SysvecError(str(exc)) from None
        self._network(spec.get("network") or {}, publish or [], allow_connect or [])
        self.scheduler = Scheduler(self.kernel)
        self.kernel.scheduler = self.scheduler
        self.env = default_env({**(spec.get("env") or {}), **(env or {})})
        self._register_binfmts(spec)
        self.gdb = None
        self.closed = False
        if gdb:
            # A gdb remote server on a loopback HOST:PORT; with gdb_wait nothing runs before
            # gdb connects, else the machine runs until it does.
            from .gdbstub import GdbServer
            self.gdb = self.scheduler.debugger = GdbServer(self.kernel, gdb, wait=gdb_wait)

    def _network(self, options: dict, publish: list, allow: list) -> None:
        """The machine's own network; host ports only as the manifest or caller names them."""
        from .net import DEFAULT_HOSTNAME, Network

        unknown = set(options) - NETWORK_KEYS
        if unknown:
            raise ManifestError(f"network: unknown key '{sorted(unknown)[0]}' "
                                f"(known: {', '.join(sorted(NETWORK_KEYS))})")
        for key in ("publish", "allow_connect"):
            if not isinstance(options.get(key, []), list):
                raise ManifestError(f"network: '{key}' must be a list")
        publish = list(options.get("publish", [])) + publish
        allow = list(options.get("allow_connect", [])) + allow
        net = self.kernel.net = Network(self.kernel, str(options.get("hostname", DEFAULT_HOSTNAME)))
        if publish or allow:   # host sockets only for a machine that reaches the host
            from .net.host import HostAccess, parse_allow, parse_publish

            net.host = HostAccess(net, [parse_publish(x) for x in publish],
                                  [parse_allow(x) for x in allow])

    def _register_binfmts(self, spec: dict) -> None:
        k = self.kernel
        for entry in spec.get("binfmts", []) or []:
            handler = MiscHandler.from_manifest(entry)
            k.binfmts.register(handler)
            for fmt in handler.formats:
                k.tables.link(fmt, handler.platform)
        k.binfmts.register(ElfHandler())
        k.binfmts.register(MysysHandler())
        k.binfmts.register(ScriptHandler())
        k.binfmts.register(BatchHandler())
        try:
            from .binfmt.pe import PeHandler
            k.binfmts.register(PeHandler())
        except ImportError:
            pass
        for fmt, platform in DEFAULT_LINKS.items():
            k.tables.link(fmt, platform)
        for fmt, platform in (spec.get("links") or {}).items():
            k.tables.link(fmt, platform)
        self._load_plugins()

    def _load_plugins(self) -> None:
        """Third-party binary formats: entry points returning a handler (with .formats and
        optionally .platform_links) registered ahead of the built-in ones."""
        for ep in _plugin_entry_points():
            handler = ep.load()()
            self.kernel.binfmts.register(handler, first=True)
            for fmt, platform in getattr(handler, "platform_links", {}).items():
                self.kernel.tables.link(fmt, platform)

    # --- API ------------------------------------------------------------------------------------

    def spawn(self, path: str, argv: list | None = None, env: dict | None = None,
              stdio=(0, 1, 2), cwd: str = "/", tty: bool = False) -> Process:
        """Start a program (a path inside the root). Raises ExecError if it cannot run.
        tty=True: its stdio is a new pty of the machine, and the returned process's
        `terminal` is the keyboard and screen (run() returns when the guest waits for keys).
        Host descriptors in stdio that are a terminal make that terminal the guest's."""
        from .tty.stdio import Stdio
        self._open()

        argv = [a if isinstance(a, bytes) else os.fsencode(a) for a in (argv or [path])]
        envd = dict(self.env)
        envd.update(env or {})
        envp = [f"{k}={v}".encode() for k, v in envd.items()]
        std = Stdio(self.kernel, stdio, tty)
        try:
            pcb = self.kernel.spawn(path, argv, envp, fds=std.fds, cwd=cwd)
        except BaseException:
            std.failed()
            raise
        std.started(pcb, self.tracer)
        return Process(self, pcb, std.terminal)

    def find_program(self, name: str, cwd: str = "/") -> str:
        """Where spawn finds name: a path as given; a bare name in cwd, else in the guest's
        PATH, as chroot's execvp searches it (the first regular file there)."""
        import stat as S
        self._open()
        fs = self.kernel.fs
        if "/" in name:
            return name
        for directory in [cwd] + self.env.get("PATH", "").split(":"):
            candidate = f"{directory.rstrip('/') or ''}/{name}" if directory else name
            try:
                if S.S_ISREG(fs.stat(cwd, candidate, True, None).st_mode):
                    return candidate
            except KernelError:
                continue
        return name

    @property
    def host_terminal(self):
        """The host's terminal the guests' stdio is on (runtime/tty/host.py), or None."""
        from .tty.host import HostTerminal
        return next((t for t in self.kernel.terminals if isinstance(t, HostTerminal)), None)

    def terminal_signal(self, signum: int) -> bool:
        """For a host signal handler: hand SIGINT/SIGQUIT/SIGTSTP to the foreground group
        of the host terminal the guests are on, and SIGWINCH to the guests' terminals.
        False when the signal is not the guests' (it is then the caller's own)."""
        from .tty.hostsig import terminal_signal
        return terminal_signal(self.kernel, signum)

    def restore_terminals(self) -> None:
        """Give every host terminal the settings it had before the guests changed them."""
        from .tty.stdio import restore_host_terminals
        restore_host_terminals(self.kernel)

    def run(self, max_blocks: int | None = None, max_seconds: float | None = None,
            until=None) -> bool:
        """Run until every process exits, or until() says the run is over (True), or a
        budget is spent (False)."""
        self._open()
        limits = self.kernel.limits
        done = self.scheduler.run(max_blocks if max_blocks is not None else limits.max_blocks,
                                  max_seconds if max_seconds is not None else limits.max_seconds,
                                  until)
        return done

    def session_over(self, proc) -> bool:
        """proc has exited and no process of its session lives on that the run waits for:
        what remains are daemons, which left the session (setsid), and processes of an ABI
        whose background children end with the program (Windows': Personality.
        outlives_program)."""
        pcb = proc.pcb
        while not pcb.alive and pcb.continued_by is not None:
            pcb = pcb.continued_by       # (an _exec's child goes on for the program)
        if pcb.alive:
            return False
        sid = proc.pcb.sid
        return not any(p.alive and p.sid == sid and _waited_for(p)
                       for p in self.kernel.procs.values())

    def kill_all(self, sig: int = 9) -> None:
        for proc in list(self.kernel.procs.values()):
            if proc.alive:
                self.kernel.exit_process(proc, sig, signaled=True)

    def close(self) -> None:
        """End what still runs, write the --trace-json timeline, and free the engines and the
        physical page pool. Idempotent; `with Machine(...) as m:` calls it."""
        if self.closed:
            return
        self.closed = True
        try:
            self.kill_all()
            self.restore_terminals()
            host = self.kernel.net.host
            if host is not None:
                host.close()       # what guests wrote to host connections still goes out
            if self.tracer:
                self.tracer.close()
            if self.gdb is not None:
                self.gdb.close()
            if self.attrs_file is not None:
                try:
                    self.kernel.fs.iattrs.save(self.attrs_file)
                except OSError as exc:
                    sys.stderr.write(f"sysvec: cannot keep the file attributes in "
                                     f"{self.attrs_file}: {exc.strerror}\n")
        finally:
            self.kernel.close()

    def __enter__(self) -> "Machine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _open(self) -> None:
        if self.closed:
            raise SysvecError("the machine is closed")

    @property
    def trace(self) -> list[dict]:
        return self.tracer.records if self.tracer else []

    @property
    def processes(self) -> list:
        return [Process(self, p) for p in self.kernel.procs.values()]

    @property
    def crash_reports(self) -> list[str]:
        return self.kernel.crash_reports


def _waited_for(pcb) -> bool:
    sysvec = pcb.sysvec
    return sysvec is None or sysvec.personality.outlives_program
