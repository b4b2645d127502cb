"""DLLs a program brings with it, loaded as ntdll's loader loads them: found by Windows'
search order, mapped (relocated when their preferred base is taken), their imports bound
(recursively: a DLL's own imports are DLLs too), forwarded exports followed, and what must run
before they are used (TLS callbacks and DllMain, dependencies first) listed for the caller to
run -- the start code at exec, LoadLibrary's callback chain later.

The DLLs tblc generated are the system's (KnownDLLs on Windows): their names never load a file,
except the C++ library's (msvcp140), which is no part of Windows but Visual C++'s
redistributable: a real one the program brings, or the root's C:\\Windows\\System32 holds, is
loaded in place of the generated one (which has no iostreams or locales). Every other name is
searched for in the guest's file system, always through the VFS, so an import table can never
reach a host file outside the root."""
from __future__ import annotations

import stat as S
import struct
from dataclasses import dataclass, field

from ..binfmt.pe import export_table, in_image, map_image, parse_pe, read_tls
from ..errors import ExecError, KernelError
from .paths import fold_case, win32_path

MAX_DLL_BYTES = 1 << 30
MAX_DEPTH = 64                        # DLLs importing DLLs: a longer chain is refused
NOT_FOUND = "was not found (in the program's directory, C:\\Windows\\System32, C:\\Windows or PATH)"
DLL_CHARACTERISTIC = 0x2000           # IMAGE_FILE_DLL
MACHINE_OF_BITS = {32: 0x14C, 64: 0x8664}
# Generated DLLs a real file may replace: the redistributable's, not Windows' own.
REDISTRIBUTABLE = {"msvcp140", "vcruntime140_threads", "msvcp140_atomic_wait"}
# Windows' own DLLs sysvec does not make are modules without exports (Linker._system_dll),
# built once per name and width; they are linked where no generated DLL is.
SYSTEM_DLL_IMAGES: dict[tuple[str, int], bytes] = {}
SYSTEM_DLL_BASE = 0x6E000000
# Why a load fails, as the Win32 error LoadLibrary sets.
ERROR_MOD_NOT_FOUND, ERROR_BAD_EXE_FORMAT = 126, 193


class ProgramModule:
    """The program as a module DLLs may import from (a server's plug-ins import from it): its
    export table is read the first time one does, not at every exec (node.exe's and
    postgres.exe's take 17 ms), and kept with the program file's cached bytes."""

    def __init__(self, kernel, key: str, base: int, pe, data: bytes):
        self.key, self.base = key, base
        self._read = lambda: kernel.programs.derived(data, "pe-exports",
                                                    lambda: export_table(pe)[0])
        self._exports = None

    @property
    def exports(self) -> dict:
        if self._exports is None:
            self._exports = self._read()
        return self._exports


NO_PROGRAM = ProgramModule(None, "", 0, None, b"")


@dataclass
class GuestDll:
    """A DLL file mapped into a process."""
    key: str                 # its module name: the file name, lower case, without ".dll"
    base: int
    path: str                # its Windows path (GetModuleFileName)
    exports: dict            # name or "#ordinal" -> address - base
    entry: int = 0           # DllMain (its AddressOfEntryPoint), 0 for none
    tls_callbacks: list = field(default_factory=list)
    tls: tuple | None = None  # (template, zero fill, where its TLS index goes)

    def initialisers(self) -> list[tuple[int, int, bool]]:
        """(base, routine, is DllMain) in the order the loader calls them: TLS callbacks first."""
        return [(self.base, cb, False) for cb in self.tls_callbacks] + \
            ([(self.base, self.entry, True)] if self.entry else [])


def module_key(name: str) -> str:
    """The module name a DLL name or path means: its file name, lower case, ".dll" dropped."""
    leaf = name.replace("/", "\\").rsplit("\\", 1)[-1].lower()
    return leaf[:-4] if leaf.endswith(".dll") else leaf.rstrip(".")


def dll_file_name(name: str) -> str:
    """LoadLibrary's rule: a name with no extension gets ".dll"; a trailing dot means none."""
    leaf = name.replace("/", "\\").rsplit("\\", 1)[-1]
    if leaf.endswith("."):
        return name[:-1]
    return name if "." in leaf else name + ".dll"


def guest_dir_of(win_path: str, cwd_guest: str = "/") -> str | None:
    """The guest directory a Windows directory name means (drive C: is the root), or None for
    a name on another drive. A relative name is taken from the guest directory cwd_guest."""
    path = win_path.replace("\\", "/")
    if path.startswith(("//?/", "//./")):        # the Win32 file namespace: \\?\C:\...
        path = path[4:]
        if len(path) < 2 or path[1] != ":":      # \\?\UNC\..., a volume GUID: not C:
            return None
    if len(path) >= 2 and path[1] == ":":
        if path[0].upper() != "C":
            return None
        path = path[2:] or "/"
    if not path.startswith("/"):
        path = cwd_guest.rstrip("/") + "/" + path
    parts = [c for c in path.split("/") if c and c != "."]
    out: list[str] = []
    for c in parts:              # lexically, never above the root
        if c == "..":
            if out:
                out.pop()
        else:
            out.append(c)
    return "/" + "/".join(out)


def path_dirs(path_value: str) -> list[str]:
    """The guest directories of a Windows PATH value (entries on other drives are skipped)."""
    dirs = []
    for entry in path_value.split(";"):
        entry = entry.strip().strip('"')
        if entry and (entry.startswith(("\\", "/")) or entry[1:2] == ":"):
            found = guest_dir_of(entry)
            if found:
                dirs.append(found)
    return dirs


class Linker:
    """Maps and binds DLLs into one address space, recording them in the process's module
    table (key -> (base, exports)) and path table (base -> Windows path)."""

    def __init__(self, kernel, ctx, mm, bits: int, generated, modules: dict, paths: dict,
                 search_dirs: list[str], program: ProgramModule = NO_PROGRAM):
        self.kernel, self.ctx, self.mm, self.bits = kernel, ctx, mm, bits
        self.word = bits // 8
        self.generated = generated         # binfmt.pe.DllCache: the platform's generated DLLs
        self.modules, self.paths = modules, paths
        self.search_dirs = search_dirs     # guest directories, in the order searched
        self.loaded: list[GuestDll] = []   # guest DLLs this linker mapped, dependencies first
        self.missing: list[tuple[str, int]] = []       # ("DLL!name", import slot)
        self.unexported: list[tuple[str, str, int]] = []   # generated DLL key, name, slot
        self.unloadable: dict[str, str] = {}   # DLL name -> why no file answered for it
        self.broken_forwards: dict[str, str] = {}   # "module!export" -> a forwarder's target
        self.error = 0                     # the last failed load's Win32 error
        self.depth = 0                     # DLLs being bound, one inside another
        self.program = program             # the program, which DLLs may import from
        self.mapped: list[int] = []        # guest DLLs' bases this linker mapped (a rollback's)
        self.imported: set[int] = set()    # bases of guest modules a new DLL imports from

    # --- finding and mapping ---------------------------------------------------------------

    def module(self, name: str, dll_dir: str | None = None) -> tuple[int, dict] | None:
        """(base, exports) of the module a DLL name means, mapping it (and what it imports)
        if it is not yet; None when no generated DLL or file answers."""
        if self.generated.get(name) is not None:
            key = self.generated.resolve(name)
            if key in REDISTRIBUTABLE and key not in self.modules:
                found = self._load_file(name, key, dll_dir, self._redistributable_dirs())
                if found is not None:
                    return found
                self.unloadable.pop(name, None)
            return self._generated(key)
        key = module_key(name)
        if key in self.modules and "\\" not in name and "/" not in name:
            return self.modules[key]
        if key == self.program.key:
            return self.program.base, self.program.exports
        found = self._load_file(name, key, dll_dir)
        if found is None and "\\" not in name and "/" not in name:
            from ..win32.system_dlls import windows_own
            if windows_own(name):
                found = self._system_dll(name, key)
        return found

    def _system_dll(self, name: str, key: str) -> tuple[int, dict]:
        """One of the DLLs every Windows has in System32 that sysvec does not make: a module
        with no exports, so LoadLibrary succeeds as on Windows and GetProcAddress answers
        ERROR_PROC_NOT_FOUND for each function (programs probe shcore, uxtheme, dwmapi ...
        so); a static import of one of its functions is a stub that reports the call."""
        from ...compiler.emit_dll import build_pe_dll
        image = SYSTEM_DLL_IMAGES.get((key, self.bits))
        if image is None:
            data = build_pe_dll(key, "x86_64" if self.bits == 64 else "i386", {},
                                SYSTEM_DLL_BASE)
            image = SYSTEM_DLL_IMAGES[(key, self.bits)] = data
        path = f"C:\\Windows\\System32\\{key}.dll"
        pe = parse_pe(image, path)
        base = map_image(self.mm, pe, image, path)
        self.mapped.append(base)
        self.modules[key] = (base, {})
        self.paths[base] = path
        self.loaded.append(GuestDll(key, base, path, {}))
        self.unloadable.pop(name, None)
        self.error = 0
        return self.modules[key]

    def _generated(self, key: str) -> tuple[int, dict]:
        if key not in self.modules:
            pe, data, exports = self.generated.get(key)
            path = f"C:\\Windows\\System32\\{key}.dll"
            base = map_image(self.mm, pe, data, path)
            self.modules[key] = (base, exports)
            self.paths[base] = path
        return self.modules[key]

    def _redistributable_dirs(self) -> list[str]:
        """Where a real redistributable DLL is taken from: the program's directory, and
        System32 when the root has a System32 of its own (otherwise System32 shows the
        generated DLLs)."""
        from .system_dir import root_has_system32
        return self.search_dirs[:1] + (["/Windows/System32"] if root_has_system32(self.kernel.fs)
                                       else [])

    def _candidates(self, name: str, dll_dir: str | None,
                    dirs: list[str] | None = None) -> list[str]:
        file_name = dll_file_name(name)
        if "\\" in file_name or "/" in file_name:
            cwd = getattr(self.ctx, "cwd", "/") if self.ctx is not None else "/"
            found = guest_dir_of(file_name, cwd)
            if found is None:
                return []
            head, _, leaf = found.rpartition("/")
            return [fold_case(self.kernel.fs, head or "/", [leaf], self.ctx)]
        dirs = ([dll_dir] if dll_dir else []) + (self.search_dirs if dirs is None else dirs)
        seen, out = set(), []
        for d in dirs:
            if d not in seen:
                seen.add(d)
                out.append(fold_case(self.kernel.fs, d, [file_name], self.ctx))
        return out

    def _read(self, guest_path: str) -> bytes | None:
        """A regular file's bytes through the VFS (the program cache keeps popular ones)."""
        try:
            f = self.kernel.fs.open("/", guest_path, 0, 0, self.ctx)
        except KernelError:
            return None
        try:
            st = f.fstat()
            if not S.S_ISREG(st.st_mode) or st.st_size > MAX_DLL_BYTES:
                return None
            data = self.kernel.programs.get(st)
            if data is None:
                chunks, offset = [], 0
                while chunk := f.pread(1 << 20, offset):
                    chunks.append(chunk)
                    offset += len(chunk)
                data = b"".join(chunks)
                self.kernel.programs.put(st, data)
            return data
        except KernelError:
            return None
        finally:
            f.decref()

    def _parsed(self, data: bytes, path: str):
        """(pe, exports, forwarders) of a DLL file, once per cached file version."""

        def make():
            pe = parse_pe(data, path)
            return (pe, *export_table(pe))
        return self.kernel.programs.derived(data, "pe-dll", make)

    def _load_file(self, name: str, key: str, dll_dir: str | None,
                   dirs: list[str] | None = None) -> tuple[int, dict] | None:
        self.error, why = ERROR_MOD_NOT_FOUND, NOT_FOUND
        if self.depth >= MAX_DEPTH:
            self.unloadable[name] = f"is imported through more than {MAX_DEPTH} DLLs"
            return None
        for guest_path in self._candidates(name, dll_dir, dirs):
            data = self._read(guest_path)
            if data is None:
                continue
            win_path = win32_path(guest_path)
            try:
                pe, exports, forwarders = self._parsed(data, win_path)
            except ExecError as exc:
                self.error, why = ERROR_BAD_EXE_FORMAT, f"is not a valid DLL ({exc})"
                continue
            if pe.FILE_HEADER.Machine != MACHINE_OF_BITS[self.bits] or \
                    not pe.FILE_HEADER.Characteristics & DLL_CHARACTERISTIC:
                self.error = ERROR_BAD_EXE_FORMAT   # another width's DLL: search on
                why = f"was found only for another machine or as a program ({win_path})"
                continue
            key = module_key(guest_path)
            same = next((k for k, (b, _e) in self.modules.items()
                         if self.paths.get(b, "").lower() == win_path.lower()), None)
            if same is not None:                    # this very file, under any key
                return self.modules[same]
            if key in self.modules and self.paths.get(self.modules[key][0], "").lower() \
                    not in ("", win_path.lower()):
                # another file of the same name, loaded by its path: a module of its own
                # (two plugins both called plug.dll); a name alone still finds the first
                key = f"{key}@{win_path.lower()}"
            if key in self.modules:                 # the same module, named by its path
                return self.modules[key]
            base = map_image(self.mm, pe, data, win_path)
            self.mapped.append(base)
            dll = GuestDll(key, base, win_path, dict(exports))
            self.modules[key] = (base, dll.exports)
            self.paths[base] = win_path
            own_dir = guest_path.rpartition("/")[0] or "/"
            self.depth += 1
            try:
                self.bind(pe, base, win_path, own_dir)
                self._forward(dll, forwarders, own_dir)
            finally:
                self.depth -= 1
            tls = read_tls(self.mm, pe, base, win_path)
            if tls is not None:
                template, zero_fill, index_at, dll.tls_callbacks = tls
                dll.tls = (template, zero_fill, index_at)
            if pe.OPTIONAL_HEADER.AddressOfEntryPoint:
                dll.entry = base + pe.OPTIONAL_HEADER.AddressOfEntryPoint
            self.loaded.append(dll)
            self.error = 0
            return self.modules[key]
        self.unloadable[name] = why
        return None

    def _forward(self, dll: GuestDll, forwarders: dict, own_dir: str) -> None:
        """A forwarded export ("NTDLL.RtlAllocateHeap", "lib.#3") is the other module's."""
        for name, target in forwarders.items():
            module_name, _, symbol = target.rpartition(".")
            known = dict(self.unloadable)
            found = self.module(module_name, own_dir) if module_name else None
            if found is None:       # only an import of this export would need it: no failure
                self.unloadable = known
            if found is not None and symbol in found[1]:
                dll.exports[name] = found[0] + found[1][symbol] - dll.base
            else:           # a loop (A.x -> B.y -> A.x) or an export the target lacks
                self.broken_forwards[f"{dll.key}!{name}"] = target

    def map_data(self, name: str) -> int:
        """LoadLibraryEx's data-file loads: the DLL's image mapped for its resources, nothing
        of it bound or run, and no module another name finds; a module already loaded is
        itself. Returns the base, or 0 (self.error set)."""
        key = module_key(name)
        if key in self.modules:
            return self.modules[key][0]
        self.error = ERROR_MOD_NOT_FOUND
        for guest_path in self._candidates(name, None):
            data = self._read(guest_path)
            if data is None:
                continue
            win_path = win32_path(guest_path)
            try:
                pe = self._parsed(data, win_path)[0]
                base = map_image(self.mm, pe, data, win_path)
            except ExecError:
                self.error = ERROR_BAD_EXE_FORMAT
                continue
            self.paths[base] = win_path
            self.error = 0
            return base
        return 0

    # --- binding ---------------------------------------------------------------------------

    def bind(self, pe, base: int, path: str, own_dir: str | None = None) -> None:
        """Fill an image's import slots. A generated DLL's name it does not export is left in
        `unexported` (the C runtime's data, laid out by the caller); a function nothing
        provides goes to `missing`."""
        delta = base - pe.OPTIONAL_HEADER.ImageBase
        pack = "<Q" if self.word == 8 else "<I"
        for desc in getattr(pe, "DIRECTORY_ENTRY_IMPORT", []):
            dll = desc.dll.decode(errors="replace")
            found = self.module(dll, own_dir)
            generated = self.generated.get(dll) is not None
            if found is not None and not generated:
                self.imported.add(found[0])
            for imp in desc.imports:
                sym = imp.name.decode(errors="replace") if imp.name else f"#{imp.ordinal}"
                slot = in_image(self.mm, pe, base, imp.address + delta, self.word,
                                f"the import slot of {dll}!{sym}", path)
                rva = found[1].get(sym) if found is not None else None
                if rva is not None:
                    self.mm.write_force(slot, struct.pack(pack, (found[0] + rva) &
                                                          ((1 << self.bits) - 1)))
                elif generated:
                    self.unexported.append((self.generated.resolve(dll), f"{dll}!{sym}", slot))
                else:
                    self.missing.append((f"{dll}!{sym}", slot))

    def finish(self, data_symbol) -> None:
        """Bind the generated DLLs' data names through data_symbol(key, name) -> address (0:
        none); what stays unbound joins `missing`."""
        pack = "<Q" if self.word == 8 else "<I"
        for key, name, slot in self.unexported:
            address = data_symbol(key, name.rpartition("!")[2])
            if address:
                self.mm.write_force(slot, struct.pack(pack, address))
            else:
                self.missing.append((name, slot))
        self.unexported = []
