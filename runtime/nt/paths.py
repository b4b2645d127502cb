"""NT path names -> guest paths: `C:\\` is the process's root, `\\` and `/` both separate,
`\\??\\` and `\\\\?\\` prefixes are understood, and a name matches case-insensitively when its
exact case does not exist. `..` and `.` are not names in an NT path (the Win32 layer folds
them before calling NT): they fail, so nothing climbs out of the root."""
from __future__ import annotations

import os

from ..errors import KernelError
from .status import STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_PATH_NOT_FOUND, NtError

PREFIXES = ("\\??\\", "\\\\?\\", "\\DosDevices\\", "\\GLOBAL??\\", "//?/")
VOLUME = "\\Device\\HarddiskVolume1"   # drive C:'s NT device (runtime/nt/objects.py)


def split_nt_path(name: str) -> list[str]:
    """The components below the root of an absolute NT path (drive C: only)."""
    for prefix in PREFIXES:
        if name[:len(prefix)].upper() == prefix.upper():
            name = name[len(prefix):]
            break
    rest = name[len(VOLUME):]
    if name[:len(VOLUME)].upper() == VOLUME.upper() and rest[:1] in ("", "\\"):
        name = "C:" + (rest or "\\")
    name = name.replace("/", "\\")
    if len(name) >= 2 and name[1] == ":":
        if name[0].upper() != "C":
            raise NtError(STATUS_OBJECT_PATH_NOT_FOUND)
        name = name[2:]
    parts = [c for c in name.split("\\") if c]
    for c in parts:
        if c in (".", "..") or any(ch in c for ch in '<>"|\0'):
            raise NtError(STATUS_OBJECT_PATH_NOT_FOUND if c in (".", "..")
                          else STATUS_OBJECT_NAME_INVALID)
    return parts


def fold_case(fs, base: str, parts: list[str], ctx) -> str:
    """Join parts below the guest directory base, matching each component case-insensitively
    when the exact name is missing (as NTFS lookups are)."""
    path = base.rstrip("/")
    for comp in parts:
        candidate = f"{path}/{comp}"
        try:
            exists = fs.resolve("/", candidate, True, ctx).exists
        except KernelError:
            exists = False
        if not exists:
            try:
                host_dir = fs.resolve("/", path or "/", True, ctx).host
                for entry in os.listdir(host_dir):
                    if entry.lower() == comp.lower():
                        candidate = f"{path}/{entry}"
                        break
            except (OSError, KernelError):
                pass
        path = candidate
    return path or "/"


def volume_path(guest: str) -> str:
    """A guest path as a path on drive C:'s volume (`\\dir\\name`; the root is `\\`)."""
    return (guest or "/").replace("/", "\\")


def win32_path(guest: str) -> str:
    """The Win32 name of a guest path: the root is `C:\\`; a relative path stays relative."""
    path = volume_path(guest)
    return "C:" + path if path.startswith("\\") else path


# DOS device names and the NT objects they stand for (QueryDosDevice): in any directory, the
# name alone (a colon or spaces after it) is the device, as RtlIsDosDeviceName_U finds them
# (Rust's Stdio::null() opens \\.\NUL).
DOS_DEVICES = {"NUL": "\\Device\\Null", "CON": "\\Device\\ConDrv\\Console",
               "CONIN$": "\\Device\\ConDrv\\CurrentIn", "CONOUT$": "\\Device\\ConDrv\\CurrentOut"}
NULL_DEVICE_NAMES = ("\\??\\nul", DOS_DEVICES["NUL"].lower(), "\\dosdevices\\nul", "\\global??\\nul")


def dos_device(path: str) -> str | None:
    """The DOS device a Win32 path names (NUL, CON ...), or None."""
    last = path.replace("/", "\\").rsplit("\\", 1)[-1].rstrip(" :").upper()
    return last if last in DOS_DEVICES and not path.startswith("\\\\?\\") else None


def is_null_device(nt_name: str) -> bool:
    """Whether an NT name is the null device (\\Device\\Null, \\??\\NUL)."""
    return nt_name.lower() in NULL_DEVICE_NAMES


def win32_to_nt(path: str, cwd: str = "C:\\") -> str:
    """The Win32 layer's RtlDosPathNameToNtPathName: make absolute, fold `.` and `..` lexically
    (never above the drive root), prefix `\\??\\`; a DOS device name is `\\??\\NAME`."""
    path = path.replace("/", "\\")
    device = dos_device(path)
    if device is not None:
        return "\\??\\" + device
    if path.startswith(("\\\\?\\", "\\\\.\\")):   # verbatim, or a device: as given
        return "\\??\\" + path[4:]
    if len(path) >= 2 and path[1] == ":":
        drive, rest = path[:2], path[2:]
        if not rest.startswith("\\") and drive.upper() == cwd[:2].upper():
            rest = cwd[2:].rstrip("\\") + "\\" + rest   # "C:x": relative to C:'s directory
    elif path.startswith("\\"):
        drive, rest = cwd[:2], path
    else:
        drive, rest = cwd[:2], cwd[2:].rstrip("\\") + "\\" + path
    out: list[str] = []
    for comp in rest.split("\\"):
        if comp in ("", "."):
            continue
        if comp == "..":
            if out:
                out.pop()
            continue
        out.append(comp)
    return "\\??\\" + drive.upper() + "\\" + "\\".join(out)
