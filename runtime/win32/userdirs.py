"""Where the user's files live: the profile directory (userenv.dll), the known folders under it
(shell32's SHGetKnownFolderPath and SHGetFolderPath: the profile, roaming and local
application data), and the COM task allocator that hands their paths out (combase.dll).
The user is advapi32's."""
from __future__ import annotations

import re

import uuid

from .advapi32 import USER_NAME
from .wide import ERROR_INSUFFICIENT_BUFFER

PROFILE = f"C:\\Users\\{USER_NAME}"
KNOWN_FOLDERS = {
    uuid.UUID("5E6C858F-0E22-4760-9AFE-EA3317B67173"): PROFILE,                   # Profile
    uuid.UUID("3EB685DB-65F9-4CF6-A03A-E3EF65729F3D"): PROFILE + "\\AppData\\Roaming",
    uuid.UUID("F1B32785-6FBA-4FCF-9D55-7B8E7F157091"): PROFILE + "\\AppData\\Local",
    uuid.UUID("FDD39AD0-238F-46AF-ADB4-6C85480369C7"): PROFILE + "\\Documents",
    uuid.UUID("374DE290-123F-4565-9164-39C4925E467B"): PROFILE + "\\Downloads",
}
S_OK, E_INVALIDARG, E_OUTOFMEMORY = 0, 0x80070057, 0x8007000E
ERROR_INVALID_PARAMETER = 87


def sys_userenv_GetUserProfileDirectoryW(p, hToken, lpProfileDir, lpcchSize):
    data = PROFILE.encode("utf-16-le") + b"\0\0"
    if not lpcchSize:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    have = p.mm.read_u32(lpcchSize)
    p.mm.write_u32(lpcchSize, len(data) // 2)
    if not lpProfileDir or have < len(data) // 2:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(lpProfileDir, data)
    return 1


def sys_combase_CoTaskMemAlloc(p, cb):
    return p.win32.heap.alloc(max(cb, 1))


def sys_combase_CoTaskMemFree(p, pv):
    if pv:
        p.win32.heap.free(pv)
    return 0


def sys_shell32_SHGetKnownFolderPath(p, rfid, dwFlags, hToken, ppszPath):
    """The folder's path in memory the caller frees with CoTaskMemFree (*ppszPath is NULL on
    failure, as Windows sets it)."""
    p.mm.write_word(ppszPath, 0)
    path = KNOWN_FOLDERS.get(uuid.UUID(bytes_le=bytes(p.mm.read(rfid, 16))))
    if path is None:
        return E_INVALIDARG
    data = path.encode("utf-16-le") + b"\0\0"
    block = p.win32.heap.alloc(len(data))
    if not block:
        return E_OUTOFMEMORY
    p.mm.write(block, data)
    p.mm.write_word(ppszPath, block)
    return S_OK


# SHGetFolderPath's CSIDL numbers for the same folders (CSIDL_FLAG_* bits masked off).
CSIDL_FOLDERS = {0x05: PROFILE + "\\Documents", 0x1A: PROFILE + "\\AppData\\Roaming",
                 0x1C: PROFILE + "\\AppData\\Local", 0x28: PROFILE}


def _folder_path(p, csidl: int, buffer: int, wide: bool) -> int:
    """The older way to the known folders: the path in the caller's MAX_PATH buffer."""
    path = CSIDL_FOLDERS.get(csidl & 0xFF)
    if path is None:
        return E_INVALIDARG
    p.mm.write(buffer, path.encode("utf-16-le") + b"\0\0" if wide else path.encode() + b"\0")
    return S_OK


def sys_shell32_SHGetFolderPathW(p, hwnd, csidl, hToken, dwFlags, pszPath):
    return _folder_path(p, csidl, pszPath, True)


def sys_shell32_SHGetFolderPathA(p, hwnd, csidl, hToken, dwFlags, pszPath):
    return _folder_path(p, csidl, pszPath, False)


def with_windows_defaults(env: dict, bits: int, has_tmp: bool) -> dict:
    """The variables every Windows process has, added where the environment it was started
    with lacks them (a Linux parent's, or tblc's): programs build paths from SystemRoot,
    APPDATA and TEMP (Node's os.tmpdir() is TEMP, else SystemRoot + \\temp) and read
    NUMBER_OF_PROCESSORS. Names are matched case-insensitively, as Windows does."""
    defaults = {
        "SystemRoot": "C:\\Windows", "windir": "C:\\Windows", "SystemDrive": "C:",
        "OS": "Windows_NT", "USERNAME": USER_NAME, "USERPROFILE": PROFILE,
        "HOMEDRIVE": "C:", "HOMEPATH": PROFILE[2:],
        "APPDATA": PROFILE + "\\AppData\\Roaming", "LOCALAPPDATA": PROFILE + "\\AppData\\Local",
        "ProgramData": "C:\\ProgramData", "ProgramFiles": "C:\\Program Files",
        "ComSpec": "C:\\Windows\\System32\\cmd.exe", "PATHEXT": ".COM;.EXE;.BAT;.CMD",
        "NUMBER_OF_PROCESSORS": "1",
        "PROCESSOR_ARCHITECTURE": "AMD64" if bits == 64 else "x86"}
    if has_tmp:                        # where GetTempPath points without TEMP and TMP
        defaults.update(TEMP="C:\\tmp", TMP="C:\\tmp")
    present = {name.upper() for name in env}
    out = dict(env)
    for name, value in defaults.items():
        if name.upper() not in present:
            out[name] = value
    key = next((name for name in out if name.upper() == "PATH"), "Path")
    out[key] = windows_search_path(out.get(key, ""))
    return out


SYSTEM_PATH = ("C:\\Windows\\System32", "C:\\Windows")


def windows_search_path(value: str) -> str:
    """PATH as a Windows process has it: a Linux one (a Linux parent's, or tblc's) in
    Windows' form (`/usr/bin:/bin` is `C:\\usr\\bin;C:\\bin`), with System32 and the
    Windows directory first when they are missing, as Windows' own PATH begins (programs find
    cmd.exe through it: CMake's execute_process, libuv's spawn)."""
    if "/" in value and ";" not in value and not re.match(r"[A-Za-z]:", value):
        value = ";".join("C:" + d.replace("/", "\\") for d in value.split(":") if d)
    entries = [e for e in value.split(";") if e]
    have = {e.rstrip("\\").lower() for e in entries}
    missing = [d for d in SYSTEM_PATH if d.lower() not in have]
    return ";".join(missing + entries)
