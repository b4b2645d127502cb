"""shlwapi.dll's string and path helpers that launchers use: case-insensitive search and
path editing on wide strings in the caller's buffers (MAX_PATH characters). Since Windows 8
shlwapi forwards these to kernelbase (api-ms-win-core-shlwapi-legacy), and so does sysvec:
tables/apisets.txt folds shlwapi into kernel32, which exports them."""
from __future__ import annotations

import re

from .wide import read_wstr

MAX_PATH = 260


def sys_kernel32_StrStrIW(p, pszFirst, pszSrch):
    """The first case-insensitive occurrence, as a pointer into pszFirst, or NULL."""
    if not pszFirst or not pszSrch:
        return 0
    text, wanted = read_wstr(p, pszFirst), read_wstr(p, pszSrch)
    at = text.lower().find(wanted.lower())
    return 0 if at < 0 else pszFirst + len(text[:at].encode("utf-16-le"))


def sys_kernel32_PathRemoveFileSpecW(p, pszPath):
    """Drop the last component (keeping a root like C:\\); TRUE if anything was removed."""
    path = read_wstr(p, pszPath)
    cut = path.rfind("\\")
    if cut < 0:
        new = ""
    elif cut == 2 and path[1:2] == ":" or cut == 0:
        new = path[:cut + 1]
    else:
        new = path[:cut]
    p.mm.write(pszPath, new.encode("utf-16-le") + b"\0\0")
    return int(new != path)


def sys_kernel32_PathCombineW(p, pszDest, pszDir, pszFile):
    """pszDir joined with pszFile (an absolute pszFile wins), `.` and `..` folded."""
    directory = read_wstr(p, pszDir) if pszDir else ""
    name = read_wstr(p, pszFile) if pszFile else ""
    if name[1:2] == ":" or name.startswith("\\"):
        joined = name
    elif directory and name:
        joined = directory.rstrip("\\") + "\\" + name
    else:
        joined = directory or name
    drive, rest = (joined[:2], joined[2:]) if joined[1:2] == ":" else ("", joined)
    parts: list[str] = []
    for comp in rest.split("\\"):
        if comp == "..":
            if parts and parts[-1]:
                parts.pop()
        elif comp != ".":
            parts.append(comp)
    result = drive + "\\".join(parts)
    if drive and not result[2:]:
        result += "\\"
    if len(result) >= MAX_PATH:
        p.mm.write(pszDest, b"\0\0")
        return 0
    p.mm.write(pszDest, result.encode("utf-16-le") + b"\0\0")
    return pszDest


# --- URLs: what a file: URL names, and what kind a URL is ----------------------------------

URLIS_URL, URLIS_OPAQUE, URLIS_NOHISTORY, URLIS_FILEURL = 0, 1, 2, 3
URLIS_APPLIABLE, URLIS_DIRECTORY, URLIS_HASQUERY = 4, 5, 6
OPAQUE_SCHEMES = {"mailto", "news", "javascript", "vbscript", "about", "shell", "snews"}
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")       # two characters at least: not C:
S_OK, S_FALSE, E_INVALIDARG, E_POINTER = 0, 1, 0x80070057, 0x80004003


def _url_is(url: str, kind: int) -> int:
    m = SCHEME.match(url)
    scheme = m.group(1).lower() if m else None
    if kind == URLIS_URL:
        return int(scheme is not None)
    if kind == URLIS_FILEURL:
        return int(scheme == "file")
    if kind == URLIS_OPAQUE:
        return int(scheme in OPAQUE_SCHEMES)
    if kind == URLIS_DIRECTORY:
        return int(scheme is not None and url.endswith("/"))
    if kind == URLIS_HASQUERY:
        return int(scheme is not None and "?" in url)
    if kind == URLIS_NOHISTORY:
        return int(scheme in OPAQUE_SCHEMES or scheme == "file")
    return int(scheme is not None)                      # URLIS_APPLIABLE


def sys_kernel32_UrlIsW(p, pszUrl, UrlIs):
    return _url_is(read_wstr(p, pszUrl), UrlIs) if pszUrl else 0


def sys_kernel32_UrlIsA(p, pszUrl, UrlIs):
    return _url_is(p.mm.read_cstr(pszUrl).decode("latin-1"), UrlIs) if pszUrl else 0


def path_of_file_url(url: str) -> str | None:
    """file:///C:/a%20b/c -> C:\\a b\\c; file://server/share/x -> \\\\server\\share\\x."""
    from urllib.parse import unquote
    if not url[:5].lower() == "file:":
        return None
    rest = url[5:]
    if rest.startswith("///"):
        rest = rest[3:]
    elif rest.startswith("//localhost/"):
        rest = rest[len("//localhost/"):]
    elif rest.startswith("//"):
        rest = "\\\\" + rest[2:]
    path = unquote(rest).replace("/", "\\")
    if path[1:2] == "|":
        path = path[0] + ":" + path[2:]
    return path


def _path_from_url(p, url: str, buffer: int, size_at: int, wide: bool) -> int:
    path = path_of_file_url(url)
    if path is None:
        return E_INVALIDARG
    have = p.mm.read_u32(size_at)
    if have < len(path) + 1:
        p.mm.write_u32(size_at, len(path) + 1)
        return E_POINTER
    p.mm.write(buffer, (path + "\0").encode("utf-16-le" if wide else "latin-1", "replace"))
    p.mm.write_u32(size_at, len(path))
    return S_OK


def sys_kernel32_PathCreateFromUrlW(p, pszUrl, pszPath, pcchPath, dwFlags):
    return _path_from_url(p, read_wstr(p, pszUrl), pszPath, pcchPath, True)


def sys_kernel32_PathCreateFromUrlA(p, pszUrl, pszPath, pcchPath, dwFlags):
    return _path_from_url(p, p.mm.read_cstr(pszUrl).decode("latin-1"), pszPath, pcchPath,
                          False)


def sys_kernel32_PathIsPrefixW(p, pszPrefix, pszPath):
    """Whether the path begins with the prefix as whole components, case-insensitively
    (C:\\foo is a prefix of C:\\foo\\bar, not of C:\\foobar)."""
    prefix = read_wstr(p, pszPrefix).replace("/", "\\").rstrip("\\").lower() if pszPrefix else ""
    path = read_wstr(p, pszPath).replace("/", "\\").lower() if pszPath else ""
    if not prefix or not path.startswith(prefix):
        return 0
    return int(len(path) == len(prefix) or path[len(prefix)] == "\\")


def sys_kernel32_StrStrIA(p, pszFirst, pszSrch):
    """StrStrIW on ANSI strings."""
    if not pszFirst or not pszSrch:
        return 0
    text, wanted = p.mm.read_cstr(pszFirst, 1 << 20), p.mm.read_cstr(pszSrch, 1 << 20)
    at = text.lower().find(wanted.lower())
    return 0 if at < 0 else pszFirst + at


def _root_length(path: str) -> int:
    """Characters of a path's root: "C:\\", "\\", "\\\\server\\share\\"; 0 for none."""
    m = re.match(r"(\\\\[^\\]+\\[^\\]+\\?|[A-Za-z]:\\|\\)", path)
    return len(m.group(0)) if m else 0


def sys_kernel32_PathSkipRootW(p, pszPath):
    """The first character after the path's root (NULL when it has none)."""
    if not pszPath:
        return 0
    n = _root_length(read_wstr(p, pszPath))
    return pszPath + 2 * n if n else 0


def sys_kernel32_PathIsUNCW(p, pszPath):
    text = read_wstr(p, pszPath) if pszPath else ""
    return int(text.startswith("\\\\") and not text.startswith("\\\\?\\"))


def sys_kernel32_StrTrimW(p, psz, pszTrimChars):
    """Cut the given characters from both ends, in place; TRUE when any went."""
    text, trim = read_wstr(p, psz), read_wstr(p, pszTrimChars)
    cut = text.strip(trim)
    if cut == text:
        return 0
    p.mm.write(psz, cut.encode("utf-16-le") + b"\0\0")
    return 1


ERROR_NO_ASSOCIATION_HR = 0x80070483


def sys_kernel32_AssocQueryStringW(p, flags, str_, pszAssoc, pszExtra, pszOut, pcchOut):
    """No file type has an associated program here (as ShellExecute finds)."""
    return ERROR_NO_ASSOCIATION_HR
