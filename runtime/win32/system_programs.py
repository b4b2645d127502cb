"""The small console programs every Windows has in System32, which scripts and programs
start by name: where (tool discovery in build scripts), hostname, whoami, taskkill (node's
tree-kill ends a dev server's process tree with `taskkill /pid N /T /F`), tasklist, chcp,
timeout, find, findstr, sort, more, fc (system_fc.py) and reg (system_reg.py). Each is a
generated program whose code is one call of kernel32.__sysvec_program_main, answered here by
the program's name; its output and exit code are Windows'."""
from __future__ import annotations

import posixpath
import re
import time

from ..errors import KernelError, WouldBlock
from .wide import read_wstr

MAX_INPUT = 64 << 20    # what find, sort and more take in at most (more is the program's
                        # error, as the host keeps it in memory)


class InputTooLarge(Exception):
    """Standard input (or a file) longer than MAX_INPUT."""


def sys_kernel32___sysvec_program_main(p):
    """The program's whole run: its command line's words after its name, then its exit.
    Its output is kept until it has run and then written out, waiting on a full pipe (the
    call runs again after each wait, the program not again)."""
    from ..kernel import Block
    from .cmd import _exit
    from .kernel32_process import command_line_to_argv
    name = posixpath.basename(p.exe or "").lower().rsplit(".", 1)[0]
    state = p.win32.strings.setdefault("program run", {"output": []})
    if "code" not in state:
        line = read_wstr(p, p.win32.command_line_w) if p.win32.command_line_w else ""
        args = command_line_to_argv(line)[1:]
        run = RUNNERS.get(name)
        try:
            state["code"] = run(p, args, state) if run is not None else 9009
        except InputTooLarge:
            _out(p, f"{name.upper()}: the input is larger than {MAX_INPUT >> 20} MB\n", 2)
            state["code"] = 1
        except Block:
            _flush(p, state, wait=False)     # what it said so far (timeout's "Waiting")
            raise
    _flush(p, state, wait=True)
    return _exit(p, state["code"])


def _flush(p, state: dict, wait: bool) -> None:
    """Write the kept output; on a full pipe wait (and run again) or, not waiting, keep the
    rest. A closed pipe or a missing handle drops it, as a console program's write fails."""
    from ..errors import BrokenPipe
    from ..kernel import Block
    from .cmd import _std_file
    output = state["output"]
    while output:
        fd, data = output[0]
        f = _std_file(p, fd)
        try:
            written = f.write(data) if f is not None else len(data)
        except WouldBlock:
            if not wait:
                return
            raise Block(f.writable_now) from None
        except (KernelError, BrokenPipe):
            written = len(data)
        written = len(data) if written is None else written
        if written >= len(data):
            output.pop(0)
        else:
            output[0] = (fd, data[written:])


# --- output and input ------------------------------------------------------------------------

def _out(p, text: str, fd: int = 1) -> None:
    """A line of the program's output, in cmd's line ends, kept until it is written."""
    state = p.win32.strings["program run"]
    state["output"].append((fd, text.replace("\n", "\r\n").encode("utf-8", "replace")))


def _all_input(p, state: dict, path: str | None = None) -> bytes:
    """A file's bytes, or standard input's to its end (the call blocks, and runs again,
    until the writer is done; what came so far is kept in state); InputTooLarge past
    MAX_INPUT."""
    from ..kernel import Block
    from .cmd import _std_file
    from .kernel32_files import _path, file_bytes, full_path
    if path is not None:
        data = file_bytes(p, _path(p, full_path(p, path)), MAX_INPUT + 1)
        if data is None:
            raise FileNotFoundError(path)
        if len(data) > MAX_INPUT:
            raise InputTooLarge()
        return data
    stdin = _std_file(p, 0)
    got = state.setdefault("input", bytearray())
    while stdin is not None:
        try:
            chunk = stdin.read(1 << 16)
        except WouldBlock:
            from .. import readiness
            raise Block(lambda: stdin.readable_now(),
                        host_fds=list(readiness.host_fds(stdin))) from None
        except KernelError:
            break
        if not chunk:
            break
        got += chunk
        if len(got) > MAX_INPUT:
            raise InputTooLarge()
    return bytes(got)


def _each_input(p, state: dict, files: list, missing):
    """(name, lines) of each named file, or of standard input (None) when none is named; a
    file that cannot be opened is reported (missing(name) on standard error) and skipped."""
    for path in files or [None]:
        try:
            data = _all_input(p, state, path)
        except FileNotFoundError:
            _out(p, missing(path), 2)
            continue
        yield path, _lines(data)


def _lines(data: bytes) -> list[str]:
    """The text's lines, CRLF or LF ended (the last may have no end)."""
    lines = data.decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _switches(args: list[str]) -> tuple[set[str], list[str]]:
    """(/X switches, lower case; the other words) of a command line."""
    flags = {a[1:].lower() for a in args if a[:1] in "/-" and len(a) > 1}
    return flags, [a for a in args if not (a[:1] in "/-" and len(a) > 1)]


# --- the programs ----------------------------------------------------------------------------

def _where(p, args: list[str], state: dict) -> int:
    """Each match of each pattern in the current directory and PATH, PATHEXT's extensions
    tried for a name without one (* and ? match too); /Q: only the exit code."""
    from .cmd import _path_extensions
    from .kernel32_files import full_path
    from .kernel32_system import _env, _env_key
    from ..nt.directory import folder_names
    from .kernel32_files import _path
    flags, patterns = _switches(args)
    if not patterns:
        _out(p, "ERROR: A search pattern must be specified.\n", 2)
        return 2
    key = _env_key(p, "PATH")
    dirs = [p.win32.cwd] + [d for d in (_env(p)[key].split(";") if key else []) if d.strip()]
    found_all = True
    for pattern in patterns:
        leaf = pattern.lower()
        tries = [leaf] if "." in leaf else [leaf] + [leaf + e for e in _path_extensions(p)]
        found = []
        for d in dirs:
            base = full_path(p, d.strip())
            try:
                names = folder_names(p, _path(p, base))
            except Exception:    # KernelError / NtError: no such directory
                continue
            for name in sorted(names):
                if any(_matches(name.lower(), t) for t in tries):
                    path = base.rstrip("\\") + "\\" + name
                    if path.lower() not in (f.lower() for f in found):
                        found.append(path)
        if not found:
            found_all = False
        elif "q" not in flags:
            _out(p, "".join(f + "\n" for f in found))
    if not found_all and "q" not in flags:
        _out(p, "INFO: Could not find files for the given pattern(s).\n", 2)
    return 0 if found_all else 1


def _matches(name: str, pattern: str) -> bool:
    import fnmatch
    return fnmatch.fnmatchcase(name, pattern)


def _hostname(p, args: list[str], state: dict) -> int:
    from .kernel32_system import host_name
    _out(p, host_name(p).split(".")[0] + "\n")
    return 0


def _whoami(p, args: list[str], state: dict) -> int:
    from .advapi32 import USER_NAME
    from .kernel32_system import host_name
    _out(p, f"{host_name(p).split('.')[0].lower()}\\{USER_NAME}\n")
    return 0


def _processes(p) -> list:
    return sorted((q for q in p.kernel.procs.values() if q.alive and q.pid == q.tgid),
                  key=lambda q: q.pid)


def _image(proc) -> str:
    return posixpath.basename(proc.exe or "") or proc.comm


def _taskkill(p, args: list[str], state: dict) -> int:
    """/PID n or /IM name (repeatable), /T for the process's tree, /F to force: console
    programs can only be ended with /F, as Windows says."""
    from ..linux.process import may_signal
    from .. import signals
    from .state import Win32Process
    flags, _ = _switches(args)
    pids, images = [], []
    for i, a in enumerate(args[:-1]):
        if a.lower() in ("/pid", "-pid"):
            pids.append(args[i + 1])
        elif a.lower() in ("/im", "-im"):
            images.append(args[i + 1].lower())
    if not pids and not images:
        _out(p, "ERROR: Invalid syntax. Neither /FI nor /PID nor /IM were specified.\n"
                "Type \"TASKKILL /?\" for usage.\n", 2)
        return 1
    procs = _processes(p)
    targets, code = [], 0
    for pid in pids:
        match = next((q for q in procs if str(q.pid) == pid), None)
        if match is None:
            _out(p, f"ERROR: The process \"{pid}\" not found.\n", 2)
            code = 128
        else:
            targets.append(match)
    for image in images:
        matched = [q for q in procs if _matches(_image(q).lower(), image)]
        if not matched:
            _out(p, f"ERROR: The process \"{image}\" not found.\n", 2)
            code = 128
        targets += matched
    if "t" in flags:     # each target's descendants, children ended first
        tree = []
        for root in targets:
            tree += _descendants(procs, root) + [root]
        targets = tree
    for target in dict.fromkeys(targets):
        if target.pid == p.tgid:
            continue
        if "f" not in flags and Win32Process.of(target) is not None:
            _out(p, f"ERROR: The process with PID {target.pid} could not be terminated.\n"
                    "Reason: This process can only be terminated forcefully (with /F "
                    "option).\n", 2)
            code = 128
            continue
        if not may_signal(p, target, signals.SIGKILL):
            _out(p, f"ERROR: The process with PID {target.pid} could not be terminated.\n"
                    "Reason: Access is denied.\n", 2)
            code = 128
            continue
        state_of = Win32Process.of(target)
        if state_of is not None:
            state_of.exit_code = 1          # TerminateProcess's code for taskkill /F
        p.kernel.exit_process(target, signals.SIGKILL, signaled=True) \
            if state_of is None else p.kernel.exit_process(target, 1)
        _out(p, f"SUCCESS: The process with PID {target.pid} "
                f"{'(child process of PID ' + str(target.ppid) + ') ' if 't' in flags else ''}"
                "has been terminated.\n")
    return code


def _descendants(procs: list, root) -> list:
    children = [q for q in procs if q.ppid == root.pid and q is not root]
    out = []
    for child in children:
        out += _descendants(procs, child) + [child]
    return out


def _tasklist(p, args: list[str], state: dict) -> int:
    """The processes: a table, or /FO CSV or LIST; /NH without the header; /FI "PID eq n"
    or "IMAGENAME eq name" filters."""
    flags, _ = _switches(args)
    form, filters = "table", []
    for i, a in enumerate(args[:-1]):
        if a.lower() == "/fo":
            form = args[i + 1].lower()
        elif a.lower() == "/fi":
            m = re.match(r"\s*(\w+)\s+(eq|ne)\s+(.+?)\s*$", args[i + 1], re.I)
            if m:
                filters.append((m.group(1).lower(), m.group(2).lower(), m.group(3).lower()))
    rows = []
    for q in _processes(p):
        memory = f"{(q.mm.pages * 4 if q.mm is not None else 0):,} K"
        row = (_image(q), str(q.pid), "Console", "1", memory)
        keep = True
        for field, op, value in filters:
            have = {"pid": row[1], "imagename": row[0].lower()}.get(field)
            if have is not None:
                same = _matches(have.lower(), value)
                keep = keep and (same if op == "eq" else not same)
        if keep:
            rows.append(row)
    if not rows:
        _out(p, "INFO: No tasks are running which match the specified criteria.\n")
        return 0
    names = ("Image Name", "PID", "Session Name", "Session#", "Mem Usage")
    if form == "csv":
        lines = ([] if "nh" in flags else [",".join(f'"{n}"' for n in names)]) + \
            [",".join(f'"{c}"' for c in row) for row in rows]
        _out(p, "".join(line + "\n" for line in lines))
    elif form == "list":
        _out(p, "".join("\n" + "".join(f"{(n + ':'):<14}{c}\n" for n, c in zip(names, row))
                        for row in rows))
    else:
        widths = (25, 8, 16, 11, 12)
        head = "" if "nh" in flags else (
            "\n" + " ".join(n.ljust(w) if i in (0, 2) else n.rjust(w)
                            for i, (n, w) in enumerate(zip(names, widths))) + "\n" +
            " ".join("=" * w for w in widths) + "\n")
        body = "".join(" ".join(c[:w].ljust(w) if i in (0, 2) else c.rjust(w)
                                for i, (c, w) in enumerate(zip(row, widths))) + "\n"
                       for row in rows)
        _out(p, head + body)
    return 0


def _chcp(p, args: list[str], state: dict) -> int:
    """The console's code page, or a new one for its input and output."""
    from .kernel32_console import sys_kernel32_SetConsoleCP, sys_kernel32_SetConsoleOutputCP
    from .kernel32_locale import VALID_CODE_PAGES, sys_kernel32_GetConsoleOutputCP
    if args:
        try:
            page = int(args[0])
        except ValueError:
            _out(p, "Parameter format not correct - " + args[0] + "\n", 2)
            return 1
        if page not in VALID_CODE_PAGES:
            _out(p, "Invalid code page\n", 2)
            return 1
        sys_kernel32_SetConsoleCP(p, page)
        sys_kernel32_SetConsoleOutputCP(p, page)
    _out(p, f"Active code page: {sys_kernel32_GetConsoleOutputCP(p)}\n")
    return 0


def _timeout(p, args: list[str], state: dict) -> int:
    """timeout /t N [/nobreak]: waits N seconds (-1: for a key). Its input must be the
    console, as Windows requires (a redirected one is refused at once)."""
    from ..kernel import Block
    from .cmd import _std_file
    flags, words = _switches(args)
    seconds = None
    for i, a in enumerate(args[:-1]):
        if a.lower() in ("/t", "-t"):
            seconds = args[i + 1]
    if seconds is None and words:
        seconds = words[0]
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        _out(p, "ERROR: Invalid syntax. Default option is not allowed more than '1' "
                "time(s).\nType \"TIMEOUT /?\" for usage.\n", 2)
        return 1
    stdin = _std_file(p, 0)
    if stdin is None or not stdin.isatty():
        _out(p, "ERROR: Input redirection is not supported, exiting the process "
                "immediately.\n", 2)
        return 1
    if seconds < -1 or seconds > 99999:
        _out(p, "ERROR: Invalid value for timeout (/T) specified. Valid range is -1 to "
                "99999.\n", 2)
        return 1
    keys = "nobreak" not in flags           # a key press ends the wait (-1: only it does)
    if "until" not in state:
        state["until"] = None if seconds < 0 else time.monotonic() + seconds
        _out(p, "\nPress any key to continue ..." if seconds < 0 and keys else
             "\nWaiting for ever, press CTRL+C to quit ..." if seconds < 0 else
             f"\nWaiting for {seconds} seconds, press "
             f"{'a key to continue' if keys else 'CTRL+C to quit'} ...")
    pressed = keys and stdin.readable_now()
    if pressed:
        try:
            stdin.read(1)
        except (KernelError, WouldBlock):
            pass
    elif state["until"] is None or time.monotonic() < state["until"]:
        from .. import readiness
        raise Block((lambda: stdin.readable_now()) if keys else (lambda: False),
                    deadline=state["until"], host_fds=list(readiness.host_fds(stdin)))
    _out(p, "\n")
    return 0


def _find(p, args: list[str], state: dict) -> int:
    """find [/V] [/C] [/N] [/I] "string" [file...]: the lines with (or without) it."""
    flags, words = _switches(args)
    if not words:
        _out(p, "FIND: Parameter format not correct\n", 2)
        return 2
    needle, files = words[0], words[1:]
    found_any = False
    for path, lines in _each_input(p, state, files, lambda name: f"File not found - "
                                                                 f"{name.upper()}\n"):
        hits = []
        for n, line in enumerate(lines, 1):
            have = needle.lower() in line.lower() if "i" in flags else needle in line
            if have != ("v" in flags):
                hits.append(f"[{n}]{line}" if "n" in flags else line)
        found_any = found_any or bool(hits)
        head = f"\n---------- {path.upper()}" if path is not None else ""
        if "c" in flags:
            _out(p, f"{head}: {len(hits)}\n" if head else f"{len(hits)}\n")
        else:
            _out(p, (head + "\n" if head else "") + "".join(h + "\n" for h in hits))
    return 0 if found_any else 1


def _findstr_regex(pattern: str) -> str:
    """findstr's regular expressions in Python's: . * ^ $ [class] [^class] \\x, and the
    word edges \\< \\>."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append(r"\b" if nxt in "<>" else re.escape(nxt))
            i += 2
            continue
        if c == "[":
            end = pattern.find("]", i + 1)
            if end > i:
                out.append(pattern[i:end + 1])
                i = end + 1
                continue
        out.append(c if c in ".*^$" else re.escape(c))
        i += 1
    return "".join(out)


def _findstr_matcher(args: list[str]):
    """(the switches, the file names, a function line -> whether it matches)."""
    flags, literal_strings, rest = set(), [], []
    for a in args:
        low = a.lower()
        if low.startswith(("/c:", "-c:")):
            literal_strings.append(a[3:])
        elif a[:1] in "/-" and len(a) > 1 and not low[1:2] in ("f", "d", "g", "a"):
            flags.update(low[1:])
        else:
            rest.append(a)
    strings = literal_strings or (rest[0].split() if rest else [])
    files = rest if literal_strings else rest[1:]
    regex = "r" in flags or (not literal_strings and "l" not in flags and
                             any(ch in "".join(strings) for ch in ".*^$[\\"))
    case = re.IGNORECASE if "i" in flags else 0
    parts = [_findstr_regex(s) if regex else re.escape(s) for s in strings]
    if "x" in flags:
        parts = [f"^(?:{part})$" for part in parts]
    elif "b" in flags:
        parts = [f"^(?:{part})" for part in parts]
    elif "e" in flags:
        parts = [f"(?:{part})$" for part in parts]
    compiled = [re.compile(part, case) for part in parts]
    return flags, files, lambda line: any(c.search(line) for c in compiled)


def _findstr(p, args: list[str], state: dict) -> int:
    """findstr [/I /V /N /M /B /E /X /L /R] [/C:"string"] strings [files]: the lines that
    match any of the (space-separated) strings; /R or metacharacters make them regular
    expressions; with several files each line is named by its file."""
    from ..nt.directory import folder_names
    from .kernel32_files import _path, full_path
    import fnmatch
    try:
        flags, patterns, matches = _findstr_matcher(args)
    except re.error:
        _out(p, "FINDSTR: Bad command line\n", 2)
        return 2
    files = []
    for pattern in patterns:
        if "*" in pattern or "?" in pattern:
            head, _, leaf = full_path(p, pattern).rpartition("\\")
            try:
                names = folder_names(p, _path(p, head + "\\"))
            except Exception:    # KernelError / NtError: no such folder
                names = []
            files += [f"{pattern.rpartition(chr(92))[0] + chr(92) if chr(92) in pattern else ''}{n}"
                      for n in sorted(names) if fnmatch.fnmatch(n.lower(), leaf.lower())]
        else:
            files.append(pattern)
    found = False
    for path, lines in _each_input(p, state, files, lambda name: f"FINDSTR: Cannot open {name}\n"):
        named = len(files) > 1 or "m" in flags
        for n, line in enumerate(lines, 1):
            if matches(line) == ("v" in flags):
                continue
            found = True
            if "m" in flags:
                _out(p, f"{path}\n")
                break
            prefix = (f"{path}:" if named else "") + (f"{n}:" if "n" in flags else "")
            _out(p, f"{prefix}{line}\n")
    return 0 if found else 1


def _sort(p, args: list[str], state: dict) -> int:
    """sort [/R] [file]: the lines in order, case-insensitively as Windows' sort does."""
    flags, words = _switches(args)
    try:
        data = _all_input(p, state, words[0] if words else None)
    except FileNotFoundError:
        _out(p, "The system cannot find the file specified.\n", 2)
        return 1
    lines = sorted(_lines(data), key=str.lower, reverse="r" in flags)
    _out(p, "".join(line + "\n" for line in lines))
    return 0


def _more(p, args: list[str], state: dict) -> int:
    """more [file]: the text as it is (no pages: the output here is no console to fill)."""
    _, words = _switches(args)
    try:
        data = _all_input(p, state, words[0] if words else None)
    except FileNotFoundError:
        _out(p, f"Cannot access file {words[0]}\n", 2)
        return 1
    _out(p, "".join(line + "\n" for line in _lines(data)))
    return 0


def _fc(p, args: list[str], state: dict) -> int:
    from .system_fc import run_fc
    return run_fc(p, args, state)


def _reg(p, args: list[str], state: dict) -> int:
    from .system_reg import run_reg
    return run_reg(p, args, state)


RUNNERS = {"where": _where, "hostname": _hostname, "whoami": _whoami, "taskkill": _taskkill,
           "tasklist": _tasklist, "chcp": _chcp, "timeout": _timeout, "find": _find,
           "findstr": _findstr, "sort": _sort, "more": _more, "fc": _fc, "reg": _reg}
