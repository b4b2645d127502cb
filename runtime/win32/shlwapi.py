"""shlwapi.dll's string and path helpers that launchers use: case-insensitive search and
path editing on wide strings in the caller's buffers (MAX_PATH characters). Since Windows 8
shlwapi forwards these to kernelbase (api-ms-win-core-shlwapi-legacy), and so does sysvec:
tables/apisets.txt folds shlwapi into kernel32, which exports them."""
from __future__ import annotations

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
