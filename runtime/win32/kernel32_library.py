"""LoadLibrary and its family over the loader's DLL half (runtime/nt/dlls.py): a DLL file the
program brings is found by Windows' search order (the program's directory, SetDllDirectory's,
System32, the Windows directory, the current directory, PATH; AddDllDirectory's and the
DLL's own directory when the flags ask), mapped with what it imports, given TLS in every
thread, and initialised -- TLS callbacks and DllMain(DLL_PROCESS_ATTACH), dependencies
first -- before LoadLibrary returns. A DllMain answering FALSE unloads the DLL again and
LoadLibrary fails with ERROR_DLL_INIT_FAILED. FreeLibrary unloads a DLL LoadLibrary mapped
once its count reaches zero (DLL_PROCESS_DETACH first); what it imported stays mapped.
ExitProcess calls every DllMain with DLL_PROCESS_DETACH, last loaded first."""
from __future__ import annotations

import struct

from ..errors import ExecError, Fault, KernelError
from ..nt import abi
from ..binfmt.pe import missing_stubs
from ..nt.dlls import (ERROR_BAD_EXE_FORMAT, ERROR_MOD_NOT_FOUND, NO_PROGRAM, Linker,
                       guest_dir_of, module_key, path_dirs)
from ..nt.ldr import entry_for, sync
from ..nt.start import TLS_POINTER, tls_blocks
from ..nt.status import (STATUS_DLL_INIT_FAILED, STATUS_DLL_NOT_FOUND,
                         STATUS_INVALID_IMAGE_FORMAT, STATUS_SUCCESS)
from . import callback
from .state import Win32Process
from .system_dlls import windows_own
from .wide import read_wstr

DLL_PROCESS_DETACH, DLL_PROCESS_ATTACH = 0, 1
ERROR_DLL_INIT_FAILED = 1114
LOAD_LIBRARY_AS_DATAFILE, LOAD_WITH_ALTERED_SEARCH_PATH = 0x2, 0x8
LOAD_LIBRARY_AS_IMAGE_RESOURCE, LOAD_LIBRARY_AS_DATAFILE_EXCLUSIVE = 0x20, 0x40
LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR, LOAD_LIBRARY_SEARCH_USER_DIRS = 0x100, 0x400
LOAD_LIBRARY_SEARCH_DEFAULT_DIRS = 0x1000
DATA_ONLY = LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE | \
    LOAD_LIBRARY_AS_DATAFILE_EXCLUSIVE


def _search_dirs(p, flags: int) -> list[str]:
    """The guest directories a DLL name is looked for in, in Windows' order."""
    cwd = p.cwd or "/"
    app_dir = (p.exe or "/").rpartition("/")[0] or "/"
    user_dirs = []
    if flags & (LOAD_LIBRARY_SEARCH_USER_DIRS | LOAD_LIBRARY_SEARCH_DEFAULT_DIRS) or \
            p.win32.strings.get("default dll directories"):
        user_dirs = [d for d in (guest_dir_of(c, cwd) for c in
                                 p.win32.strings.get("dll cookies", []) if c) if d]
    chosen = p.win32.strings.get("dll directory")
    chosen = [d for d in [guest_dir_of(chosen, cwd)] if d] if chosen else []
    path = next((v for k, v in p.win32.env.items() if k.upper() == "PATH"), "")
    # SetDllDirectory's directory takes the current directory's place.
    return [app_dir] + user_dirs + chosen + ["/Windows/System32", "/Windows"] + \
        ([] if chosen else [cwd]) + path_dirs(path)


def linker_for(p, flags: int = 0) -> Linker:
    from ..binfmt.pe import DllCache
    personality = p.sysvec.personality
    generated = personality.dll_cache(
        p.kernel, p.sysvec.platform,
        lambda: DllCache(p.kernel.dll_dir / p.sysvec.platform, personality.dll_key))
    return Linker(p.kernel, p, p.mm, p.sysvec.word_bits, generated, p.win32.modules,
                  p.win32.module_paths, _search_dirs(p, flags),
                  p.win32.program_module or NO_PROGRAM)


def _data_symbol(p):
    from .crtdata import DATA_DLLS
    return lambda key, name: p.win32.crt.get(name, 0) if key in DATA_DLLS else 0


def load(p, name: str, flags: int, stdcall_args: int, done) -> int:
    """LoadLibraryEx(name, flags); done(base, or 0 with the last error set) makes the API's
    result. The DLL's initialisers run as guest calls before done."""
    if not name:
        p.win32.last_error = 87
        return done(0)
    linker = linker_for(p, flags)
    own_dir = None
    if flags & (LOAD_WITH_ALTERED_SEARCH_PATH | LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR) and \
            ("\\" in name or "/" in name):
        own_dir = guest_dir_of(name.replace("/", "\\").rpartition("\\")[0] or "\\", p.cwd)
    if flags & DATA_ONLY:                  # resources only: nothing of it is bound or runs
        base = linker.map_data(name)
        if not base:
            p.win32.last_error = linker.error or ERROR_MOD_NOT_FOUND
        elif base in p.win32.dll_refs:      # a loaded DLL: its count goes up, as Windows'
            p.win32.dll_refs[base] += 1
        elif not any(b == base for b, _ in p.win32.modules.values()):
            p.win32.data_files[base] = p.win32.data_files.get(base, 0) + 1
        sync(p)
        return done(base)
    try:
        found = linker.module(name, own_dir)
        if found is not None and any(not windows_own(n) for n in linker.unloadable):
            # A DLL it needs is nowhere: Windows loads none of it (ERROR_MOD_NOT_FOUND).
            # (One of Windows' own is there on every Windows: its imports are stubs.)
            found, linker.error = None, ERROR_MOD_NOT_FOUND
    except (ExecError, KernelError):       # a malformed image, or no room for it
        found, linker.error = None, ERROR_BAD_EXE_FORMAT
    if found is None:
        for base in linker.mapped:         # what this call mapped goes again
            _unmap(p, base)
        p.win32.last_error = linker.error or ERROR_MOD_NOT_FOUND
        return done(0)
    linker.finish(_data_symbol(p))
    p.win32.missing_imports.update(missing_stubs(p.mm, abi.word(p), linker.missing))
    base = found[0]
    for imported in linker.imported - {base}:
        p.win32.dll_refs.pop(imported, None)   # a DLL others import stays (Windows counts)
    if base in p.win32.dll_refs:
        p.win32.dll_refs[base] += 1
    elif linker.loaded and linker.loaded[-1].base == base:
        p.win32.dll_refs[base] = 1          # this call mapped it: FreeLibrary may unload it
    sync(p)                                 # in PEB->Ldr's lists before its DllMain runs
    for dll in linker.loaded:
        if dll.tls is not None:
            _give_tls(p, dll.tls)
    inits = [step for dll in linker.loaded for step in dll.initialisers()]
    p.win32.dll_notify = [*p.win32.dll_notify, *inits]
    if not inits:
        return done(base)
    chain = callback.start(p, stdcall_args)
    pending = list(inits)

    def next_init(_result: int = 0) -> int:
        if not pending:
            return callback.finish(p, chain, done(base))
        module, routine, main = pending.pop(0)

        def then(result: int) -> int:
            if main and not result & 0xFFFFFFFF:
                return refused(module, routine)
            return next_init()
        return callback.call(p, chain, routine, [module, DLL_PROCESS_ATTACH, 0], then)

    def refused(module: int, routine: int) -> int:
        # Windows: DLL_PROCESS_DETACH, then what this call loaded is unloaded, and it fails.
        def gone(_result: int = 0) -> int:
            for dll in linker.loaded:
                _unmap(p, dll.base)
            p.win32.last_error = ERROR_DLL_INIT_FAILED
            return callback.finish(p, chain, done(0))
        return callback.call(p, chain, routine, [module, DLL_PROCESS_DETACH, 0], gone)
    return next_init()


def _give_tls(p, tls: tuple) -> None:
    """A TLS index for a DLL loaded at run time, and its block in every thread (as Windows
    has done since Vista: each thread's TLS array grows by a slot)."""
    template, zero_fill, index_at = tls
    index = 1 + len(p.win32.dll_tls)
    p.win32.dll_tls = [*p.win32.dll_tls, (index, template, zero_fill)]
    if index_at:
        p.mm.write_force(index_at, struct.pack("<I", index))
    bits, word = p.sysvec.word_bits, abi.word(p)
    for t in p.group:
        state = Win32Process.of(t)
        teb = state.teb if state is not None else 0
        if not teb or t.mm is not p.mm:
            continue
        try:
            old = p.mm.read_word(teb + TLS_POINTER[bits])
            array = tls_blocks(p.mm, bits, None, [(index, template, zero_fill)])
            if old:
                p.mm.write(array, p.mm.read(old, index * word))
            p.mm.write_word(teb + TLS_POINTER[bits], array)
        except Fault:       # a thread that has ended
            continue


def _unmap(p, base: int) -> None:
    from ..binfmt.pe import image_size
    size = image_size(p, base)
    for key, (b, _) in list(p.win32.modules.items()):
        if b == base:
            del p.win32.modules[key]
    p.win32.module_paths.pop(base, None)
    p.win32.dll_refs.pop(base, None)
    p.win32.dll_quiet.discard(base)
    p.win32.dll_notify = [n for n in p.win32.dll_notify if n[0] != base]
    sync(p)
    if size:
        p.mm.unmap(base, (size + 0xFFF) & ~0xFFF)


def _detach_calls(p, base: int | None = None) -> list[tuple[int, int]]:
    """(base, routine) to call with DLL_PROCESS_DETACH: one DLL's, or every DLL's last
    loaded first."""
    return [(b, r) for b, r, _ in reversed(p.win32.dll_notify) if base is None or b == base]


def notify(p, calls: list[tuple[int, int]], reason: int, reserved: int, then,
           stdcall_args: int = 1) -> int:
    """Call each (module base, routine) -- a DllMain or TLS callback -- with (base, reason,
    reserved) as guest code, in order, then then() (which ends the chain or the thread)."""
    if not calls:
        return then()
    pending = list(calls)
    chain = callback.start(p, stdcall_args)

    def next_call(_result: int = 0) -> int:
        if pending:
            base, routine = pending.pop(0)
            return callback.call(p, chain, routine, [base, reason, reserved], next_call)
        return then(chain)
    return next_call()


def free(p, module: int, stdcall_args: int, done) -> int:
    """FreeLibrary: the count LoadLibrary raised goes down; at zero the DLL is detached and
    unmapped (a data-file load just unmapped). DLLs the program imports, and the generated
    ones, stay."""
    if module in p.win32.data_files:        # a data-file load: unmapped at its last free
        p.win32.data_files[module] -= 1
        if not p.win32.data_files[module]:
            del p.win32.data_files[module]
            _unmap(p, module)
        return done(1)
    known = any(b == module for b, _ in p.win32.modules.values())
    if not known and module != p.win32.image_base:
        p.win32.last_error = 6     # ERROR_INVALID_HANDLE
        return done(0)
    refs = p.win32.dll_refs
    if module not in refs:
        return done(1)
    refs[module] -= 1
    if refs[module] > 0:
        sync(p)                             # its entry's load count
        return done(1)

    def unloaded(chain=None) -> int:
        _unmap(p, module)
        return callback.finish(p, chain, done(1)) if chain is not None else done(1)
    return notify(p, _detach_calls(p, module), DLL_PROCESS_DETACH, 0, unloaded, stdcall_args)


def detach_all(p, then):
    """At process exit: every DLL's DllMain and TLS callbacks with DLL_PROCESS_DETACH (the
    C runtime of a DLL runs its atexit functions and static destructors there), then then()."""
    if p.win32.strings.get("dlls detaching"):
        return then()                 # ExitProcess from inside a DllMain
    p.win32.strings["dlls detaching"] = True
    return notify(p, _detach_calls(p), DLL_PROCESS_DETACH, 1, lambda _chain=None: then())


# --- the API -------------------------------------------------------------------------------

def _name_a(p, ptr: int) -> str:
    return p.mm.read_cstr(ptr).decode("latin-1") if ptr else ""


def sys_kernel32_LoadLibraryA(p, lpLibFileName):
    return load(p, _name_a(p, lpLibFileName), 0, 1, lambda base: base)


def sys_kernel32_LoadLibraryW(p, lpLibFileName):
    return load(p, read_wstr(p, lpLibFileName) if lpLibFileName else "", 0, 1, lambda base: base)


def sys_kernel32_LoadLibraryExA(p, lpLibFileName, hFile, dwFlags):
    return load(p, _name_a(p, lpLibFileName), dwFlags, 3, lambda base: base)


def sys_kernel32_LoadLibraryExW(p, lpLibFileName, hFile, dwFlags):
    return load(p, read_wstr(p, lpLibFileName) if lpLibFileName else "", dwFlags, 3,
                lambda base: base)


STATUS_OF_ERROR = {ERROR_DLL_INIT_FAILED: STATUS_DLL_INIT_FAILED,
                   ERROR_BAD_EXE_FORMAT: STATUS_INVALID_IMAGE_FORMAT}


def sys_ntdll_LdrLoadDll(p, PathToFile, Flags, ModuleFileName, ModuleHandle):
    def done(base: int) -> int:
        if not base:
            return STATUS_OF_ERROR.get(p.win32.last_error, STATUS_DLL_NOT_FOUND)
        abi.write_ptr(p, ModuleHandle, base)
        return STATUS_SUCCESS
    return load(p, abi.read_unicode_string(p, ModuleFileName), 0, 4, done)


def sys_kernel32_FreeLibrary(p, hLibModule):
    return free(p, hLibModule, 1, lambda ok: ok)


def sys_ntdll_LdrUnloadDll(p, ModuleHandle):
    return free(p, ModuleHandle, 1, lambda ok: STATUS_SUCCESS if ok else STATUS_DLL_NOT_FOUND)


STATUS_NO_MORE_ENTRIES = 0x8000001A


def sys_ntdll_LdrFindEntryForAddress(p, Address, Entry):
    """The LDR_DATA_TABLE_ENTRY (in PEB->Ldr's lists, nt/ldr.py) of the module holding an
    address (Zig's std.debug finds a return address's module so)."""
    found = entry_for(p, Address)
    if not found:
        return STATUS_NO_MORE_ENTRIES
    abi.write_ptr(p, Entry, found)
    return STATUS_SUCCESS


def sys_ntdll_LdrGetDllHandle(p, DllPath, DllCharacteristics, DllName, DllHandle):
    """A loaded module's base by its name (UNICODE_STRING), loading nothing."""
    return sys_ntdll_LdrGetDllHandleEx(p, 0, DllPath, DllCharacteristics, DllName, DllHandle)


def sys_ntdll_LdrGetDllHandleEx(p, Flags, DllPath, DllCharacteristics, DllName, DllHandle):
    from .kernel32 import _module_base
    name = abi.read_unicode_string(p, DllName) if DllName else ""
    base = _module_base(p, name) if name else 0
    if DllHandle:
        abi.write_ptr(p, DllHandle, base)
    return STATUS_SUCCESS if base else STATUS_DLL_NOT_FOUND


def sys_kernel32_DisableThreadLibraryCalls(p, hLibModule):
    """No DLL_THREAD_ATTACH/DETACH for this DLL's DllMain from now on."""
    if not any(b == hLibModule for b, _ in p.win32.modules.values()):
        p.win32.last_error = 6
        return 0
    p.win32.dll_quiet.add(hLibModule)
    return 1


def module_named(p, name: str) -> int:
    """The base of the mapped module a name means (0: none), without loading anything."""
    from .apisets import resolve
    leaf = name.replace("/", "\\").rsplit("\\", 1)[-1]
    for key in (resolve(leaf), module_key(leaf)):
        found = p.win32.modules.get(key)
        if found is not None:
            return found[0]
    return 0
