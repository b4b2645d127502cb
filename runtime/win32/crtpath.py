"""The CRT's path splitting and joining: _splitpath and _wsplitpath (and their _s forms with
sizes, which fail with EINVAL and empty every part when one does not fit), _makepath(_s).
A path is drive ("X:"), directory (through its last slash or backslash), file name, and
extension (from the name's last dot). And _mktemp's unique names."""
from __future__ import annotations

from .crterrno import EINVAL, ERANGE
from .msvcrt import _crt
from .wide import encode, read_str

MAX_DRIVE, MAX_DIR, MAX_FNAME, MAX_EXT = 3, 256, 256, 256


def split(path: str) -> tuple[str, str, str, str]:
    drive = path[:2] if len(path) >= 2 and path[1] == ":" else ""
    rest = path[len(drive):]
    cut = max(rest.rfind("\\"), rest.rfind("/")) + 1
    directory, name = rest[:cut], rest[cut:]
    dot = name.rfind(".")
    return (drive, directory, name, "") if dot < 0 else (drive, directory, name[:dot], name[dot:])


def _set_errno(p, code: int) -> int:
    p.mm.write_u32(_crt(p)["errno"], code)
    return code


def _split(p, path_at, outs, wide: bool, checked: bool) -> int:
    """outs: (buffer, size in characters) for drive, dir, fname, ext; a NULL buffer is not
    wanted. Returns 0 or the errno (the _s forms' result)."""
    if not path_at:
        return _set_errno(p, EINVAL)
    parts = split(read_str(p, path_at, wide))
    unit = 2 if wide else 1
    if checked and any(buf and len(part) + 1 > size for part, (buf, size) in zip(parts, outs)):
        for buf, size in outs:
            if buf and size:
                p.mm.write(buf, b"\0" * unit)
        return _set_errno(p, ERANGE)
    for part, (buf, size) in zip(parts, outs):
        if buf:
            p.mm.write(buf, encode(part[:max(size - 1, 0)], wide) + b"\0" * unit)
    return 0


def sys_msvcrt__splitpath(p, path, drive, dir, fname, ext):
    _split(p, path, ((drive, MAX_DRIVE), (dir, MAX_DIR), (fname, MAX_FNAME), (ext, MAX_EXT)),
           False, False)
    return 0


def sys_msvcrt__wsplitpath(p, path, drive, dir, fname, ext):
    _split(p, path, ((drive, MAX_DRIVE), (dir, MAX_DIR), (fname, MAX_FNAME), (ext, MAX_EXT)),
           True, False)
    return 0


def sys_msvcrt__splitpath_s(p, path, drive, driveSize, dir, dirSize, fname, fnameSize, ext,
                            extSize):
    return _split(p, path, ((drive, driveSize), (dir, dirSize), (fname, fnameSize),
                            (ext, extSize)), False, True)


def sys_msvcrt__wsplitpath_s(p, path, drive, driveSize, dir, dirSize, fname, fnameSize, ext,
                             extSize):
    return _split(p, path, ((drive, driveSize), (dir, dirSize), (fname, fnameSize),
                            (ext, extSize)), True, True)


def _make(p, out, size, drive, dir, fname, ext, wide: bool) -> int:
    parts = [read_str(p, a, wide) if a else "" for a in (drive, dir, fname, ext)]
    d, directory, name, extension = parts
    if d and not d.endswith(":"):
        d += ":"
    if directory and directory[-1] not in "\\/":
        directory += "\\"
    if extension and not extension.startswith("."):
        extension = "." + extension
    text = d + directory + name + extension
    if size is not None and len(text) + 1 > size:
        if out and size:
            p.mm.write(out, b"\0" * (2 if wide else 1))
        return _set_errno(p, ERANGE)
    p.mm.write(out, encode(text, wide) + b"\0" * (2 if wide else 1))
    return 0


def sys_msvcrt__makepath(p, path, drive, dir, fname, ext):
    _make(p, path, None, drive, dir, fname, ext, False)
    return 0


def sys_msvcrt__wmakepath(p, path, drive, dir, fname, ext):
    _make(p, path, None, drive, dir, fname, ext, True)
    return 0


def sys_msvcrt__makepath_s(p, path, sizeInCharacters, drive, dir, fname, ext):
    return _make(p, path, sizeInCharacters, drive, dir, fname, ext, False)


def sys_msvcrt__wmakepath_s(p, path, sizeInCharacters, drive, dir, fname, ext):
    return _make(p, path, sizeInCharacters, drive, dir, fname, ext, True)




def _mktemp(p, template: int, wide: bool) -> int:
    """_mktemp: the six trailing X's become a letter and the process id's last five digits,
    the letter chosen ('a' to 'z') so that no file has the name; NULL (EINVAL) for a template
    without them, NULL when all 26 names exist."""
    from .crterrno import set_errno
    from .kernel32_files import _stat
    name = read_str(p, template, wide) if template else ""
    if not name.endswith("XXXXXX"):
        set_errno(p, EINVAL)
        return 0
    stem, digits = name[:-6], f"{p.pid % 100000:05d}"   # the calling thread's id, as MSDN says
    saved = p.win32.last_error
    for letter in "abcdefghijklmnopqrstuvwxyz":
        candidate = stem + letter + digits
        if _stat(p, candidate) is None:
            p.win32.last_error = saved
            p.mm.write(template, encode(candidate, wide))
            return template
    p.win32.last_error = saved
    return 0


def sys_msvcrt__mktemp(p, template):
    return _mktemp(p, template, False)


def sys_msvcrt__wmktemp(p, template):
    return _mktemp(p, template, True)


def _mktemp_s(p, template: int, size: int, wide: bool) -> int:
    """_mktemp's work as an errno_t: EINVAL for no template, a size that is not its length
    with the NUL, or a name without six trailing X's; EEXIST when every name is taken."""
    from .crterrno import EEXIST
    if not template or not size:
        return EINVAL
    name = read_str(p, template, wide)
    if len(name) + 1 != size or not name.endswith("XXXXXX"):
        return EINVAL
    return 0 if _mktemp(p, template, wide) else EEXIST


def sys_msvcrt__mktemp_s(p, template, sizeInChars):
    return _mktemp_s(p, template, sizeInChars, False)


def sys_msvcrt__wmktemp_s(p, template, sizeInChars):
    return _mktemp_s(p, template, sizeInChars, True)
