"""cmd.exe's file commands: copy, move, ren, del (wildcards, /s), md (the folders between),
rd (/s: the tree) and mklink, on the machine's file system as cmd does them (build tools
run `cmd /c copy a b`, ninja's rules and npm scripts among them)."""
from __future__ import annotations

import fnmatch
import re
import stat as S

from ..errors import KernelError
from ..nt.directory import NEW_DIRECTORY_MODE, NEW_FILE_MODE, folder_names

NOT_FOUND = "The system cannot find the file specified.\n"
BAD_NAME = "The filename, directory name, or volume label syntax is incorrect.\n"
DUPLICATE = "A duplicate file name exists, or the file\ncannot be found.\n"
IN_USE = "The process cannot access the file because it is being used by another process.\n"
O_WRONLY, O_CREAT, O_TRUNC = 0o1, 0o100, 0o1000
CHUNK = 1 << 20


def _words(rest: str) -> tuple[list[str], set[str]]:
    """The names (quotes off) and the switches (lower case, without the slash) of a line."""
    names, switches = [], set()
    for word in re.findall(r'"[^"]*"|\S+', rest):
        if word.startswith("/") and len(word) > 1:
            switches.update(s.lower() for s in word[1:].split("/") if s)
        else:
            names.append(word.strip('"'))
    return names, switches


def _guest(p, name: str) -> str:
    from .kernel32_files import _path, full_path
    return _path(p, full_path(p, name))


def _write(f, text: str) -> None:
    from .cmd import _write as write
    write(f, text)


def _is_dir(p, path: str) -> bool:
    try:
        return S.S_ISDIR(p.kernel.fs.stat("/", path, True, p).st_mode)
    except KernelError:
        return False


def _matches(p, path: str) -> list[str]:
    """The guest paths a name means: itself, or what its wildcards (* and ?, any case, in
    the last part only, as cmd's) match in its folder."""
    head, _, leaf = path.rpartition("/")
    if "*" not in leaf and "?" not in leaf:
        return [path]
    try:
        names = folder_names(p, head or "/")
    except KernelError:
        return []
    return [f"{head}/{n}" for n in sorted(names) if fnmatch.fnmatch(n.lower(), leaf.lower())]


def _wild(name: str) -> bool:
    return "*" in name or "?" in name


def target_name(source: str, mask: str) -> str:
    """The name a wildcard target mask gives a source name, as cmd's copy, move and ren
    build it: the mask is read left to right against the source with no going back.
    ? copies the source's next character (none at a dot or the end); another character
    replaces the source's next one (a dot is never replaced); a dot skips the source
    through its next dot; * at the end, or before ? or *, copies the rest; *c copies through
    the source's last c (case-sensitive), or the rest and then c when there is none.
    Trailing dots and spaces go, as no Windows name ends with them."""
    out, at, i = [], 0, 0
    while i < len(mask):
        c = mask[i]
        if c == "*":
            after = mask[i + 1] if i + 1 < len(mask) else None
            if after is None or after in "*?":
                out.append(source[at:])
                at = len(source)
            else:
                last = source.rfind(after, at)
                if last < 0:
                    out.append(source[at:] + after)
                    at = len(source)
                else:
                    out.append(source[at:last + 1])
                    at = last + 1
                i += 1                              # (the c is consumed with the *)
        elif c == "?":
            if at < len(source) and source[at] != ".":
                out.append(source[at])
                at += 1
        elif c == ".":
            dot = source.find(".", at)
            at = len(source) if dot < 0 else dot + 1
            out.append(".")
        else:
            if at < len(source) and source[at] != ".":
                at += 1
            out.append(c)
        i += 1
    return "".join(out).rstrip(". ")


def _taken(p, folder: str, leaf: str) -> str | None:
    """The name in folder that is leaf in any case (Windows names are one name in any
    case), or None."""
    try:
        for name in folder_names(p, folder or "/"):
            if name.lower() == leaf.lower():
                return name
    except KernelError:
        pass
    return None


def _existing(p, folder: str, leaf: str) -> str:
    """leaf as the folder already spells it."""
    return _taken(p, folder, leaf) or leaf


def _masked(p, source: str, dest: str) -> str | None:
    """The target in dest's folder a source gets from dest's wildcard name, or None when
    the mask leaves no name."""
    head, _, mask = dest.rpartition("/")
    leaf = target_name(source.rpartition("/")[2], mask)
    if not leaf or _wild(leaf):
        return None
    return f"{head}/{_existing(p, head, leaf)}"


def _copy_file(p, source: str, dest: str) -> None:
    """The bytes, and the last-write time (copy keeps it, as CopyFile does)."""
    fs = p.kernel.fs
    src = fs.open("/", source, 0, 0, p)
    try:
        out = fs.open("/", dest, O_WRONLY | O_CREAT | O_TRUNC, NEW_FILE_MODE, p)
        try:
            while chunk := src.read(CHUNK):
                out.write(chunk)
        finally:
            out.decref()
        st = src.fstat()
        fs.utimens("/", dest, (st.st_atime_ns, st.st_mtime_ns), True, p)
    finally:
        src.decref()


def _same_file(p, a: str, b: str) -> bool:
    fs = p.kernel.fs
    try:
        sa, sb = fs.stat("/", a, True, p), fs.stat("/", b, True, p)
    except KernelError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def copy(p, run, rest, out, err, files) -> int:
    """copy SOURCE [DEST]: files (wildcards, or a folder's files) into a file or folder,
    or A+B+C joined into one file; "N file(s) copied." as cmd says it."""
    names, _ = _words(rest)
    if not names:
        _write(err, "The syntax of the command is incorrect.\n")
        return 1
    try:
        sources = [m for n in names[0].split("+") if n for m in _matches(p, _guest(p, n))]
        dest = _guest(p, names[1] if len(names) > 1 else ".")
    except Exception:          # NtError: a name NT paths refuse
        _write(err, BAD_NAME)
        return 1
    if "+" in names[0]:
        if _wild(dest.rpartition("/")[2]) and sources:
            dest = _masked(p, sources[0], dest) or dest
        return _join(p, [s for s in sources if not _is_dir(p, s)], dest, names, out, err)
    if len(sources) == 1 and _is_dir(p, sources[0]):
        sources = [f"{sources[0]}/{n}" for n in sorted(folder_names(p, sources[0]))
                   if not _is_dir(p, f"{sources[0]}/{n}")]
    sources = [s for s in sources if not _is_dir(p, s)]
    if not sources:
        _write(err, NOT_FOUND)
        _write(out, "        0 file(s) copied.\n")
        return 1
    into = _is_dir(p, dest)
    mask = not into and _wild(dest.rpartition("/")[2])
    if not into and not mask and len(sources) > 1:
        return _join(p, sources, dest, names, out, err)     # copy *.txt all.txt joins them
    copied = 0
    for source in sources:
        target = f"{dest.rstrip('/')}/{source.rpartition('/')[2]}" if into else \
            _masked(p, source, dest) if mask else dest
        if target is None:                      # (a mask that leaves no name)
            _write(err, BAD_NAME)
            continue
        if _same_file(p, source, target):        # (opening it to write would empty it)
            _write(err, "The file cannot be copied onto itself.\n")
            continue
        try:
            _copy_file(p, source, target)
            copied += 1
        except KernelError:
            _write(err, "Access is denied.\n" if copied or len(sources) > 1 else NOT_FOUND)
    _write(out, f"{copied:>9} file(s) copied.\n")
    return 0 if copied == len(sources) else 1


def _join(p, sources: list[str], dest: str, names: list[str], out, err) -> int:
    """copy A+B C: the sources one after another in C (C is A when no name is given)."""
    if not sources:
        _write(err, NOT_FOUND)
        _write(out, "        0 file(s) copied.\n")
        return 1
    fs = p.kernel.fs
    if len(names) < 2:
        dest = sources[0]                       # copy a+b: b appended to a
    elif _is_dir(p, dest):
        dest = f"{dest.rstrip('/')}/{sources[0].rpartition('/')[2]}"
    keep_first = _same_file(p, sources[0], dest)
    parts = [s for s in sources if not _same_file(p, s, dest)]
    if not keep_first and len(parts) < len(sources):
        _write(err, "Content of destination lost before copy.\n")
    try:
        target = fs.open("/", dest, O_WRONLY | O_CREAT | (0o2000 if keep_first else O_TRUNC),
                         NEW_FILE_MODE, p)        # (O_APPEND when the first is the target)
        try:
            for source in parts:
                src = fs.open("/", source, 0, 0, p)
                try:
                    while chunk := src.read(CHUNK):
                        target.write(chunk)
                finally:
                    src.decref()
        finally:
            target.decref()
    except KernelError:
        _write(err, "Access is denied.\n")
        _write(out, "        0 file(s) copied.\n")
        return 1
    _write(out, "        1 file(s) copied.\n")
    return 0


def move(p, run, rest, out, err, files) -> int:
    """move SOURCE DEST: a rename, into DEST when it is a folder. Several files (a
    wildcard) go only into a folder: onto one file each would replace the one before."""
    names, _ = _words(rest)
    if len(names) < 2:
        _write(err, "The syntax of the command is incorrect.\n")
        return 1
    try:
        sources, dest = _matches(p, _guest(p, names[0])), _guest(p, names[1])
    except Exception:
        _write(err, BAD_NAME)
        return 1
    into = _is_dir(p, dest)
    if len(sources) > 1 and not into:
        _write(err, "Cannot move multiple files to a single file.\n")
        return 1
    mask = not into and _wild(dest.rpartition("/")[2])
    moved = dirs = missing = 0
    for source in sources:
        target = f"{dest.rstrip('/')}/{source.rpartition('/')[2]}" if into else \
            _masked(p, source, dest) if mask else dest
        if target is None:
            _write(err, BAD_NAME)
            continue
        is_dir = _is_dir(p, source)
        try:
            p.kernel.fs.rename("/", source, "/", target, p)
            moved += 1
            dirs += is_dir
        except KernelError as exc:
            _write(err, IN_USE if exc.errno == 22 else NOT_FOUND)   # (EINVAL: into itself)
            missing += exc.errno == 2                 # (ENOENT: no such source)
    if not sources:
        _write(err, NOT_FOUND)
    # cmd counts what it moved, folders as dir(s) when it moved only folders; with nothing
    # there to move it says only that the file is not found
    if moved or (sources and missing < len(sources)):
        _write(out, f"{moved:>9} {'dir(s)' if moved and dirs == moved else 'file(s)'} moved.\n")
    return 0 if sources and moved == len(sources) else 1


def rename(p, run, rest, out, err, files) -> int:
    """ren NAME NEWNAME: the new name is a name only, in the same folder. A wildcard NAME
    renames each file it matches, NEWNAME's wildcards taking from each name (ren *.txt
    *.bak); a name already there is never replaced."""
    names, _ = _words(rest)
    if len(names) != 2 or "\\" in names[1] or "/" in names[1]:
        _write(err, "The syntax of the command is incorrect.\n")
        return 1
    try:
        path = _guest(p, names[0])
    except Exception:
        _write(err, BAD_NAME)
        return 1
    head = path.rpartition("/")[0]
    sources = [s for s in _matches(p, path) if not _is_dir(p, s)] \
        if _wild(path.rpartition("/")[2]) else [path]
    status = 0 if sources else 1
    if not sources:
        _write(err, DUPLICATE)
    for source in sources:
        new = target_name(source.rpartition("/")[2], names[1]) if _wild(names[1]) \
            else names[1]
        if not new or _wild(new):
            _write(err, "The syntax of the command is incorrect.\n")
            status = 1
            continue
        there = _taken(p, head, new)
        if there is not None and not _same_entry(p, source, f"{head}/{there}"):
            _write(err, DUPLICATE)                  # (rename(2) would replace it)
            status = 1
            continue
        try:
            p.kernel.fs.rename("/", source, "/", f"{head}/{new}", p)
        except KernelError as exc:
            _write(err, DUPLICATE if exc.errno in (2, 17) else "Access is denied.\n")
            status = 1
    return status


def _same_entry(p, a: str, b: str) -> bool:
    """a and b are one directory entry's file (a link is itself, not what it names)."""
    fs = p.kernel.fs
    try:
        sa, sb = fs.lstat("/", a, p), fs.lstat("/", b, p)
    except KernelError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def delete(p, run, rest, out, err, files) -> int:
    """del NAMES [/s] [/q] [/f]: files (wildcards; a folder's files), and with /s those of
    the same name below it."""
    names, switches = _words(rest)
    fs, status = p.kernel.fs, [0]
    for name, path in _each_path(p, names, err, status):
        head, _, leaf = path.rpartition("/")
        folders = [head or "/"]
        if _is_dir(p, path):
            folders, leaf = [path], "*"
        if "s" in switches:
            folders = [d for top in folders for d in _tree(p, top)]
        found = False
        for folder in folders:
            for target in _matches(p, f"{folder.rstrip('/')}/{leaf}"):
                if _is_dir(p, target):
                    continue
                try:
                    fs.unlink("/", target, p)
                    found = True
                except KernelError as exc:
                    if exc.errno != 2:
                        _write(err, "Access is denied.\n")
                        found = True
        if not found:                 # (ERRORLEVEL stays 0, as cmd's del leaves it)
            from .kernel32_files import full_path
            _write(err, f"Could Not Find {full_path(p, name)}\n")
    return status[0]


def _tree(p, top: str) -> list[str]:
    """top and every folder below it (links to folders are not entered, as cmd's /s)."""
    out, todo = [], [top]
    while todo:
        folder = todo.pop()
        out.append(folder)
        try:
            todo += [f"{folder.rstrip('/')}/{n}" for n in folder_names(p, folder)
                     if _is_real_dir(p, f"{folder.rstrip('/')}/{n}")]
        except KernelError:
            pass
    return out


def _is_real_dir(p, path: str) -> bool:
    try:
        return S.S_ISDIR(p.kernel.fs.lstat("/", path, p).st_mode)
    except KernelError:
        return False


def _is_link(p, path: str) -> bool:
    try:
        return S.S_ISLNK(p.kernel.fs.lstat("/", path.rstrip("/") or "/", p).st_mode)
    except KernelError:
        return False


def _each_path(p, names: list[str], err, status: list):
    """(name, guest path) of each name; one NT paths refuse is reported and passed over."""
    for name in names:
        try:
            yield name, _guest(p, name)
        except Exception:           # NtError: a name NT paths refuse
            _write(err, BAD_NAME)
            status[0] = 1


def make_dirs(p, run, rest, out, err, files) -> int:
    """md a\\b\\c: the folders between are made too (command extensions)."""
    names, _ = _words(rest)
    fs, status = p.kernel.fs, [0]
    for name, path in _each_path(p, names, err, status):
        if _is_dir(p, path):
            _write(err, f"A subdirectory or file {name} already exists.\n")
            status[0] = 1
            continue
        parts = [x for x in path.split("/") if x]
        for i in range(1, len(parts) + 1):
            here = "/" + "/".join(parts[:i])
            if _is_dir(p, here):
                continue
            try:
                fs.mkdir("/", here, NEW_DIRECTORY_MODE, p)
            except KernelError as exc:
                _write(err, f"A subdirectory or file {name} already exists.\n"
                       if exc.errno == 17 else "The system cannot find the path specified.\n")
                status[0] = 1
                break
    return status[0]


def remove_dirs(p, run, rest, out, err, files) -> int:
    """rd NAME [/s] [/q]: an empty folder, or with /s the folder and all it holds."""
    names, switches = _words(rest)
    fs, status = p.kernel.fs, [0]
    for name, path in _each_path(p, names, err, status):
        try:
            if _is_link(p, path):           # a directory link (mklink /d, /j) goes itself
                fs.unlink("/", path.rstrip("/"), p)
            elif "s" in switches:
                _remove_tree(p, path)
            else:
                fs.rmdir("/", path, p)
        except KernelError as exc:
            _write(err, "The directory is not empty.\n" if exc.errno == 39 else
                   "The directory name is invalid.\n" if exc.errno == 20 else NOT_FOUND)
            status[0] = 1
    return status[0]


def _remove_tree(p, path: str) -> None:
    fs = p.kernel.fs
    st = fs.lstat("/", path, p)
    if not S.S_ISDIR(st.st_mode):
        raise KernelError(20)
    for name in folder_names(p, path):
        below = f"{path.rstrip('/')}/{name}"
        if S.S_ISDIR(fs.lstat("/", below, p).st_mode):     # (a link is removed, not entered)
            _remove_tree(p, below)
        else:
            fs.unlink("/", below, p)
    fs.rmdir("/", path, p)


def mklink(p, run, rest, out, err, files) -> int:
    """mklink [/d | /j | /h] LINK TARGET: a symbolic link (to a folder with /d, or a
    junction with /j, both symbolic links here) or a hard link (/h)."""
    names, switches = _words(rest)
    if len(names) != 2:
        _write(err, "The syntax of the command is incorrect.\n")
        return 1
    link_name, target = names
    try:
        link = _guest(p, link_name)
        if "h" in switches:
            p.kernel.fs.link("/", _guest(p, target), "/", link, p)
            kind = "Hardlink"
        else:
            from .kernel32_files import _link_target
            p.kernel.fs.symlink(_link_target(target), "/", link, p)
            kind = "Junction" if "j" in switches else "symbolic link"
    except KernelError as exc:
        _write(err, "Cannot create a file when that file already exists.\n"
               if exc.errno == 17 else NOT_FOUND)
        return 1
    except Exception:
        _write(err, BAD_NAME)
        return 1
    _write(out, f"{kind} created for {link_name} <<===>> {target}\n")
    return 0
