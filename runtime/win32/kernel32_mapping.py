"""File mappings: CreateFileMapping makes a section of a file (or of the paging file, for
memory shared by its views), MapViewOfFile maps a view of it, UnmapViewOfFile and
FlushViewOfFile end and write one back. A file's views share the pages every mapper of the
file shares (runtime/linux/shm.py's page cache, as mmap(MAP_SHARED) does, so writes reach
the file); a paging-file section keeps its pages, so all its views see the same memory;
FILE_MAP_COPY views are private copies. A name makes a section any process of the machine
finds (CreateFileMapping of the same name, OpenFileMapping); a handle inherited, duplicated
or opened by name in another process of the same width maps the same paging-file pages."""
from __future__ import annotations

from ..errors import KernelError
from ..mm import PAGE, page_up
from ..nt import abi
from ..nt.memory import GRANULARITY as ALLOCATION_GRANULARITY, free_granule
from ..nt.sharing import FILE_EXECUTE, GENERIC_ALL, GENERIC_EXECUTE
from .kernel32_sync import object_of
from .named_objects import create_named, open_named, read_name

PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY = 0x02, 0x04, 0x08
PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE = 0x20, 0x40
FILE_MAP_COPY, FILE_MAP_WRITE, FILE_MAP_READ, FILE_MAP_EXECUTE = 0x1, 0x2, 0x4, 0x20
ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY, ERROR_INVALID_PARAMETER = 6, 8, 87
ERROR_ACCESS_DENIED, ERROR_FILE_INVALID = 5, 1006
ERROR_MAPPED_ALIGNMENT = 1132
NOPAGE = 0xFFFFFFFF


class Section:
    """A file-mapping object: the file (None: the paging file), its size, its protection."""

    kind = "section"

    def __init__(self, p, f, size: int, protect: int, name: str):
        self.file, self.size, self.protect, self.name = f, size, protect, name
        self.pages = None          # a paging-file section's physical pages, made on first view
        self.engine = p.engine

    def close(self, p) -> None:
        if self.file is not None:
            self.file.decref()
        if self.pages is not None:
            for ppn in self.pages:
                if ppn != NOPAGE:
                    self.engine.lib.sv_phys_unref(self.engine.phys, ppn)
            self.pages = None


def _writable_section(protect: int) -> bool:
    return bool(protect & (PAGE_READWRITE | PAGE_EXECUTE_READWRITE))


PAGE_EXECUTE_ANY = 0x10 | 0x20 | 0x40 | 0x80


def _handle_allows(f, protect: int) -> bool:
    """Whether a file handle's access allows a section of this protection: writing needs a
    handle open for writing, executing one opened with execute access."""
    kind = protect & 0xFF
    if kind in (PAGE_READWRITE, PAGE_EXECUTE_READWRITE) and f.status_flags & 3 == 0:
        return False
    access = getattr(f, "nt_access", None)     # (files NtCreateFile opened record it)
    if kind & PAGE_EXECUTE_ANY and access is not None and \
            not access & (FILE_EXECUTE | GENERIC_EXECUTE | GENERIC_ALL):
        return False
    return True


def _create(p, hFile, flProtect, high, low, name: str) -> int:
    """A section under name: the one already there (named_objects), or a new one."""
    return create_named(p, name, "section",
                        lambda: _new_section(p, hFile, flProtect, high, low, name))


def _new_section(p, hFile, flProtect, high, low, name: str):
    """A new Section, or None with the last error set."""
    size = (high << 32) | low
    limit = p.kernel.limits.pages_per_process * PAGE
    if limit and page_up(size) > limit or size >= 1 << (8 * abi.word(p)):
        p.win32.last_error = ERROR_NOT_ENOUGH_MEMORY   # more than the process could ever map
        return None
    invalid = (1 << (8 * abi.word(p))) - 1
    f = None
    if hFile not in (0, invalid):
        try:
            f = abi.file_of(p, hFile)
        except Exception:    # NtError: not a file handle
            p.win32.last_error = ERROR_INVALID_HANDLE
            return None
        if not _handle_allows(f, flProtect):
            # Windows checks the protection against the handle's access: Rust's memmap2
            # probes PAGE_READWRITE and PAGE_EXECUTE_READ so before falling back
            p.win32.last_error = ERROR_ACCESS_DENIED
            return None
        try:
            current = f.fstat().st_size
            if size > current:
                if not _writable_section(flProtect):
                    p.win32.last_error = ERROR_NOT_ENOUGH_MEMORY
                    return None
                f.truncate(size)                   # a section larger than its file grows it
            size = size or current
        except KernelError:
            p.win32.last_error = ERROR_ACCESS_DENIED
            return None
        if size == 0:
            p.win32.last_error = ERROR_FILE_INVALID    # an empty file cannot be mapped
            return None
        f.incref()
    elif size == 0:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return None
    else:
        # NT makes a paging-file section of whole pages (a prototype PTE per page), so a view
        # may cover its last page whole: CPython's shared_memory maps the page VirtualQuery
        # reports of a block it opens by name
        size = page_up(size)
    return Section(p, f, size, flProtect, name)


def sys_kernel32_CreateFileMappingW(p, hFile, lpFileMappingAttributes, flProtect,
                                    dwMaximumSizeHigh, dwMaximumSizeLow, lpName):
    return _create(p, hFile, flProtect, dwMaximumSizeHigh, dwMaximumSizeLow,
                   read_name(p, lpName, True))


def sys_kernel32_CreateFileMappingA(p, hFile, lpFileMappingAttributes, flProtect,
                                    dwMaximumSizeHigh, dwMaximumSizeLow, lpName):
    return _create(p, hFile, flProtect, dwMaximumSizeHigh, dwMaximumSizeLow,
                   read_name(p, lpName, False))


def sys_kernel32_OpenFileMappingW(p, dwDesiredAccess, bInheritHandle, lpName):
    return open_named(p, read_name(p, lpName, True), "section")


def sys_kernel32_OpenFileMappingA(p, dwDesiredAccess, bInheritHandle, lpName):
    return open_named(p, read_name(p, lpName, False), "section")


def _copy_on_write(access: int) -> bool:
    """FILE_MAP_COPY alone (or with FILE_MAP_EXECUTE): its bit is also SECTION_QUERY, part of
    FILE_MAP_ALL_ACCESS, which maps the section itself."""
    return access & ~FILE_MAP_EXECUTE == FILE_MAP_COPY


def _view_prot(access: int) -> int:
    prot = 1
    if access & FILE_MAP_WRITE or _copy_on_write(access):
        prot |= 2
    if access & FILE_MAP_EXECUTE:
        prot |= 4
    return prot


def _map_view(p, hFileMappingObject, dwDesiredAccess, high, low, count, base,
              granularity: int = ALLOCATION_GRANULARITY) -> int:
    section = object_of(p, hFileMappingObject, "section")
    if section is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if section.file is None and section.engine is not p.engine:
        p.win32.last_error = ERROR_ACCESS_DENIED   # memory of another width's processes
        return 0
    offset = (high << 32) | low
    if offset % granularity or (base and base % granularity):
        p.win32.last_error = ERROR_MAPPED_ALIGNMENT
        return 0
    length = count or section.size - offset
    if length <= 0 or offset + length > section.size:
        p.win32.last_error = ERROR_ACCESS_DENIED
        return 0
    dwDesiredAccess &= 0xFFFFFFFF
    if dwDesiredAccess & FILE_MAP_WRITE and not _writable_section(section.protect):
        p.win32.last_error = ERROR_ACCESS_DENIED
        return 0
    mm, prot = p.mm, _view_prot(dwDesiredAccess)
    # a view starts on the allocation granularity (Rust's memmap2 unmaps and flushes at the
    # view's address rounded down to it)
    start = base or free_granule(mm, length)
    if base and mm.overlaps(start, start + page_up(length)):
        p.win32.last_error = 487      # ERROR_INVALID_ADDRESS
        return 0
    try:
        if _copy_on_write(dwDesiredAccess):
            _map_copy(p, section, start, length, offset, prot)
        elif section.file is not None and _snapshot(section.file) and \
                not dwDesiredAccess & FILE_MAP_WRITE:
            # a file with no host pages (System32's generated DLLs) never changes: a read-only
            # view of a copy is the same view
            _map_copy(p, section, start, length, offset, prot)
        elif section.file is not None:
            from ..linux.shm import map_shared
            map_shared(p, start, length, prot, section.file, offset, section.file.guest_path)
        else:
            _map_paging_file(p, section, start, length, offset, prot)
    except KernelError:
        p.win32.last_error = ERROR_ACCESS_DENIED
        return 0
    p.win32.views[start] = length
    return start


def _snapshot(f) -> bool:
    """A file the runtime made up whose contents never change (no host pages to share)."""
    from ..files import BytesFile
    return isinstance(f, BytesFile)


def _map_copy(p, section, start: int, length: int, offset: int, prot: int) -> None:
    """FILE_MAP_COPY: the view's pages are the process's own, starting as the file's."""
    p.mm.map(start, length, prot, getattr(section.file, "guest_path", ""))
    if section.file is not None:
        data = section.file.pread(length, offset)
        if data:
            p.mm.write_force(start, data)


def _map_paging_file(p, section, start: int, length: int, offset: int, prot: int) -> None:
    """A view of paging-file memory: the section's own pages, shared by all its views."""
    engine = p.engine
    npages = page_up(section.size) // PAGE
    if section.pages is None:
        section.pages = engine.ffi.new("uint32_t[]", [NOPAGE] * npages)
    first, count = offset // PAGE, page_up(length) // PAGE
    ppns = engine.ffi.new("uint32_t[]", [section.pages[first + i] for i in range(count)])
    p.mm.map_shared(start, length, prot, ppns, "[section]")
    for i in range(count):           # pages the view made are the section's from now on
        if section.pages[first + i] == NOPAGE:
            section.pages[first + i] = ppns[i]
            engine.lib.sv_phys_ref(engine.phys, ppns[i])


def sys_kernel32_MapViewOfFile(p, hFileMappingObject, dwDesiredAccess, dwFileOffsetHigh,
                               dwFileOffsetLow, dwNumberOfBytesToMap):
    return _map_view(p, hFileMappingObject, dwDesiredAccess, dwFileOffsetHigh,
                     dwFileOffsetLow, dwNumberOfBytesToMap, 0)


def sys_kernel32_MapViewOfFileEx(p, hFileMappingObject, dwDesiredAccess, dwFileOffsetHigh,
                                 dwFileOffsetLow, dwNumberOfBytesToMap, lpBaseAddress):
    return _map_view(p, hFileMappingObject, dwDesiredAccess, dwFileOffsetHigh,
                     dwFileOffsetLow, dwNumberOfBytesToMap, lpBaseAddress)


# MapViewOfFile3 names a page protection where the older calls name an access
ACCESS_OF_PROTECTION = {0x02: FILE_MAP_READ, 0x04: FILE_MAP_WRITE, 0x08: FILE_MAP_COPY,
                        0x20: FILE_MAP_READ | FILE_MAP_EXECUTE,
                        0x40: FILE_MAP_WRITE | FILE_MAP_EXECUTE,
                        0x80: FILE_MAP_COPY | FILE_MAP_EXECUTE}
MEM_REPLACE_PLACEHOLDER = 0x4000


def sys_kernel32_MapViewOfFile3(p, FileMapping, Process, BaseAddress, Offset, ViewSize,
                                AllocationType, PageProtection, ExtendedParameters,
                                ParameterCount):
    """Windows 10's form (GraalVM's native images map their image heap so): a view in this
    process at BaseAddress (any when NULL), with MEM_REPLACE_PLACEHOLDER taking the place of
    a reservation there -- and then offset and address need only be page-aligned. Extended
    parameters (address requirements) are not looked at."""
    from .kernel32 import sys_kernel32_GetCurrentProcess
    access = ACCESS_OF_PROTECTION.get(PageProtection & 0xFF)
    if access is None or Process not in (0, sys_kernel32_GetCurrentProcess(p)):
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    granularity = ALLOCATION_GRANULARITY
    if BaseAddress and AllocationType & MEM_REPLACE_PLACEHOLDER and ViewSize:
        granularity = PAGE
        end = BaseAddress + page_up(ViewSize)
        if all(v.reserved for v in p.mm.vmas_in(BaseAddress, end)):
            p.mm.unmap(BaseAddress, end - BaseAddress)
    return _map_view(p, FileMapping, access, Offset >> 32, Offset & 0xFFFFFFFF, ViewSize,
                     BaseAddress, granularity)


def sys_kernel32_UnmapViewOfFile(p, lpBaseAddress):
    from ..linux.shm import writeback
    length = p.win32.views.pop(lpBaseAddress, None)
    if length is None:
        p.win32.last_error = 487      # ERROR_INVALID_ADDRESS: no view starts there
        return 0
    p.mm.unmap(lpBaseAddress, length)
    writeback(p.kernel)
    return 1


def sys_kernel32_FlushViewOfFile(p, lpBaseAddress, dwNumberOfBytesToFlush):
    from ..linux.shm import writeback
    writeback(p.kernel)
    return 1
