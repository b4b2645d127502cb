"""The path functions of api-ms-win-core-path (pathcch.h, Windows 8's replacements for
shlwapi's): canonicalize, combine, append, and take apart wide paths in the caller's buffers
(or, the PathAlloc forms, in LocalAlloc'd ones), with roots of every Windows form -- C:\\,
\\\\server\\share\\, \\\\?\\C:\\, \\\\?\\UNC\\server\\share\\ -- and HRESULT results. Only the
backslash separates (a slash is part of a name to these functions)."""
from __future__ import annotations

from ..nt import abi
from .wide import read_wstr

S_OK, S_FALSE = 0, 1
E_INVALIDARG, E_OUTOFMEMORY = 0x80070057, 0x8007000E
E_NOT_SUFFICIENT_BUFFER = 0x8007007A            # HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER)
E_FILENAME_TOO_LONG = 0x800700CE                 # HRESULT_FROM_WIN32(ERROR_FILENAME_EXCED_RANGE)
MAX_PATH, PATHCCH_MAX_CCH = 260, 32768
PATHCCH_ALLOW_LONG_PATHS = 0x1
LONG_PREFIX, UNC_LONG_PREFIX = "\\\\?\\", "\\\\?\\UNC\\"


def split_root(path: str) -> tuple[str, str]:
    """(root, the rest): the root with its trailing backslash where it has one."""
    if path.startswith(UNC_LONG_PREFIX):
        return _unc_root(path, len(UNC_LONG_PREFIX))
    if path.startswith(LONG_PREFIX):
        body = path[len(LONG_PREFIX):]
        if body[1:2] == ":":
            end = len(LONG_PREFIX) + (3 if body[2:3] == "\\" else 2)
            return path[:end], path[end:]
        return LONG_PREFIX, body
    if path.startswith("\\\\"):
        return _unc_root(path, 2)
    if path[1:2] == ":":
        end = 3 if path[2:3] == "\\" else 2
        return path[:end], path[end:]
    if path.startswith("\\"):
        return "\\", path[1:]
    return "", path


def _unc_root(path: str, at: int) -> tuple[str, str]:
    """\\\\server\\share\\ (after the prefix ending at `at`)."""
    parts = path[at:].split("\\", 2)
    root = path[:at] + "\\".join(parts[:2])
    if len(parts) > 2 or path.endswith("\\"):
        root += "\\"
    return root, path[len(root):]


def canonical(path: str) -> str:
    """`.` and `..` folded (never above the root); a trailing backslash stays; nothing left
    of a relative path is the root of the current drive, as PathCchCanonicalize says."""
    root, rest = split_root(path)
    parts: list[str] = []
    for comp in rest.split("\\") if rest else []:
        if comp == "..":
            if parts:
                parts.pop()
        elif comp != ".":
            parts.append(comp)
    trailing = rest.endswith("\\") and any(parts)
    body = "\\".join(p for p in parts if p != "") + ("\\" if trailing else "")
    result = root + body
    return result or "\\"


def combined(directory: str, more: str) -> str:
    """more after directory: more wins when it has a root of its own; one beginning with a
    backslash takes directory's drive."""
    more_root, _ = split_root(more)
    if more_root and more_root != "\\":
        return canonical(more)
    if more.startswith("\\"):
        root, _ = split_root(directory)
        drive = root.rstrip("\\") if root[1:2] == ":" or root.startswith(LONG_PREFIX) else ""
        return canonical(drive + more)
    if not directory:
        return canonical(more) if more else "\\"
    if not more:
        return canonical(directory)
    return canonical(directory.rstrip("\\") + "\\" + more)


def _too_long(text: str, flags: int) -> bool:
    limit = PATHCCH_MAX_CCH if flags & PATHCCH_ALLOW_LONG_PATHS else MAX_PATH
    return len(text) + 1 > limit


def _put(p, buffer: int, chars: int, text: str, flags: int = PATHCCH_ALLOW_LONG_PATHS) -> int:
    if not buffer or chars == 0 or chars > PATHCCH_MAX_CCH:
        return E_INVALIDARG
    if _too_long(text, flags):
        p.mm.write(buffer, b"\0\0")
        return E_FILENAME_TOO_LONG
    if len(text) + 1 > chars:
        p.mm.write(buffer, b"\0\0")
        return E_NOT_SUFFICIENT_BUFFER
    p.mm.write(buffer, text.encode("utf-16-le", errors="surrogatepass") + b"\0\0")
    return S_OK


def _alloc(p, text: str, out: int, flags: int) -> int:
    if _too_long(text, flags):
        abi.write_ptr(p, out, 0)
        return E_FILENAME_TOO_LONG
    data = text.encode("utf-16-le", errors="surrogatepass") + b"\0\0"
    block = p.win32.heap.alloc(len(data))       # LocalFree frees it
    if not block:
        abi.write_ptr(p, out, 0)
        return E_OUTOFMEMORY
    p.mm.write(block, data)
    abi.write_ptr(p, out, block)
    return S_OK


def _read(p, address: int) -> str:
    return read_wstr(p, address) if address else ""


# --- canonicalize and combine ----------------------------------------------------------------

def sys_kernel32_PathCchCanonicalizeEx(p, pszPathOut, cchPathOut, pszPathIn, dwFlags):
    return _put(p, pszPathOut, cchPathOut, canonical(_read(p, pszPathIn)), dwFlags)


def sys_kernel32_PathCchCanonicalize(p, pszPathOut, cchPathOut, pszPathIn):
    return _put(p, pszPathOut, cchPathOut, canonical(_read(p, pszPathIn)), 0)


def sys_kernel32_PathCchCombineEx(p, pszPathOut, cchPathOut, pszPathIn, pszMore, dwFlags):
    return _put(p, pszPathOut, cchPathOut, combined(_read(p, pszPathIn), _read(p, pszMore)),
                dwFlags)


def sys_kernel32_PathCchCombine(p, pszPathOut, cchPathOut, pszPathIn, pszMore):
    return _put(p, pszPathOut, cchPathOut, combined(_read(p, pszPathIn), _read(p, pszMore)), 0)


def sys_kernel32_PathCchAppendEx(p, pszPath, cchPath, pszMore, dwFlags):
    return _put(p, pszPath, cchPath, combined(_read(p, pszPath), _read(p, pszMore)), dwFlags)


def sys_kernel32_PathCchAppend(p, pszPath, cchPath, pszMore):
    return _put(p, pszPath, cchPath, combined(_read(p, pszPath), _read(p, pszMore)), 0)


def sys_kernel32_PathAllocCanonicalize(p, pszPathIn, dwFlags, ppszPathOut):
    if not pszPathIn or not ppszPathOut:
        return E_INVALIDARG
    return _alloc(p, canonical(read_wstr(p, pszPathIn)), ppszPathOut, dwFlags)


def sys_kernel32_PathAllocCombine(p, pszPathIn, pszMore, dwFlags, ppszPathOut):
    if not ppszPathOut or not pszPathIn and not pszMore:
        return E_INVALIDARG
    return _alloc(p, combined(_read(p, pszPathIn), _read(p, pszMore)), ppszPathOut, dwFlags)


# --- taking a path apart in place ------------------------------------------------------------

def _edit(p, pszPath, cchPath, edit) -> int:
    """Apply edit(path) -> new path or None (no change: S_FALSE) in the caller's buffer."""
    if not pszPath or cchPath == 0 or cchPath > PATHCCH_MAX_CCH:
        return E_INVALIDARG
    path = read_wstr(p, pszPath)
    if len(path) >= cchPath:               # no terminator within the buffer
        return E_INVALIDARG
    new = edit(path)
    if new is None or new == path:
        return S_FALSE
    return _put(p, pszPath, cchPath, new)


def _remove_file_spec(path: str) -> str | None:
    root, rest = split_root(path)
    rest = rest.rstrip("\\")
    if not rest:
        return None
    cut = rest.rfind("\\")
    return root + (rest[:cut] if cut >= 0 else "")


def sys_kernel32_PathCchRemoveFileSpec(p, pszPath, cchPath):
    return _edit(p, pszPath, cchPath, _remove_file_spec)


def sys_kernel32_PathCchRemoveBackslashEx(p, pszPath, cchPath, ppszEnd, pcchRemaining):
    result = _edit(p, pszPath, cchPath, lambda path: path[:-1] if path.endswith("\\") and
                   split_root(path)[1] else None)
    return _report_end(p, pszPath, cchPath, ppszEnd, pcchRemaining, result)


def sys_kernel32_PathCchRemoveBackslash(p, pszPath, cchPath):
    return sys_kernel32_PathCchRemoveBackslashEx(p, pszPath, cchPath, 0, 0)


def sys_kernel32_PathCchAddBackslashEx(p, pszPath, cchPath, ppszEnd, pcchRemaining):
    result = _edit(p, pszPath, cchPath,
                   lambda path: None if path.endswith("\\") else path + "\\")
    return _report_end(p, pszPath, cchPath, ppszEnd, pcchRemaining, result)


def sys_kernel32_PathCchAddBackslash(p, pszPath, cchPath):
    return sys_kernel32_PathCchAddBackslashEx(p, pszPath, cchPath, 0, 0)


def _report_end(p, pszPath, cchPath, ppszEnd, pcchRemaining, result: int) -> int:
    """The Ex forms: where the string now ends, and the characters left after it."""
    if result in (S_OK, S_FALSE):
        length = len(read_wstr(p, pszPath))
        if ppszEnd:
            abi.write_ptr(p, ppszEnd, pszPath + 2 * length)
        if pcchRemaining:
            abi.write_ptr(p, pcchRemaining, cchPath - length)
    return result


def sys_kernel32_PathCchStripToRoot(p, pszPath, cchPath):
    return _edit(p, pszPath, cchPath, lambda path: split_root(path)[0] or None)


def sys_kernel32_PathCchIsRoot(p, pszPath):
    if not pszPath:
        return 0
    root, rest = split_root(read_wstr(p, pszPath))
    return int(bool(root) and not rest)


def sys_kernel32_PathCchSkipRoot(p, pszPath, ppszRootEnd):
    if not pszPath or not ppszRootEnd:
        return E_INVALIDARG
    root, _ = split_root(read_wstr(p, pszPath))
    if not root:
        return E_INVALIDARG
    abi.write_ptr(p, ppszRootEnd, pszPath + 2 * len(root))
    return S_OK


def sys_kernel32_PathCchStripPrefix(p, pszPath, cchPath):
    def strip(path: str):
        if path.startswith(UNC_LONG_PREFIX):
            return "\\\\" + path[len(UNC_LONG_PREFIX):]
        if path.startswith(LONG_PREFIX) and path[len(LONG_PREFIX) + 1:][:1] == ":":
            return path[len(LONG_PREFIX):]
        return None
    return _edit(p, pszPath, cchPath, strip)


def sys_kernel32_PathIsUNCEx(p, pszPath, ppszServer):
    path = _read(p, pszPath)
    for prefix in (UNC_LONG_PREFIX, "\\\\"):
        if path.startswith(prefix) and not (prefix == "\\\\" and path.startswith(LONG_PREFIX)):
            if ppszServer:
                abi.write_ptr(p, ppszServer, pszPath + 2 * len(prefix))
            return 1
    return 0


# --- extensions ------------------------------------------------------------------------------

def _extension_at(path: str) -> int:
    """Where the last component's extension (its last dot) begins, or len(path)."""
    leaf_start = path.rfind("\\") + 1
    dot = path.rfind(".")
    return dot if dot >= leaf_start and " " not in path[dot:] else len(path)


def sys_kernel32_PathCchFindExtension(p, pszPath, cchPath, ppszExt):
    if not pszPath or not ppszExt or cchPath == 0 or cchPath > PATHCCH_MAX_CCH:
        return E_INVALIDARG
    path = read_wstr(p, pszPath)
    if len(path) >= cchPath:
        return E_INVALIDARG
    abi.write_ptr(p, ppszExt, pszPath + 2 * _extension_at(path))
    return S_OK


def sys_kernel32_PathCchRemoveExtension(p, pszPath, cchPath):
    return _edit(p, pszPath, cchPath, lambda path: path[:_extension_at(path)])


def _dotted(ext: str) -> str:
    return ext if ext.startswith(".") or not ext else "." + ext


def sys_kernel32_PathCchAddExtension(p, pszPath, cchPath, pszExt):
    ext = _read(p, pszExt)
    if " " in ext or "\\" in ext or ext.count(".") > 1 or ext[1:].startswith("."):
        return E_INVALIDARG
    return _edit(p, pszPath, cchPath, lambda path: None if _extension_at(path) < len(path)
                 else path + _dotted(ext))


def sys_kernel32_PathCchRenameExtension(p, pszPath, cchPath, pszExt):
    ext = _read(p, pszExt)
    return _edit(p, pszPath, cchPath, lambda path: path[:_extension_at(path)] + _dotted(ext))
