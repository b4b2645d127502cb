"""The machine's volumes by their GUID names: one, drive C: (the root). FindFirstVolume and
FindNextVolume list it, GetVolumePathNamesForVolumeName and GetVolumeNameForVolumeMountPoint
go between its name and its mount point (Python's os.listvolumes and os.listmounts, backup
and disk tools)."""
from __future__ import annotations

from types import SimpleNamespace

from ..nt.objects import VOLUME_GUID_NAME
from .kernel32 import _invalid
from .kernel32_sync import close_sync_handle, new_handle, object_of
from .wide import read_str

# Win32's form of the volume's name: \\?\Volume{GUID}\ (the trailing backslash included)
VOLUME_NAME = "\\\\?\\" + VOLUME_GUID_NAME[len("\\??\\"):] + "\\"
MOUNT_POINT = "C:\\"
ERROR_FILE_NOT_FOUND, ERROR_INVALID_HANDLE, ERROR_NO_MORE_FILES = 2, 6, 18
ERROR_INVALID_PARAMETER, ERROR_INVALID_NAME = 87, 123
ERROR_MORE_DATA, ERROR_FILENAME_EXCED_RANGE = 234, 206


def _put(p, text: str, buffer: int, chars: int, wide: bool) -> bool:
    """text and its terminator into the caller's buffer of chars characters, or False with
    ERROR_FILENAME_EXCED_RANGE when it does not fit."""
    if len(text) + 1 > chars:
        p.win32.last_error = ERROR_FILENAME_EXCED_RANGE
        return False
    p.mm.write(buffer, text.encode("utf-16-le") + b"\0\0" if wide else
               text.encode("latin-1") + b"\0")
    return True


def _find_first(p, buffer: int, chars: int, wide: bool) -> int:
    if not _put(p, VOLUME_NAME, buffer, chars, wide):
        return _invalid(p)
    p.win32.last_error = 0
    return new_handle(p, SimpleNamespace(kind="volume_search"))


def sys_kernel32_FindFirstVolumeW(p, lpszVolumeName, cchBufferLength):
    return _find_first(p, lpszVolumeName, cchBufferLength & 0xFFFFFFFF, True)


def sys_kernel32_FindFirstVolumeA(p, lpszVolumeName, cchBufferLength):
    return _find_first(p, lpszVolumeName, cchBufferLength & 0xFFFFFFFF, False)


def _find_next(p, handle: int) -> int:
    """The one volume was the first: the search is over."""
    p.win32.last_error = ERROR_NO_MORE_FILES if object_of(p, handle, "volume_search") \
        else ERROR_INVALID_HANDLE
    return 0


def sys_kernel32_FindNextVolumeW(p, hFindVolume, lpszVolumeName, cchBufferLength):
    return _find_next(p, hFindVolume)


def sys_kernel32_FindNextVolumeA(p, hFindVolume, lpszVolumeName, cchBufferLength):
    return _find_next(p, hFindVolume)


def sys_kernel32_FindVolumeClose(p, hFindVolume):
    if object_of(p, hFindVolume, "volume_search") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    close_sync_handle(p, hFindVolume)
    return 1


def _is_our_volume(name: str) -> bool:
    return name.rstrip("\\").lower() == VOLUME_NAME.rstrip("\\").lower()


def _path_names(p, name_at: int, buffer: int, chars: int, returned: int, wide: bool) -> int:
    """The volume's mount points as a list of strings ending with an empty one: C:\\."""
    name = read_str(p, name_at, wide) if name_at else ""
    if not name.lower().startswith("\\\\?\\volume{") or not name.endswith("\\"):
        p.win32.last_error = ERROR_INVALID_NAME    # \\?\Volume{GUID}\, backslash included
        return 0
    if not _is_our_volume(name):
        p.win32.last_error = ERROR_FILE_NOT_FOUND
        return 0
    text = MOUNT_POINT + "\0"                     # the list's terminator comes from _put
    if returned:
        p.mm.write_u32(returned, len(text) + 1)
    if len(text) + 1 > chars:
        p.win32.last_error = ERROR_MORE_DATA
        return 0
    return int(_put(p, text, buffer, chars, wide))


def sys_kernel32_GetVolumePathNamesForVolumeNameW(p, lpszVolumeName, lpszVolumePathNames,
                                                  cchBufferLength, lpcchReturnLength):
    return _path_names(p, lpszVolumeName, lpszVolumePathNames, cchBufferLength & 0xFFFFFFFF,
                       lpcchReturnLength, True)


def sys_kernel32_GetVolumePathNamesForVolumeNameA(p, lpszVolumeName, lpszVolumePathNames,
                                                  cchBufferLength, lpcchReturnLength):
    return _path_names(p, lpszVolumeName, lpszVolumePathNames, cchBufferLength & 0xFFFFFFFF,
                       lpcchReturnLength, False)


def _volume_name(p, mount_at: int, buffer: int, chars: int, wide: bool) -> int:
    """The GUID name of the volume mounted at a drive's root (C:\\ only: a mount point
    names a root, with its backslash)."""
    mount = read_str(p, mount_at, wide) if mount_at else ""
    if mount.lower() != MOUNT_POINT.lower():
        p.win32.last_error = ERROR_INVALID_PARAMETER if mount.endswith("\\") or not mount \
            else ERROR_INVALID_NAME
        return 0
    return int(_put(p, VOLUME_NAME, buffer, chars, wide))


def sys_kernel32_GetVolumeNameForVolumeMountPointW(p, lpszVolumeMountPoint, lpszVolumeName,
                                                   cchBufferLength):
    return _volume_name(p, lpszVolumeMountPoint, lpszVolumeName, cchBufferLength & 0xFFFFFFFF,
                        True)


def sys_kernel32_GetVolumeNameForVolumeMountPointA(p, lpszVolumeMountPoint, lpszVolumeName,
                                                   cchBufferLength):
    return _volume_name(p, lpszVolumeMountPoint, lpszVolumeName, cchBufferLength & 0xFFFFFFFF,
                        False)
