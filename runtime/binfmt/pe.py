"""PE executables (formats pe32 and pe64, PE32 and PE32+, each linked to a platform by the
table registry), parsed with pefile: sections mapped with their protections, base relocations
applied when the preferred base is taken, imports bound against the DLLs tblc generated from
the platform's tables and the DLLs the program brings (runtime/nt/dlls.py), and the TLS
directory's template, index and callbacks. What the process
starts with beyond the image (TEB, PEB, process parameters, the start code that runs the TLS
callbacks and the entry point) is its personality's (process_start)."""
from __future__ import annotations

import errno
import struct
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExecError, Fault
from ..mm import PAGE, AddressSpace, page_down, page_up
from . import Image, load_into_fresh_space

if TYPE_CHECKING:
    import pefile

MACHINES = {0x14C: (32, "pe32"), 0x8664: (64, "pe64")}
UD2 = b"\x0f\x0b"                  # a missing import's stub: SIGILL, reported by name
SCN_EXEC, SCN_READ, SCN_WRITE = 0x20000000, 0x40000000, 0x80000000
# The data directories exec has pefile read: import and TLS (exports are read by
# export_table, without pefile's limit; base relocations by _relocate, which does not make
# an object per entry: zig.exe has 330,000 of them).
DIRS = [1, 9]
BASERELOC = 5
REL_HIGHLOW, REL_DIR64 = 3, 10
STACK_SIZE = 1 << 20              # when the image asks for less (mingw's default is 2 MiB)
MAX_STACK_SIZE = 64 << 20


def parse_pe(data: bytes, path: str) -> pefile.PE:
    import pefile  # here, not at the top: a Linux-only run never pays for importing it

    # pefile stops reading imports after 8192 thunks (lookup and address tables both count):
    # a real DLL may import 8,000 functions (pymupdf's _mupdf.pyd from mupdfcpp64.dll), and
    # the descriptors after the cut were never bound. The bound stays, for hostile files.
    pefile.MAX_IMPORT_SYMBOLS = MAX_IMPORT_THUNKS
    try:
        pe = pefile.PE(data=data, fast_load=True)
        pe.parse_data_directories(directories=DIRS)
    except Exception as exc:  # pefile raises PEFormatError and assorted others on bad input
        raise ExecError(errno.ENOEXEC, f"{path}: malformed PE file: {exc}") from None
    if any("number of imports" in w or "many imported symbols" in w
           for w in pe.get_warnings()):
        raise ExecError(errno.ENOEXEC, f"{path}: more than {MAX_IMPORT_THUNKS // 2} imports "
                                       "(a malformed import table)")
    if len(pe.sections) != pe.FILE_HEADER.NumberOfSections:
        raise ExecError(errno.ENOEXEC, f"{path}: truncated PE file: {len(pe.sections)} of "
                                       f"{pe.FILE_HEADER.NumberOfSections} section headers present")
    _check_imports(pe, path)
    return pe


MAX_IMPORT_THUNKS = 1 << 18
IMPORT_DESCRIPTOR = struct.Struct("<IIIII")   # lookup table, time, forwarder, name, slots
MAX_IMPORT_DESCRIPTORS = 4096


def data_directory(pe, index: int):
    """The image's data directory entry index, or None: NumberOfRvaAndSizes may give fewer
    entries than there are kinds (a file with none has no imports, no exports ...)."""
    directories = pe.OPTIONAL_HEADER.DATA_DIRECTORY
    return directories[index] if index < len(directories) else None


def _check_imports(pe, path: str) -> None:
    """The loader's check before it binds anything (STATUS_INVALID_IMAGE_FORMAT): the import
    directory and what each descriptor names lie inside the image; a program whose imports
    point elsewhere is refused, not run with slots nobody filled."""
    directory = data_directory(pe, 1)
    if directory is None or not directory.VirtualAddress:
        return
    size = pe.OPTIONAL_HEADER.SizeOfImage
    at = directory.VirtualAddress
    for n in range(MAX_IMPORT_DESCRIPTORS):
        if at + IMPORT_DESCRIPTOR.size > size:
            raise ExecError(errno.ENOEXEC, f"{path}: malformed PE file: the import directory "
                                           f"runs past the image (RVA {at:#x})")
        try:
            raw = pe.get_data(at, IMPORT_DESCRIPTOR.size)
        except Exception:   # pefile's PEFormatError: an RVA no section holds
            raw = b""
        if len(raw) < IMPORT_DESCRIPTOR.size:
            raise ExecError(errno.ENOEXEC, f"{path}: malformed PE file: import descriptor "
                                           f"{n} at RVA {at:#x} is not in the file")
        lookup, _, _, name, slots = IMPORT_DESCRIPTOR.unpack(raw)
        if not any((lookup, name, slots)):
            return
        # (its import slots are checked as they are bound: in_image)
        for what, rva in (("name", name), ("lookup table", lookup)):
            if (rva or what == "name") and not 0 < rva < size:
                raise ExecError(errno.ENOEXEC, f"{path}: malformed PE file: import "
                                               f"descriptor {n}'s {what} (RVA {rva:#x}) lies "
                                               "outside the image")
        at += IMPORT_DESCRIPTOR.size


def _prot(characteristics: int) -> int:
    return (1 if characteristics & SCN_READ else 0) | (2 if characteristics & SCN_WRITE else 0) | \
        (4 if characteristics & SCN_EXEC else 0)


IMAGE_FILE_RELOCS_STRIPPED = 0x0001


def map_image(mm: AddressSpace, pe: pefile.PE, data: bytes, path: str, base: int | None = None) -> int:
    """Map headers and sections; relocate if the preferred base is taken. Returns the base."""
    opt = pe.OPTIONAL_HEADER
    size = page_up(opt.SizeOfImage)
    preferred = opt.ImageBase if base is None else base
    if size == 0 or size > 1 << 30:
        raise ExecError(errno.ENOEXEC, f"{path}: bad SizeOfImage {opt.SizeOfImage:#x}")
    if preferred % 0x1000 == 0 and preferred + size <= mm.layout.user_top and \
            not mm.overlaps(preferred, preferred + size):
        base = preferred
    else:
        # An image whose relocations were stripped must sit at its base; one that just has
        # none to apply (python3.dll: forwarders and data) goes anywhere, as on Windows.
        if not _relocations(pe) and pe.FILE_HEADER.Characteristics & IMAGE_FILE_RELOCS_STRIPPED:
            raise ExecError(errno.ENOEXEC, f"{path}: preferred base {preferred:#x} is taken "
                                           "and the image's relocations were stripped")
        base = mm.find_free(size + 0x10000)
        base = (base + 0xFFFF) & ~0xFFFF
    mm.map(base, page_up(opt.SizeOfHeaders or 0x1000), 1, path)
    mm.write_force(base, data[:opt.SizeOfHeaders])
    for s in pe.sections:
        start = base + s.VirtualAddress
        vsize = max(s.Misc_VirtualSize, s.SizeOfRawData)
        if s.VirtualAddress + vsize > size or vsize == 0:
            if vsize == 0:
                continue
            name = s.Name.rstrip(b"\0").decode(errors="replace")
            raise ExecError(errno.ENOEXEC, f"{path}: section {name!r} lies outside the image")
        mm.map(page_down(start), page_up(start + vsize) - page_down(start),
               _prot(s.Characteristics) or 1, path)
        want = min(s.SizeOfRawData, vsize)
        raw = data[s.PointerToRawData:s.PointerToRawData + want]
        if len(raw) != want:
            name = s.Name.rstrip(b"\0").decode(errors="replace")
            raise ExecError(errno.ENOEXEC, f"{path}: truncated PE file: section {name!r} "
                                           f"needs {want} bytes at {s.PointerToRawData:#x}")
        mm.write_force(start, raw)
    delta = base - opt.ImageBase
    if delta:
        _relocate(mm, pe, base, delta, path)
    return base


def in_image(mm: AddressSpace, pe: pefile.PE, base: int, addr: int, size: int, what: str,
             path: str) -> int:
    """addr, if [addr, addr+size) lies in the image mapped at base; ENOEXEC otherwise. Every
    address the loader takes from the image's own directories (relocations, import slots,
    TLS) is checked so, since a malformed file may point them anywhere."""
    end = base + page_up(pe.OPTIONAL_HEADER.SizeOfImage)
    if not (base <= addr and addr + size <= end and mm.covered(page_down(addr), page_up(addr + size))):
        raise ExecError(errno.ENOEXEC, f"{path}: malformed PE file: {what} at {addr:#x} lies "
                                       "outside the mapped image")
    return addr


def _relocations(pe: pefile.PE) -> bytes:
    """The raw base relocation directory (empty when the image has none)."""
    directory = data_directory(pe, BASERELOC)
    if directory is None or not directory.VirtualAddress or not directory.Size:
        return b""
    try:
        return pe.get_data(directory.VirtualAddress, directory.Size)
    except Exception:   # pefile's errors on an RVA outside the file
        return b""


def _relocate(mm: AddressSpace, pe: pefile.PE, base: int, delta: int, path: str) -> None:
    """Apply the base relocations: blocks of (page RVA, block size) and 16-bit entries (type
    in the top 4 bits, offset in the page), each block's page patched in one read and write."""
    table = _relocations(pe)
    at = 0
    while at + 8 <= len(table):
        page_rva, size = struct.unpack_from("<II", table, at)
        if size == 0 and page_rva == 0:
            break           # a zero block ends the table (the directory may be padded)
        if size < 8 or size > len(table) - at:
            raise ExecError(errno.ENOEXEC, f"{path}: malformed PE file: a relocation block of "
                                           f"{size} bytes at offset {at} of the table")
        count = (size - 8) // 2
        entries = struct.unpack_from(f"<{count}H", table, at + 8)
        at += size
        fixes = [(e & 0xFFF, e >> 12) for e in entries if e >> 12 in (REL_HIGHLOW, REL_DIR64)]
        if not fixes:
            continue
        first = min(off for off, _ in fixes)
        last = max(off + (8 if kind == REL_DIR64 else 4) for off, kind in fixes)
        start = in_image(mm, pe, base, base + page_rva + first, last - first, "a relocation", path)
        chunk = bytearray(mm.read(start, last - first))
        for off, kind in fixes:
            off -= first
            if kind == REL_HIGHLOW:
                value = struct.unpack_from("<I", chunk, off)[0]
                struct.pack_into("<I", chunk, off, (value + delta) & 0xFFFFFFFF)
            else:
                value = struct.unpack_from("<Q", chunk, off)[0]
                struct.pack_into("<Q", chunk, off, (value + delta) & (2**64 - 1))
        mm.write_force(start, bytes(chunk))


def image_size(p, base: int) -> int:
    """SizeOfImage from the headers of an image mapped at base in the process (0 if none)."""
    try:
        if p.mm.read(base, 2) != b"MZ":
            return 0
        pe_at = base + p.mm.read_u32(base + 0x3C)
        return p.mm.read_u32(pe_at + 24 + 56)   # OptionalHeader.SizeOfImage, both formats
    except Fault:   # an address that is no image's base
        return 0


MAX_EXPORTS = 1 << 18        # more than any real image has (pefile stops at 8192)


def export_table(pe) -> tuple[dict, dict]:
    """An image's exports, name or "#ordinal" -> RVA, and its forwarders -> "DLL.name", read
    from its export directory here (pefile's list stops at 8192 names: postgres.exe exports
    10,572). Counts and addresses a malformed file gives are bounded and checked."""
    exports: dict = {}
    forwarders: dict = {}
    directory = data_directory(pe, 0)
    start, size = (directory.VirtualAddress, directory.Size) if directory else (0, 0)
    if not start or size < 40:
        return exports, forwarders

    def read(rva: int, length: int) -> bytes:
        data = pe.get_data(rva, length)
        if len(data) != length:
            raise ValueError("outside the file")
        return data
    try:
        (_, _, _, _, _, base, functions, names, at_functions, at_names,
         at_ordinals) = struct.unpack("<IIHHIIIIIII", read(start, 40))
        functions, names = min(functions, MAX_EXPORTS), min(names, MAX_EXPORTS)
        rvas = struct.unpack(f"<{functions}I", read(at_functions, 4 * functions))
        name_rvas = struct.unpack(f"<{names}I", read(at_names, 4 * names))
        ordinals = struct.unpack(f"<{names}H", read(at_ordinals, 2 * names))
    except (ValueError, struct.error, pefile_error()):
        return exports, forwarders

    def place(key: str, rva: int) -> None:
        if start <= rva < start + size:          # inside the directory: "DLL.name"
            try:
                forwarders[key] = pe.get_string_at_rva(rva, 256).decode(errors="replace")
            except Exception:   # pefile's errors on a bad RVA
                pass
        elif rva:
            exports[key] = rva
    for i, rva in enumerate(rvas):
        place(f"#{base + i}", rva)
    for name_rva, index in zip(name_rvas, ordinals):
        if index < len(rvas):
            try:
                name = pe.get_string_at_rva(name_rva, 512).decode(errors="replace")
            except Exception:   # pefile's errors on a bad RVA
                continue
            if name:
                place(name, rvas[index])
    return exports, forwarders


def pefile_error():
    import pefile
    return pefile.PEFormatError


class DllCache:
    """The DLL images tblc generated for a platform, parsed once per machine."""

    def __init__(self, directory: Path, resolve=lambda name: name.lower().removesuffix(".dll")):
        self.directory = directory
        self.resolve = resolve   # an import's DLL name -> the generated DLL's (API sets)
        self.parsed: dict[str, tuple] = {}

    def get(self, name: str):
        """The generated DLL an import names, or None. The name comes from the guest's file:
        only a plain generated name (ntdll, kernel32, msvcrt) may select a file, never a
        path, so an import table cannot reach host files. API-set contracts resolve to
        their host DLL first (tables/apisets.txt)."""
        key = self.resolve(name)
        if key not in self.parsed:
            if not key or not key.replace("_", "").replace("-", "").isalnum():
                return None
            path = self.directory / f"{key}.dll"
            if not path.is_file():
                return None
            data = path.read_bytes()
            pe = parse_pe(data, str(path))
            exports = export_table(pe)[0]    # by name, and "#N" by ordinal
            self.parsed[key] = (pe, data, exports)
        return self.parsed[key]


def read_tls(mm, pe, base: int, path: str):
    """An image's TLS directory: (template, zero fill, index address, callbacks), or None."""
    tls = getattr(pe, "DIRECTORY_ENTRY_TLS", None)
    if tls is None:
        return None
    delta = base - pe.OPTIONAL_HEADER.ImageBase
    s = tls.struct
    start, end = s.StartAddressOfRawData + delta, s.EndAddressOfRawData + delta
    template = mm.read(in_image(mm, pe, base, start, end - start, "the TLS template", path),
                       end - start) if end > start else b""
    if s.SizeOfZeroFill > page_up(pe.OPTIONAL_HEADER.SizeOfImage):
        raise ExecError(errno.ENOEXEC, f"{path}: malformed PE file: TLS zero fill of "
                                       f"{s.SizeOfZeroFill:#x} bytes is larger than the image")
    index_at = in_image(mm, pe, base, s.AddressOfIndex + delta, 4, "the TLS index", path) \
        if s.AddressOfIndex else 0
    callbacks = []
    if s.AddressOfCallBacks:
        word = 8 if pe.OPTIONAL_HEADER.Magic == 0x20B else 4
        addr = s.AddressOfCallBacks + delta
        for _ in range(64):
            cb = mm.read_word(in_image(mm, pe, base, addr, word, "the TLS callback list", path))
            if not cb:
                break
            callbacks.append(cb)
            addr += word
    return template, s.SizeOfZeroFill, index_at, callbacks


def missing_stubs(mm, word: int, missing: list[tuple[str, int]]) -> dict[int, str]:
    """One `ud2` per import nothing here provides, its slot pointed at it, so a call ends the
    process with a report naming the function rather than a jump to address 0. Windows
    would refuse to start the program; running until the call lets programs that never
    make it work. Returns stub address -> name."""
    if not missing:
        return {}
    data = [(name, slot) for name, slot in missing if is_data_import(name)]
    code = [(name, slot) for name, slot in missing if not is_data_import(name)]
    stubs = {}
    if code:
        size = page_up(4 * len(code))
        page = mm.find_free(size)
        mm.map(page, size, 3, "[missing imports]")
        for i, (name, slot) in enumerate(code):
            stub = page + 4 * i
            mm.write_force(stub, UD2)
            mm.write_force(slot, struct.pack("<Q" if word == 8 else "<I", stub))
            stubs[stub] = name
        mm.protect(page, size, 5)
    if data:
        # A variable nothing provides (std::cout): a page of its own that no access may
        # touch, so the first read of it is reported by name instead of reading code bytes.
        size = DATA_STUB_SPAN * len(data)
        page = mm.find_free(size)
        mm.map(page, size, 0, "[missing data imports]")
        for i, (name, slot) in enumerate(data):
            at = page + DATA_STUB_SPAN * i
            mm.write_force(slot, struct.pack("<Q" if word == 8 else "<I", at))
            for offset in range(0, DATA_STUB_SPAN, PAGE):   # any page of it names it
                stubs[at + offset] = name
    return stubs


DATA_STUB_SPAN = 16 * PAGE   # address space a missing variable's uses fall in (no memory)


def is_data_import(name: str) -> bool:
    """An MSVC-decorated variable (`?cout@std@@3V...`: storage class 3, or 2 for a static
    member) rather than a function."""
    symbol = name.rpartition("!")[2]
    return symbol.startswith("?") and ("@@3" in symbol or "@@2" in symbol)


class PeHandler:
    name = "pe"
    formats = ("pe32", "pe64")
    # Windows has no execute bit: a program unzipped from a wheel (0644) runs from the
    # command line and through CreateProcess (a Linux execve still wants one).
    needs_exec_bit = False

    def recognises(self, bprm) -> bool:
        return bprm.header[:2] == b"MZ"

    def load(self, kernel, bprm) -> Image:
        pe = parse_pe(bprm.data, bprm.path)
        machine = pe.FILE_HEADER.Machine
        if machine not in MACHINES:
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: PE for machine {machine:#x}, not x86")
        if pe.FILE_HEADER.Characteristics & 0x2000:
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: is a DLL, not a program")
        bits, fmt = MACHINES[machine]
        entry_rva = pe.OPTIONAL_HEADER.AddressOfEntryPoint
        if not any(sec.VirtualAddress <= entry_rva < sec.VirtualAddress +
                   max(sec.Misc_VirtualSize, sec.SizeOfRawData) for sec in pe.sections):
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: PE entry point {entry_rva:#x} lies "
                                           "outside every section")
        if (pe.OPTIONAL_HEADER.Magic == 0x20B) != (bits == 64):
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: optional header does not match the machine")
        sysvec = kernel.table_for(fmt, bprm.path)   # its DLLs, and its personality's help
        dll_dir = kernel.dll_dir / sysvec.platform if kernel.dll_dir else None
        if dll_dir is None or not dll_dir.is_dir():
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: no DLLs were built for {sysvec.platform}")
        return load_into_fresh_space(
            kernel, bprm, bits,
            lambda mm: _Loader(kernel, bprm, pe, mm, bits, fmt, sysvec, dll_dir).load())


class _Loader:
    def __init__(self, kernel, bprm, pe, mm, bits, fmt, sysvec, dll_dir):
        self.kernel, self.bprm, self.pe, self.mm = kernel, bprm, pe, mm
        self.bits, self.fmt, self.sysvec = bits, fmt, sysvec
        self.word = bits // 8
        self.personality = sysvec.personality   # the Win32 layer: CRT data, the process state
        self.dlls = self.personality.dll_cache(kernel, sysvec.platform, lambda: DllCache(dll_dir, self.personality.dll_key))
        self.start = None            # the personality's ProcessStart (its info: command lines ...)
        self.crt_slots = None        # the personality's CRT data, laid out on first need
        self.base = 0                # where the image is mapped

    def in_image(self, addr: int, size: int, what: str) -> int:
        return in_image(self.mm, self.pe, self.base, addr, size, what, self.bprm.path)

    def load(self) -> Image:
        mm, pe = self.mm, self.pe
        if self.bits == 32:
            mm.layout.windows_32()
        base = self.base = map_image(mm, pe, self.bprm.data, self.bprm.path)
        stack_top = mm.layout.stack_top
        stack_size = page_up(min(max(pe.OPTIONAL_HEADER.SizeOfStackReserve, STACK_SIZE),
                                 MAX_STACK_SIZE))
        mm.map(stack_top - stack_size, stack_size, 3, "[stack]")
        # The DLLs it imports, bound by the personality's loader (its search order).
        linker = self.personality.link_program(self, base)
        tls_template = self.image_tls(base)
        dll_tls = []                 # (TLS index, template, zero fill) of each DLL with TLS
        for dll in linker.loaded:
            if dll.tls is not None:
                template, zero_fill, index_at = dll.tls
                dll_tls.append((len(dll_tls) + 1, template, zero_fill))
                if index_at:
                    mm.write_force(index_at, struct.pack("<I", len(dll_tls)))
        tls_array = self.personality.tls_array(mm, self.bits, tls_template, dll_tls)
        inits = [step for dll in linker.loaded for step in dll.initialisers()]
        entry = base + pe.OPTIONAL_HEADER.AddressOfEntryPoint
        self.start = start = self.personality.process_start(
            self, base, entry, stack_top, stack_size, tls_array, self.tls_callbacks, inits)
        linker.finish(lambda key, sym: self.personality.data_import(self, key, sym))
        crt = self.personality.crt_area(self)
        # What the personality's process state starts from (NtPersonality.on_exec).
        info = dict(start.info, crt=crt, image_base=base, modules=linker.modules,
                    module_paths=linker.paths,
                    missing_imports=missing_stubs(mm, self.word, linker.missing),
                    dlls_unloadable=linker.unloadable, program_module=linker.program,
                    dlls_broken_forwards=linker.broken_forwards,
                    tls_template=tls_template, tls_callbacks=self.tls_callbacks,
                    dll_tls=dll_tls, dll_notify=inits,
                    allocations={stack_top - stack_size: stack_size})   # the stack's region
        return Image(self.fmt, self.bits, mm, start.entry, start.sp, regs=start.regs,
                     setup=start.setup, info=info)

    # --- memory for the image's set-up -----------------------------------------------------

    def alloc(self, size: int, name: str) -> int:
        start = self.mm.find_free(page_up(size))
        self.mm.map(start, page_up(size), 3, name)
        return start

    def image_tls(self, base: int) -> tuple[bytes, int] | None:
        """The program's TLS template (index 0 written to its TLS index); its callbacks are
        kept in tls_callbacks."""
        self.tls_callbacks = []
        tls = read_tls(self.mm, self.pe, base, self.bprm.path)
        if tls is None:
            return None
        template, zero_fill, index_at, self.tls_callbacks = tls
        if index_at:
            self.mm.write_force(index_at, struct.pack("<I", 0))
        return template, zero_fill
