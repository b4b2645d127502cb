"""The warm server (runtime/warmstart.py says what warm starts are; this is the server's side):
it imports the runtime, builds and binds the tables and prepares an engine of each width once,
then listens on its socket and gives each accepted run a child of its own -- a spare forked
ahead of time, else a fork -- that takes on the client's descriptors, directory, environment,
umask and limits and runs `tblc` as a cold start does. It retires when a file it depends on
changed (runtime/warm_watch.py), its socket is gone, or it was idle for SYSVEC_WARM_IDLE."""
from __future__ import annotations

import os
import signal
import sys

from .warmstart import RELAYED, decode_request, frame, settings_key

IDLE_SECONDS = 600
REQUEST_MAX = 8 << 20              # arguments and environment: far above ARG_MAX (2 MiB)

PRELOAD = ("sysvec.cli", "sysvec.runtime.cli", "sysvec.runtime.machine", "sysvec.runtime.gdt",
           "sysvec.runtime.binfmt.elf", "sysvec.runtime.binfmt.pe", "sysvec.runtime.linux.auxv",
           "sysvec.runtime.linux.sigframe", "sysvec.runtime.tty.hostsig",
           "sysvec.runtime.linux.vdso", "sysvec.runtime.linux.coredump", "sysvec.runtime.trace_filter",
           "sysvec.runtime.tty.stdio", "sysvec.runtime.procfs",
           "sysvec.runtime.fault_address", "sysvec.runtime.symbols",
           "resource", "threading", "ctypes")     # a child's _take_on, _watch, _set_name


def _preload() -> list:
    """Import what runs import: the runtime, the bundled tables' build, and every table's
    handler module (Linux, NT, Win32). Returns the files besides modules that what it made
    depends on (the build's inputs)."""
    import importlib
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    try:
        from sysvec.cli import parser
        from sysvec.compiler.build import build_ahead, load_module, table_files
        from sysvec.runtime.engine import open_spares
        from sysvec.runtime.machine import _plugin_entry_points
        from sysvec.runtime.tables import bind_ahead
        parser()
        _plugin_entry_points()
        result, inputs = build_ahead(table_files())
        module = load_module(result)
        open_spares(module)
        bind_ahead(module, result.meta_path)
        return inputs
    except Exception:        # a child builds (and reports) whatever fails here
        return []


def _module_stamps(extra=()) -> dict:
    """Size and mtime of every loaded module's file, of the import path's directories (a
    distribution installed since, such as a binfmt plugin, changes its directory), and of
    EXTRA paths."""
    stamps = {}
    paths = [getattr(m, "__file__", None) for m in list(sys.modules.values())]
    for path in paths + [p for p in sys.path if p] + [str(p) for p in extra]:
        if path:
            try:
                st = os.stat(path)
            except OSError:
                continue
            stamps[path] = (st.st_mtime_ns, st.st_size)
    return stamps


def serve(path: str) -> None:
    """The server's loop: one listening socket, a child per run (the spare, else a fork),
    exit when idle, stale, or when its socket is removed or replaced."""
    import fcntl
    import gc
    import select
    import socket
    import time

    key = settings_key()
    lock = os.open(path + ".lock", os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return                      # another server is starting or serving here
    inputs = _preload()
    from sysvec.runtime.warm_watch import ModuleWatch
    watch = ModuleWatch(lambda: _module_stamps(inputs))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    temporary = f"{path}.{os.getpid()}"
    try:
        os.unlink(temporary)
    except OSError:
        pass
    listener.bind(temporary)
    listener.listen(64)
    os.rename(temporary, path)
    inode = os.stat(path).st_ino
    wake_read, wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    idle = float(os.environ.get("SYSVEC_WARM_IDLE") or IDLE_SECONDS)
    gc.collect()
    gc.freeze()                     # children share the preloaded objects' pages
    children: dict[int, socket.socket] = {}
    last = time.monotonic()
    retired = []

    def retire():
        """Stop being the server for PATH (new clients start another), once."""
        if not retired:
            retired.append(True)
            if _ours(path, inode):
                os.unlink(path)
            os.close(lock)

    own_fds = (listener, lock, wake_read, wake_write, watch)
    spares: list = []
    while True:
        if not spares and not retired:
            spares.append(_Spare(children, own_fds))
        ready, _, _ = select.select([listener, wake_read], [], [], min(idle, 30))
        if wake_read in ready:
            try:
                while os.read(wake_read, 512):
                    pass
            except OSError:
                pass
        _reap(children)
        if listener in ready and not retired:
            last = time.monotonic()
            _accept(listener, key, watch, children, own_fds, retire, spares)
        if retired or not _ours(path, inode) or time.monotonic() - last > idle:
            retire()            # (a stale server retired in _accept)
            for spare in spares:
                spare.close()
            spares.clear()
            if not children:
                break


def _ours(path: str, inode: int) -> bool:
    try:
        return os.stat(path).st_ino == inode
    except OSError:
        return False


def _reap(children: dict) -> None:
    """Tell each client whose child ended its wait status (its own exit line came first)."""
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is not None:
            try:
                conn.sendall(b"wait %d\n" % status)
            except OSError:
                pass
            conn.close()


def _accept(listener, key: bytes, watch, children: dict, own_fds, retire, spares: list) -> None:
    """Take one run: check the client, hand it to the spare child (else fork one); a stale
    server retires instead."""
    import socket
    import struct
    conn, _ = listener.accept()
    fds: list[int] = []
    try:
        conn.settimeout(5)
        _, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET,
                                                        socket.SO_PEERCRED, 12))
        if uid != os.getuid():
            conn.close()
            return
        request, body, fds = _receive(conn)
        if request is None or request.get("key") != key:
            conn.sendall(b"no: another configuration\n")
            conn.close()
            return
        if watch.changed():
            retire()                # before the answer: the client starts the next server
            conn.sendall(b"stale\n")
            conn.close()
            return
        conn.settimeout(None)
        spare = spares.pop() if spares else None
        if spare is not None and spare.hand_over(conn, body, fds):
            child = spare.pid
            spare.close()
        else:
            if spare is not None:
                spare.close()
            child = os.fork()
            if child == 0:
                _detach(children, own_fds)
                _run(conn, request, fds)     # never returns
        children[child] = conn
    except (OSError, ValueError):
        conn.close()
    finally:
        for fd in fds:
            os.close(fd)


def _receive(conn):
    """A client's request: (the request, its bytes, descriptors 0-2 passed with it); the
    request is None when the message is not a whole one with three descriptors."""
    body, fds = _read_message(conn, 8, REQUEST_MAX)
    if body is None or len(fds) != 3:
        return None, body or b"", fds
    return decode_request(body), body, fds


def _read_message(sock, max_fds: int, limit: int | None = None):
    """(body, descriptors) of a message made by warmstart.frame; None for the body when the
    connection ends first or the length is over LIMIT."""
    import socket
    header, fds, _, _ = socket.recv_fds(sock, 4, max_fds)
    if len(header) < 4:
        return None, fds
    size = int.from_bytes(header, "little")
    if limit is not None and size > limit:
        return None, fds
    body = bytearray()
    while len(body) < size:
        chunk = sock.recv(min(size - len(body), 1 << 20))
        if not chunk:
            return None, fds
        body += chunk
    return bytes(body), fds


def _detach(children: dict, own_fds) -> None:
    """A forked child leaves the server's part: its signal wake-up, other runs' connections,
    the listener, lock and watch."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for other in children.values():
        other.close()
    for fd in own_fds:
        try:
            fd.close() if hasattr(fd, "close") else os.close(fd)
        except OSError:
            pass            # the lock, closed when the server retired


def _run(conn, request: dict, fds: list[int]) -> None:
    """Become the client's run: its descriptors, directory, environment, umask and limits
    (declining when one cannot be had), then `tblc` as a cold start runs it."""
    code = 70
    try:
        reason = _take_on(request, fds)
        if reason:
            conn.sendall(b"no: " + reason.encode() + b"\n")
            os._exit(0)
        conn.sendall(b"ok %d\n" % os.getpid())
        _watch(conn)
        from sysvec.cli import main
        argv = [os.fsdecode(a) for a in request["argv"]]
        sys.argv = ["tblc"] + argv
        try:
            code = main(argv)
        except SystemExit as exc:   # argparse: --help, usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
            if not isinstance(exc.code, int) and exc.code is not None:
                sys.stderr.write(f"{exc.code}\n")
        import atexit
        atexit._run_exitfuncs()
    except KeyboardInterrupt:           # a SIGINT before the run's own handlers, as cold
        code = 128 + signal.SIGINT
    except BaseException:
        pass
    finally:
        for signum in RELAYED:          # the run is over: a hangup now changes nothing
            signal.signal(signum, signal.SIG_IGN)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        try:
            conn.sendall(b"exit %d\n" % (code & 0xFF))
        except Exception:
            pass
        os._exit(code & 0xFF)


class _Spare:
    """A child forked ahead of the next run, waiting on a socket pair for that run's
    connection, standard descriptors and request: the run then starts without waiting for a
    fork (~1.5 ms with Python's after-fork work). The server makes the next one after it
    answered the client, and closes its end (the spare exits) when it retires."""

    def __init__(self, children: dict, own_fds):
        import socket
        self.channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        name = _set_name(SPARE_NAME)    # born with it: what ps and the tests tell it by
        self.pid = os.fork()
        if self.pid == 0:
            run = None
            try:
                self.channel.close()
                _detach(children, own_fds)
                run = _await_run(theirs)
                _set_name(name)
            except BaseException:
                pass
            if run is None:
                os._exit(0)             # the server retired, or is gone
            _run(*run)                  # never returns
        _set_name(name)
        theirs.close()

    def hand_over(self, conn, body: bytes, fds: list[int]) -> bool:
        import socket
        message = frame(body)
        try:
            sent = socket.send_fds(self.channel, [message], [conn.fileno()] + fds)
        except OSError:
            return False        # the spare is gone: nothing reached it
        try:
            if sent < len(message):     # (sendall of nothing still sends: EPIPE once the
                self.channel.sendall(message[sent:])     # spare has read all and closed)
        except OSError:
            pass                # it has the descriptors: it answers the client, or fails
        return True

    def close(self) -> None:
        self.channel.close()


SPARE_NAME = b"sysvec-spare"


def _set_name(name: bytes) -> bytes:
    """Set this process's name (/proc/PID/comm, what ps shows); returns the one it had."""
    import ctypes
    with open("/proc/self/comm", "rb") as f:
        old = f.read().rstrip(b"\n")
    try:
        ctypes.CDLL(None).prctl(15, ctypes.c_char_p(name[:15]), 0, 0, 0)   # PR_SET_NAME
    except (OSError, AttributeError):
        pass
    return old


def _await_run(channel):
    """(connection, request, descriptors) a spare is handed; None once the server closed
    its end."""
    import socket
    body, fds = _read_message(channel, 4)
    if body is None or len(fds) != 4:
        return None
    channel.close()
    conn = socket.socket(fileno=fds[0])
    return conn, decode_request(body), fds[1:]


def _take_on(request: dict, fds: list[int]) -> str | None:
    import resource
    import time
    if tuple(request["ids"]) != (os.getuid(), os.geteuid(), os.getgid(), os.getegid()) or \
            sorted(request["groups"]) != sorted(os.getgroups()):
        return "other credentials"
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    try:
        os.chdir(request["cwd"])
    except OSError:
        return "cannot enter the working directory"
    os.environ.clear()
    for name, value in request["env"].items():
        os.environb[name] = value
    time.tzset()
    os.umask(request["umask"])
    for number, (soft, hard) in request["limits"].items():
        try:
            if resource.getrlimit(number) != (soft, hard):
                resource.setrlimit(number, (soft, hard))
        except (ValueError, OSError):
            return "a resource limit above the server's"
    return None


def _watch(conn) -> None:
    """A thread that hangs the run up when its client goes away (it never writes)."""
    import threading

    def wait_for_hangup():
        try:
            while conn.recv(64):
                pass
        except OSError:
            pass
        os.kill(os.getpid(), signal.SIGHUP)

    threading.Thread(target=wait_for_hangup, daemon=True, name="warm-client").start()
