"""kernel32's files and directories by wide name beside the A ones, directory search
(FindFirstFileEx), full path names, file size and position by 64-bit values, file types of
handles, and the standard handles a program may replace (SetStdHandle)."""
from __future__ import annotations

import fnmatch
import os
import stat as S
import struct
from types import SimpleNamespace

from ..errors import KernelError
from ..nt import abi
from ..nt.directory import NEW_DIRECTORY_MODE, folder_names
from ..nt import reparse
from ..nt.paths import DOS_DEVICES, VOLUME, split_nt_path, win32_to_nt
from ..nt.status import STATUS_INVALID_PARAMETER, STATUS_PENDING, NtError
from .kernel32 import create_file, inherit_of
from .kernel32_sync import new_handle, object_of
from .kernel32_system import (ERROR_PATH_NOT_FOUND, INVALID_FILE_ATTRIBUTES, WIN32_ERROR,
                              _guest_path, _win32_call, delete_file, move_file)
from .ntcall import nt_call, set_last_error_from
from .stdout import flush_for_handle
from .wide import encode, put_string, read_str, read_wstr

ERROR_INVALID_HANDLE, ERROR_NO_MORE_FILES, ERROR_FILE_NOT_FOUND = 6, 18, 2
ERROR_INVALID_PARAMETER, ERROR_INSUFFICIENT_BUFFER = 87, 122
FILE_TYPE_UNKNOWN, FILE_TYPE_DISK, FILE_TYPE_CHAR, FILE_TYPE_PIPE = 0, 1, 2, 3
FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_NORMAL = 0x1, 0x10, 0x80
FILE_ATTRIBUTE_TEMPORARY = 0x100
FILE_ATTRIBUTE_VALID_SET_FLAGS = 0x31A7     # read-only ... not content indexed, not directory
MOVEFILE_REPLACE_EXISTING = 1
DRIVE_FIXED, DRIVE_NO_ROOT_DIR = 3, 1
MAX_PATH = 260


def file_bytes(p, path: str, limit: int | None = None) -> bytes | None:
    """A file's bytes (a guest path, opened with the process's credentials; at most limit of
    them), or None when it cannot be opened or read (a directory, a device)."""
    try:
        f = p.kernel.fs.open("/", path, 0, 0, p)
    except KernelError:
        return None
    try:
        chunks, size = [], 0
        while (limit is None or size < limit) and (chunk := f.read(1 << 20)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except KernelError:
        return None
    finally:
        f.decref()


_path = _guest_path      # a Windows name's path in the guest (the name other modules import)


def _by_name(p, name: str, action) -> int:
    return _win32_call(p, lambda: action(_path(p, name)))


def _stat(p, name: str):
    found = []
    if not _by_name(p, name, lambda path: found.append(p.kernel.fs.stat("/", path, True, p))):
        return None
    return found[0]


def _own_attributes(p, name: str):
    """(lstat, attributes) of the file a name names, the final link not followed: the
    attributes Windows gives a symbolic link are its own (nt/reparse.py)."""
    found = []

    def look(path: str) -> None:
        st = p.kernel.fs.stat("/", path, False, p)
        found.append((st, reparse.attributes(p, path, st)))
    if not _by_name(p, name, look):
        return None, None
    return found[0]


# GetVolumeInformation's file system: NTFS's name and the features sysvec's files have
# (case-preserving names, Unicode, hard links, reparse points for symbolic links).
VOLUME_FLAGS = 0x1 | 0x2 | 0x4 | 0x8 | 0x80 | 0x400000
MAX_COMPONENT = 255


def _volume_information(p, st, name_buf, name_size, serial, max_component, flags, fs_buf,
                        fs_size, wide: bool = True) -> int:
    for buf, size, text in ((name_buf, name_size, ""), (fs_buf, fs_size, "NTFS")):
        if buf:
            if (size & 0xFFFFFFFF) < len(text) + 1:
                p.win32.last_error = 24   # ERROR_BAD_LENGTH
                return 0
            p.mm.write(buf, text.encode("utf-16-le") + b"\0\0" if wide else text.encode() + b"\0")
    for out, value in ((serial, st.st_dev & 0xFFFFFFFF), (max_component, MAX_COMPONENT),
                       (flags, VOLUME_FLAGS)):
        if out:
            p.mm.write_u32(out, value)
    return 1


def sys_kernel32_GetVolumeInformationByHandleW(p, hFile, lpVolumeNameBuffer, nVolumeNameSize,
                                               lpVolumeSerialNumber, lpMaximumComponentLength,
                                               lpFileSystemFlags, lpFileSystemNameBuffer,
                                               nFileSystemNameSize):
    """The volume a handle's file is on (its serial is the host device, as
    GetFileInformationByHandle's)."""
    f, st = _handle_stat(p, hFile)
    if st is None:
        if f is not None:
            p.win32.last_error = ERROR_INVALID_FUNCTION
        return 0
    return _volume_information(p, st, lpVolumeNameBuffer, nVolumeNameSize, lpVolumeSerialNumber,
                               lpMaximumComponentLength, lpFileSystemFlags,
                               lpFileSystemNameBuffer, nFileSystemNameSize)


def sys_kernel32_GetVolumeInformationW(p, lpRootPathName, lpVolumeNameBuffer, nVolumeNameSize,
                                       lpVolumeSerialNumber, lpMaximumComponentLength,
                                       lpFileSystemFlags, lpFileSystemNameBuffer,
                                       nFileSystemNameSize):
    """The volume of a root directory (C:\\, the only drive; NULL: the current one's)."""
    root = read_wstr(p, lpRootPathName) if lpRootPathName else "C:\\"
    return _volume_of_root(p, root, (lpVolumeNameBuffer, nVolumeNameSize, lpVolumeSerialNumber,
                                     lpMaximumComponentLength, lpFileSystemFlags,
                                     lpFileSystemNameBuffer, nFileSystemNameSize), True)


def sys_kernel32_GetVolumeInformationA(p, lpRootPathName, lpVolumeNameBuffer, nVolumeNameSize,
                                       lpVolumeSerialNumber, lpMaximumComponentLength,
                                       lpFileSystemFlags, lpFileSystemNameBuffer,
                                       nFileSystemNameSize):
    root = p.mm.read_cstr(lpRootPathName).decode("latin-1") if lpRootPathName else "C:\\"
    return _volume_of_root(p, root, (lpVolumeNameBuffer, nVolumeNameSize, lpVolumeSerialNumber,
                                     lpMaximumComponentLength, lpFileSystemFlags,
                                     lpFileSystemNameBuffer, nFileSystemNameSize), False)


def _volume_of_root(p, root: str, out: tuple, wide: bool) -> int:
    if root.rstrip("\\/").upper() not in ("C:", ""):
        p.win32.last_error = 3   # ERROR_PATH_NOT_FOUND
        return 0
    return _volume_information(p, p.kernel.fs.stat("/", "/", True, p), *out, wide=wide)


def _times(st) -> tuple[int, int, int]:
    m = getattr(st, "st_mtime_ns", int(st.st_mtime * 1e9))
    a = getattr(st, "st_atime_ns", m)
    c = getattr(st, "st_ctime_ns", m)
    return abi.filetime_of_ns(c), abi.filetime_of_ns(a), abi.filetime_of_ns(m)


# --- by name, wide ------------------------------------------------------------------------

def sys_kernel32_CreateFileW(p, lpFileName, dwDesiredAccess, dwShareMode, lpSecurityAttributes,
                             dwCreationDisposition, dwFlagsAndAttributes, hTemplateFile):
    return create_file(p, read_wstr(p, lpFileName), dwDesiredAccess, dwShareMode,
                       dwCreationDisposition, dwFlagsAndAttributes,
                       inherit_of(p, lpSecurityAttributes))


def sys_kernel32_CreateFile2(p, lpFileName, dwDesiredAccess, dwShareMode, dwCreationDisposition,
                             pCreateExParams):
    """CreateFileW with its attributes, flags and quality-of-service bits in one structure
    (CREATEFILE2_EXTENDED_PARAMETERS: dwSize, dwFileAttributes, dwFileFlags, ...)."""
    flags, security = 0, 0
    if pCreateExParams:
        _size, attributes, file_flags, qos = struct.unpack("<4I", p.mm.read(pCreateExParams, 16))
        flags = attributes | file_flags | qos
        security = abi.read_ptr(p, pCreateExParams + 16)     # lpSecurityAttributes
    return create_file(p, read_wstr(p, lpFileName), dwDesiredAccess, dwShareMode,
                       dwCreationDisposition, flags, inherit_of(p, security))


def sys_kernel32_DeleteFileW(p, lpFileName):
    return _by_name(p, read_wstr(p, lpFileName), lambda path: delete_file(p, path))


def sys_kernel32_CreateDirectoryW(p, lpPathName, lpSecurityAttributes):
    return _by_name(p, read_wstr(p, lpPathName),
                    lambda path: p.kernel.fs.mkdir("/", path, NEW_DIRECTORY_MODE, p))


def _remove_directory(p, path: str) -> None:
    """A directory link goes as a directory would (its target stays)."""
    fs = p.kernel.fs
    if reparse.is_link(fs.stat("/", path, False, p)):
        fs.unlink("/", path, p)
    else:
        fs.rmdir("/", path, p)


def sys_kernel32_RemoveDirectoryW(p, lpPathName):
    return _by_name(p, read_wstr(p, lpPathName), lambda path: _remove_directory(p, path))


def _move(p, old: str, new: str, flags: int) -> int:
    """MoveFileEx: replacing an existing target only with MOVEFILE_REPLACE_EXISTING."""
    if not flags & MOVEFILE_REPLACE_EXISTING and _exists(p, new):
        p.win32.last_error = 183   # ERROR_ALREADY_EXISTS
        return 0
    return int(move_file(p, old, new))


def _exists(p, name: str) -> bool:
    saved = p.win32.last_error
    found = _stat(p, name) is not None
    p.win32.last_error = saved
    return found


def sys_kernel32_MoveFileExW(p, lpExistingFileName, lpNewFileName, dwFlags):
    return _move(p, read_wstr(p, lpExistingFileName), read_wstr(p, lpNewFileName), dwFlags)


def sys_kernel32_MoveFileExA(p, lpExistingFileName, lpNewFileName, dwFlags):
    return _move(p, read_str(p, lpExistingFileName, False), read_str(p, lpNewFileName, False),
                 dwFlags)


def sys_kernel32_MoveFileW(p, lpExistingFileName, lpNewFileName):
    return _move(p, read_wstr(p, lpExistingFileName), read_wstr(p, lpNewFileName), 0)


def sys_kernel32_GetFileAttributesW(p, lpFileName):
    _st, attrs = _own_attributes(p, read_wstr(p, lpFileName))
    return INVALID_FILE_ATTRIBUTES if attrs is None else attrs


def _attributes_ex(p, name: str, info: int) -> int:
    """WIN32_FILE_ATTRIBUTE_DATA: attributes, three FILETIMEs, the size high then low (a
    link's own)."""
    st, attrs = _own_attributes(p, name)
    if st is None:
        return 0
    size = 0 if S.S_ISDIR(st.st_mode) or reparse.is_link(st) else st.st_size
    p.mm.write(info, struct.pack("<IQQQII", attrs, *_times(st), size >> 32,
                                 size & 0xFFFFFFFF))
    return 1


def sys_kernel32_GetFileAttributesExA(p, lpFileName, fInfoLevelId, lpFileInformation):
    return _attributes_ex(p, read_str(p, lpFileName, False), lpFileInformation)


def sys_kernel32_GetFileAttributesExW(p, lpFileName, fInfoLevelId, lpFileInformation):
    return _attributes_ex(p, read_wstr(p, lpFileName), lpFileInformation)


def _set_attributes(p, name: str, value: int) -> int:
    """SetFileAttributes: the file's attributes become exactly value (a link's own, its
    target's read-only bit). kernelbase keeps the settable ones and adds
    FILE_ATTRIBUTE_NORMAL, so 0 clears them all (FileBasicInformation's 0 would leave them)."""
    from ..nt.files import set_attributes
    value = value & FILE_ATTRIBUTE_VALID_SET_FLAGS | FILE_ATTRIBUTE_NORMAL

    def change(path: str) -> None:
        fs = p.kernel.fs
        own = fs.stat("/", path, False, p)
        directory = S.S_ISDIR(own.st_mode) or reparse.is_link(own) and \
            reparse.leads_to_directory(p, path)
        if value & FILE_ATTRIBUTE_TEMPORARY and directory:
            raise NtError(STATUS_INVALID_PARAMETER)    # no temporary directories
        set_attributes(p, None, path, fs.stat("/", path, True, p) if reparse.is_link(own)
                       else own, value, directory)
    return _by_name(p, name, change)


def _chmod(p, path: str, mode: int) -> None:
    """As Linux chmod does it: through a descriptor opened from the root."""
    from ..linux.fs import _host_fchmod
    r = p.kernel.fs.resolve("/", path, True, p)
    if r.synthetic is None:
        fd = p.kernel.fs.open_host_fd(r.host)
        try:
            _host_fchmod(p, fd, mode)
        finally:
            os.close(fd)


def sys_kernel32_SetFileAttributesA(p, lpFileName, dwFileAttributes):
    return _set_attributes(p, read_str(p, lpFileName, False), dwFileAttributes)


def sys_kernel32_SetFileAttributesW(p, lpFileName, dwFileAttributes):
    return _set_attributes(p, read_wstr(p, lpFileName), dwFileAttributes)


def _cwd_text(p) -> str:
    return p.win32.cwd.rstrip("\\") if len(p.win32.cwd) > 3 else p.win32.cwd


def sys_kernel32_GetCurrentDirectoryW(p, nBufferLength, lpBuffer):
    return put_string(p, _cwd_text(p), lpBuffer, nBufferLength, True)


def sys_kernel32_SetCurrentDirectoryW(p, lpPathName):
    return set_current_directory(p, read_wstr(p, lpPathName))


def set_current_directory(p, name: str) -> int:
    st = _stat(p, name)
    if st is None:
        return 0
    if not S.S_ISDIR(st.st_mode):
        p.win32.last_error = 267   # ERROR_DIRECTORY
        return 0
    parts = split_nt_path(win32_to_nt(name, p.win32.cwd))
    p.win32.cwd = "C:\\" + "\\".join(parts) + ("" if parts else "")
    from ..nt.start import set_current_directory as set_peb_directory
    set_peb_directory(p, p.win32.cwd)
    return 1


def full_path(p, name: str) -> str:
    """GetFullPathName: absolute, `.` and `..` folded, a trailing separator kept."""
    nt = win32_to_nt(name, p.win32.cwd)[4:]          # without \??\
    if name.endswith(("\\", "/")) and not nt.endswith("\\"):
        nt += "\\"
    return nt


def _full_path_name(p, lpFileName, nBufferLength, lpBuffer, lpFilePart, wide: bool) -> int:
    name = read_str(p, lpFileName, wide)
    if not name:
        p.win32.last_error = 123   # ERROR_INVALID_NAME
        return 0
    text = full_path(p, name)
    result = put_string(p, text, lpBuffer, nBufferLength, wide)
    if lpFilePart and result <= nBufferLength and lpBuffer:
        last = text.rfind("\\") + 1
        unit = 2 if wide else 1
        abi.write_ptr(p, lpFilePart, 0 if last == len(text) else
                      lpBuffer + unit * len(text[:last]) if wide else
                      lpBuffer + len(encode(text[:last], False)))
    return result


def sys_kernel32_GetFullPathNameA(p, lpFileName, nBufferLength, lpBuffer, lpFilePart):
    return _full_path_name(p, lpFileName, nBufferLength, lpBuffer, lpFilePart, False)


def sys_kernel32_GetFullPathNameW(p, lpFileName, nBufferLength, lpBuffer, lpFilePart):
    return _full_path_name(p, lpFileName, nBufferLength, lpBuffer, lpFilePart, True)


def _volume_path_name(p, lpszFileName, lpszVolumePathName, cchBufferLength, wide: bool) -> int:
    """The root of the volume a path is on: every path here is on C:, so its drive's root."""
    name = read_str(p, lpszFileName, wide)
    if not name:
        p.win32.last_error = 123   # ERROR_INVALID_NAME
        return 0
    root = full_path(p, name)[:3]
    size = cchBufferLength & 0xFFFFFFFF
    if put_string(p, root, lpszVolumePathName, size, wide) >= size:
        p.win32.last_error = 206   # ERROR_FILENAME_EXCED_RANGE
        return 0
    return 1


def sys_kernel32_GetVolumePathNameW(p, lpszFileName, lpszVolumePathName, cchBufferLength):
    return _volume_path_name(p, lpszFileName, lpszVolumePathName, cchBufferLength, True)


def sys_kernel32_GetVolumePathNameA(p, lpszFileName, lpszVolumePathName, cchBufferLength):
    return _volume_path_name(p, lpszFileName, lpszVolumePathName, cchBufferLength, False)


def _temp_dir(p) -> str:
    """Windows' order: %TMP%, %TEMP%, %USERPROFILE% (here only when the root has that folder,
    as Windows always does), then C:\\tmp\\ when the root has /tmp, else the current folder
    (not the Windows folder: the root's is made up, nothing can be written there)."""
    from .kernel32_system import _env, _env_key
    for var in ("TMP", "TEMP"):
        key = _env_key(p, var)
        if key is not None:
            return _env(p)[key].rstrip("\\/") + "\\"
    key = _env_key(p, "USERPROFILE")
    profile = _env(p)[key].rstrip("\\/") if key is not None else None
    for folder in (profile, "C:\\tmp"):
        if folder and _exists(p, folder):
            return folder + "\\"
    return _cwd_text(p).rstrip("\\") + "\\"


def sys_kernel32_GetTempPathA(p, nBufferLength, lpBuffer):
    return put_string(p, _temp_dir(p), lpBuffer, nBufferLength, False)


def sys_kernel32_GetTempPathW(p, nBufferLength, lpBuffer):
    return put_string(p, _temp_dir(p), lpBuffer, nBufferLength, True)


def sys_kernel32_GetTempPath2W(p, BufferLength, Buffer):
    """GetTempPathW for a process that is not SYSTEM (SYSTEM's is C:\\Windows\\SystemTemp)."""
    return put_string(p, _temp_dir(p), Buffer, BufferLength, True)


def sys_kernel32_GetTempPath2A(p, BufferLength, Buffer):
    return put_string(p, _temp_dir(p), Buffer, BufferLength, False)


def sys_kernel32_GetDriveTypeW(p, lpRootPathName):
    name = read_wstr(p, lpRootPathName) if lpRootPathName else "C:\\"
    return DRIVE_FIXED if name[:1].upper() in ("C", "\\", "/", "") else DRIVE_NO_ROOT_DIR


def _env_path(p) -> list[str]:
    from .kernel32_system import _env, _env_key
    key = _env_key(p, "PATH")
    return _env(p)[key].split(";") if key else []


def search_path(p, path: str | None, name: str, ext: str) -> str | None:
    """The file in path's directories (default: the current directory, then %PATH%, as cmd
    looks for a program)."""
    candidates = [name] + ([name + ext] if ext and "." not in name.rsplit("\\", 1)[-1] else [])
    dirs = path.split(";") if path is not None else [_cwd_text(p)] + _env_path(p)
    absolute = name[1:2] == ":" or name.startswith("\\")
    for d in [""] if absolute else [d for d in dirs if d]:
        for c in reversed(candidates):
            full = full_path(p, c if absolute else d.rstrip("\\") + "\\" + c)
            if _exists(p, full):
                return full
    return None


# SetSearchPathMode's flags, and what p.win32.search_path_mode holds: 0 (the current directory
# second), 1 (safe: the current directory after Windows' own), 2 (safe for good)
BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE = 0x1
BASE_SEARCH_PATH_DISABLE_SAFE_SEARCHMODE = 0x10000
BASE_SEARCH_PATH_PERMANENT = 0x8000
ERROR_ACCESS_DENIED = 5


def sys_kernel32_SetSearchPathMode(p, Flags):
    """Safe search mode on or off (SearchPath's order), or on for the rest of the process's
    life: then any later call is ERROR_ACCESS_DENIED. Permanent alone, with off, or on and
    off together are ERROR_INVALID_PARAMETER."""
    modes = {BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE: 1,
             BASE_SEARCH_PATH_DISABLE_SAFE_SEARCHMODE: 0,
             BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE | BASE_SEARCH_PATH_PERMANENT: 2}
    if Flags not in modes:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    if p.win32.search_path_mode == 2:
        p.win32.last_error = ERROR_ACCESS_DENIED
        return 0
    p.win32.search_path_mode = modes[Flags]
    return 1


def api_search_dirs(p) -> list[str]:
    """Where SearchPath looks when given no path: the program's own directory, then the
    current directory, the system directory, the 16-bit one and the Windows directory, then
    %PATH%; in safe search mode the current directory comes after the Windows directory."""
    from .kernel32_system import module_file_name
    program = module_file_name(p, 0).rpartition("\\")[0]
    windows = ["C:\\Windows\\System32", "C:\\Windows\\System", "C:\\Windows"]
    here = [_cwd_text(p)]
    ordered = windows + here if p.win32.search_path_mode else here + windows
    return [program or "C:\\"] + ordered + _env_path(p)


def _search_path(p, lpPath, lpFileName, lpExtension, nBufferLength, lpBuffer, lpFilePart,
                 wide: bool) -> int:
    from .wide import read_str
    full = search_path(p, read_str(p, lpPath, wide) if lpPath else ";".join(api_search_dirs(p)),
                       read_str(p, lpFileName, wide),
                       read_str(p, lpExtension, wide) if lpExtension else "")
    if full is None:
        p.win32.last_error = ERROR_FILE_NOT_FOUND
        return 0
    result = put_string(p, full, lpBuffer, nBufferLength, wide)
    if lpFilePart and result < nBufferLength:
        unit = 2 if wide else 1
        abi.write_ptr(p, lpFilePart, lpBuffer + unit * (full.rfind("\\") + 1))
    return result


def sys_kernel32_SearchPathW(p, lpPath, lpFileName, lpExtension, nBufferLength, lpBuffer,
                             lpFilePart):
    return _search_path(p, lpPath, lpFileName, lpExtension, nBufferLength, lpBuffer,
                        lpFilePart, True)


def sys_kernel32_SearchPathA(p, lpPath, lpFileName, lpExtension, nBufferLength, lpBuffer,
                             lpFilePart):
    return _search_path(p, lpPath, lpFileName, lpExtension, nBufferLength, lpBuffer,
                        lpFilePart, False)


# --- directory search ----------------------------------------------------------------------

def _find_data(st, name: str, wide: bool, attrs: int) -> bytes:
    """WIN32_FIND_DATAA/W: attributes, times, size, the reparse tag and a reserved word, the
    name and an empty short name."""
    size = 0 if S.S_ISDIR(st.st_mode) or reparse.is_link(st) else st.st_size
    head = struct.pack("<IQQQIIII", attrs, *_times(st), size >> 32, size & 0xFFFFFFFF,
                       reparse.tag(st), 0)
    if wide:
        return head + name[:MAX_PATH - 1].encode("utf-16-le").ljust(2 * MAX_PATH, b"\0") + \
            b"\0" * 28
    return head + name.encode("latin-1", "replace")[:MAX_PATH - 1].ljust(MAX_PATH, b"\0") + \
        b"\0" * 14


def _find_first(p, pattern: str, data: int, wide: bool) -> int:
    invalid = (1 << p.sysvec.word_bits) - 1
    folder, _, mask = pattern.replace("/", "\\").rpartition("\\")
    if not mask:
        p.win32.last_error = ERROR_FILE_NOT_FOUND
        return invalid
    folder = folder or (pattern[:2] if pattern[1:2] == ":" else ".")
    try:
        guest_dir = _path(p, folder + "\\" if folder.endswith(":") else folder)
        names = sorted(folder_names(p, guest_dir))
    except (KernelError, OSError, Exception) as exc:
        err = getattr(exc, "errno", None)
        p.win32.last_error = WIN32_ERROR.get(err, ERROR_PATH_NOT_FOUND)
        return invalid
    if guest_dir.rstrip("/"):
        names = [".", ".."] + names
    wanted = "*" if mask in ("*.*", "*") else mask.lower()
    matches = [n for n in names if fnmatch.fnmatchcase(n.lower(), wanted)]
    if not matches:
        p.win32.last_error = ERROR_FILE_NOT_FOUND
        return invalid
    try:
        resolved = p.kernel.fs.resolve("/", guest_dir, True, p)
        host_dir = resolved.host if resolved.synthetic is None else None
    except KernelError:
        host_dir = None
    search = SimpleNamespace(kind="find", folder=guest_dir, names=matches, wide=wide,
                             host_dir=host_dir)
    handle = new_handle(p, search)
    if not _next(p, search, data):
        from .kernel32_sync import close_sync_handle
        close_sync_handle(p, handle)
        return invalid
    return handle


def _next(p, search, data: int) -> int:
    while search.names:
        name = search.names.pop(0)
        path = f"{search.folder.rstrip('/')}/{name}"
        try:
            st = p.kernel.fs.stat("/", path, False, p)
        except KernelError:
            continue   # removed since the listing
        p.mm.write(data, _find_data(st, name, search.wide, reparse.attributes(
            p, path, st, getattr(search, "host_dir", None))))
        return 1
    p.win32.last_error = ERROR_NO_MORE_FILES
    return 0


def sys_kernel32_FindFirstFileA(p, lpFileName, lpFindFileData):
    return _find_first(p, read_str(p, lpFileName, False), lpFindFileData, False)


def sys_kernel32_FindFirstFileW(p, lpFileName, lpFindFileData):
    return _find_first(p, read_wstr(p, lpFileName), lpFindFileData, True)


def sys_kernel32_FindFirstFileExA(p, lpFileName, fInfoLevelId, lpFindFileData, fSearchOp,
                                  lpSearchFilter, dwAdditionalFlags):
    return _find_first(p, read_str(p, lpFileName, False), lpFindFileData, False)


def sys_kernel32_FindFirstFileExW(p, lpFileName, fInfoLevelId, lpFindFileData, fSearchOp,
                                  lpSearchFilter, dwAdditionalFlags):
    return _find_first(p, read_wstr(p, lpFileName), lpFindFileData, True)


def _search(p, handle):
    search = object_of(p, handle, "find")
    if search is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
    return search


def sys_kernel32_FindNextFileA(p, hFindFile, lpFindFileData):
    search = _search(p, hFindFile)
    return _next(p, search, lpFindFileData) if search else 0


def sys_kernel32_FindNextFileW(p, hFindFile, lpFindFileData):
    return sys_kernel32_FindNextFileA(p, hFindFile, lpFindFileData)


def sys_kernel32_FindClose(p, hFindFile):
    from .kernel32_sync import close_sync_handle
    if _search(p, hFindFile) is None:
        return 0
    close_sync_handle(p, hFindFile)
    return 1


# --- handles -----------------------------------------------------------------------------

def _file(p, handle):
    try:
        return abi.file_of(p, handle)
    except Exception:   # NtError for a handle that is no descriptor
        p.win32.last_error = ERROR_INVALID_HANDLE
        return None


def sys_kernel32_GetFileType(p, hFile):
    f = _file(p, hFile)
    if f is None:
        return FILE_TYPE_UNKNOWN
    try:
        mode = f.fstat().st_mode
    except KernelError:
        return FILE_TYPE_CHAR if f.isatty() else FILE_TYPE_PIPE
    if S.S_ISCHR(mode):
        return FILE_TYPE_CHAR
    if S.S_ISFIFO(mode) or S.S_ISSOCK(mode):
        return FILE_TYPE_PIPE
    p.win32.last_error = 0
    return FILE_TYPE_DISK


def _file_flushed(p, handle):
    """_file, once what a C runtime stream over it holds is written (direct I/O on the
    handle comes after the stream's)."""
    flush_for_handle(p, handle, stdout=False)
    return _file(p, handle)


def sys_kernel32_GetFileSizeEx(p, hFile, lpFileSize):
    f = _file_flushed(p, hFile)
    if f is None:
        return 0
    try:
        size = f.fstat().st_size
    except KernelError:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    p.mm.write(lpFileSize, struct.pack("<q", size))
    return 1


def sys_kernel32_SetFilePointerEx(p, hFile, liDistanceToMove, lpNewFilePointer, dwMoveMethod):
    f = _file_flushed(p, hFile)
    if f is None:
        return 0
    if liDistanceToMove >= 1 << 63:
        liDistanceToMove -= 1 << 64
    try:
        if dwMoveMethod > 2:
            raise KernelError(22)
        position = f.lseek(liDistanceToMove, dwMoveMethod)
    except KernelError as exc:
        p.win32.last_error = 131 if exc.errno == 22 else WIN32_ERROR.get(exc.errno, 1)
        return 0
    if lpNewFilePointer:
        p.mm.write(lpNewFilePointer, struct.pack("<q", position))
    return 1



def sys_kernel32_SetEndOfFile(p, hFile):
    f = _file_flushed(p, hFile)
    if f is None:
        return 0
    try:
        f.truncate(f.lseek(0, 1))
    except (KernelError, AttributeError):
        p.win32.last_error = 5
        return 0
    return 1


def sys_kernel32_FlushFileBuffers(p, hFile):
    flush_for_handle(p, hFile)      # stdout's buffer and a C runtime stream's over the file
    return int(_file(p, hFile) is not None)


def std_handle_override(p) -> dict:
    return p.win32.std_handles


def sys_kernel32_SetStdHandle(p, nStdHandle, hHandle):
    from .kernel32 import STD_HANDLES
    if nStdHandle & 0xFFFFFFFF not in STD_HANDLES:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    std_handle_override(p)[nStdHandle & 0xFFFFFFFF] = hHandle
    return 1


# --- what a handle's file is ---------------------------------------------------------------

FILE_BASIC_INFO, FILE_STANDARD_INFO, FILE_NAME_INFO, FILE_ATTRIBUTE_TAG_INFO = 0, 1, 2, 9
ERROR_INVALID_FUNCTION = 1


def _handle_stat(p, handle):
    f = _file(p, handle)
    if f is None:
        return None, None
    try:
        return f, f.fstat()
    except KernelError:
        return f, None




def sys_kernel32_GetFileInformationByHandle(p, hFile, lpFileInformation):
    """BY_HANDLE_FILE_INFORMATION: attributes, times, volume serial, size, links, index."""
    f, st = _handle_stat(p, hFile)
    if st is None:
        if f is not None:
            p.win32.last_error = ERROR_INVALID_FUNCTION
        return 0
    size = 0 if S.S_ISDIR(st.st_mode) else st.st_size
    p.mm.write(lpFileInformation, struct.pack(
        "<IQQQIIIIII", reparse.handle_attributes(p, f, st), *_times(st),
        st.st_dev & 0xFFFFFFFF, size >> 32, size & 0xFFFFFFFF, st.st_nlink,
        (st.st_ino >> 32) & 0xFFFFFFFF, st.st_ino & 0xFFFFFFFF))
    return 1


def _handle_path(p, f) -> str | None:
    """The Win32 path (without the drive) of a file opened by name in the root."""
    path = getattr(f, "guest_path", None)
    if not getattr(f, "path_backed", False) or not isinstance(path, str) or \
            not path.startswith("/"):
        return None
    return path.replace("/", "\\")


# GetFileInformationByHandleEx's directory classes -> (NtQueryDirectoryFile's class, restart)
DIRECTORY_CLASSES = {10: (37, False), 11: (37, True), 14: (2, False), 15: (2, True)}


def _directory_info(p, hFile, info_class, buffer, size) -> int:
    """The next entries of a directory handle, as kernelbase asks NtQueryDirectoryFile
    (ERROR_NO_MORE_FILES at the end)."""
    nt_class, restart = DIRECTORY_CLASSES[info_class]
    scratch = p.win32.scratch
    status = nt_call(p, "NtQueryDirectoryFile", hFile, 0, 0, 0, scratch, buffer,
                     size & 0xFFFFFFFF, nt_class, 0, 0, int(restart))
    if status:
        set_last_error_from(p, status)
        return 0
    return 1


def sys_kernel32_GetFileInformationByHandleEx(p, hFile, FileInformationClass, lpFileInformation,
                                              dwBufferSize):
    FileInformationClass &= 0xFFFFFFFF
    if FileInformationClass in DIRECTORY_CLASSES:
        return _directory_info(p, hFile, FileInformationClass, lpFileInformation, dwBufferSize)
    f, st = _handle_stat(p, hFile)
    if f is None:
        return 0
    if FileInformationClass == FILE_NAME_INFO:
        on_disk = st is not None and (S.S_ISREG(st.st_mode) or S.S_ISDIR(st.st_mode))
        name = _handle_path(p, f) if on_disk else None
        if name is None:   # a pipe or a device: no file name (so no MSYS pty name either)
            p.win32.last_error = ERROR_INVALID_FUNCTION
            return 0
        data = name.encode("utf-16-le")
        if dwBufferSize < 4 + len(data):
            p.win32.last_error = 234   # ERROR_MORE_DATA
            p.mm.write(lpFileInformation, struct.pack("<I", len(data)))
            return 0
        p.mm.write(lpFileInformation, struct.pack("<I", len(data)) + data)
        return 1
    if st is None:
        p.win32.last_error = ERROR_INVALID_FUNCTION
        return 0
    if FileInformationClass == FILE_BASIC_INFO:
        created, accessed, written = _times(st)
        data = struct.pack("<qqqqI4x", created, accessed, written, written,
                           reparse.handle_attributes(p, f, st))
    elif FileInformationClass == FILE_ATTRIBUTE_TAG_INFO:
        data = struct.pack("<II", reparse.handle_attributes(p, f, st), reparse.tag(st))
    elif FileInformationClass == FILE_STANDARD_INFO:
        size = 0 if S.S_ISDIR(st.st_mode) else st.st_size
        data = struct.pack("<qqIBB2x", (size + 4095) & ~4095, size, st.st_nlink, 0,
                           int(S.S_ISDIR(st.st_mode)))
    else:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    if dwBufferSize < len(data):
        p.win32.last_error = 24   # ERROR_BAD_LENGTH
        return 0
    p.mm.write(lpFileInformation, data)
    return 1


VOLUME_NAME_DOS, VOLUME_NAME_GUID, VOLUME_NAME_NT, VOLUME_NAME_NONE = 0x0, 0x1, 0x2, 0x4


def _final_path(p, hFile, buffer: int, chars: int, flags: int, wide: bool) -> int:
    """The path of a handle's file with its volume named as flags ask: a drive letter
    (\\\\?\\C:), the volume's GUID name, its NT device, or none. Normalized and opened
    names are the same here (one name per file)."""
    from ..nt.objects import VOLUME_GUID_NAME
    f, st = _handle_stat(p, hFile)
    name = _handle_path(p, f) if f is not None else None
    if name is None:
        if f is not None:
            p.win32.last_error = ERROR_INVALID_FUNCTION
        return 0
    volume = {VOLUME_NAME_DOS: "\\\\?\\C:", VOLUME_NAME_GUID: "\\\\?\\" + VOLUME_GUID_NAME[4:],
              VOLUME_NAME_NT: VOLUME, VOLUME_NAME_NONE: ""}.get(flags & 0x7)
    if volume is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return put_string(p, volume + name, buffer, chars, wide)


def sys_kernel32_GetFinalPathNameByHandleW(p, hFile, lpszFilePath, cchFilePath, dwFlags):
    return _final_path(p, hFile, lpszFilePath, cchFilePath, dwFlags, True)


def sys_kernel32_GetFinalPathNameByHandleA(p, hFile, lpszFilePath, cchFilePath, dwFlags):
    return _final_path(p, hFile, lpszFilePath, cchFilePath, dwFlags, False)


# --- device control: NtDeviceIoControlFile's ----------------------------------------------

def sys_kernel32_DeviceIoControl(p, hDevice, dwIoControlCode, lpInBuffer, nInBufferSize,
                                 lpOutBuffer, nOutBufferSize, lpBytesReturned, lpOverlapped):
    """NtDeviceIoControlFile, as kernelbase calls it: with an OVERLAPPED, that is the I/O
    status block, its hEvent the Event and itself the completion context (none when the
    event's low bit is set); a request left pending fails with ERROR_IO_PENDING."""
    iosb, event, context = p.win32.scratch, 0, 0
    if lpOverlapped:
        iosb = lpOverlapped
        event = abi.read_ptr(p, lpOverlapped + 2 * abi.word(p) + 8)
        context = 0 if event & 1 else lpOverlapped
        abi.write_ptr(p, iosb, STATUS_PENDING)
    status = nt_call(p, "NtDeviceIoControlFile", hDevice, event, 0, context, iosb,
                     dwIoControlCode, lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize)
    done = status != STATUS_PENDING and status & 0xFFFFFFFF < 0x80000000    # NT_SUCCESS
    if lpBytesReturned and (done or not lpOverlapped):
        p.mm.write_u32(lpBytesReturned, abi.read_ptr(p, iosb + abi.word(p)) if done else 0)
    if not done:
        set_last_error_from(p, status)
        return 0
    return 1


# --- long and short names: one name per file here ---------------------------------------

def _same_path(p, lpszShortPath, lpszLongPath, cchBuffer, wide: bool = True) -> int:
    """Files here have no 8.3 alias: an existing path's long and short forms are the path
    as given (put_string's size convention; ERROR_FILE_NOT_FOUND when nothing is there)."""
    from .wide import put_string, read_str
    path = read_str(p, lpszShortPath, wide)
    if _stat(p, path) is None:
        return 0             # _stat set the error
    return put_string(p, path, lpszLongPath, cchBuffer, wide)


def sys_kernel32_GetLongPathNameW(p, lpszShortPath, lpszLongPath, cchBuffer):
    return _same_path(p, lpszShortPath, lpszLongPath, cchBuffer)


def sys_kernel32_GetShortPathNameW(p, lpszLongPath, lpszShortPath, cchBuffer):
    return _same_path(p, lpszLongPath, lpszShortPath, cchBuffer)


def sys_kernel32_GetShortPathNameA(p, lpszLongPath, lpszShortPath, cchBuffer):
    return _same_path(p, lpszLongPath, lpszShortPath, cchBuffer, wide=False)


def sys_kernel32_GetLongPathNameA(p, lpszShortPath, lpszLongPath, cchBuffer):
    return _same_path(p, lpszShortPath, lpszLongPath, cchBuffer, wide=False)


# --- times and information set through a handle: NtSetInformationFile's, as kernelbase does

FILE_INFO_TO_NT = {0: 4, 3: 10, 4: 13, 5: 19, 6: 20, 21: 64, 22: 65}   # FileBasicInfo -> ...
FILE_RENAME_CLASSES = (3, 22)     # FileRenameInfo, FileRenameInfoEx
BASIC_INFO_SIZE = 40   # FILE_BASIC_INFO: four times, the attributes, padding


def _set_information(p, handle: int, info: int, length: int, nt_class: int) -> int:
    status = nt_call(p, "NtSetInformationFile", handle, p.win32.scratch, info, length, nt_class)
    if status:
        set_last_error_from(p, status)
        return 0
    return 1


def _filetime_at(p, addr: int) -> int:
    return struct.unpack("<q", p.mm.read(addr, 8))[0] if addr else 0


def sys_kernel32_GetFileTime(p, hFile, lpCreationTime, lpLastAccessTime, lpLastWriteTime):
    f, st = _handle_stat(p, hFile)
    if st is None:
        if f is not None:
            p.win32.last_error = ERROR_INVALID_FUNCTION
        return 0
    for addr, value in zip((lpCreationTime, lpLastAccessTime, lpLastWriteTime), _times(st)):
        if addr:
            p.mm.write(addr, struct.pack("<Q", value))
    return 1


def sys_kernel32_SetFileTime(p, hFile, lpCreationTime, lpLastAccessTime, lpLastWriteTime):
    """FILE_BASIC_INFORMATION with the times given (0: a time left alone), as kernelbase
    sets them; the information is built in the scratch page past NtSetInformationFile's I/O
    status block."""
    info = p.win32.scratch + 4 * abi.word(p)
    p.mm.write(info, struct.pack("<qqqqI4x", _filetime_at(p, lpCreationTime),
                                 _filetime_at(p, lpLastAccessTime),
                                 _filetime_at(p, lpLastWriteTime), 0, 0))
    return _set_information(p, hFile, info, BASIC_INFO_SIZE, 4)


def sys_kernel32_SetFileInformationByHandle(p, hFile, FileInformationClass, lpFileInformation,
                                            dwBufferSize):
    """The Win32 classes that are NT's under other numbers (basic information, rename, end of
    file, allocation, deleting) go to NtSetInformationFile with the caller's buffer."""
    FileInformationClass &= 0xFFFFFFFF
    nt_class = FILE_INFO_TO_NT.get(FileInformationClass)
    if nt_class is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    if FileInformationClass in FILE_RENAME_CLASSES:
        return _rename_by_handle(p, hFile, lpFileInformation, dwBufferSize, nt_class)
    return _set_information(p, hFile, lpFileInformation, dwBufferSize, nt_class)


def _rename_by_handle(p, hFile, info: int, size: int, nt_class: int) -> int:
    """FILE_RENAME_INFO names the target as a Win32 path (LLVM's rename passes C:\\...):
    kernelbase makes it an NT path before NtSetInformationFile, unless RootDirectory makes
    it relative to a directory handle."""
    w = abi.word(p)
    head = p.mm.read(info, 2 * w + 4)
    root = int.from_bytes(head[w:2 * w], "little")
    length = struct.unpack_from("<I", head, 2 * w)[0]
    if (size & 0xFFFFFFFF) < 2 * w + 4 + length:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    name = p.mm.read(info + 2 * w + 4, length).decode("utf-16-le", errors="replace")
    if not root:
        name = win32_to_nt(name, p.win32.cwd)
    data = head[:2 * w] + struct.pack("<I", 2 * len(name)) + name.encode("utf-16-le")
    block = p.win32.heap.alloc(len(data) + 2)
    try:
        p.mm.write(block, data + b"\0\0")
        return _set_information(p, hFile, block, len(data), nt_class)
    finally:
        p.win32.heap.free(block)


# --- links and copies ----------------------------------------------------------------------

def _link_target(name: str) -> str:
    """A symbolic link's target as the guest's file system spells it: a drive path becomes
    absolute in the root, a relative one stays relative, separators become slashes."""
    text = name.replace("\\", "/")
    if len(text) >= 2 and text[1] == ":":
        text = text[2:] or "/"
    return text


def sys_kernel32_CreateSymbolicLinkW(p, lpSymlinkFileName, lpTargetFileName, dwFlags):
    """A symbolic link (to a file or, with SYMBOLIC_LINK_FLAG_DIRECTORY, a directory: the
    same kind of link here); its target is kept as given, relative or not."""
    target = _link_target(read_wstr(p, lpTargetFileName))
    return _by_name(p, read_wstr(p, lpSymlinkFileName),
                    lambda path: p.kernel.fs.symlink(target, "/", path, p))


def sys_kernel32_CreateHardLinkW(p, lpFileName, lpExistingFileName, lpSecurityAttributes):
    existing = read_wstr(p, lpExistingFileName)
    return _by_name(p, read_wstr(p, lpFileName),
                    lambda path: p.kernel.fs.link("/", _path(p, existing), "/", path, p))


COPY_CHUNK = 1 << 20
ERROR_FILE_EXISTS = 80


def _copy_file(p, source_name: str, target_name: str, fail_if_exists: bool) -> tuple[int, int]:
    """(BOOL, bytes copied): the contents into a new file (or over an existing one unless
    fail_if_exists), with the source's attributes, as CopyFile does."""
    from ..files import O_RDONLY, O_WRONLY
    from ..vfs import O_CREAT, O_EXCL, O_TRUNC
    fs = p.kernel.fs
    copied = [0]

    def copy() -> None:
        from ..nt import dosattrib
        source = fs.open("/", _path(p, source_name), O_RDONLY, 0, p)
        try:
            mode = source.fstat().st_mode & 0o777
            # the source's attributes, and ARCHIVE: kernelbase creates the copy with them,
            # CREATE_ALWAYS over an existing file (whose hidden and system ones they must
            # repeat, nt/files.py), which keeps its others
            word = dosattrib.word_of(p, source, source.fstat()) | dosattrib.FILE_ATTRIBUTE_ARCHIVE
            old = None if fail_if_exists else _overwritten_word(p, _path(p, target_name), word)
            flags = O_WRONLY | O_CREAT | (O_EXCL if fail_if_exists else O_TRUNC)
            target = fs.open("/", _path(p, target_name), flags, mode, p)
            try:
                while chunk := source.read(COPY_CHUNK):
                    target.write(chunk)
                    copied[0] += len(chunk)
                st = source.fstat()         # the copy keeps the source's last-write time
                fs.utimens("/", _path(p, target_name), (st.st_atime_ns, st.st_mtime_ns), True, p)
                if old is not None or word != dosattrib.FILE_ATTRIBUTE_ARCHIVE:
                    dosattrib.set_of(p, target, word | (old or 0))
            finally:
                target.decref()
        finally:
            source.decref()
    ok = _win32_call(p, copy)
    if not ok and fail_if_exists and p.win32.last_error == 183:    # ERROR_ALREADY_EXISTS
        p.win32.last_error = ERROR_FILE_EXISTS
    return ok, copied[0]


def _overwritten_word(p, path: str, word: int) -> int | None:
    """The kept attributes of the file a copy overwrites (None: there is none); a hidden or
    system one the copy does not repeat refuses it (STATUS_ACCESS_DENIED, as CreateFile's)."""
    from ..nt import dosattrib
    from ..nt.status import STATUS_ACCESS_DENIED
    try:
        st = p.kernel.fs.stat("/", path, True, p)
    except KernelError:
        return None
    old = dosattrib.word_at(p, path, st, follow=True)
    if old & (dosattrib.FILE_ATTRIBUTE_HIDDEN | dosattrib.FILE_ATTRIBUTE_SYSTEM) & ~word:
        raise NtError(STATUS_ACCESS_DENIED)
    return old


def sys_kernel32_CopyFileW(p, lpExistingFileName, lpNewFileName, bFailIfExists):
    return _copy_file(p, read_wstr(p, lpExistingFileName), read_wstr(p, lpNewFileName),
                      bool(bFailIfExists & 0xFFFFFFFF))[0]


COPY_FILE_FAIL_IF_EXISTS = 0x1
PROGRESS_CONTINUE, CALLBACK_CHUNK_FINISHED = 0, 0
ERROR_REQUEST_ABORTED = 1235


def _copy_file_ex(p, source_name, target_name, lpProgressRoutine, lpData, dwCopyFlags) -> int:
    """CopyFileEx: the copy, then the progress routine told of the whole stream as one chunk
    (Rust's fs::copy learns the bytes copied so); a routine that does not continue makes
    the copy fail with ERROR_REQUEST_ABORTED and removes the new file."""
    ok, size = _copy_file(p, source_name, target_name, bool(dwCopyFlags & COPY_FILE_FAIL_IF_EXISTS))
    if not ok or not lpProgressRoutine:
        return ok
    from . import callback
    chain = callback.start(p, stdcall_args=6)

    def after(result: int) -> int:
        if result & 0xFFFFFFFF != PROGRESS_CONTINUE:
            _win32_call(p, lambda: p.kernel.fs.unlink("/", _path(p, target_name), p))
            p.win32.last_error = ERROR_REQUEST_ABORTED
            return callback.finish(p, chain, 0)
        return callback.finish(p, chain, 1)
    return callback.call(p, chain, lpProgressRoutine,
                         [size, size, size, size, 1, CALLBACK_CHUNK_FINISHED, 0, 0, lpData]
                         if abi.word(p) == 8 else
                         # i386: each LARGE_INTEGER takes two stack words, low then high
                         [size & 0xFFFFFFFF, size >> 32] * 4 + [1, CALLBACK_CHUNK_FINISHED, 0, 0,
                                                                lpData], after)


def sys_kernel32_CopyFileExW(p, lpExistingFileName, lpNewFileName, lpProgressRoutine, lpData,
                             pbCancel, dwCopyFlags):
    return _copy_file_ex(p, read_wstr(p, lpExistingFileName), read_wstr(p, lpNewFileName),
                         lpProgressRoutine, lpData, dwCopyFlags & 0xFFFFFFFF)


def sys_kernel32_CopyFileExA(p, lpExistingFileName, lpNewFileName, lpProgressRoutine, lpData,
                             pbCancel, dwCopyFlags):
    return _copy_file_ex(p, read_str(p, lpExistingFileName, False),
                         read_str(p, lpNewFileName, False), lpProgressRoutine, lpData,
                         dwCopyFlags & 0xFFFFFFFF)


def sys_kernel32_CopyFile2(p, pwszExistingFileName, pwszNewFileName, pExtendedParameters):
    """CopyFileEx with COPYFILE2_EXTENDED_PARAMETERS' flags, answering an HRESULT (its
    progress routine, of another signature, is not called)."""
    flags = 0
    if pExtendedParameters:
        flags = struct.unpack("<I", p.mm.read(pExtendedParameters + 4, 4))[0]
    if _copy_file_ex(p, read_wstr(p, pwszExistingFileName), read_wstr(p, pwszNewFileName),
                     0, 0, flags & COPY_FILE_FAIL_IF_EXISTS):
        return 0
    return 0x80070000 | (p.win32.last_error & 0xFFFF)     # HRESULT_FROM_WIN32


# --- byte-range locks ---------------------------------------------------------------------

LOCKFILE_FAIL_IMMEDIATELY, LOCKFILE_EXCLUSIVE_LOCK = 0x1, 0x2


def _lock_range(p, hFile, offset: int, length: int, exclusive: bool | None,
                wait: bool) -> int:
    """LockFile(Ex) and UnlockFile(Ex): runtime/nt/locks.py's lock on the handle's file."""
    from ..nt.locks import lock_range
    f = _file(p, hFile)
    if f is None:
        return 0
    status = lock_range(p, f, offset, length, exclusive, wait)
    if status:
        set_last_error_from(p, status)
        return 0
    return 1


def _overlapped_offset(p, lpOverlapped) -> int:
    word = abi.word(p)
    low, high = struct.unpack("<II", p.mm.read(lpOverlapped + 2 * word, 8))
    return high << 32 | low


def sys_kernel32_LockFileEx(p, hFile, dwFlags, dwReserved, nNumberOfBytesToLockLow,
                            nNumberOfBytesToLockHigh, lpOverlapped):
    length = nNumberOfBytesToLockHigh << 32 | nNumberOfBytesToLockLow
    return _lock_range(p, hFile, _overlapped_offset(p, lpOverlapped), length,
                       bool(dwFlags & LOCKFILE_EXCLUSIVE_LOCK),
                       wait=not dwFlags & LOCKFILE_FAIL_IMMEDIATELY)


def sys_kernel32_UnlockFileEx(p, hFile, dwReserved, nNumberOfBytesToUnlockLow,
                              nNumberOfBytesToUnlockHigh, lpOverlapped):
    length = nNumberOfBytesToUnlockHigh << 32 | nNumberOfBytesToUnlockLow
    return _lock_range(p, hFile, _overlapped_offset(p, lpOverlapped), length, None, False)


def sys_kernel32_LockFile(p, hFile, dwFileOffsetLow, dwFileOffsetHigh, nNumberOfBytesToLockLow,
                          nNumberOfBytesToLockHigh):
    return _lock_range(p, hFile, dwFileOffsetHigh << 32 | dwFileOffsetLow,
                       nNumberOfBytesToLockHigh << 32 | nNumberOfBytesToLockLow, True, False)


def sys_kernel32_UnlockFile(p, hFile, dwFileOffsetLow, dwFileOffsetHigh,
                            nNumberOfBytesToUnlockLow, nNumberOfBytesToUnlockHigh):
    return _lock_range(p, hFile, dwFileOffsetHigh << 32 | dwFileOffsetLow,
                       nNumberOfBytesToUnlockHigh << 32 | nNumberOfBytesToUnlockLow, None,
                       False)



def sys_kernel32_ReOpenFile(p, hOriginalFile, dwDesiredAccess, dwShareMode, dwFlagsAndAttributes):
    """Another handle to the same file (its access as the original's)."""
    try:
        fd = p.fds.dup(abi.fd_of_handle(hOriginalFile))
    except Exception:   # NtError / KernelError: not a descriptor
        p.win32.last_error = 6       # ERROR_INVALID_HANDLE
        return (1 << p.sysvec.word_bits) - 1
    p.fds.set_cloexec(fd, True)
    return abi.handle_of_fd(fd)


def sys_kernel32_CreateDirectoryExW(p, lpTemplateDirectory, lpNewDirectory,
                                    lpSecurityAttributes):
    """A new directory with the template directory's attributes (hidden, system ...)."""
    from ..nt import dosattrib
    template = _own_attributes(p, read_wstr(p, lpTemplateDirectory))[1] \
        if lpTemplateDirectory else None
    if lpTemplateDirectory and template is None:
        return 0                               # no template: its lookup's error
    if not sys_kernel32_CreateDirectoryW(p, lpNewDirectory, lpSecurityAttributes):
        return 0
    if template is not None and template & dosattrib.KEPT:
        _by_name(p, read_wstr(p, lpNewDirectory),
                 lambda path: dosattrib.set_at(p, path, template, directory=True))
    return 1


def sys_kernel32_GetTempFileNameW(p, lpPathName, lpPrefixString, uUnique, lpTempFileName):
    return _temp_file_name(p, lpPathName, lpPrefixString, uUnique, lpTempFileName, True)


def sys_kernel32_GetTempFileNameA(p, lpPathName, lpPrefixString, uUnique, lpTempFileName):
    return _temp_file_name(p, lpPathName, lpPrefixString, uUnique, lpTempFileName, False)


def _temp_file_name(p, lpPathName, lpPrefixString, uUnique, lpTempFileName, wide) -> int:
    """PATH\\PREuuuu.TMP: with uUnique 0, the first such name not taken is made, an empty
    file; otherwise the name is only composed. The number used is returned."""
    from .kernel32 import create_file, sys_kernel32_CloseHandle
    from .wide import encode, read_str
    path = read_str(p, lpPathName, wide).rstrip("\\")
    prefix = read_str(p, lpPrefixString, wide)[:3] if lpPrefixString else ""
    unique = uUnique & 0xFFFF
    if unique:
        name = f"{path}\\{prefix}{unique:X}.TMP"
    else:
        import os
        start = int.from_bytes(os.urandom(2), "little") or 1
        for i in range(0xFFFF):
            unique = (start + i) % 0xFFFF + 1
            name = f"{path}\\{prefix}{unique:X}.TMP"
            handle = create_file(p, name, 0x40000000, 0, 1, 0x80)     # CREATE_NEW
            if handle != (1 << p.sysvec.word_bits) - 1:
                sys_kernel32_CloseHandle(p, handle)
                break
            if p.win32.last_error != ERROR_FILE_EXISTS:
                return 0                   # the directory is missing or read-only
        else:
            return 0
    p.mm.write(lpTempFileName, encode(name + "\0", wide))
    return unique


# --- QueryDosDevice: the DOS device names and the NT objects they stand for ------------------

DEVICE_TARGETS = {"C:": VOLUME, **DOS_DEVICES}


def _query_dos_device(p, name: str | None, lpTargetPath, ucchMax, wide: bool) -> int:
    """The NT name a DOS device names (a double-NUL-ended list), or with no name every DOS
    device; the characters written, 0 and ERROR_FILE_NOT_FOUND / ERROR_INSUFFICIENT_BUFFER."""
    if name is None:
        items = list(DEVICE_TARGETS)
    else:
        target = DEVICE_TARGETS.get(name.upper().rstrip("\\"))
        if target is None:
            p.win32.last_error = ERROR_FILE_NOT_FOUND
            return 0
        items = [target]
    text = "\0".join(items) + "\0\0"
    if len(text) > (ucchMax & 0xFFFFFFFF):
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(lpTargetPath, encode(text, wide))
    return len(text)


def sys_kernel32_QueryDosDeviceW(p, lpDeviceName, lpTargetPath, ucchMax):
    return _query_dos_device(p, read_wstr(p, lpDeviceName) if lpDeviceName else None,
                             lpTargetPath, ucchMax, True)


def sys_kernel32_QueryDosDeviceA(p, lpDeviceName, lpTargetPath, ucchMax):
    return _query_dos_device(p, read_str(p, lpDeviceName, False) if lpDeviceName else None,
                             lpTargetPath, ucchMax, False)


def sys_kernel32_GetDriveTypeA(p, lpRootPathName):
    name = p.mm.read_cstr(lpRootPathName).decode("latin-1") if lpRootPathName else "C:\\"
    return DRIVE_FIXED if name[:1].upper() in ("C", "\\", "/", "") else DRIVE_NO_ROOT_DIR


# --- ANSI forms of link and copy calls --------------------------------------------------------

def sys_kernel32_CopyFileA(p, lpExistingFileName, lpNewFileName, bFailIfExists):
    return _copy_file(p, read_str(p, lpExistingFileName, False),
                      read_str(p, lpNewFileName, False), bool(bFailIfExists & 0xFFFFFFFF))[0]


def sys_kernel32_CreateHardLinkA(p, lpFileName, lpExistingFileName, lpSecurityAttributes):
    existing = read_str(p, lpExistingFileName, False)
    return _by_name(p, read_str(p, lpFileName, False),
                    lambda path: p.kernel.fs.link("/", _path(p, existing), "/", path, p))


def sys_kernel32_CreateSymbolicLinkA(p, lpSymlinkFileName, lpTargetFileName, dwFlags):
    target = _link_target(read_str(p, lpTargetFileName, False))
    return _by_name(p, read_str(p, lpSymlinkFileName, False),
                    lambda path: p.kernel.fs.symlink(target, "/", path, p))


def sys_kernel32_MoveFileWithProgressW(p, lpExistingFileName, lpNewFileName, lpProgressRoutine,
                                       lpData, dwFlags):
    """MoveFileEx: on the machine's one volume a move is a rename, for which Windows calls
    no progress routine either."""
    return _move(p, read_wstr(p, lpExistingFileName), read_wstr(p, lpNewFileName), dwFlags)


def sys_kernel32_MoveFileWithProgressA(p, lpExistingFileName, lpNewFileName, lpProgressRoutine,
                                       lpData, dwFlags):
    return _move(p, read_str(p, lpExistingFileName, False), read_str(p, lpNewFileName, False),
                 dwFlags)


# --- a file's streams (FindFirstStreamW): only the unnamed data stream exists here ----------
ERROR_HANDLE_EOF = 38
STREAM_NAME_CHARS = 260 + 36       # WIN32_FIND_STREAM_DATA.cStreamName


def sys_kernel32_FindFirstStreamW(p, lpFileName, InfoLevel, lpFindStreamData, dwFlags):
    """A file's one stream, "::$DATA", with its size; a directory has none
    (ERROR_HANDLE_EOF), as on NTFS without alternate streams."""
    from .kernel32_sync import new_handle
    invalid = (1 << p.sysvec.word_bits) - 1
    if InfoLevel != 0 or dwFlags:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return invalid
    st = _stat(p, read_wstr(p, lpFileName))
    if st is None:
        return invalid                   # the lookup's own error
    if S.S_ISDIR(st.st_mode):
        p.win32.last_error = ERROR_HANDLE_EOF
        return invalid
    p.mm.write(lpFindStreamData, struct.pack("<q", st.st_size) +
               "::$DATA".encode("utf-16-le").ljust(2 * STREAM_NAME_CHARS, b"\0"))
    return new_handle(p, SimpleNamespace(kind="find", folder="/", names=[], wide=True))


def sys_kernel32_FindNextStreamW(p, hFindStream, lpFindStreamData):
    search = _search(p, hFindStream)
    if search is None:
        return 0
    p.win32.last_error = ERROR_HANDLE_EOF
    return 0


ERROR_UNABLE_TO_REMOVE_REPLACED, ERROR_UNABLE_TO_MOVE_REPLACEMENT = 1175, 1176


def _replace(p, replaced: str, replacement: str, backup: str | None) -> int:
    """ReplaceFile: the replacement takes the replaced file's name, the replaced file going to
    the backup name when one is given (an old backup replaced). Both files must be there
    (ERROR_FILE_NOT_FOUND); a failed step says which (ERROR_UNABLE_TO_REMOVE_REPLACED,
    ERROR_UNABLE_TO_MOVE_REPLACEMENT), as .NET's File.Replace and editors' saves read it."""
    for name in (replaced, replacement):
        if not _exists(p, name):
            p.win32.last_error = 2           # ERROR_FILE_NOT_FOUND
            return 0
    if backup and not move_file(p, replaced, backup):
        p.win32.last_error = ERROR_UNABLE_TO_REMOVE_REPLACED
        return 0
    if not move_file(p, replacement, replaced):
        p.win32.last_error = ERROR_UNABLE_TO_MOVE_REPLACEMENT
        return 0
    p.win32.last_error = 0
    return 1


def sys_kernel32_ReplaceFileW(p, lpReplacedFileName, lpReplacementFileName, lpBackupFileName,
                              dwReplaceFlags, lpExclude, lpReserved):
    return _replace(p, read_wstr(p, lpReplacedFileName), read_wstr(p, lpReplacementFileName),
                    read_wstr(p, lpBackupFileName) if lpBackupFileName else None)


def sys_kernel32_ReplaceFileA(p, lpReplacedFileName, lpReplacementFileName, lpBackupFileName,
                              dwReplaceFlags, lpExclude, lpReserved):
    return _replace(p, read_str(p, lpReplacedFileName, False),
                    read_str(p, lpReplacementFileName, False),
                    read_str(p, lpBackupFileName, False) if lpBackupFileName else None)
