"""dbghelp's symbol handler over the modules' export tables (no PDBs are read): a session
per process (SymInitialize, SymLoadModuleEx, SymRefreshModuleList), names to addresses
(SymFromName: py-spy finds python312.dll's _PyRuntime so) and addresses to the nearest
export before them (SymFromAddr, SymFromInlineContext: Rust's panic backtraces), and a
module's facts (SymGetModuleInfo64). There is no line information."""
from __future__ import annotations

import bisect
import struct

from ..nt import abi
from .wide import read_str

ERROR_MOD_NOT_FOUND, ERROR_INVALID_ADDRESS, ERROR_INVALID_HANDLE = 126, 487, 6
SYMFLAG_EXPORT = 0x200
SYM_EXPORT = 5                          # SYM_TYPE SymExport
SYMBOL_INFO_NAME = 84                   # SYMBOL_INFO(W).Name's offset


def _target(p, hProcess):
    """The process a handle names (the caller for its pseudo handle), or None."""
    from .kernel32_process import process_of_handle
    if hProcess in abi.CURRENT_PROCESS:
        return p
    found = process_of_handle(p, hProcess)
    return found if found is not None and found.alive else None


def _sessions(p) -> dict:
    return p.win32.strings.setdefault("sym sessions", {})


def _exports(p, path: str) -> list[tuple[int, str]]:
    """(rva, name) of a module file's named exports, sorted by rva, read once per path."""
    cache = p.win32.strings.setdefault("sym exports", {})
    if path in cache:
        return cache[path]
    from ..binfmt.pe import export_table, parse_pe
    from .kernel32_files import _path, file_bytes
    try:
        data = file_bytes(p, _path(p, path), 1 << 30)
        exports = export_table(parse_pe(data, path))[0] if data else {}
    except Exception:       # ExecError, NtError: a file that is no image has none
        exports = {}
    found = [(rva, name) for name, rva in exports.items() if not name.startswith("#")]
    found.sort()
    cache[path] = found
    return found


def _load(p, session: dict, base: int, size: int, path: str) -> None:
    name = path.replace("/", "\\").rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    session[base] = (size, name, path, _exports(p, path))


def _invade(p, target, session: dict) -> None:
    from .state import Win32Process
    from .toolhelp import _modules_of
    if Win32Process.of(target) is None:
        return
    for base, size, path in _modules_of(target):
        if base not in session and path:
            _load(p, session, base, size, path)


def _session(p, hProcess) -> dict | None:
    target = _target(p, hProcess)
    if target is None:
        return None
    return _sessions(p).get(target.tgid)


def sys_dbghelp_SymInitialize(p, hProcess, UserSearchPath, fInvadeProcess):
    target = _target(p, hProcess)
    if target is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    session = _sessions(p).setdefault(target.tgid, {})
    if fInvadeProcess:
        _invade(p, target, session)
    return 1


sys_dbghelp_SymInitializeW = sys_dbghelp_SymInitialize


def sys_dbghelp_SymCleanup(p, hProcess):
    target = _target(p, hProcess)
    if target is not None:
        _sessions(p).pop(target.tgid, None)
    return 1


def sys_dbghelp_SymRefreshModuleList(p, hProcess):
    target, session = _target(p, hProcess), _session(p, hProcess)
    if session is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    _invade(p, target, session)
    return 1


def _load_module(p, hProcess, ImageName, ModuleName, BaseOfDll, DllSize, wide: bool) -> int:
    """The module at BaseOfDll (its file ImageName, or the loaded one there): its base, or
    0 (the base is 0 and the last error 0 when it was loaded already, as dbghelp says)."""
    from .toolhelp import _modules_of
    target, session = _target(p, hProcess), _session(p, hProcess)
    if session is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    path = read_str(p, ImageName, wide) if ImageName else ""
    base, size = BaseOfDll, DllSize & 0xFFFFFFFF
    from .state import Win32Process
    if Win32Process.of(target) is not None:
        for b, s, module_path in _modules_of(target):
            if b == base or not base and path and module_path.lower().endswith(
                    path.lower().rsplit("\\", 1)[-1]):
                base, size, path = b, size or s, path or module_path
                break
    if not base or not path:
        p.win32.last_error = ERROR_MOD_NOT_FOUND
        return 0
    if base in session:
        p.win32.last_error = 0
        return 0
    _load(p, session, base, size or 1, path)
    from .crttime import _ret64
    return _ret64(p, base)               # a DWORD64: edx:eax on i386


def sys_dbghelp_SymLoadModuleExW(p, hProcess, hFile, ImageName, ModuleName, BaseOfDll,
                                 DllSize, Data, Flags):
    return _load_module(p, hProcess, ImageName, ModuleName, BaseOfDll, DllSize, True)


def sys_dbghelp_SymLoadModuleEx(p, hProcess, hFile, ImageName, ModuleName, BaseOfDll,
                                DllSize, Data, Flags):
    return _load_module(p, hProcess, ImageName, ModuleName, BaseOfDll, DllSize, False)


def sys_dbghelp_SymUnloadModule64(p, hProcess, BaseOfDll):
    session = _session(p, hProcess)
    if session is None or session.pop(BaseOfDll, None) is None:
        p.win32.last_error = ERROR_MOD_NOT_FOUND
        return 0
    return 1


def _fill_symbol(p, Symbol, base: int, rva: int, name: str, wide: bool) -> None:
    """SYMBOL_INFO(W) as the caller sized it (MaxNameLen characters of name room)."""
    max_len = p.mm.read_u32(Symbol + 80)
    text = name[:max(max_len - 1, 0)] if max_len else ""
    p.mm.write(Symbol + 4, struct.pack("<I16xIIQI4xQQIIII", 0, 0, 0, base, SYMFLAG_EXPORT, 0,
                                       base + rva, 0, 0, 0, len(name)))
    encoded = (text.encode("utf-16-le") + b"\0\0") if wide else \
        (text.encode("latin-1", "replace") + b"\0")
    if max_len:
        p.mm.write(Symbol + SYMBOL_INFO_NAME, encoded)


def _from_name(p, hProcess, Name, Symbol, wide: bool) -> int:
    session = _session(p, hProcess)
    name = read_str(p, Name, wide) if Name else ""
    module, _, symbol = name.rpartition("!")
    for base, (size, module_name, path, exports) in sorted((session or {}).items()):
        if module and module.lower() != module_name.lower():
            continue
        for rva, export in exports:
            if export == symbol:
                _fill_symbol(p, Symbol, base, rva, export, wide)
                return 1
    p.win32.last_error = ERROR_MOD_NOT_FOUND
    return 0


def sys_dbghelp_SymFromNameW(p, hProcess, Name, Symbol):
    return _from_name(p, hProcess, Name, Symbol, True)


def sys_dbghelp_SymFromName(p, hProcess, Name, Symbol):
    return _from_name(p, hProcess, Name, Symbol, False)


def _from_address(p, hProcess, Address, Displacement, Symbol, wide: bool) -> int:
    """The nearest export at or before Address in the module holding it."""
    session = _session(p, hProcess) or {}
    for base, (size, _name, _path, exports) in session.items():
        if base <= Address < base + size and exports:
            rvas = [rva for rva, _ in exports]
            at = bisect.bisect_right(rvas, Address - base) - 1
            if at >= 0:
                rva, export = exports[at]
                _fill_symbol(p, Symbol, base, rva, export, wide)
                if Displacement:
                    p.mm.write(Displacement, struct.pack("<Q", Address - base - rva))
                return 1
    p.win32.last_error = ERROR_INVALID_ADDRESS
    return 0


def sys_dbghelp_SymFromAddrW(p, hProcess, Address, Displacement, Symbol):
    return _from_address(p, hProcess, Address, Displacement, Symbol, True)


def sys_dbghelp_SymFromAddr(p, hProcess, Address, Displacement, Symbol):
    return _from_address(p, hProcess, Address, Displacement, Symbol, False)


def sys_dbghelp_SymFromInlineContextW(p, hProcess, Address, InlineContext, Displacement,
                                      Symbol):
    return _from_address(p, hProcess, Address, Displacement, Symbol, True)


def sys_dbghelp_SymGetLineFromAddrW64(p, hProcess, dwAddr, pdwDisplacement, Line):
    """No line information without PDBs."""
    p.win32.last_error = ERROR_INVALID_ADDRESS
    return 0


def sys_dbghelp_SymGetModuleInfoW64(p, hProcess, qwAddr, ModuleInfo):
    """IMAGEHLP_MODULEW64 of the module holding qwAddr: its base, size, names, and that its
    symbols are its exports."""
    session = _session(p, hProcess) or {}
    for base, (size, name, path, exports) in session.items():
        if base <= qwAddr < base + size:
            room = p.mm.read_u32(ModuleInfo)
            if room < 612 + 512:
                p.win32.last_error = 87         # ERROR_INVALID_PARAMETER
                return 0
            info = bytearray(min(room, 0x2000))
            struct.pack_into("<IxxxxQIIIII", info, 0, room, base, size, 0, 0, len(exports),
                             SYM_EXPORT)
            for at, text, chars in ((36, name, 32), (100, path, 256), (612, path, 256)):
                encoded = text[:chars - 1].encode("utf-16-le")
                info[at:at + len(encoded)] = encoded
            p.mm.write(ModuleInfo, bytes(info))
            return 1
    p.win32.last_error = ERROR_MOD_NOT_FOUND
    return 0
