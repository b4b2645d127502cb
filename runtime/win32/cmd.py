"""cmd.exe, the command interpreter Windows programs run for system(), _popen(), Node's exec
and `cmd /c`: a generated program (compiler/emit_dll.py programs_for) whose one instruction is
the trap to kernel32.__sysvec_cmd_main, answered here. The command line is cmd's: `/c`
(and `/k`, `/s`, `/d`, `/q` ...) then the command, its outer quotes stripped by cmd's rule;
without `/c`, commands are read from standard input, one per line.

A command is `%VAR%`-expanded, then split on `&`, `&&`, `||` and `|` (outside quotes and
blocks in parentheses, `^` escaping), each part with its redirections (`<`, `>`, `>>`, `2>`, `2>&1`, `1>&2`, `NUL`).
Programs are found as CreateProcess finds them (the current directory, System32, PATH,
`.exe` added) and run as child processes of this one, a pipeline's stages joined by pipes.
The built-in commands are the everyday ones: echo, set, cd/chdir, dir, exit, type, ver, rem,
cls, title, md/mkdir, rd/rmdir, del/erase, setlocal/endlocal, pushd/popd, start, `set /a`
(cmd_arith.py), `set /p`, if/else, `for` (cmd_for.py) and blocks, whose commands run as the next
steps; with delayed expansion, `!VAR!` is expanded as each command runs. An unknown command
is cmd's message and ERRORLEVEL 9009.

The handler keeps its state in the process between calls: waiting for a child raises Block,
and the trap runs again when the child has exited, continuing where it stopped."""
from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field

from ..errors import BrokenPipe, KernelError, WouldBlock
from ..nt.directory import NEW_FILE_MODE, folder_names
from . import cmd_files
from .wide import read_wstr

NOT_FOUND = 9009
DEVICES = {"nul": "/dev/null"}


@dataclass
class Command:
    text: str                                      # the words, redirections taken out
    redirects: list = field(default_factory=list)  # (fd, mode, target): mode "<", ">", ">>", "&"


@dataclass
class Step:
    op: str                      # how it follows the previous one: "", "&", "&&", "||"
    pipeline: list               # Commands joined by |


@dataclass
class Run:
    steps: list
    index: int = 0
    errorlevel: int = 0          # ERRORLEVEL
    code: int = 0                # the last command's return code: what && and || test and
                                 # cmd /c exits with (echo returns 0, ERRORLEVEL unchanged)
    kept: bool = False           # the last command was a built-in that keeps ERRORLEVEL
    children: list = field(default_factory=list)   # the running pipeline's processes
    last: object = None          # the pipeline's last stage when it is a child process
    status: int = 0              # ... else its ERRORLEVEL (a built-in's, or 9009)
    exit_code: int | None = None  # `exit` was run
    started: bool = False        # the step at index is running (or ran)
    read_stdin: bool = False     # no /c: more commands come from standard input
    pending: bytes = b""         # standard input read but not yet run
    dirs: list = field(default_factory=list)       # pushd's stack
    frames: list = field(default_factory=list)     # batch files and `call :label`s running
    calling: bool = False        # the batch file starting was named by `call`
    echo: bool = True            # a batch line is shown after the prompt (echo on)
    delayed: bool = False        # setlocal EnableDelayedExpansion: !VAR! when a command runs
    capture: object = None       # for /f's command running (cmd_for.Capture)
    prompt: object = None        # set /p waiting for its line (Prompt)
    draining: object = None      # type's copy waiting for room in a full pipe (Drain)
    greeted: bool = False        # reading standard input: the banner is shown
    prompted: bool = False       # ... and the prompt for the line being read


@dataclass
class Drain:
    """type's copy of a file into a pipe that filled: what it holds, the rest to read."""
    source: object               # the file being typed (a reference of this Drain's)
    out: object                  # the pipe (a reference of this Drain's)
    left: bytes = b""            # read and not yet written
    names: list = field(default_factory=list)   # the files to type after it
    err: object = None           # where their names go (type *.txt), or None


@dataclass
class Prompt:
    name: str                    # the variable set /p sets
    source: object               # the standard input it reads (a reference of its own)
    got: bytes = b""


# --- the command line --------------------------------------------------------------------

def split_switches(line: str) -> tuple[str | None, bool, bool]:
    """(the command after /c or /k, or None for none; whether /s was given; whether /v:on
    asked for delayed expansion) from cmd.exe's whole command line. cmd looks for its
    switches from the line's first '/' (Wine's and ReactOS's cmd do so), so a line that
    starts with them names no program: Go's SysProcAttr.CmdLine gives fzf's preview
    commands `/s/c "..."` alone."""
    rest = line.lstrip()
    if rest.startswith("/"):
        pass
    elif rest.startswith('"'):
        rest = rest[rest.find('"', 1) + 1:] if '"' in rest[1:] else ""
    else:
        rest = rest.split(None, 1)[1] if len(rest.split(None, 1)) > 1 else ""
    strip_all = delayed = False
    while True:
        rest = rest.lstrip()
        m = re.match(r"/([A-Za-z])(:\w+)?", rest)
        if not m:
            return None, strip_all, delayed
        letter = m.group(1).lower()
        rest = rest[m.end():]
        if letter in "ck":
            return rest.lstrip(), strip_all, delayed
        if letter == "s":
            strip_all = True
        if letter == "v":
            delayed = (m.group(2) or ":on").lower() == ":on"


def strip_outer_quotes(command: str, strip_all: bool, is_program=lambda name: True) -> str:
    """cmd's rule: the first and last quotes go, unless /s is absent and the line is exactly
    one quoted name, with no special characters but a blank, of a program that exists (then
    it is kept as it is): `cmd /c "echo hi"` runs echo."""
    stripped = command.strip()
    inner = stripped[1:stripped.rfind('"')] if stripped.startswith('"') else ""
    keep = not strip_all and stripped.count('"') == 2 and stripped.startswith('"') and \
        not any(c in stripped for c in "&<>()@^|") and " " in inner and is_program(inner)
    if keep or not stripped.startswith('"'):
        return stripped
    last = stripped.rfind('"')
    return stripped[1:last] + stripped[last + 1:] if last > 0 else stripped[1:]


def _is_program(p, name: str) -> bool:
    """Whether name is an executable file, as cmd's quote rule asks: found as given or with
    .exe, in the current folder or on PATH."""
    from .kernel32_files import search_path
    return search_path(p, None, name, ".exe") is not None


def expand(p, text: str, run: Run, in_batch: bool = False) -> str:
    """%NAME% from the environment (any case), %ERRORLEVEL% and %CD%; %% is %; a name not
    set stays as it was written on a command line, and is empty in a batch file."""
    from .kernel32_system import _env, _env_key

    def value(m) -> str:
        name = m.group(1)
        if not name:
            return "%"
        key = _env_key(p, name)
        if key is not None:
            return _env(p)[key]
        if name.upper() == "ERRORLEVEL":
            return str(run.errorlevel)
        if name.upper() == "CD":
            return p.win32.cwd.rstrip("\\") if len(p.win32.cwd) > 3 else p.win32.cwd
        dynamic = DYNAMIC.get(name.upper())
        if dynamic is not None:
            return dynamic(p)
        return "" if in_batch else m.group(0)
    return re.sub(r"%([^%\s]*)%", value, text)


def _time_now(_p) -> str:
    """%TIME%, en-US: the hour space-padded, hundredths of a second."""
    now = time.time()
    t = time.localtime(now)
    return f"{t.tm_hour:2d}:{t.tm_min:02d}:{t.tm_sec:02d}.{int(now * 100) % 100:02d}"


def _command_line(p) -> str:
    return read_wstr(p, p.win32.command_line_w) if p.win32.command_line_w else ""


# The variables cmd works out when they are read (an environment variable of the same name
# wins, as in cmd).
DYNAMIC = {
    "DATE": lambda p: time.strftime("%a %m/%d/%Y"),
    "TIME": _time_now,
    "RANDOM": lambda p: str(random.randrange(32768)),
    "CMDCMDLINE": _command_line,
    "CMDEXTVERSION": lambda p: "2",
    "HIGHESTNUMANODENUMBER": lambda p: "0",
}


def opens_block(before: str, depth: int) -> bool:
    """Whether a `(` starts a block: inside one, at a command's start, or after `if ...`,
    `for ... in`, `do` or `else` (elsewhere, as in `echo (x)`, it is a character)."""
    before = before.lstrip().lstrip("@")
    return depth > 0 or not before.strip() or bool(
        re.match(r"(?is)(\)\s*else\s+)?(if|for)\b.*\s$", before) or
        re.search(r"(?i)(^|\s)(do|else)\s*$", before))


WHOLE_LINE = re.compile(r"(?i)[\s@]*(if|for|rem)(?=[\s(/:]|$)")
REM_LINE = re.compile(r"(?i)[ \t@]*rem(?=\s|$)")


def _command_end(text: str, i: int) -> int:
    """Where a command starting at i ends when it is one that takes the rest of its line:
    `if` and `for` (their body has the line's &, | and redirections: they are the body's),
    and `rem` (nothing in a comment counts, parentheses neither)."""
    m = WHOLE_LINE.match(text, i)
    if not m:
        return i
    if m.group(1).lower() == "rem":
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    return _scan(text, i, 0, stop_at_line_end=True)[1]


def block_depth(text: str, depth: int = 0) -> int:
    """How many blocks are open at the end of text, depth being open at its start (a batch
    line that leaves one open goes on in the next lines; a `rem` line opens none)."""
    return _scan(text, 0, depth, stop_at_line_end=False)[0]


def _scan(text: str, i: int, depth: int, stop_at_line_end: bool) -> tuple[int, int]:
    """Read text from i as cmd counts blocks (quotes, ^ escapes, `rem` lines, a `(` only
    where opens_block says): (the depth at the end, where the scan ended: the end of text,
    or with stop_at_line_end the first line end outside any block)."""
    quoted, start = False, i
    while i < len(text):
        c = text[i]
        if c == "\n":
            if stop_at_line_end and depth == 0:
                return depth, i
            quoted, start = False, i + 1
        elif i == start and REM_LINE.match(text, i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif c == '"':
            quoted = not quoted
        elif c == "^" and not quoted:
            i += 1
        elif not quoted and c == "(" and opens_block(text[start:i], depth):
            depth += 1
        elif not quoted and c == ")" and depth:
            depth -= 1
        elif not quoted and depth == 0 and c in "&|":
            start = i + 1
        i += 1
    return depth, len(text)


def parse(text: str) -> list[Step]:
    """Steps of pipelines of commands (quotes, ^ and blocks in parentheses respected; a
    block's lines are separate commands, parsed when the block runs: a ^ inside one stays
    for then)."""
    steps, pipeline, current, op = [], [], [], ""
    i, quoted, depth = 0, False, 0

    def end_command():
        pipeline.append(_command("".join(current)))
        current.clear()
    while i < len(text):
        c = text[i]
        if depth == 0 and not quoted and not "".join(current).strip():
            end = _command_end(text, i)
            if end > i:                      # if, for, rem: the rest of the line
                current.extend(text[i:end])
                i = end
                continue
        if c == "\n" and depth == 0:
            c = "&"                      # a line ends a command as & does
            quoted = False
        if c == "\n":
            quoted = False
            if REM_LINE.match(text, i + 1):     # a block's comment line: kept as it is
                end = text.find("\n", i + 1)
                end = len(text) if end < 0 else end
                current.extend(text[i:end])
                i = end
                continue
        elif c == '"':
            quoted = not quoted
        elif c == "^" and not quoted and i + 1 < len(text):
            current.append(text[i:i + 2])    # the command (_command) reads the escape
            i += 2
            continue
        elif not quoted and c == "(" and opens_block("".join(current), depth):
            depth += 1
        elif not quoted and c == ")" and depth:
            depth -= 1
        elif not quoted and depth == 0 and c in "&|" and not (
                c == "&" and "".join(current).rstrip()[-1:] in ("<", ">")):  # 2>&1
            double = text[i:i + 2] in ("&&", "||")
            end_command()
            if c == "|" and not double:
                i += 1
                continue
            steps.append(Step(op, list(pipeline)))
            pipeline.clear()
            op = text[i:i + 2] if double else "&"
            i += 2 if double else 1
            continue
        current.append(c)
        i += 1
    end_command()
    steps.append(Step(op, list(pipeline)))
    return [s for s in steps if any(c.text.strip() or c.redirects for c in s.pipeline)]


# A handle number counts only right after a blank (`echo a2>x` writes "a2").
_REDIRECT = re.compile(r'(?:(?<=\s)|^)?([012])?(>>|>|<)(&[012]|\s*"[^"]*"|\s*[^\s&|<>]+)')


def _command(text: str) -> Command:
    """The words and the redirections of one command (an if's or a for's are its body's)."""
    if WHOLE_LINE.match(text):
        return Command(text.lstrip(), [])
    redirects, kept, quoted, i, depth = [], [], False, 0, 0
    while i < len(text):
        if text[i] == "^" and not quoted and i + 1 < len(text):
            # An escaped character is itself; inside a block the escape stays for the
            # block's own parse.
            kept.append(text[i + 1] if not depth else text[i:i + 2])
            i += 2
            continue
        if text[i] == '"':
            quoted = not quoted
        elif not quoted and text[i] == "(" and opens_block("".join(kept), depth):
            depth += 1
        elif not quoted and text[i] == ")" and depth:
            depth -= 1
        if not quoted and not depth:
            m = _REDIRECT.match(text, i)
            handle_ok = i == 0 or text[i - 1].isspace()
            if m and (text[i] in "<>" or (text[i + 1:i + 2] in "<>" and handle_ok)):
                fd = int(m.group(1)) if m.group(1) else (0 if m.group(2) == "<" else 1)
                target = m.group(3).strip()
                if target.startswith("&"):
                    redirects.append((fd, "&", int(target[1:])))
                else:
                    redirects.append((fd, m.group(2), target.strip('"')))
                i = m.end()
                continue
        kept.append(text[i])
        i += 1
    return Command("".join(kept).lstrip(), redirects)   # cmd keeps trailing blanks (`echo a > f` writes "a ")


# --- running ---------------------------------------------------------------------------------

def _std_file(p, fd: int):
    try:
        return p.fds.get(fd)
    except KernelError:
        return None


def _open_target(p, name: str, mode: str):
    """A redirection's file (NUL is the null device), opened in the guest's root."""
    from .kernel32_files import _path, full_path
    device = DEVICES.get(name.lower().rstrip(":"))
    path = device if device else _path(p, full_path(p, name))
    flags = {"<": 0, ">": 0o1 | 0o100 | 0o1000, ">>": 0o1 | 0o100 | 0o2000}[mode]
    return p.kernel.fs.open("/", path, flags, NEW_FILE_MODE, p)


def _files_for(p, command: Command, stdin, stdout) -> list:
    """The command's standard files [in, out, err] after its redirections (each with a
    reference the caller drops)."""
    files = [stdin, stdout, _std_file(p, 2)]
    for f in files:
        if f is not None:
            f.incref()
    try:
        for fd, mode, target in command.redirects:
            if mode == "&":
                new = files[target]
                if new is not None:
                    new.incref()
            elif target.lower().rstrip(":") == "con":     # the console: the standard file
                new = _std_file(p, 0 if mode == "<" else 1)
                if new is not None:
                    new.incref()
            else:
                new = _open_target(p, target, mode)
            if files[fd] is not None:
                files[fd].decref()
            files[fd] = new
    except BaseException:
        for f in files:
            if f is not None:
                f.decref()
        raise
    return files


def _write(f, text: str) -> None:
    """A built-in's output, lines ended as cmd ends them (a full pipe drops it: built-ins
    write a few lines)."""
    if f is not None:
        try:
            f.write(text.replace("\n", "\r\n").encode("utf-8", "replace"))
        except (KernelError, WouldBlock, BrokenPipe):   # a full or closed pipe: lost
            pass


def _path_extensions(p) -> list[str]:
    """%PATHEXT%'s extensions, lower case, in order (Windows' default when it is unset)."""
    from .kernel32_system import _env, _env_key
    key = _env_key(p, "PATHEXT")
    value = _env(p)[key] if key else ".COM;.EXE;.BAT;.CMD"
    return [e.strip().lower() for e in value.split(";") if e.strip().startswith(".")]


def _command_path(p, name: str) -> str | None:
    """The Windows path of the file a command names, found as cmd finds it: the current
    directory, then each PATH directory, in each trying the name with every PATHEXT extension
    in turn (the name as given only when its extension is one of them). A file without an
    extension is no command: npm's bin directory holds a `#!/bin/sh` script beside the .cmd."""
    from .kernel32_files import _exists, _path, full_path
    from .kernel32_system import _env, _env_key
    import stat as S
    extensions = _path_extensions(p)
    leaf = name.replace("/", "\\").rsplit("\\", 1)[-1]
    ext = "." + leaf.rsplit(".", 1)[1].lower() if "." in leaf else ""
    names = [name] if ext in extensions else [name + e for e in extensions]
    has_dir = "\\" in name or "/" in name or name[1:2] == ":"
    key = _env_key(p, "PATH")
    dirs = [""] if has_dir else [p.win32.cwd] + (_env(p)[key].split(";") if key else [])
    for d in dirs:
        if not has_dir and not d.strip():
            continue
        for candidate in names:
            where = d.strip().rstrip("\\") + "\\" + candidate
            full = full_path(p, candidate if has_dir else where)
            if not _exists(p, full):
                continue
            try:
                if S.S_ISREG(p.kernel.fs.stat("/", _path(p, full), True, p).st_mode):
                    return full
            except Exception:     # KernelError / NtError: not a file after all
                continue
    return None


def _is_batch(path: str | None) -> bool:
    from .cmd_batch import BATCH_EXTENSIONS
    return path is not None and path.lower().endswith(BATCH_EXTENSIONS)


def _spawn(p, command: Command, files: list):
    """A child process for an external command, or None (the message written, 9009)."""
    from .kernel32_process import (_find_program, command_line_to_argv, standard_files_table,
                                   start_child)
    from .kernel32_files import _path
    argv = command_line_to_argv(command.text)
    found = _command_path(p, argv[0]) if argv and argv[0] else None
    if _is_batch(found):        # in a pipeline, or started: a cmd of its own runs it
        return _spawn(p, Command(f"C:\\Windows\\System32\\cmd.exe /d /c {command.text}",
                                 command.redirects), files)
    # what cmd finds, else what CreateProcess would (a Linux program by its bare name)
    path = _path(p, found) if found else _find_program(p, argv[0]) if argv and argv[0] else None
    if path is None:
        _write(files[2], f"'{argv[0] if argv else command.text}' is not recognized as an "
                         "internal or external command,\noperable program or batch file.\n")
        return None
    try:    # the child gets the command line as written (its quotes kept), as from cmd
        return start_child(p, path, argv, standard_files_table(p, files), _path(p, p.win32.cwd),
                           command.text.strip())
    except Exception as exc:    # ExecError, KernelError: not a program that runs here
        _write(files[2], f"{argv[0]}: {getattr(exc, 'args', [''])[-1]}\n")
        return None


def _start(p, run: Run, step: Step) -> None:
    """Start a pipeline: its stages joined by pipes, the external ones as child processes
    (run.children), a built-in run at once."""
    from ..files import make_pipe
    if isinstance(step.pipeline[0], LoopRest):       # a for loop's next iterations
        rest = step.pipeline[0]
        _splice(run, _iterations(p, rest.loop, rest.values))
        run.last, run.status, run.kept = None, run.code, True    # changes no result
        return
    stdin = _std_file(p, 0)
    if stdin is not None:
        stdin.incref()
    run.last, run.status = None, 0
    for i, command in enumerate(step.pipeline):
        last = i == len(step.pipeline) - 1
        read_end = write_end = None
        if not last:
            read_end, write_end = make_pipe()
        out = _std_file(p, 1) if last else write_end
        child, status, files = None, 0, None
        try:
            try:
                files = _files_for(p, command, stdin, out)
            except KernelError:
                _write(_std_file(p, 2), "The system cannot find the file specified.\n")
                status = 1
            if files is not None:
                child, status = _run_stage(p, run, step, command, files)
        finally:        # each stage's references go, whatever happened (readers see the end)
            for f in files or ():
                if f is not None:
                    f.decref()
            if write_end is not None:
                write_end.decref()
            if stdin is not None:
                stdin.decref()
        stdin = read_end
        if last:        # a built-in that started a child to wait for (call, start /wait)
            run.last, run.status = child or run.last, status


def _run_stage(p, run: Run, step: Step, command: Command, files: list):
    """One command of a pipeline with its standard files: (the child it started or None,
    its status)."""
    child = None
    if run.delayed and not re.match(r"(?i)\s*(\(|(if|for)\b)", command.text):
        # a block's commands, and if's and for's bodies, are expanded as they run
        command = Command(expand_delayed(p, command.text, run), command.redirects)
    block = block_command(p, run, command, files, len(step.pipeline) == 1)
    if block is not None:
        status, child = block
    elif len(step.pipeline) > 1 and _builtin_name(command.text) is not None:
        # a built-in in a pipeline runs in a cmd of its own, as Windows' cmd runs each side
        # of a pipe: it writes all it has (type of a big file) while the reader reads
        switches = "/d /v:on" if run.delayed else "/d"
        child = _spawn(p, Command(f'C:\\Windows\\System32\\cmd.exe {switches} /s /c '
                                  f'"{command.text.strip()}"'), files)
        status = NOT_FOUND if child is None else 0
    else:
        status = _builtin(p, run, command, files)
    if status is None and len(step.pipeline) == 1 and _start_batch(p, run, command):
        status = 0          # its lines run next, in this cmd.exe
    elif status is None:
        child = _spawn(p, command, files)
        status = NOT_FOUND if child is None else 0
    if child is not None:
        run.children.append(child)
    return child, status


def _start_batch(p, run: Run, command: Command) -> bool:
    """Run a batch file the command names: a frame whose lines come next; the caller's
    remaining steps follow when it ends (from another batch file without `call`, control
    does not come back)."""
    from .cmd_batch import Frame, batch_text
    from .kernel32_files import _path
    words = re.findall(r'"[^"]*"|\S+', command.text)
    if not words:
        return False
    full = _command_path(p, words[0].strip('"'))
    if not _is_batch(full):
        return False                    # a program, or nothing: _spawn's to run or report
    lines = batch_text(p, _path(p, full))
    if lines is None:
        return False
    saved = (run.steps, run.index + 1)
    if run.frames and not run.calling:      # a plain jump to another batch file: this one
        old = run.frames[-1]                # ends, and the new one returns where it would
        _end_frame(p, run, keep_steps=True)
        saved = old.saved
    run.calling = False
    run.frames.append(Frame(lines, full, [words[0]] + words[1:], saved=saved))
    run.steps, run.index = [], 0
    run.started = False
    return True


def _end_frame(p, run: Run, keep_steps: bool = False) -> None:
    """A batch file (or `call :label`) ends: its setlocal environments are undone and the
    caller's remaining steps come back."""
    frame = run.frames.pop()
    if frame.environments:
        saved, run.delayed = frame.environments[0]
        p.win32.env.clear()
        p.win32.env.update(saved)
    if not keep_steps:
        run.steps, run.index = list(frame.saved[0]), frame.saved[1]
        run.started = False


def _next_batch_line(p, run: Run) -> None:
    """The top frame's next command, expanded and parsed into run.steps (shown first when
    echo is on); a line ending in ^, or leaving a block in parentheses open, goes on in the
    next lines. At the file's end the frame ends."""
    from .cmd_batch import expand_arguments
    frame = run.frames[-1]
    while frame.pc < len(frame.lines):
        raw = frame.lines[frame.pc]
        frame.pc += 1
        text = raw.lstrip()          # trailing blanks are the command's (echo keeps them)
        if not text or text.startswith(":"):
            continue                    # a label, or a `::` comment
        depth = block_depth(text)
        while frame.pc < len(frame.lines) and (text.endswith("^") or depth):
            more = frame.lines[frame.pc].lstrip()
            frame.pc += 1
            if text.endswith("^"):
                depth = block_depth(more, depth)    # the line goes on: its blocks count
                text = text[:-1] + more
            elif more and not more.startswith("::"):
                depth = block_depth(more, depth)
                text += "\n" + more
        quiet = text.startswith("@")
        text = text.lstrip("@").lstrip()
        if run.echo and not quiet:
            cwd = p.win32.cwd.rstrip("\\") if len(p.win32.cwd) > 3 else p.win32.cwd
            _write(_std_file(p, 1), f"\n{cwd}>{text}\n")
        line = expand(p, expand_arguments(p, frame, text), run, in_batch=True)
        run.steps, run.index, run.started = parse(line), 0, False
        return
    run.code = run.errorlevel       # the end of the file is `exit /b`: ERRORLEVEL
    _end_frame(p, run)


def sys_kernel32___sysvec_cmd_main(p):
    """cmd.exe's whole program: run the command line (or standard input's lines), then end
    the process with ERRORLEVEL."""
    from ..kernel import Block
    from .kernel32_process import exit_code_of
    run = p.win32.strings.get("cmd run")
    if run is None:
        line = read_wstr(p, p.win32.command_line_w) if p.win32.command_line_w else ""
        command, strip_all, delayed = split_switches(line)
        run = Run([], read_stdin=command is None, delayed=delayed)
        if command is not None:
            run.steps = parse(expand(p, strip_outer_quotes(command, strip_all,
                                                           lambda name: _is_program(p, name)),
                                     run))
        p.win32.strings["cmd run"] = run
    while True:
        if run.children:
            if any(c.alive for c in run.children):
                raise Block(lambda: not any(c.alive for c in run.children))
            run.children = []
        if run.exit_code is not None:
            return _exit(p, run.exit_code)
        if run.capture is not None:
            _captured(p, run)
        if run.prompt is not None:
            _prompted(p, run)
        if run.draining is not None:
            _drain(p, run)
        if run.started:
            run.code = exit_code_of(run.last) if run.last is not None else run.status
            if not run.kept:
                run.errorlevel = run.code
            run.kept = False
            run.started = False
            run.index += 1
            continue
        if run.index >= len(run.steps):
            if run.frames:
                _next_batch_line(p, run)
                continue
            if run.read_stdin and _more_input(p, run):
                continue
            return _exit(p, run.code)
        step = run.steps[run.index]
        if (step.op == "&&" and run.code) or (step.op == "||" and not run.code):
            run.index += 1
            continue
        run.started = True
        _start(p, run, step)


def release_waits(p) -> None:
    """cmd.exe ends (killed, say) while set /p or for /f waits: the pipe it was reading is
    let go, so the writer sees no reader."""
    run = p.win32.strings.pop("cmd run", None)
    if run is None:
        return
    if run.prompt is not None:
        run.prompt.source.decref()
        run.prompt = None
    if run.draining is not None:
        _drop_drain(run)
    if run.capture is not None:
        run.capture.read_end.decref()
        run.capture = None


BANNER = "Microsoft Windows [Version 10.0.19045.0]\n" \
    "(c) Microsoft Corporation. All rights reserved.\n"


def _more_input(p, run: Run) -> bool:
    """The next line of standard input parsed into steps (False at its end). As cmd.exe
    reading commands, the banner comes first and the prompt before each line (while echo is
    on); a line that did not come from the console (whose echo shows it) is shown after
    its prompt."""
    from ..kernel import Block
    stdin = _std_file(p, 0)
    out = _std_file(p, 1)
    if not run.greeted:
        _write(out, BANNER)
        run.greeted = True
    if not run.prompted:
        if run.echo:
            _write(out, "\n" + prompt_text(p))
        run.prompted = True
    while b"\n" not in run.pending and stdin is not None:
        try:
            chunk = stdin.read(4096)
        except WouldBlock:
            raise Block(lambda: stdin.readable_now()) from None
        except KernelError:
            break
        if not chunk:
            stdin = None
            break
        run.pending += chunk
    if not run.pending:
        return False
    line, _, run.pending = run.pending.partition(b"\n")
    text = line.decode("utf-8", "replace").rstrip("\r")
    run.prompted = False
    if run.echo and stdin is not None and not stdin.isatty():
        _write(out, text + "\n")
    run.steps = parse(expand(p, text, run)) if text.strip() else []
    run.index = 0
    return True


PROMPT_CODES = {"G": ">", "L": "<", "B": "|", "Q": "=", "S": " ", "$": "$", "_": "\n",
                "A": "&", "C": "(", "F": ")", "E": "\x1b", "H": "\b", "+": ""}


def prompt_text(p) -> str:
    """%PROMPT% with its $ codes ($P$G when unset): $P the current folder, $N its drive,
    $G >, $T and $D the time and date, $V the version, $_ a new line ..."""
    import time
    from .kernel32_system import _env, _env_key
    key = _env_key(p, "PROMPT")
    template = _env(p)[key] if key is not None else "$P$G"
    cwd = p.win32.cwd.rstrip("\\") if len(p.win32.cwd) > 3 else p.win32.cwd

    def code(m) -> str:
        letter = m.group(1).upper()
        if letter == "P":
            return cwd
        if letter == "N":
            return cwd[:1]
        if letter == "T":
            return time.strftime("%H:%M:%S.00", time.gmtime())
        if letter == "D":
            return time.strftime("%a %m/%d/%Y", time.gmtime())
        if letter == "V":
            return BANNER.splitlines()[0]
        return PROMPT_CODES.get(letter, "")
    return re.sub(r"\$(.)", code, template, flags=re.S)


def _exit_code(text: str, errorlevel: int) -> int:
    words = text.split()[1:]
    if words and words[0].lower() == "/b":
        words = words[1:]
    try:
        return int(words[0]) if words else errorlevel
    except ValueError:
        return errorlevel


def _exit(p, code: int) -> int:
    from .kernel32 import nt_call
    nt_call(p, "NtTerminateProcess", (1 << p.sysvec.word_bits) - 1, code & 0xFFFFFFFF)
    return 0


# --- the built-in commands -------------------------------------------------------------------

# A built-in's name ends where its line does, at a blank or at one of the characters that
# cmd lets stand for the blank (`echo(`, `echo.`, `cd\`).
BUILTIN_WORD = re.compile(r"@?\s*([A-Za-z]+)(?=$|[\s.:;/\\,=(])(.*)", re.S)


def _builtin_name(text: str) -> str | None:
    m = BUILTIN_WORD.match(text)
    return m.group(1).lower() if m and m.group(1).lower() in BUILTINS else None


def _builtin(p, run: Run, command: Command, files: list) -> int | None:
    """Run a built-in command with its standard files: its ERRORLEVEL, or None when the
    command is not one."""
    text = command.text
    m = BUILTIN_WORD.match(text)
    if not m:
        return 0 if not text.strip() else None
    name, rest = m.group(1).lower(), m.group(2)
    out, err = files[1], files[2]
    handler = BUILTINS.get(name)
    if handler is None:
        return None
    status = handler(p, run, rest, out, err, files)
    run.kept = status == 0 and name in KEEPS_ERRORLEVEL
    return status


# Built-ins that return 0 but leave ERRORLEVEL as it was when they succeed (a batch file
# ending with an echo exits with the ERRORLEVEL of the command before it).
KEEPS_ERRORLEVEL = {"echo", "rem", "title", "cls", "setlocal", "endlocal", "shift", "goto",
                    "for"}


def _echo(p, run, rest, out, err, files) -> int:
    if rest[:1] in (".", ":", ";", "/", "\\", ",", "("):
        _write(out, rest[1:] + "\n")
    elif rest.strip().lower() in ("on", "off"):
        run.echo = rest.strip().lower() == "on"
    elif not rest.strip():
        _write(out, "ECHO is on.\n")
    else:
        _write(out, rest[1:] + "\n")
    return 0


def _set(p, run, rest, out, err, files) -> int:
    from .kernel32_system import _env, _env_key
    m = re.match(r"\s*/a\s*(.*)", rest, re.I | re.S)
    if m:
        return _set_arithmetic(p, run, m.group(1), out, err)
    m = re.match(r"\s*/p\s*(.*)", rest, re.I | re.S)
    if m:
        body = m.group(1)
        if body.startswith('"') and body.rfind('"') > 0:
            body = body[1:body.rfind('"')]
        name, _, prompt = body.partition("=")
        _write(out, prompt)         # as written, its trailing blank too
        if files[0] is None or not name.strip():
            return 1
        files[0].incref()
        run.prompt = Prompt(name.strip(), files[0])
        return 0
    text = rest.strip().strip('"') if rest.strip().startswith('"') else rest.strip()
    if "=" not in text:
        prefix = text.lower()
        found = [f"{k}={v}" for k, v in sorted(_env(p).items(), key=lambda kv: kv[0].upper())
                 if k.lower().startswith(prefix)]
        if not found:
            _write(err, f"Environment variable {text} not defined\n")
            return 1
        _write(out, "\n".join(found) + "\n")
        return 0
    name, value = text.split("=", 1)
    key = _env_key(p, name)
    if key is not None:
        del _env(p)[key]
    if value:
        _env(p)[name] = value
    return 0


def _prompted(p, run: Run) -> None:
    """set /p: one line of its input (read a byte at a time, so the rest stays for the next
    reader), then the variable is set; no line at all leaves it as it was, ERRORLEVEL 1."""
    from ..kernel import Block
    from .kernel32_system import _env, _env_key
    ask = run.prompt
    while not ask.got.endswith(b"\n"):
        try:
            byte = ask.source.read(1)
        except WouldBlock:
            raise Block(lambda: ask.source.readable_now()) from None
        except KernelError:
            byte = b""
        if not byte:
            break
        ask.got += byte
    ask.source.decref()
    run.prompt = None
    line = ask.got.decode("utf-8", "replace").rstrip("\n").rstrip("\r")
    if not ask.got:
        run.status = 1
        return
    key = _env_key(p, ask.name)
    if key is not None:
        del _env(p)[key]
    if line:
        _env(p)[ask.name] = line


def _set_arithmetic(p, run, expression: str, out, err) -> int:
    """set /a: the expressions' assignments made; on a command line (not in a batch file)
    the value is shown, as cmd does."""
    from .cmd_arith import ArithError, evaluate
    from .kernel32_system import _env, _env_key

    def get(name: str):
        key = _env_key(p, name)
        return _env(p)[key] if key is not None else None

    def put(name: str, value: int) -> None:
        key = _env_key(p, name)
        if key is not None:
            del _env(p)[key]
        _env(p)[name] = str(value)
    try:
        value = evaluate(expression, get, put)
    except ArithError as exc:
        _write(err, f"{exc}\n")
        return 1
    if not run.frames:
        _write(out, str(value))
    return 0


def _cd(p, run, rest, out, err, files) -> int:
    from .kernel32_files import _path, full_path
    target = rest.strip().strip('"')
    if target.lower().startswith("/d"):
        target = target[2:].strip().strip('"')
    if not target:
        _write(out, p.win32.cwd.rstrip("\\") if len(p.win32.cwd) > 3 else p.win32.cwd)
        _write(out, "\n")
        return 0
    full = full_path(p, target)
    try:
        import stat as S
        if not S.S_ISDIR(p.kernel.fs.stat("/", _path(p, full), True, p).st_mode):
            raise KernelError(20)
    except Exception:
        _write(err, "The system cannot find the path specified.\n")
        return 1
    p.win32.cwd = full if full.endswith("\\") else full + "\\"
    return 0


def _type_names(p, rest: str, err) -> tuple[list[str], int]:
    """type's files: its names, a wildcard one (in its last part) the files it matches in
    name order; and 1 when a wildcard matched none (said on err), else 0."""
    import fnmatch
    import stat as S
    from .kernel32_files import _path, full_path
    names, status = [], 0
    for word in re.findall(r'"[^"]*"|\S+', rest):
        name = word.strip('"')
        folder, slash, leaf = name.replace("/", "\\").rpartition("\\")
        if "*" not in leaf and "?" not in leaf:
            names.append(name)
            continue
        matched = []
        try:
            directory = _path(p, full_path(p, folder + slash or "."))
            for n in sorted(folder_names(p, directory), key=str.lower):
                if fnmatch.fnmatch(n.lower(), leaf.lower()) and not S.S_ISDIR(
                        p.kernel.fs.stat("/", f"{directory.rstrip('/')}/{n}", True, p).st_mode):
                    matched.append(folder + slash + n)
        except Exception:           # KernelError: no such folder
            pass
        if not matched:
            _write(err, "The system cannot find the file specified.\n")
            status = 1
        names += matched
    return names, status


def _type_open(p, name: str, err):
    """One of type's files opened, its name said on err first when err is given (type with
    several files names each on standard error, so `type *.txt >all` joins only contents)."""
    f = _open_target(p, name, "<")
    if err is not None:
        _write(err, name + "\n")
    return f


def _type(p, run, rest, out, err, files) -> int:
    """The files' bytes to standard output; a pipe that fills is waited on (run.draining:
    the main loop writes the rest as the reader makes room), so nothing is lost."""
    names, status = _type_names(p, rest, err)
    named = err if len(names) > 1 else None
    for i, name in enumerate(names):
        try:
            f = _type_open(p, name, named)
        except KernelError:
            _write(err, "The system cannot find the file specified.\n")
            status = 1
            continue
        try:
            while out is not None and (chunk := f.read(65536)):
                written = _write_some(out, chunk)
                if written < len(chunk):
                    f.incref()
                    out.incref()
                    if named is not None:
                        named.incref()
                    run.draining = Drain(f, out, chunk[written:], names[i + 1:], named)
                    break
        except (KernelError, BrokenPipe):      # a closed pipe: the reader is gone
            status = 1
        finally:
            f.decref()
        if run.draining is not None:
            break
    return status


def _write_some(f, data: bytes) -> int:
    """As much of data as f takes now (0 when a pipe is full)."""
    try:
        written = f.write(data)
    except WouldBlock:
        return 0
    return len(data) if written is None else written


def _drain(p, run: Run) -> None:
    """type's copy goes on: write what is held, read more, wait while the pipe is full."""
    from ..kernel import Block
    d = run.draining
    try:
        while True:
            if d.left:
                written = _write_some(d.out, d.left)
                d.left = d.left[written:]
                if d.left:
                    raise Block(d.out.writable_now)
                continue
            d.left = d.source.read(65536)
            if not d.left:
                if not d.names:
                    break
                d.source.decref()               # the next file (one that cannot be
                name = d.names.pop(0)              # opened is skipped)
                try:
                    d.source = _type_open(p, name, d.err)
                except KernelError:
                    d.source = _open_target(p, "nul", "<")
    except (KernelError, BrokenPipe):           # the reader is gone: the rest is dropped
        pass
    _drop_drain(run)


def _drop_drain(run: Run) -> None:
    """type's copy is over: its files' references let go."""
    d = run.draining
    for f in (d.source, d.out, d.err):
        if f is not None:
            f.decref()
    run.draining = None


def _dir_target(p, target: str) -> tuple[str, str | None, str]:
    """(the folder's Windows path, its guest path or None, the name pattern) of a dir
    argument: a folder lists all of it, anything else is a pattern in its folder."""
    import stat as S
    from .kernel32_files import _path, full_path
    full = full_path(p, target)
    try:
        directory = _path(p, full)
        if S.S_ISDIR(p.kernel.fs.stat("/", directory, True, p).st_mode):
            return full, directory, "*"
    except Exception:           # KernelError / NtError: not a folder
        pass
    head, _, pattern = full.rpartition("\\")
    try:
        return head, _path(p, head + "\\"), pattern
    except Exception:           # NtError: a name NT paths refuse
        return head, None, pattern


DIR_ATTRIBUTES = "DRHASLIO"    # dir /A's letters: directory, read-only, hidden, archive ...
DIR_DEFAULT = ("", "HS")        # no /A: hidden and system files are not listed


def _dir_attribute_rule(switches: list[str]) -> tuple[str, str] | None:
    """dir's /A[:]attributes as (letters wanted, letters refused) -- a - refuses the next
    letter; /A alone lists everything (None), no /A hides hidden and system files."""
    spec = next((w[2:].lstrip(":").upper() for w in switches if w.startswith("/a")), None)
    if spec is None:
        return DIR_DEFAULT
    if not spec:
        return None
    wanted, refused, negate = "", "", False
    for letter in spec:
        if letter == "-":
            negate = True
        elif letter in DIR_ATTRIBUTES:
            refused, wanted = (refused + letter, wanted) if negate else (refused, wanted + letter)
            negate = False
    return wanted, refused


def _dir_letters(p, path: str, st) -> str:
    """The /A letters a listed entry has."""
    import stat as S
    from ..nt import dosattrib as A
    is_dir = S.S_ISDIR(st.st_mode)
    word = A.word_at(p, path, st, directory=is_dir, follow=True)
    letters = "D" if is_dir else ""
    letters += "R" if not st.st_mode & 0o200 else ""
    for letter, bit in (("H", A.FILE_ATTRIBUTE_HIDDEN), ("A", A.FILE_ATTRIBUTE_ARCHIVE),
                        ("S", A.FILE_ATTRIBUTE_SYSTEM), ("I", A.FILE_ATTRIBUTE_NOT_CONTENT_INDEXED),
                        ("O", A.FILE_ATTRIBUTE_OFFLINE)):
        letters += letter if word & bit else ""
    try:
        if S.S_ISLNK(p.kernel.fs.stat("/", path, False, p).st_mode):
            letters += "L"
    except KernelError:
        pass
    return letters


def _dir_entries(p, directory: str | None, pattern: str, rule: tuple[str, str] | None) -> list:
    """(name, stat) of a folder's entries matching pattern, sorted, that have the attributes
    rule wants and none it refuses (dir's /A)."""
    import fnmatch
    try:
        names = sorted(n for n in folder_names(p, directory)
                       if fnmatch.fnmatch(n.lower(), pattern.lower()))
    except Exception:           # KernelError: not a folder
        return []
    out = []
    for name in names:
        path = directory.rstrip("/") + "/" + name
        try:
            st = p.kernel.fs.stat("/", path, True, p)
        except KernelError:
            continue
        if rule is not None:
            letters = _dir_letters(p, path, st)
            if any(c not in letters for c in rule[0]) or any(c in letters for c in rule[1]):
                continue
        out.append((name, st))
    return out


MAX_DIR_DEPTH = 64      # dir /s goes no deeper (Windows' paths end long before)


def _subfolders(p, directory: str) -> list[str]:
    """The real folders in a folder, for dir /s to go into: a link to a folder is listed
    but not entered (a link to its own parent would be entered for ever)."""
    import stat as S
    out = []
    for name, _ in _dir_entries(p, directory, "*", ("D", "")):
        try:
            if S.S_ISDIR(p.kernel.fs.stat("/", directory.rstrip("/") + "/" + name, False,
                                          p).st_mode):
                out.append(name)
        except KernelError:
            continue
    return out


def _dir(p, run, rest, out, err, files) -> int:
    """dir [/b] [/s] [/a[:]attributes] [path or pattern]: cmd's listing (dates, <DIR>,
    sizes, the totals), or bare names with /b (full paths with /s); /s goes through every
    subfolder; a pattern's * and ? match in any case; hidden and system files only with /A
    (/A:H only them, /A:-D no folders ...)."""
    words = re.findall(r'"[^"]*"|\S+', rest)
    switches = [w.lower() for w in words if w.startswith("/")]
    bare, recurse = "/b" in switches, "/s" in switches
    rule = _dir_attribute_rule(switches)
    targets = [w.strip('"') for w in words if not w.startswith("/")] or ["."]
    status = 0
    for target in targets:
        full, directory, pattern = _dir_target(p, target)
        folders = [(full, directory)]
        sections, found = [], 0
        while folders:
            full_here, here = folders.pop(0)
            entries = _dir_entries(p, here, pattern, rule) if here is not None else []
            found += len(entries)
            if entries or not recurse:
                sections.append((full_here, here, entries))
            if recurse and here is not None and here.count("/") < MAX_DIR_DEPTH:
                folders[:0] = [(full_here.rstrip("\\") + "\\" + name,
                                here.rstrip("/") + "/" + name) for name in _subfolders(p, here)]
        if not found:
            _write(err, "File Not Found\n")
            status = 1
            continue
        if bare:
            _write(out, "".join((f"{folder.rstrip(chr(92))}\\{name}" if recurse else name) + "\n"
                                for folder, _, entries in sections for name, _ in entries))
            continue
        _write(out, _dir_listing(p, sections, pattern == "*" and (rule is None or "D" not in rule[1]), recurse))
    return status


def _dir_listing(p, sections: list, dots: bool, recurse: bool) -> str:
    """dir's long form: each folder's entries with dates and sizes, its totals, and with /s
    the totals of them all."""
    import stat as S
    lines = [" Volume in drive C has no label.", " Volume Serial Number is 5359-5653"]
    all_files = all_bytes = dirs = 0
    for full, directory, entries in sections:
        lines += ["", f" Directory of {full.rstrip(chr(92)) or 'C:'}", ""]
        files = total = 0
        shown = ([(".", directory), ("..", directory)] if dots else []) + entries
        for name, st in shown:
            if isinstance(st, str):
                try:
                    st = p.kernel.fs.stat("/", st, True, p)
                except KernelError:
                    continue
            stamp = time.strftime("%m/%d/%Y  %I:%M %p", time.gmtime(st.st_mtime))
            if S.S_ISDIR(st.st_mode):
                dirs += 1
                lines.append(f"{stamp}    <DIR>          {name}")
            else:
                files += 1
                total += st.st_size
                lines.append(f"{stamp} {st.st_size:>17,} {name}")
        lines.append(f"{files:>16} File(s) {total:>14,} bytes")
        all_files, all_bytes = all_files + files, all_bytes + total
        if not recurse:
            lines.append(f"{dirs:>16} Dir(s)  {10 ** 11:>14,} bytes free")
    if recurse:
        lines += ["", "     Total Files Listed:", f"{all_files:>16} File(s) {all_bytes:>14,} bytes",
                  f"{dirs:>16} Dir(s)  {10 ** 11:>14,} bytes free"]
    return "\n".join(lines) + "\n"


def _exit_builtin(p, run, rest, out, err, files) -> int:
    """exit ends cmd; `exit /b` in a batch file ends the file (or the `call :label`)."""
    code = _exit_code("exit " + rest, run.errorlevel)
    if rest.split()[:1] and rest.split()[0].lower() == "/b" and run.frames:
        run.errorlevel = run.code = code    # the frame's end skips this step's own finish
        _end_frame(p, run)
        return code
    run.exit_code = code
    return code


def _goto(p, run, rest, out, err, files) -> int:
    from .cmd_batch import find_label
    if not run.frames:
        return 0
    frame = run.frames[-1]
    if rest.strip().lower() in (":eof", "eof"):
        frame.pc = len(frame.lines)
    else:
        line = find_label(frame, rest)
        if line is None:
            _write(err, "The system cannot find the batch label specified - "
                        f"{rest.strip().lstrip(':')}\n")
            frame.pc = len(frame.lines)
            return 1
        frame.pc = line
    run.steps, run.index = [], 0       # the rest of the line does not run
    return 0


def _call(p, run, rest, out, err, files) -> int:
    """call :label args (a subroutine in this file), or call of a batch file or program."""
    from .cmd_batch import Frame, find_label
    text = rest.strip()
    if text.startswith(":") and run.frames:
        words = re.findall(r'"[^"]*"|\S+', text)
        frame = run.frames[-1]
        line = find_label(frame, words[0])
        if line is None:
            _write(err, f"The system cannot find the batch label specified - {words[0][1:]}\n")
            return 1
        run.frames.append(Frame(frame.lines, frame.path, [words[0]] + words[1:], pc=line,
                                saved=(run.steps, run.index + 1)))
        run.steps, run.index = [], 0
        run.started = False
        return 0
    command = _command(expand(p, text, run, in_batch=bool(run.frames)))   # call expands again
    status = _builtin(p, run, command, files)
    if status is not None:
        return status
    run.calling = True
    if _start_batch(p, run, command):
        return 0
    run.calling = False
    child = _spawn(p, command, files)
    if child is None:
        return NOT_FOUND
    run.children.append(child)
    run.last = child
    return 0


START_SWITCHES_WITH_VALUE = ("d", "node", "affinity")


def _start_builtin(p, run, rest, out, err, files) -> int:
    """start ["title"] [/d dir] [/wait] [/b /min ...] command: the command as a child cmd
    does not wait for (with /wait it does, and ERRORLEVEL is its exit code). There are no
    windows here: every child shares this console."""
    text = rest.lstrip()
    if text.startswith('"'):                    # the window's title
        end = text.find('"', 1)
        text = text[end + 1:].lstrip() if end > 0 else ""
    wait, directory = False, None
    while (m := re.match(r"/(\w+)\s*", text)):
        switch, text = m.group(1).lower(), text[m.end():]
        if switch == "wait":
            wait = True
        elif switch in START_SWITCHES_WITH_VALUE:
            v = re.match(r'("[^"]*"|\S+)\s*', text)
            if v:
                directory = v.group(1).strip('"') if switch == "d" else directory
                text = text[v.end():]
    if not text.strip():
        return 0                                # a new console's cmd: nothing to show here
    name = re.findall(r'"[^"]*"|\S+', text)[0].strip('"')
    if _is_batch(_command_path(p, name)):
        text = f"C:\\Windows\\System32\\cmd.exe /c {text}"
    saved = p.win32.cwd
    if directory:
        from .kernel32_files import full_path
        full = full_path(p, directory)
        p.win32.cwd = full if full.endswith("\\") else full + "\\"
    try:
        child = _spawn(p, Command(text), files)
    finally:
        p.win32.cwd = saved
    if child is None:
        return NOT_FOUND
    if wait:
        run.children.append(child)
        run.last = child
    return 0


def _shift(p, run, rest, out, err, files) -> int:
    if run.frames and len(run.frames[-1].args) > 1:
        del run.frames[-1].args[1]
    return 0


def _splice(run: Run, steps: list, at: int | None = None) -> None:
    """Steps that run next, after the step at `at` (the running one by default)."""
    at = run.index if at is None else at
    run.steps = run.steps[:at + 1] + steps + run.steps[at + 1:]


def _if(p, run, rest, out, err, files) -> int:
    """if ... command [else command]: the chosen command's steps run next (`else` follows
    a command in parentheses, as cmd requires)."""
    from .cmd_batch import if_command
    from .cmd_for import matching_paren
    found = if_command(p, rest, run.errorlevel)
    if found is not None and run.delayed:     # the condition's !VAR!s, not the body's
        condition = rest[:len(rest) - len(found[1])]
        found = if_command(p, expand_delayed(p, condition, run) + found[1], run.errorlevel)
    if found is None:
        _write(err, "The syntax of the command is incorrect.\n")
        return 1
    held, command = found
    otherwise = None
    body = command.lstrip()
    if body.startswith("("):
        close = matching_paren(body, 0)
        if close > 0:
            m = re.match(r"\s*else\b\s*(.*)", body[close + 1:], re.I | re.S)
            if m:
                command, otherwise = body[:close + 1], m.group(1)
    chosen = command if held else otherwise
    if chosen:
        _splice(run, parse(chosen))
    return run.errorlevel


def block_command(p, run: Run, command: Command, files: list, alone: bool):
    """( commands ): its lines run next, in this cmd.exe. A block with redirections, or in a
    pipeline, runs in a child cmd.exe with its standard files (its `set`s then stay there).
    (status, the child or None), or None: not a block."""
    from .cmd_for import matching_paren
    text = command.text.strip()
    if not text.startswith("("):
        return None
    close = matching_paren(text, 0)
    if close < 0 or text[close + 1:].strip():
        _write(files[2], f"{text[close + 1:].split()[0] if close > 0 else '('} was unexpected "
                         "at this time.\n")
        return 255, None
    inner = text[1:close]
    if not command.redirects and alone:
        _splice(run, parse(inner))
        return run.errorlevel, None
    one_line = " & ".join(line for line in inner.split("\n") if line.strip())
    switches = "/d /v:on" if run.delayed else "/d"
    child = _spawn(p, Command(f'C:\\Windows\\System32\\cmd.exe {switches} /s /c "{one_line}"'),
                   files)
    return (NOT_FOUND, None) if child is None else (0, child)


def _for(p, run, rest, out, err, files) -> int:
    """for: the body once per value, as the lines of a block (cmd_for.py)."""
    from . import cmd_for as F
    try:
        loop = F.parse_loop(rest)
        if run.delayed:
            loop.items = expand_delayed(p, loop.items, run)
        if loop.switch != "f":
            values = F.plain_values(p, loop)
        else:
            options = F.line_options(loop.options)
            kind, what = F.source(loop, options)
            if kind == "command":
                run.capture = F.start_capture(p, loop, options, what, run.index)
                if run.capture is None:
                    _write(err, "The system cannot find the file cmd.exe.\n")
                    return 1
                return 0
            lines = F.lines_of(what.encode()) if kind == "text" else \
                F.file_lines(p, what, options.backq)
            if lines is None:
                _write(err, f"The system cannot find the file {what}.\n")
                return 1
            values = F.line_values(lines, options)
    except (F.ForSyntaxError, ValueError) as exc:
        word = exc.args[0] if exc.args and isinstance(exc, F.ForSyntaxError) else ""
        _write(err, f"{word} was unexpected at this time.\n" if word else
                    "The syntax of the command is incorrect.\n")
        return 255
    _splice(run, _iterations(p, loop, values))
    return 0


@dataclass
class LoopRest(Command):
    """The iterations of a `for` not yet run: the loop is spliced in a chunk at a time,
    this command after each chunk, so a long loop never holds all its steps."""
    loop: object = None
    values: object = None        # an iterator of the remaining iterations' values


LOOP_CHUNK = 64


def _iterations(p, loop, values) -> list:
    """The next chunk of iterations' steps, and the rest of the loop after them."""
    from .cmd_for import substitute
    values = iter(values)
    steps, taken = [], 0
    for v in values:
        steps += parse(substitute(p, loop.body, loop.var, v))
        taken += 1
        if taken == LOOP_CHUNK:
            steps.append(Step("&", [LoopRest("", [], loop, values)]))
            break
    return steps


def _captured(p, run: Run) -> None:
    """for /f's command: its output collected while it runs (the thread waits), then its
    lines' iterations run."""
    from ..kernel import Block
    from . import cmd_for as F
    cap = run.capture
    done = F.drain(cap)
    if not done:        # data or the end (every writer gone, a grandchild's too)
        raise Block(lambda: cap.read_end.readable_now())
    if cap.child.alive:
        raise Block(lambda: not cap.child.alive)
    cap.read_end.decref()
    run.capture = None
    values = F.line_values(F.lines_of(b"".join(cap.chunks)), cap.options)
    _splice(run, _iterations(p, cap.loop, values), cap.at)


def _setlocal(p, run, rest, out, err, files) -> int:
    """setlocal [EnableDelayedExpansion | DisableDelayedExpansion]: the environment (and the
    expansion mode) come back at endlocal or the end of the batch file."""
    if run.frames:
        run.frames[-1].environments.append((dict(p.win32.env), run.delayed))
    words = rest.lower().split()
    if "enabledelayedexpansion" in words:
        run.delayed = True
    elif "disabledelayedexpansion" in words:
        run.delayed = False
    return 0


def _endlocal(p, run, rest, out, err, files) -> int:
    if run.frames and run.frames[-1].environments:
        saved, run.delayed = run.frames[-1].environments.pop()
        p.win32.env.clear()
        p.win32.env.update(saved)
    return 0


def expand_delayed(p, text: str, run: Run) -> str:
    """!NAME! when the command runs (a name not set is empty; !! stays)."""
    from .kernel32_system import _env, _env_key

    def value(m) -> str:
        key = _env_key(p, m.group(1))
        if key is not None:
            return _env(p)[key]
        if m.group(1).upper() == "ERRORLEVEL":
            return str(run.errorlevel)
        return ""
    return re.sub(r"!([^!\s]+)!", value, text)


def _pushd(p, run, rest, out, err, files) -> int:
    run.dirs.append(p.win32.cwd)
    return _cd(p, run, rest, out, err, files)


def _popd(p, run, rest, out, err, files) -> int:
    if run.dirs:
        p.win32.cwd = run.dirs.pop()
    return 0


BUILTINS = {
    "echo": _echo, "set": _set, "cd": _cd, "chdir": _cd, "type": _type,
    "ver": lambda p, run, rest, out, err, files: _write(out, "\nMicrosoft Windows [Version "
                                                             "10.0.19045.0]\n") or 0,
    "rem": lambda *a: 0, "cls": lambda *a: 0, "title": lambda *a: 0,
    "setlocal": _setlocal, "endlocal": _endlocal, "goto": _goto, "call": _call,
    "shift": _shift, "if": _if, "for": _for, "start": _start_builtin,
    "md": cmd_files.make_dirs, "mkdir": cmd_files.make_dirs,
    "rd": cmd_files.remove_dirs, "rmdir": cmd_files.remove_dirs,
    "del": cmd_files.delete, "erase": cmd_files.delete,
    "copy": cmd_files.copy, "move": cmd_files.move, "ren": cmd_files.rename,
    "rename": cmd_files.rename, "mklink": cmd_files.mklink,
    "pushd": _pushd, "popd": _popd, "exit": _exit_builtin, "dir": _dir,
}
