"""Warm starts for `tblc run`: a server that has already imported the runtime forks a child
per run, so a run skips Python's imports of sysvec (about 60 ms of a 100 ms start).

This is the zygote of Android, or the daemon of emacsclient and Gradle: the `tblc` client
(the native launcher of runtime/launcher.py, or run_warm below) connects to a per-user Unix
socket and passes its standard descriptors, arguments, environment, working directory, umask
and resource limits; the server's child (runtime/warm_server.py) takes them on and runs the
same code a cold start runs. This module is the client and what both sides share. The client relays signals to the child and ends
with the child's exit status; a child whose client dies is hung up (SIGHUP), as a terminal's
session would be.

Only runs with no terminal on stdin, stdout or stderr start warm: a guest gets a controlling
terminal only from those (runtime/tty/stdio.py), and a terminal's job control belongs to the
process the shell started. SYSVEC_WARM=0 turns warm starts off. A server serves only clients
of its own user, Python, sysvec tree and settings (SYSVEC_*, PYTHON*, locale), declines once
a module it loaded has changed on disk (then a new one starts), and exits after
SYSVEC_WARM_IDLE seconds (600) without a run. The first run starts it in the background and
runs cold itself."""
from __future__ import annotations

import os
import sys
import signal
import _socket
from array import array

RELAYED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCONT, signal.SIGWINCH)
# What ends a cold tblc (Python ignores SIGPIPE and SIGXFSZ, so they stay ignored here).
FATAL = (signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM, signal.SIGVTALRM,
         signal.SIGPROF, signal.SIGXCPU)
# What the server's process took at its start and a child cannot take from its client: the
# interpreter's and sysvec's settings, the locale, the dynamic loader's (LD_PRELOAD, as
# scripts/sanitize sets) and the sanitizers' and allocator's options.
KEY_PREFIXES = (b"SYSVEC_", b"PYTHON", b"LC_", b"LD_", b"ASAN_", b"UBSAN_", b"MALLOC_")
KEY_NAMES = (b"LANG", b"LANGUAGE", b"HOME", b"XDG_CACHE_HOME", b"TMPDIR")
WARM_UP_SECONDS = 300     # a server starts at the second cold start within this time


# --- where the server listens ------------------------------------------------------------------

def settings_key() -> bytes:
    """What a child inherits from the server rather than the client: the interpreter, the
    sysvec tree it imports, the uid, and the variables read at import time or by Python's
    start-up, NUL-separated (the native launcher, csrc/launcher/tblc.c, makes the same bytes)."""
    import sysvec
    env = sorted(k + b"=" + v for k, v in os.environb.items()
                 if k.startswith(KEY_PREFIXES) or k in KEY_NAMES)
    return b"\0".join([os.fsencode(sys.executable), os.fsencode(os.path.dirname(sysvec.__file__)),
                        b"%d" % os.getuid()] + env)


def socket_directory() -> str | None:
    """SYSVEC_WARM_DIR, else $XDG_RUNTIME_DIR/sysvec, else /tmp/sysvec-UID: made 0700 if
    missing, and used only when it is this user's own directory that no one else can enter."""
    uid = os.getuid()
    base = os.environ.get("SYSVEC_WARM_DIR")
    if not base:
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        base = os.path.join(runtime, "sysvec") if runtime else f"/tmp/sysvec-{uid}"
    try:
        os.mkdir(base, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        st = os.lstat(base)
    except OSError:
        return None
    import stat
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or st.st_mode & 0o077:
        return None
    return base


def socket_path(key: bytes) -> str | None:
    import zlib
    directory = socket_directory()
    if directory is None:
        return None
    path = os.path.join(directory, f"warm-{zlib.crc32(key):08x}.sock")
    return path if len(path.encode()) < 100 else None     # sun_path's 108 bytes


# --- the client ----------------------------------------------------------------------------------

def run_warm(argv: list[str]) -> int | None:
    """Run `tblc ARGV` in a warm server's child and return its exit status; None when this run
    must start cold (turned off, a terminal on stdio, no server yet: one is started)."""
    if os.environ.get("SYSVEC_WARM", "1") == "0":
        return None
    if any(os.isatty(fd) for fd in (0, 1, 2)):
        return None
    try:
        key = settings_key()
        path = socket_path(key)
    except OSError:
        return None
    if path is None:
        return None
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError:
        conn.close()
        if _started_cold_lately(path):
            start_server(path, key)
        return None
    reader = _Lines(conn)
    relay = _Relay()         # from the request on: a signal before the answer waits for it
    try:
        child = _ask(conn, reader, argv, key)
    except OSError:          # a working directory gone, the server gone
        child = None
    if child is None or child < 0:
        conn.close()
        if child is not None:    # stale: its modules changed on disk; it exits, a new one starts
            start_server(path, key)
        relay.cancel()           # the cold start gets what arrived meanwhile
        return None
    relay.to(child)
    return _follow(reader)


def _started_cold_lately(path: str) -> bool:
    """Whether a run of these settings started cold within WARM_UP_SECONDS (this one is
    noted): one-off settings, such as a test's own HOME, never leave a server behind."""
    import time
    note = path + ".cold"
    try:
        lately = os.stat(note).st_mtime > time.time() - WARM_UP_SECONDS
    except OSError:
        lately = False
    try:
        os.close(os.open(note, os.O_CREAT | os.O_WRONLY, 0o600))
        os.utime(note)
    except OSError:
        pass
    return lately


def _request(argv: list[str], key: bytes) -> bytes:
    limits = {}
    import resource
    for name in dir(resource):
        if name.startswith("RLIMIT_"):
            number = getattr(resource, name)
            try:
                limits[number] = resource.getrlimit(number)
            except (ValueError, OSError):
                pass
    mask = os.umask(0)
    os.umask(mask)
    return encode_request({"key": key, "argv": [os.fsencode(a) for a in argv],
                           "env": dict(os.environb), "cwd": os.getcwdb(), "umask": mask,
                           "limits": limits, "groups": os.getgroups(),
                           "ids": (os.getuid(), os.geteuid(), os.getgid(), os.getegid())})


# The request on the wire, little-endian, as csrc/launcher/tblc.c writes it too: b"SVW1",
# the key, argv and the environment (each a u32 count of u32-length blobs; the environment
# as NAME=VALUE), the working directory (a blob), the umask (u32), the resource limits (a
# u32 count of (u32 resource, i64 soft, i64 hard)), the groups (a u32 count of u32) and the
# real and effective uid and gid (4 u32).
REQUEST_MAGIC = b"SVW1"


def frame(body: bytes) -> bytes:
    """A message on the server's socket (and its spare's): a little-endian u32 length, then
    the body; descriptors ride on its first bytes."""
    return len(body).to_bytes(4, "little") + body


def encode_request(request: dict) -> bytes:
    import struct

    def blobs(items):
        return struct.pack("<I", len(items)) + b"".join(
            struct.pack("<I", len(item)) + item for item in items)

    env = [name + b"=" + value for name, value in request["env"].items()]
    limits = request["limits"]
    return b"".join([
        REQUEST_MAGIC, struct.pack("<I", len(request["key"])), request["key"],
        blobs(request["argv"]), blobs(env),
        struct.pack("<I", len(request["cwd"])), request["cwd"],
        struct.pack("<II", request["umask"], len(limits)),
        b"".join(struct.pack("<Iqq", number, soft, hard)
                 for number, (soft, hard) in limits.items()),
        struct.pack(f"<I{len(request['groups'])}I", len(request["groups"]), *request["groups"]),
        struct.pack("<4I", *request["ids"])])


def decode_request(body: bytes) -> dict:
    """The request encode_request made; ValueError for anything else."""
    import struct
    at = 0

    def take(fmt):
        nonlocal at
        try:
            values = struct.unpack_from(fmt, body, at)
        except struct.error:
            raise ValueError("a truncated request") from None
        at += struct.calcsize(fmt)
        return values

    def blob():
        nonlocal at
        (size,) = take("<I")
        if at + size > len(body):
            raise ValueError("a truncated request")
        at += size
        return body[at - size:at]

    if body[:4] != REQUEST_MAGIC:
        raise ValueError("not a request")
    at = 4
    key = blob()
    argv = [blob() for _ in range(take("<I")[0])]
    env = dict(entry.partition(b"=")[::2] for entry in (blob() for _ in range(take("<I")[0])))
    cwd = blob()
    umask, count = take("<II")
    limits = {}
    for _ in range(count):
        number, soft, hard = take("<Iqq")
        limits[number] = (soft, hard)
    groups = list(take(f"<{take('<I')[0]}I"))
    ids = take("<4I")
    if at != len(body):
        raise ValueError("trailing bytes in a request")
    return {"key": key, "argv": argv, "env": env, "cwd": cwd, "umask": umask,
            "limits": limits, "groups": groups, "ids": ids}


def _ask(conn, reader, argv: list[str], key: bytes) -> int | None:
    """Send the request with descriptors 0-2; the server's answer: the child's pid, -1 for a
    stale server, None when it declines (another reason, said in its line)."""
    message = frame(_request(argv, key))
    fds = array("i", (0, 1, 2))
    sent = conn.sendmsg([message], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
    if sent < len(message):         # (a signal can cut a large environment's send short)
        conn.sendall(message[sent:])
    line = reader.line()
    if line.startswith(b"ok "):
        return int(line[3:])
    return -1 if line.startswith(b"stale") else None


class _Lines:
    """The server's and the child's lines on the connection; b"" once it is closed."""

    def __init__(self, conn):
        self.conn, self.data = conn, b""

    def line(self) -> bytes:
        while b"\n" not in self.data:
            chunk = self.conn.recv(256)
            if not chunk:
                line, self.data = self.data, b""
                return line.strip()
            self.data += chunk
        line, self.data = self.data.split(b"\n", 1)
        return line.strip()


class _Relay:
    """The client's signal handlers, set before the request is sent: relayed signals go to the
    child once its pid is known (held until then), what ends a cold tblc ends this client
    and hangs the child up, and ^Z on a pipeline stops the child with this process."""

    def __init__(self):
        self.child = None
        self.held: list[int] = []
        for signum in RELAYED:
            signal.signal(signum, self.relay)
        for signum in FATAL:
            signal.signal(signum, self.die)
        signal.signal(signal.SIGTSTP, self.stop)

    def to(self, child: int) -> None:
        self.child = child
        for signum in self.held:
            self.send(signum)

    def cancel(self) -> None:
        """No warm run: the default handlers back, and the held signals raised again."""
        for signum in RELAYED + FATAL + (signal.SIGTSTP,):
            signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT
                          else signal.SIG_DFL)
        for signum in self.held:
            os.kill(os.getpid(), signum)

    def send(self, signum: int) -> None:
        if self.child is None:
            self.held.append(signum)
            return
        try:
            os.kill(self.child, signum)
        except OSError:
            pass

    def relay(self, signum, frame):
        self.send(signum)

    def die(self, signum, frame):
        if self.child is not None:
            self.send(signal.SIGHUP)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    def stop(self, signum, frame):
        if self.child is not None:
            self.send(signal.SIGSTOP)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        signal.signal(signum, self.stop)
        if self.child is not None:
            self.send(signal.SIGCONT)


def _follow(reader) -> int:
    """Wait for the child's exit status (the relay passes signals on meanwhile)."""
    while True:
        try:
            line = reader.line()
        except InterruptedError:
            continue
        except OSError:
            line = b""
        if line.startswith(b"exit "):
            return int(line[5:])
        if not line:     # the child and its server are gone, neither said how
            os.write(2, b"sysvec: the run ended without an exit status (its warm server "
                        b"was killed)\n")
            return 128 + signal.SIGKILL
        if line.startswith(b"wait "):
            # The child ended without a word (killed, or it crashed): end as it did.
            status = int(line[5:])
            if os.WIFSIGNALED(status):
                signum = os.WTERMSIG(status)
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)
                return 128 + signum
            return os.WEXITSTATUS(status)


def start_server(path: str, key: bytes) -> None:
    """Start a server for PATH in the background, detached from this run: its own session,
    descriptors on /dev/null, and not this process's child once started."""
    pid = os.fork()
    if pid:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(3, 1 << 16)
        os.chdir("/")
        code = "from sysvec.runtime.warm_server import serve; import sys; serve(sys.argv[1])"
        os.execv(sys.executable, [sys.executable, "-P", "-c", code, path])
    finally:
        os._exit(127)
