"""What the object manager tells about a handle (NtQueryObject), and the mount point manager
(\\??\\MountPointManager), which names the DOS drive of an NT volume. A file's NT name is
\\Device\\HarddiskVolume1 and its path, as on Windows; Zig's realpath (GetFinalPathNameByHandle
done in ntdll's terms) asks for that name, then asks the mount point manager which drive
letter \\Device\\HarddiskVolume1 is."""
from __future__ import annotations

import struct

from ..files import OpenFile
from . import abi
from .paths import VOLUME, volume_path
from .status import (STATUS_BUFFER_OVERFLOW, STATUS_BUFFER_TOO_SMALL,
                     STATUS_INFO_LENGTH_MISMATCH, STATUS_INVALID_DEVICE_REQUEST,
                     STATUS_INVALID_HANDLE, STATUS_INVALID_INFO_CLASS, STATUS_INVALID_PARAMETER,
                     STATUS_SUCCESS, NtError)

VOLUME_GUID_NAME = "\\??\\Volume{5eb1e1c8-0000-0000-0000-100000000000}"
VOLUME_UNIQUE_ID = b"DMIO:ID:" + bytes(range(16))
DOS_DRIVE = "\\DosDevices\\C:"
MOUNT_MANAGER_NAMES = ("\\??\\mountpointmanager", "\\device\\mountpointmanager",
                       "\\global??\\mountpointmanager")
IOCTL_MOUNTMGR_QUERY_POINTS = 0x6D0008

ObjectBasicInformation, ObjectNameInformation, ObjectTypeInformation = 0, 1, 2
FILE_ALL_ACCESS = 0x1F01FF
TYPE_INFORMATION_SIZE = {8: 0x68, 4: 0x60}   # OBJECT_TYPE_INFORMATION before its name


class NtDevice(OpenFile):
    """A handle to a device object that only answers device controls (its `kind` says which
    handler: runtime/nt/files.py's NtDeviceIoControlFile)."""

    def __init__(self, name: str):
        super().__init__(0, name)

    def fstat(self):
        import stat as S

        from ..files import synthetic_stat
        return synthetic_stat(S.S_IFCHR | 0o666)


class MountPointManager(NtDevice):
    kind = "mountmgr"


def is_mount_manager_name(name: str) -> bool:
    return name.lower() in MOUNT_MANAGER_NAMES


def nt_name(f) -> str:
    """The object's name in the NT namespace ("" for one without a name)."""
    if getattr(f, "path_backed", False) and isinstance(getattr(f, "guest_path", None), str):
        return VOLUME + volume_path(f.guest_path)
    pipe_name = getattr(f, "pipe_name", None)
    if pipe_name:
        return "\\Device\\NamedPipe\\" + pipe_name.split("\\")[-1]
    if getattr(f, "kind", None) == "mountmgr":
        return "\\Device\\MountPointManager"
    return ""


def _unicode_string(p, at: int, text: str, data_offset: int) -> tuple[bytes, bytes]:
    """A UNICODE_STRING at address `at` whose characters follow at at + data_offset: an
    address of the process's width (a buffer at the top of the address space wraps, and its
    write faults: STATUS_ACCESS_VIOLATION, not a pointer too large to pack)."""
    raw = text.encode("utf-16-le")
    buffer = (at + data_offset) & ((1 << 8 * abi.word(p)) - 1) if raw else 0
    if abi.word(p) == 8:
        head = struct.pack("<HH4xQ", len(raw), len(raw) + 2 if raw else 0, buffer)
    else:
        head = struct.pack("<HHI", len(raw), len(raw) + 2 if raw else 0, buffer)
    return head, raw + b"\0\0" if raw else b""


def _type_name(f) -> str:
    kind = getattr(f, "nt_type", None)
    return kind or "File"


def sys_NtQueryObject(p, Handle, ObjectInformationClass, ObjectInformation,
                      ObjectInformationLength, ReturnLength):
    f = abi.file_of(p, Handle)
    info_class = ObjectInformationClass & 0xFFFFFFFF
    word = abi.word(p)
    if info_class == ObjectBasicInformation:
        # Attributes, GrantedAccess, HandleCount, PointerCount, two pool charges, 3 reserved,
        # NameInfoSize, TypeInfoSize, SecurityDescriptorSize, CreationTime
        data = struct.pack("<IIII2I3IIIIq", 0, FILE_ALL_ACCESS, f.refs, f.refs + 1, 0, 0,
                           0, 0, 0, 0, 0, 0, 0)
        header = len(data)
    elif info_class == ObjectNameInformation:
        header = 2 * word
        head, chars = _unicode_string(p, ObjectInformation, nt_name(f), header)
        data = head + chars
    elif info_class == ObjectTypeInformation:
        header = TYPE_INFORMATION_SIZE[word]
        head, chars = _unicode_string(p, ObjectInformation, _type_name(f), header)
        data = head + bytes(header - len(head)) + chars   # the counts and masks: zeros
    else:
        raise NtError(STATUS_INVALID_INFO_CLASS)
    if ReturnLength:
        p.mm.write_u32(ReturnLength, len(data))
    if ObjectInformationLength < header:
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    if ObjectInformationLength < len(data):
        raise NtError(STATUS_BUFFER_OVERFLOW)
    p.mm.write(ObjectInformation, data)
    return STATUS_SUCCESS


# --- the mount point manager ---------------------------------------------------------------

def _mount_points() -> list[tuple[str, bytes, str]]:
    """(symbolic link name, unique id, device name) of every mount point: the one volume's
    drive letter and its volume GUID name."""
    return [(DOS_DRIVE, VOLUME_UNIQUE_ID, VOLUME),
            (VOLUME_GUID_NAME, VOLUME_UNIQUE_ID, VOLUME)]


def _query_points(p, InputBuffer, InputBufferLength) -> bytes:
    """MOUNTMGR_MOUNT_POINTS for the MOUNTMGR_MOUNT_POINT in the input: the points whose
    symbolic link, unique id and device name match what it names (an empty field: any)."""
    if InputBufferLength < 24:
        raise NtError(STATUS_INVALID_PARAMETER)
    raw = p.mm.read(InputBuffer, InputBufferLength)
    link_off, link_len, id_off, id_len, dev_off, dev_len = struct.unpack_from("<IH2xIH2xIH2x", raw)

    def field(off, length) -> bytes:
        if length and (off + length > len(raw)):
            raise NtError(STATUS_INVALID_PARAMETER)
        return raw[off:off + length]
    want_link = field(link_off, link_len).decode("utf-16-le", "replace").lower()
    want_id, want_dev = field(id_off, id_len), field(dev_off, dev_len)
    want_dev = want_dev.decode("utf-16-le", "replace").lower()
    points = [pt for pt in _mount_points()
              if (not want_link or pt[0].lower() == want_link) and
              (not want_id or pt[1] == want_id) and (not want_dev or pt[2].lower() == want_dev)]
    head = 8 + 24 * len(points)
    table, strings = b"", b""
    for link, unique, device in points:
        entry = []
        for blob in (link.encode("utf-16-le"), unique, device.encode("utf-16-le")):
            entry += [head + len(strings), len(blob)]
            strings += blob
        table += struct.pack("<IH2xIH2xIH2x", *entry)
    return struct.pack("<II", head + len(strings), len(points)) + table + strings


def mount_manager_control(p, IoStatusBlock, code, InputBuffer, InputBufferLength,
                          OutputBuffer, OutputBufferLength) -> int:
    if code != IOCTL_MOUNTMGR_QUERY_POINTS:
        abi.write_iosb(p, IoStatusBlock, STATUS_INVALID_DEVICE_REQUEST, 0)
        raise NtError(STATUS_INVALID_DEVICE_REQUEST)
    data = _query_points(p, InputBuffer, InputBufferLength)
    if OutputBufferLength < 8:
        raise NtError(STATUS_INVALID_PARAMETER)
    if OutputBufferLength < len(data):   # the size needed, in the first field
        p.mm.write(OutputBuffer, data[:8])
        abi.write_iosb(p, IoStatusBlock, STATUS_BUFFER_OVERFLOW, 8)
        raise NtError(STATUS_BUFFER_OVERFLOW)
    p.mm.write(OutputBuffer, data)
    abi.write_iosb(p, IoStatusBlock, STATUS_SUCCESS, len(data))
    return STATUS_SUCCESS


def sys_NtQueryKey(p, KeyHandle, KeyInformationClass, KeyInformation, Length, ResultLength):
    """A registry key handle's KEY_BASIC, KEY_FULL or KEY_NAME_INFORMATION (the full name in
    the NT namespace: \\REGISTRY\\USER\\<SID>\\... for HKEY_CURRENT_USER's keys). A buffer too
    small for the fixed part: STATUS_BUFFER_TOO_SMALL; for the name: what fits and
    STATUS_BUFFER_OVERFLOW, the size needed in ResultLength either way."""
    from ..win32.registry import query_key
    cls = KeyInformationClass & 0xFFFFFFFF
    if cls not in (0, 2, 3):
        raise NtError(STATUS_INVALID_INFO_CLASS)
    data = query_key(p, KeyHandle, cls)
    if data is None:
        raise NtError(STATUS_INVALID_HANDLE)
    if ResultLength:
        p.mm.write_u32(ResultLength, len(data))
    fixed = {0: 16, 2: 44, 3: 4}[cls]
    length = Length & 0xFFFFFFFF
    if length < fixed:
        return STATUS_BUFFER_TOO_SMALL
    p.mm.write(KeyInformation, data[:length])
    return STATUS_SUCCESS if length >= len(data) else STATUS_BUFFER_OVERFLOW
