"""version.dll: a file's version resource (RT_VERSION, a VS_VERSIONINFO tree) and queries of
it. A program's own is read from its PE resources; the DLLs sysvec generates in System32
have none, so theirs is made here, saying Windows 10.0.19045 (the JVM reads kernel32.dll's to
learn the Windows build). A file without one fails with ERROR_RESOURCE_TYPE_NOT_FOUND, as
plain files do on Windows.

VerQueryValue walks the tree the caller holds: `\\` is the VS_FIXEDFILEINFO,
`\\VarFileInfo\\Translation` the language and code page pairs,
`\\StringFileInfo\\040904b0\\ProductVersion` a string (in the A form, the string in 8-bit
characters, kept in the block's spare half, as Windows sizes the A block for)."""
from __future__ import annotations

import struct

from ..errors import Fault

ERROR_FILE_NOT_FOUND, ERROR_RESOURCE_TYPE_NOT_FOUND = 2, 1813
ERROR_RESOURCE_DATA_NOT_FOUND = 1812
RT_VERSION = 16
WINDOWS_VERSION = (10, 0, 19045, 0)
SYSTEM_DIR = "c:\\windows\\system32\\"
MAX_BLOCK = 1 << 20
MAX_FILE = 256 << 20            # a file is read no further for its resources


# --- the resource ----------------------------------------------------------------------------

def _node(key: str, value: bytes, text: bool, children: list[bytes] = ()) -> bytes:
    """One VS_VERSIONINFO node: wLength, wValueLength (in WCHARs for text), wType, the key,
    the value and the children, each 32-bit aligned."""
    def pad(b: bytes) -> bytes:
        return b + b"\0" * (-len(b) % 4)
    head_key = (key + "\0").encode("utf-16-le")
    body = pad(struct.pack("<HHH", 0, 0, 0) + head_key)
    body = pad(body + value) if value else body
    for child in children:
        body = pad(body) + child
    value_length = len(value) // 2 if text else len(value)
    return struct.pack("<HHH", len(body), value_length, int(text)) + body[6:]


def made_resource(name: str) -> bytes:
    """The version resource of a DLL sysvec generated: Windows' own version."""
    major, minor, build, rev = WINDOWS_VERSION
    fixed = struct.pack("<13I", 0xFEEF04BD, 0x00010000, major << 16 | minor, build << 16 | rev,
                        major << 16 | minor, build << 16 | rev, 0x3F, 0, 0x40004,
                        1 if name.lower().endswith(".exe") else 2, 0, 0, 0)
    version = f"{major}.{minor}.{build}.{rev}"

    def string(key: str, value: str) -> bytes:
        return _node(key, (value + "\0").encode("utf-16-le"), True)
    table = _node("040904B0", b"", True, [
        string("CompanyName", "Microsoft Corporation"), string("FileDescription", name),
        string("FileVersion", version), string("InternalName", name),
        string("OriginalFilename", name), string("ProductName", "Microsoft Windows Operating System"),
        string("ProductVersion", version)])
    return _node("VS_VERSION_INFO", fixed, False, [
        _node("StringFileInfo", b"", True, [table]),
        _node("VarFileInfo", b"", True, [_node("Translation", struct.pack("<HH", 0x409, 0x4B0),
                                               False)])])


def _file_bytes(p, name: str) -> tuple[str, bytes] | None:
    """(the file's Windows path, its bytes): the name as given, or in System32."""
    from .kernel32_files import _path, file_bytes, full_path
    candidates = [full_path(p, name)]
    if "\\" not in name and "/" not in name:
        candidates.append("C:\\Windows\\System32\\" + name)
    for full in candidates:
        try:
            data = file_bytes(p, _path(p, full), MAX_FILE)
        except Exception:        # NtError: a name NT paths refuse
            continue
        if data is not None:
            return full, data
    return None


def _pe_resource(data: bytes) -> bytes | None:
    """The file's own RT_VERSION resource, or None (not a PE file, or none there)."""
    import pefile
    try:
        pe = pefile.PE(data=data, fast_load=True)
        pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_RESOURCE"]])
    except Exception:            # pefile.PEFormatError and its kin: not an image
        return None
    try:
        for kind in getattr(pe, "DIRECTORY_ENTRY_RESOURCE", None).entries \
                if hasattr(pe, "DIRECTORY_ENTRY_RESOURCE") else []:
            if kind.id != RT_VERSION:
                continue
            for name in kind.directory.entries:
                for lang in name.directory.entries:
                    entry = lang.data.struct
                    blob = pe.get_data(entry.OffsetToData, entry.Size)
                    return blob if len(blob) == entry.Size else None
    except (pefile.PEFormatError, AttributeError, IndexError, ValueError, struct.error):
        return None        # a damaged tree (data where a directory belongs, out of the file)
    return None


def version_resource(p, name: str) -> bytes | None:
    """The file's version resource (last error set when it has none)."""
    found = _file_bytes(p, name)
    if found is None:
        p.win32.last_error = ERROR_FILE_NOT_FOUND
        return None
    full, data = found
    blob = _pe_resource(data)
    if blob is None and full.lower().startswith(SYSTEM_DIR) and data[:2] == b"MZ":
        blob = made_resource(full.rpartition("\\")[2])
    if blob is None:
        p.win32.last_error = ERROR_RESOURCE_TYPE_NOT_FOUND
    return blob


def _name(p, addr: int, wide: bool) -> str:
    from .wide import read_wstr
    return read_wstr(p, addr) if wide else p.mm.read_cstr(addr).decode("latin-1")


def _size(p, lptstrFilename, lpdwHandle, wide: bool) -> int:
    if lpdwHandle:
        p.mm.write_u32(lpdwHandle, 0)
    blob = version_resource(p, _name(p, lptstrFilename, wide))
    # Twice the resource: the A form keeps 8-bit copies of the strings in the second half.
    return 2 * len(blob) if blob is not None else 0


def _info(p, lptstrFilename, dwLen, lpData, wide: bool) -> int:
    blob = version_resource(p, _name(p, lptstrFilename, wide))
    if blob is None:
        return 0
    p.mm.write(lpData, blob[:dwLen])
    return 1


def sys_version_GetFileVersionInfoSizeW(p, lptstrFilename, lpdwHandle):
    return _size(p, lptstrFilename, lpdwHandle, True)


def sys_version_GetFileVersionInfoSizeA(p, lptstrFilename, lpdwHandle):
    return _size(p, lptstrFilename, lpdwHandle, False)


def sys_version_GetFileVersionInfoW(p, lptstrFilename, dwHandle, dwLen, lpData):
    return _info(p, lptstrFilename, dwLen, lpData, True)


def sys_version_GetFileVersionInfoA(p, lptstrFilename, dwHandle, dwLen, lpData):
    return _info(p, lptstrFilename, dwLen, lpData, False)


# --- queries ---------------------------------------------------------------------------------

def _children(p, at: int, end: int):
    """(address, length, value length, type, key, value address) of the nodes from at to end."""
    from .wide import read_wstr
    while at + 6 <= end:
        length, value_length, kind = struct.unpack("<HHH", p.mm.read(at, 6))
        if length < 6 or at + length > end:
            return
        key = read_wstr(p, at + 6)
        value_at = at + 6 + 2 * (len(key) + 1)
        value_at += -value_at % 4
        yield at, length, value_length, kind, key, value_at
        at += length + (-length % 4)


def query(p, block: int, path: str) -> tuple[int, int, int] | None:
    """(value address, value length as VerQueryValue gives it, type) of the node at path."""
    length, value_length, kind = struct.unpack("<HHH", p.mm.read(block, 6))
    value_at = block + 6 + 2 * len("VS_VERSION_INFO\0")
    value_at += -value_at % 4
    start, size = block, min(length, MAX_BLOCK)
    for part in [x for x in path.split("\\") if x]:
        children_at = value_at + (value_length * 2 if kind == 1 else value_length)
        children_at += -children_at % 4
        for at, l, vl, k, key, v in _children(p, children_at, start + size):
            if key.lower() == part.lower():
                start, size, value_length, kind, value_at = at, l, vl, k, v
                break
        else:
            return None
    return value_at, value_length, kind


def _query(p, pBlock, path: str, lplpBuffer, puLen, wide: bool) -> int:
    from ..nt import abi
    found = query(p, pBlock, path) if pBlock else None
    if found is None or (found[1] == 0 and path.strip("\\")):
        p.win32.last_error = ERROR_RESOURCE_DATA_NOT_FOUND
        return 0
    value_at, vlen, ktype = found
    if ktype == 1 and not wide:          # a string, as 8-bit characters in the spare half
        from .wide import read_wstr
        text = read_wstr(p, value_at).encode("latin-1", "replace") + b"\0"
        total = struct.unpack("<H", p.mm.read(pBlock, 2))[0]
        spare = pBlock + total + (value_at - pBlock)
        try:
            p.mm.write(spare, text)
        except Fault:            # a block from LockResource (read-only), not ours: none
            p.win32.last_error = ERROR_RESOURCE_DATA_NOT_FOUND
            return 0
        value_at = spare
    abi.write_ptr(p, lplpBuffer, value_at)
    if puLen:
        p.mm.write_u32(puLen, vlen)
    return 1


def sys_version_VerQueryValueW(p, pBlock, lpSubBlock, lplpBuffer, puLen):
    from .wide import read_wstr
    return _query(p, pBlock, read_wstr(p, lpSubBlock), lplpBuffer, puLen, True)


def sys_version_VerQueryValueA(p, pBlock, lpSubBlock, lplpBuffer, puLen):
    return _query(p, pBlock, p.mm.read_cstr(lpSubBlock).decode("latin-1"), lplpBuffer, puLen,
                  False)
