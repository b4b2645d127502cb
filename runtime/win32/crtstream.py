"""A C runtime stream's input and output, buffered on the Python side as msvcrt and the UCRT
buffer them (the FILE the program holds keeps its fields zero): a stream over a regular file
reads a buffer at a time, so getc and fgets make no kernel call per byte; a pipe or a
terminal is read no further than asked, so nothing past a line is taken from it (a child may
read on). A writable stream over a regular file gathers its writes in a buffer (stdout.py
keeps it, and says what writes it); a pipe, a terminal, and stdout and stderr (whose own
rules are stdout.py's) write at once.

What a stream has taken from its descriptor and not given out -- read-ahead and ungetc's
bytes alike -- is held in the descriptor's pushback, which _read, fscanf and CloseHandle
honour; the stream's position is the descriptor's less those bytes. A stream holds read
bytes or unwritten ones, never both: a write lets the read ones go, a read (or ungetc)
writes the unwritten ones first."""
from __future__ import annotations

from ..errors import KernelError
from ..nt import abi
from .ntcall import nt_call
from .stdout import flush_for

BUFSIZ = 4096                         # a stream's buffer, as msvcrt sizes it
_IOFBF, _IOLBF, _IONBF = 0x0, 0x40, 0x4
EOF = 0xFFFFFFFF
CR, LF = 0x0D, 0x0A


def held(p, fd: int) -> bytearray:
    """The bytes the stream over fd took and has not given out, next first."""
    data = p.win32.pushback.get(fd)
    if data is None:
        data = p.win32.pushback[fd] = bytearray()
    return data


def nt_read(p, fd: int, n: int) -> bytes:
    """One NtReadFile of up to n bytes (b"" at the end, or on an error); stdout is flushed
    first, so a prompt shows before a read waits, and what a stream over fd wrote."""
    flush_for(p, fd)
    scratch = p.win32.scratch
    buf = p.win32.heap.alloc(n)
    try:            # (a read that waits restarts: its buffer is not left behind)
        status = nt_call(p, "NtReadFile", abi.handle_of_fd(fd), 0, 0, 0, scratch, buf, n, 0, 0)
        return p.mm.read(buf, abi.read_ptr(p, scratch + abi.word(p))) if status == 0 else b""
    finally:
        p.win32.heap.free(buf)


def is_regular_file(p, fd: int) -> bool:
    entry = p.fds.fds.get(fd)
    return entry is not None and getattr(entry[0], "kind", None) == "file"


def buffer_size(p, fd: int, entry: dict | None) -> int:
    """How far a read of the stream reads ahead: its buffer for a regular file, 0 (no
    further than asked) for a pipe, a terminal, or a stream setvbuf made unbuffered."""
    if entry is not None and entry.get("vbuf") == _IONBF:
        return 0
    if not is_regular_file(p, fd):
        return 0
    return entry.get("bufsize", BUFSIZ) if entry is not None else BUFSIZ


def write_size(p, fd: int, entry: dict | None) -> int:
    """How many bytes a stream's writes gather before they go to its file: its buffer for a
    writable stream fopen or _fdopen made over a regular file, 0 (each write at once) for a
    pipe, a terminal, a standard stream, or a stream setvbuf made unbuffered."""
    if entry is None or not entry.get("write") or entry.get("vbuf") == _IONBF:
        return 0
    return entry.get("bufsize", BUFSIZ) if is_regular_file(p, fd) else 0


def write_stream(p, fd: int, data: bytes, size: int) -> int:
    """A write through a stream with a buffer of size bytes: gathered, and written when the
    buffer is full (all of it at once, a big fwrite's too). len(data), or -1 when the
    write failed."""
    if p.win32.pushback.get(fd):
        give_back(p, fd)        # a file read ahead: the write goes where the reading stopped
    out = p.win32.stream_out.get(fd)
    if out is None:
        out = p.win32.stream_out[fd] = bytearray()
    out += data
    if len(out) >= size and not flush_for(p, fd, stdout=False):
        return -1
    return len(data)


def _prefix(data: bytearray, n: int, line: bool, text: bool,
            ended: bool) -> tuple[int, bytes, bool]:
    """What a read of n bytes gives from the held data: (how many held bytes it uses, the
    bytes it gives, whether they are all it will give -- n bytes, or a line's end). A text
    stream's CRLF is LF; a CR that ends the data waits to see what follows, unless the
    input has ended."""
    if not text:
        out = bytes(data[:n])
        if line:
            cut = out.find(b"\n")
            if cut >= 0:
                return cut + 1, out[:cut + 1], True
        return len(out), out, len(out) == n
    out = bytearray()
    i = 0
    while len(out) < n:
        room = n - len(out)
        cr = data.find(b"\r", i, i + room)
        end = cr if cr >= 0 else min(len(data), i + room)
        part = data[i:end]
        cut = part.find(b"\n") if line else -1
        if cut >= 0:
            out += part[:cut + 1]
            return i + cut + 1, bytes(out), True
        out += part
        i = end
        if cr < 0:
            break                          # n bytes given, or the held data ran out
        if i + 1 < len(data):
            crlf = data[i + 1] == LF
            out.append(LF if crlf else CR)
            i += 2 if crlf else 1
            if crlf and line:
                return i, bytes(out), True
        elif ended:
            out.append(CR)
            i += 1
        else:
            break                          # a CR last of all: the next byte decides
    return i, bytes(out), len(out) == n


def read_stream(p, fd: int, entry: dict | None, n: int, line: bool = False) -> bytes:
    """Up to n bytes of the stream's input (through the first newline, when line): fewer
    only where the input ends, which sets the stream's end-of-file flag. The bytes are
    gathered among the held ones before any is given out, so a read that waits (a pipe's)
    restarts with nothing lost."""
    text = bool(entry and entry.get("text"))
    data = held(p, fd)
    size = buffer_size(p, fd, entry)
    ended = False
    while True:
        used, out, whole = _prefix(data, n, line, text, ended)
        if whole or ended:
            break
        if size:                               # a file: a buffer, or all a big fread wants
            want = size if line else max(size, n - len(out))
        else:                                  # a pipe or terminal: no byte past the need
            want = 1 if line else max(n - len(out), 1)
        chunk = nt_read(p, fd, want)
        if chunk:
            data += chunk
        else:
            ended = True
    del data[:used]
    if ended and entry is not None:
        entry["eof"] = True
    return out


def getc(p, fd: int, entry: dict | None) -> int:
    """The stream's next byte, or EOF: a held byte at once (getc's usual case)."""
    data = p.win32.pushback.get(fd)
    if data and (data[0] != CR or not (entry and entry.get("text"))):
        c = data[0]
        del data[0]
        return c
    out = read_stream(p, fd, entry, 1)
    return out[0] if out else EOF


def unread(p, fd: int, c: int) -> None:
    """ungetc: c is the stream's next byte (what the stream wrote goes to its file first)."""
    flush_for(p, fd, stdout=False)
    held(p, fd).insert(0, c & 0xFF)


def position(p, fd: int) -> int:
    """The stream's position: its descriptor's once what it wrote is written, less the
    bytes taken and not given out (KernelError when the descriptor does not seek)."""
    flush_for(p, fd, stdout=False)
    return max(p.fds.get(fd).lseek(0, 1) - len(p.win32.pushback.get(fd) or b""), 0)


def seek(p, fd: int, offset: int, origin: int) -> None:
    """fseek: what the stream wrote is written and the held bytes go (SEEK_CUR counts from
    the stream's position); KernelError when the descriptor does not seek there."""
    flush_for(p, fd, stdout=False)
    data = p.win32.pushback.get(fd) or b""
    p.fds.get(fd).lseek(offset - len(data) if origin == 1 else offset, origin)
    p.win32.pushback.pop(fd, None)


def give_back(p, fd: int) -> None:
    """A file's held bytes are let go and its descriptor moved back to the stream's
    position, where a write through the stream (or fflush, or _read) carries on; a pipe's
    stay for its next read."""
    data = p.win32.pushback.get(fd)
    if not data or not is_regular_file(p, fd):
        return
    try:
        p.fds.get(fd).lseek(-len(data), 1)
    except KernelError:              # ungetc's bytes before the start: the start it is
        p.fds.get(fd).lseek(0, 0)
    data.clear()
