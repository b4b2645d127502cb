"""cmd's `for` (runtime/win32/cmd.py runs what this makes): the loop's forms, each giving the
values of its variable, and the body's text for each value with `%x` (and `%~nx`, and the
next letters for /f's further tokens) put in. The iterations then run as the lines of a
block would.

- `for %x in (set) do ...`: the set's words; a word with `*` or `?` is the files it matches
  (`/d`: the directories).
- `for /r [dir] %x in (set) do ...`: the same in dir and every directory below it.
- `for /l %x in (start,step,end) do ...`: the numbers.
- `for /f ["options"] %x in (files | "text" | 'command') do ...`: the lines, split into
  tokens (tokens=, delims=, skip=, eol=, usebackq); a command's output is read from a child
  `cmd /c`, which the interpreter waits for (Capture)."""
from __future__ import annotations

import fnmatch
import re
import stat as S
from dataclasses import dataclass, field

from ..errors import KernelError, WouldBlock
from ..nt.directory import folder_names


class ForSyntaxError(Exception):
    """cmd's "The syntax of the command is incorrect." / "... was unexpected at this time.\""""


@dataclass
class Loop:
    switch: str                   # "", "d", "r", "l" or "f"
    root: str                     # /r's directory ("" : the current one)
    options: str                  # /f's options
    var: str                      # the variable's letter (case counts)
    items: str                    # the text inside the set's parentheses
    body: str                     # the command after `do`


def matching_paren(text: str, start: int) -> int:
    """The index of the `)` closing the `(` at start (quotes respected), or -1."""
    from .cmd import REM_LINE
    depth, quoted, escaped, i = 0, False, False, start
    while i < len(text):
        c = text[i]
        if escaped:
            escaped = False
        elif c == "\n":
            quoted = False
            if REM_LINE.match(text, i + 1):      # a comment's parentheses do not count
                end = text.find("\n", i + 1)
                i = len(text) if end < 0 else end
                continue
        elif c == "^" and not quoted:
            escaped = True
        elif c == '"':
            quoted = not quoted
        elif not quoted and c == "(":
            depth += 1
        elif not quoted and c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def parse_loop(rest: str) -> Loop:
    s = rest.lstrip()
    switch = root = options = ""
    m = re.match(r"/([dDrRlLfF])\b\s*", s)
    if m:
        switch, s = m.group(1).lower(), s[m.end():]
    if switch == "r" and s[:1] not in ("%", ""):
        m = re.match(r'("[^"]*"|\S+)\s*', s)
        root, s = m.group(1).strip('"'), s[m.end():]
    if switch == "f" and s.startswith('"'):
        end = s.find('"', 1)
        if end < 0:
            raise ForSyntaxError()
        options, s = s[1:end], s[end + 1:].lstrip()
    m = re.match(r"%~?([A-Za-z])\s+in\s*(?=\()", s, re.I)
    if not m:
        raise ForSyntaxError(s.split()[0] if s.split() else "")
    open_at = m.end()
    close = matching_paren(s, open_at)
    if close < 0:
        raise ForSyntaxError()
    after = re.match(r"\s*do\s+(.*)", s[close + 1:], re.I | re.S)
    if not after:
        raise ForSyntaxError()
    return Loop(switch, root, options, m.group(1), s[open_at + 1:close], after.group(1))


# --- the values ------------------------------------------------------------------------------

def _words(text: str) -> list[str]:
    """The set's words: blanks, commas, semicolons and = separate them; quotes keep them
    (a ^ escape is read)."""
    from .cmd_batch import unescape
    return [unescape(w) for w in re.findall(r'"[^"]*"|(?:\^.|[^\s,;="])+', text)]


def _list(p, directory_win: str):
    """(name, is_directory) in a Windows directory, or [] when it cannot be read."""
    from .kernel32_files import _path
    fs = p.kernel.fs
    try:
        guest = _path(p, directory_win)
        out = []
        for name in sorted(folder_names(p, guest)):
            try:        # a link is not followed: a loop (X11 -> .) cannot trap /r
                mode = fs.stat("/", guest.rstrip("/") + "/" + name, False, p).st_mode
            except KernelError:
                continue
            out.append((name, S.S_ISDIR(mode)))
        return out
    except Exception:   # KernelError, NtError: no such directory
        return []


def _glob(p, word: str, directories: bool, base: str = "") -> list[str]:
    """A wildcard word's matches (files, or directories for /d), spelt with the word's own
    directory part; a word without wildcards is itself."""
    from .kernel32_files import full_path
    word = word.strip('"')
    if not any(c in word for c in "*?"):
        return [base + word if base else word]
    head, sep, pattern = word.replace("/", "\\").rpartition("\\")
    prefix = head + sep if sep else ""
    where = full_path(p, base + prefix if base or prefix else ".")
    return [(base + prefix + name) for name, is_dir in _list(p, where)
            if is_dir == directories and fnmatch.fnmatch(name.lower(), pattern.lower())]


def _tree(p, root_win: str) -> list[str]:
    """root and every directory below it (Windows paths, ending in \\)."""
    out, stack = [], [root_win.rstrip("\\") + "\\"]
    while stack:
        d = stack.pop(0)
        out.append(d)
        stack[0:0] = [d + name + "\\" for name, is_dir in _list(p, d) if is_dir]
    return out


def _counting(start: int, step: int, end: int):
    """/l's values, made as the loop runs (a loop to 2**31 holds no list of them)."""
    n = start
    while (step > 0 and n <= end) or (step < 0 and n >= end):
        yield [str(n)]
        n += step


def plain_values(p, loop: Loop):
    """Each iteration's values (one each) for the plain, /d, /r and /l forms."""
    from .kernel32_files import full_path
    words = _words(loop.items)
    if loop.switch == "l":
        try:
            start, step, end = (int(w, 0) for w in (words + ["0", "0", "0"])[:3])
        except ValueError:
            raise ForSyntaxError() from None
        return _counting(start, step, end)
    if loop.switch == "r":
        out = []
        for d in _tree(p, full_path(p, loop.root or ".")):
            for w in words:
                out += [[v] for v in _glob(p, w, False, d)] if any(c in w for c in "*?") \
                    else [[d + w.strip('"') if w != "." else d + "."]]
        return out
    out = []
    for w in words:
        matches = _glob(p, w, loop.switch == "d")
        out += [[m] for m in matches]
    return out


@dataclass
class LineOptions:
    tokens: list = field(default_factory=lambda: [1])   # token numbers; "*" for the rest
    star: bool = False
    delims: str = " \t"
    skip: int = 0
    eol: str | None = ";"
    backq: bool = False


def line_options(text: str) -> LineOptions:
    o = LineOptions()
    s = text
    while s.strip():
        s = s.lstrip()
        m = re.match(r"(?i)(tokens|skip|eol|delims)=", s)
        if m:
            key, s = m.group(1).lower(), s[m.end():]
            if key == "delims":    # up to the end, or the next option after a blank
                m2 = re.search(r" (?=(?i:tokens|skip|eol|usebackq)\b)", s)
                value, s = (s[:m2.start()], s[m2.start():]) if m2 else (s, "")
                o.delims = value
            elif key == "eol":
                o.eol, s = (s[:1] or None), s[1:]
            else:
                value, _, s = s.partition(" ")
                if key == "skip":
                    o.skip = int(value or 0)
                else:
                    o.tokens, o.star = _token_list(value)
            continue
        word, _, s = s.partition(" ")
        if word.lower() == "usebackq":
            o.backq = True
        elif word:
            raise ForSyntaxError(word)
    return o


def _token_list(spec: str) -> tuple[list[int], bool]:
    star = spec.endswith("*")
    out: list[int] = []
    for part in spec.rstrip("*").rstrip(",").split(","):
        if not part:
            continue
        a, _, b = part.partition("-")
        out += range(int(a), int(b or a) + 1)
    return sorted(set(out)), star


def split_line(line: str, o: LineOptions) -> list[str] | None:
    """A line's values for the loop's variables, or None when the line is skipped."""
    if o.eol is not None and line.startswith(o.eol):
        return None
    tokens = [t for t in re.split("[" + re.escape(o.delims) + "]", line) if t] \
        if o.delims else [line]
    if not tokens:
        return None
    values = [tokens[n - 1] if n - 1 < len(tokens) else "" for n in o.tokens]
    if o.star:
        last = o.tokens[-1] if o.tokens else 0
        # the rest of the line after the last named token, as written
        rest = line
        for _ in range(last):
            rest = re.sub("^[" + re.escape(o.delims) + "]*[^" + re.escape(o.delims) + "]*",
                          "", rest, count=1) if o.delims else ""
        values.append(rest.lstrip(o.delims))
    return values if any(values) else None


def source(loop: Loop, o: LineOptions) -> tuple[str, str]:
    """What /f reads: ("text", s), ("command", s) or ("files", the set)."""
    text = loop.items.strip()
    string_q, command_q = ('"', "`") if o.backq else ('"', "'")
    if o.backq and text.startswith("'") and text.endswith("'") and len(text) > 1:
        return "text", text[1:-1]
    if not o.backq and text.startswith('"') and text.endswith('"') and len(text) > 1:
        return "text", text[1:-1]
    if text.startswith(command_q) and text.endswith(command_q) and len(text) > 1:
        from .cmd_batch import unescape
        return "command", unescape(text[1:-1])
    return "files", text


def file_lines(p, names: str, backq: bool) -> list[str] | None:
    """The lines of /f's files, or None when one cannot be read (cmd: "The system cannot
    find the file ...")."""
    from .kernel32_files import _path, file_bytes, full_path
    words = re.findall(r'"[^"]*"|\S+', names) if backq else names.split()
    out = []
    for w in words:
        try:
            data = file_bytes(p, _path(p, full_path(p, w.strip('"'))))
        except Exception:    # NtError: a name NT paths refuse
            data = None
        if data is None:
            return None
        out += lines_of(data)
    return out


def lines_of(data: bytes) -> list[str]:
    text = data.decode("utf-8", "replace").replace("\r\n", "\n")
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def line_values(lines: list[str], o: LineOptions) -> list[list[str]]:
    out = []
    for line in lines[o.skip:]:
        if not line:
            continue
        values = split_line(line, o)
        if values is not None:
            out.append(values)
    return out


# --- the body ---------------------------------------------------------------------------------

def substitute(p, body: str, var: str, values: list[str]) -> str:
    """The body with the loop's variables (var, then the next letters for further tokens)
    and their %~ forms replaced."""
    from .cmd_batch import _tilde
    from .kernel32_files import full_path
    letters = {chr(ord(var) + i): v for i, v in enumerate(values)}
    names = "".join(re.escape(c) for c in letters)

    def one(m) -> str:
        value = letters[m.group(2)]
        if m.group(1) is not None:
            value = _tilde(value, m.group(1), full_path(p, value.strip('"')) if value else "")
        if body.count('"', 0, m.start()) % 2 == 0:
            # A value is data: outside quotes its & | < > ( ) are escaped, so the body's
            # parse reads them as characters (cmd puts values in after parsing).
            value = re.sub(r"([&|<>()^])", r"^\1", value)
        return value
    return re.sub(r"%(?:~([fdpnxsatz]*))?([" + names + "])", one, body)


# --- a command's output ----------------------------------------------------------------------

@dataclass
class Capture:
    """/f's command, running as a child cmd.exe whose output the interpreter collects."""
    child: object
    read_end: object
    loop: Loop
    options: LineOptions
    at: int                       # where the iterations go in the run's steps
    chunks: list = field(default_factory=list)


def start_capture(p, loop: Loop, o: LineOptions, command: str, at: int) -> Capture | None:
    from ..files import make_pipe
    from .kernel32_process import standard_files_table, start_child
    from .kernel32_files import _path
    from .cmd import _std_file
    read_end, write_end = make_pipe()
    files = [_std_file(p, 0), write_end, _std_file(p, 2)]
    line = f"C:\\Windows\\System32\\cmd.exe /d /c {command}"
    try:
        child = start_child(p, "/Windows/System32/cmd.exe", ["cmd.exe", "/d", "/c", command],
                            standard_files_table(p, files), _path(p, p.win32.cwd), line)
    except Exception:    # ExecError, KernelError: no cmd.exe to run it
        read_end.decref()
        return None
    finally:
        write_end.decref()
    return Capture(child, read_end, loop, o, at)


def drain(cap: Capture) -> bool:
    """Read what the command wrote; True at the end of its output."""
    while True:
        try:
            chunk = cap.read_end.read(65536)
        except WouldBlock:
            return False
        except KernelError:
            return True
        if not chunk:
            return True
        cap.chunks.append(chunk)
