"""NT virtual memory services: NtAllocateVirtualMemory, NtFreeVirtualMemory,
NtProtectVirtualMemory, NtQueryVirtualMemory, over the process's address space."""
from __future__ import annotations

import struct

from ..errors import KernelError
from ..mm import page_down, page_up
from . import abi
from .shared_data import holds_shared_data
from .status import (STATUS_CONFLICTING_ADDRESSES, STATUS_FILE_INVALID,
                     STATUS_FREE_VM_NOT_AT_BASE, STATUS_GUARD_PAGE_VIOLATION,
                     STATUS_INVALID_ADDRESS, STATUS_INFO_LENGTH_MISMATCH,
                     STATUS_INVALID_HANDLE, STATUS_INVALID_INFO_CLASS,
                     STATUS_INVALID_PAGE_PROTECTION, STATUS_INVALID_PARAMETER,
                     STATUS_INVALID_PARAMETER_2, STATUS_INVALID_PARAMETER_3,
                     STATUS_INVALID_PARAMETER_4, STATUS_MEMORY_NOT_ALLOCATED, STATUS_NO_MEMORY,
                     STATUS_NOT_COMMITTED, STATUS_STACK_OVERFLOW, STATUS_SUCCESS,
                     STATUS_UNABLE_TO_DELETE_SECTION, STATUS_UNABLE_TO_FREE_VM, NtError)

MEM_COMMIT, MEM_RESERVE, MEM_DECOMMIT, MEM_RELEASE, MEM_FREE = 0x1000, 0x2000, 0x4000, 0x8000, 0x10000
MEM_PRIVATE, MEM_MAPPED, MEM_IMAGE = 0x20000, 0x40000, 0x1000000
MemoryBasicInformation, MemoryMappedFilenameInformation = 0, 2
MemoryWorkingSetInformation, MemoryWorkingSetExInformation = 1, 4
GRANULARITY = 0x10000
PAGE_PROT = {0x01: 0, 0x02: 1, 0x04: 3, 0x08: 3, 0x10: 4, 0x20: 5, 0x40: 7, 0x80: 7}


def _prot(page_protect: int) -> int:
    try:
        return PAGE_PROT[page_protect & 0xFF]
    except KeyError:
        raise NtError(STATUS_INVALID_PARAMETER) from None


def _page_protect(prot: int) -> int:
    return {0: 0x01, 1: 0x02, 3: 0x04, 4: 0x10, 5: 0x20, 7: 0x40}.get(prot, 0x04)


# --- guard pages -------------------------------------------------------------------------------
# A PAGE_GUARD page is mapped with no access; the first touch faults, the guard goes (the page
# gets the protection under it) and the thread gets a one-shot exception: STATUS_STACK_OVERFLOW
# in its own stack (the JVM's yellow zone, MSVC's _resetstkoflw), else
# STATUS_GUARD_PAGE_VIOLATION.

PAGE_GUARD = 0x100
MAX_GUARD_PAGES = 1 << 16       # 256 MiB of guard pages in one call: more is refused


def _mapped(start: int, end: int, protect: int) -> int:
    """The protection [start, end) is mapped with: none under a guard (and no more than
    MAX_GUARD_PAGES of guard at once)."""
    prot = _prot(protect)            # an unknown protection fails before anything changes
    if not protect & PAGE_GUARD:
        return prot
    if (end - start) >> 12 > MAX_GUARD_PAGES:
        raise NtError(STATUS_INVALID_PARAMETER)
    return 0


def _record_guard(t, start: int, end: int, protect: int) -> None:
    """Once [start, end) is mapped: its guard pages remembered, or any it had forgotten."""
    guards = t.win32.guard_pages
    if protect & PAGE_GUARD:
        guards.update(dict.fromkeys(range(start, end, 0x1000), _prot(protect)))
        return
    for page in [page for page in guards if start <= page < end]:   # few, if any
        del guards[page]


def _protect_of(t, page: int, prot: int) -> int:
    """The PAGE_* value a page shows (PAGE_GUARD with what is under it)."""
    under = t.win32.guard_pages.get(page)
    return _page_protect(under) | PAGE_GUARD if under is not None else _page_protect(prot)


def guard_hit(p, addr: int) -> int | None:
    """The exception a fault at addr is when it touched a guard page (the guard is gone
    then), or None for a plain access violation."""
    page = page_down(addr)
    under = p.win32.guard_pages.pop(page, None)
    if under is None:
        return None
    try:
        p.mm.protect(page, 0x1000, under)
    except KernelError:         # unmapped since (a view's): a plain access violation
        return None
    teb, wide = p.win32.teb, abi.word(p) == 8
    if teb:
        fmt, at = ("<QQ", teb + 8) if wide else ("<II", teb + 4)
        base, limit = struct.unpack(fmt, p.mm.read(at, struct.calcsize(fmt)))
        if limit <= addr < base:
            return STATUS_STACK_OVERFLOW
    return STATUS_GUARD_PAGE_VIOLATION


def _target(p, handle: int):
    """The process a memory service works on: the caller, or (a handle to another process of
    the same width: VirtualAllocEx, a server reserving its child's shared-memory range) that
    one. The service's own arguments stay in the caller's memory."""
    if handle in abi.CURRENT_PROCESS:
        return p
    from ..win32.kernel32_process import process_of_handle
    target = process_of_handle(p, handle)
    if target is None or not target.alive or target.mm is None or \
            target.sysvec.word_bits != p.sysvec.word_bits:
        raise NtError(STATUS_INVALID_HANDLE)
    return target


def _allocations(p) -> dict:
    return p.win32.allocations


def own_region(p, start: int, length: int) -> None:
    """Memory the system reserves for the program -- a thread's or a fiber's stack -- is a
    region of the program's, as on Windows, to decommit or free: HotSpot hands back its
    stack's guard pages when a thread ends."""
    _allocations(p)[start] = length


def release_region(p, start: int, length: int) -> None:
    """The system frees such a region (a fiber's stack when the fiber is deleted), what the
    program left of it included."""
    p.mm.unmap(start, length)
    allocations = _allocations(p)
    for base in [base for base in allocations if start <= base < start + length]:
        del allocations[base]


MEM_RESET, MEM_RESET_UNDO = 0x80000, 0x1000000


def _reset(p, t, base: int, size: int, base_out: int, size_out: int) -> int:
    """MEM_RESET: the caller no longer needs the contents of committed pages (V8 hands its
    unused heap pages back so); they stay committed and readable, which is all a program may
    rely on. MEM_RESET_UNDO takes that back: the contents are kept here anyway."""
    start, end = page_down(base), page_up(base + size)
    if not base or not t.mm.covered(start, end):
        raise NtError(STATUS_INVALID_PARAMETER)
    abi.write_ptr(p, base_out, start)
    abi.write_ptr(p, size_out, end - start)
    return STATUS_SUCCESS


def _commit(mm, start: int, end: int, prot: int) -> None:
    """Commit [start, end) of a reservation: reserved pieces get fresh zero pages, committed
    ones keep their contents and take the protection (as MEM_COMMIT over committed pages)."""
    for v in list(mm.vmas_in(start, end)):
        lo, hi = max(v.start, start), min(v.end, end)
        if v.reserved:
            mm.map(lo, hi - lo, prot, v.name)
        else:
            mm.protect(lo, hi - lo, prot)


def free_granule(mm, length: int) -> int:
    """A free range of length starting on the allocation granularity, as Windows places
    VirtualAlloc's regions and MapViewOfFile's views."""
    return (mm.find_free(length + GRANULARITY) + GRANULARITY - 1) & ~(GRANULARITY - 1)


def sys_NtAllocateVirtualMemory(p, ProcessHandle, BaseAddress, ZeroBits, RegionSize,
                                AllocationType, Protect):
    t = _target(p, ProcessHandle)
    mm = t.mm
    base = abi.read_ptr(p, BaseAddress)
    size = abi.read_ptr(p, RegionSize)
    AllocationType &= 0xFFFFFFFF
    if AllocationType & (MEM_RESET | MEM_RESET_UNDO) and size:
        return _reset(p, t, base, size, BaseAddress, RegionSize)
    if size == 0 or not AllocationType & (MEM_COMMIT | MEM_RESERVE):
        raise NtError(STATUS_INVALID_PARAMETER)
    _prot(Protect)              # an unknown protection fails before anything is made
    try:
        # MEM_COMMIT alone commits inside a reservation; MEM_RESERVE wants the range free
        # (a random placement hint that lands on a mapping fails, as Windows fails it, and
        # V8 then tries elsewhere).
        if base and not AllocationType & MEM_RESERVE and \
                mm.covered(page_down(base), page_up(base + size)):
            start, end = page_down(base), page_up(base + size)
            if holds_shared_data(t, start, end):    # the system's page, no reservation
                raise NtError(STATUS_CONFLICTING_ADDRESSES)
            if AllocationType & MEM_COMMIT:
                _commit(mm, start, end, _mapped(start, end, Protect))
                _record_guard(t, start, end, Protect)
        else:
            start = base & ~(GRANULARITY - 1) if base else 0
            end = page_up((base or 0) + size) if base else 0
            length = end - start if base else page_up(size)
            if base and mm.overlaps(start, end):
                raise NtError(STATUS_CONFLICTING_ADDRESSES)
            if not base:
                start = free_granule(mm, length)
            if AllocationType & MEM_COMMIT:
                mm.map(start, length, _mapped(start, start + length, Protect), "[nt]")
                _record_guard(t, start, start + length, Protect)
            else:
                mm.reserve(start, length, "[nt]")
            _allocations(t)[start] = length
            end = start + length
    except NtError:
        raise
    except KernelError:
        raise NtError(STATUS_NO_MEMORY) from None
    abi.write_ptr(p, BaseAddress, start)
    abi.write_ptr(p, RegionSize, end - start)
    return STATUS_SUCCESS


def _allocation_of(t, addr: int) -> tuple[int, int] | None:
    """The region NtAllocateVirtualMemory made (what is left of it) holding addr, as
    (start, length): Windows' VAD for it."""
    allocations = _allocations(t)
    length = allocations.get(addr)
    if length is not None:
        return addr, length
    return next(((start, length) for start, length in allocations.items()
                 if start <= addr < start + length), None)


def _not_freeable(t, addr: int) -> int:
    """Why a page no NtAllocateVirtualMemory made cannot be freed: an image or a section's
    view is no private memory (STATUS_UNABLE_TO_DELETE_SECTION: UnmapViewOfFile ends a
    view); anything else -- the shared user page, the pages the runtime keeps for the
    process -- is no region of the program's (STATUS_MEMORY_NOT_ALLOCATED)."""
    vma = t.mm.find_vma(addr)
    if vma is not None and (vma.name[:1] not in ("", "[") or any(
            start <= addr < start + length for start, length in t.win32.views.items())):
        return STATUS_UNABLE_TO_DELETE_SECTION
    return STATUS_MEMORY_NOT_ALLOCATED


def sys_NtFreeVirtualMemory(p, ProcessHandle, BaseAddress, RegionSize, FreeType):
    """MEM_DECOMMIT or MEM_RELEASE pages of one region NtAllocateVirtualMemory made, by
    Windows' rules (MiFreeVirtualMemory): the range lies in the region (a size of 0: all of
    it, from its base); a release of part of it leaves the rest as regions of their own."""
    FreeType &= 0xFFFFFFFF
    if FreeType not in (MEM_DECOMMIT, MEM_RELEASE):     # one of them, nothing else
        raise NtError(STATUS_INVALID_PARAMETER_4)
    t = _target(p, ProcessHandle)
    addr = abi.read_ptr(p, BaseAddress)
    size = abi.read_ptr(p, RegionSize)
    top = t.mm.layout.user_top
    if addr >= top:
        raise NtError(STATUS_INVALID_PARAMETER_2)
    if top - addr < size:
        raise NtError(STATUS_INVALID_PARAMETER_3)
    start = page_down(addr)
    region = _allocation_of(t, start)
    if region is None:
        raise NtError(_not_freeable(t, start))
    base, length = region
    end = page_up(addr + size) if size else base + length
    if end > base + length:
        raise NtError(STATUS_UNABLE_TO_FREE_VM)         # past the region's end
    if not size and start != base:
        raise NtError(STATUS_FREE_VM_NOT_AT_BASE)
    if FreeType == MEM_RELEASE:
        t.mm.unmap(start, end - start)
        allocations = _allocations(t)
        del allocations[base]
        if start > base:
            allocations[base] = start - base
        if end < base + length:
            allocations[end] = base + length - end
    else:       # back to reserved: the pages and their charge go
        t.mm.reserve(start, end - start, "[nt]")
    _record_guard(t, start, end, 0)       # freed pages keep no guard
    abi.write_ptr(p, BaseAddress, start)
    abi.write_ptr(p, RegionSize, end - start)
    return STATUS_SUCCESS


def sys_NtProtectVirtualMemory(p, ProcessHandle, BaseAddress, RegionSize, NewProtect, OldProtect):
    t = _target(p, ProcessHandle)
    mm = t.mm
    base = abi.read_ptr(p, BaseAddress)
    size = abi.read_ptr(p, RegionSize)
    start, end = page_down(base), page_up(base + max(size, 1))
    old = next((v.prot for v in mm.vmas if v.start <= start < v.end), None)
    if old is None:
        raise NtError(STATUS_INVALID_PAGE_PROTECTION)   # for unmapped memory
    if any(v.reserved for v in mm.vmas_in(start, end)):
        raise NtError(STATUS_NOT_COMMITTED)             # VirtualProtect: ERROR_INVALID_ADDRESS
    if holds_shared_data(t, start, end):                # the system's page stays read-only
        raise NtError(STATUS_INVALID_PAGE_PROTECTION)
    was = _protect_of(t, start, old)
    try:
        mm.protect(start, end - start, _mapped(start, end, NewProtect))
    except KernelError:
        raise NtError(STATUS_CONFLICTING_ADDRESSES) from None
    _record_guard(t, start, end, NewProtect)
    abi.write_ptr(p, BaseAddress, start)
    abi.write_ptr(p, RegionSize, end - start)
    if OldProtect:
        p.mm.write_u32(OldProtect, was)
    return STATUS_SUCCESS


def _backing(t, addr: int):
    """What maps addr when it is no private memory, as (MEM_IMAGE or MEM_MAPPED, the base
    of the image or view, the file's guest path: "" for a view of a pagefile section), or
    None."""
    from ..binfmt.pe import image_size
    from ..win32.kernel32_system import module_file_name
    state = t.win32
    for base in [state.image_base] + [b for b, _ in state.modules.values()]:
        if base and base <= addr < base + image_size(t, base):
            path = module_file_name(t, base) or ""
            return MEM_IMAGE, base, "/" + path[3:].replace("\\", "/") \
                if path[1:3] == ":\\" else path
    for start, length in state.views.items():
        if start <= addr < start + length:
            vma = t.mm.find_vma(addr)
            return MEM_MAPPED, start, vma.name if vma is not None and \
                vma.name.startswith("/") else ""
    return None


def _mapped_file_name(p, t, addr: int, at: int, length: int, returned: int) -> int:
    """MemoryMappedFilenameInformation: a UNICODE_STRING and the NT path (on drive C:'s
    volume device) of the image or file mapped at addr; STATUS_FILE_INVALID for memory no
    file backs, STATUS_INVALID_ADDRESS for none at all."""
    from .paths import VOLUME, volume_path
    if t.mm.find_vma(addr) is None:
        raise NtError(STATUS_INVALID_ADDRESS)
    backing = _backing(t, addr)
    if backing is None or not backing[2]:
        raise NtError(STATUS_FILE_INVALID)
    data = (VOLUME + volume_path(backing[2])).encode("utf-16-le")
    w = abi.word(p)
    need = 2 * w + len(data) + 2
    if returned:
        abi.write_ptr(p, returned, need)
    if length < need:
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    p.mm.write(at, struct.pack("<HH", len(data), len(data) + 2) + bytes(w - 4))
    abi.write_ptr(p, at + w, at + 2 * w)
    p.mm.write(at + 2 * w, data + b"\0\0")
    return STATUS_SUCCESS


def sys_NtQueryVirtualMemory(p, ProcessHandle, BaseAddress, MemoryInformationClass,
                             MemoryInformation, MemoryInformationLength, ReturnLength):
    """MemoryBasicInformation (an image's pages are MEM_IMAGE of the image's allocation, a
    view's MEM_MAPPED, the rest MEM_PRIVATE), MemoryMappedFilenameInformation, and the
    working set (MemoryWorkingSetInformation, MemoryWorkingSetExInformation)."""
    t = _target(p, ProcessHandle)
    mm = t.mm
    if MemoryInformationClass == MemoryWorkingSetInformation:
        return _working_set(p, t, MemoryInformation, MemoryInformationLength, ReturnLength)
    if MemoryInformationClass == MemoryWorkingSetExInformation:
        return _working_set_ex(p, t, MemoryInformation, MemoryInformationLength,
                               ReturnLength)
    if MemoryInformationClass not in (MemoryBasicInformation, MemoryMappedFilenameInformation):
        raise NtError(STATUS_INVALID_INFO_CLASS)
    addr = page_down(BaseAddress)
    if addr >= mm.layout.user_top:
        raise NtError(STATUS_INVALID_PARAMETER)     # above the user address space
    if MemoryInformationClass == MemoryMappedFilenameInformation:
        return _mapped_file_name(p, t, addr, MemoryInformation,
                                 MemoryInformationLength & 0xFFFFFFFF, ReturnLength)
    vma = next((v for v in mm.vmas if v.start <= addr < v.end), None)
    if vma is None:
        following = [v.start for v in mm.vmas if v.start > addr]
        end = min(following) if following else mm.layout.user_top
        fields = (addr, 0, 0, end - addr, MEM_FREE, 0x01, 0)
    else:
        state = MEM_RESERVE if vma.reserved else MEM_COMMIT
        region = _allocation_of(t, addr)
        backing = None if region else _backing(t, addr)
        kind, base = (backing[0], backing[1]) if backing else \
            (MEM_PRIVATE, region[0] if region else vma.start)
        fields = (addr, base, _page_protect(vma.prot), vma.end - addr, state,
                  0 if vma.reserved else _protect_of(t, addr, vma.prot), kind)
    if abi.word(p) == 8:
        data = struct.pack("<QQI4xQIII4x", *fields)
    else:
        data = struct.pack("<IIIIIII", *fields)
    if MemoryInformationLength < len(data):
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    p.mm.write(MemoryInformation, data)
    if ReturnLength:
        abi.write_ptr(p, ReturnLength, len(data))
    return STATUS_SUCCESS


# --- the working set: the pages that have memory behind them -----------------------------------
# A page never touched has none (it is not in the working set); an image's or a view's pages
# are shareable (Shared, this process their one user: ShareCount 1), the rest private. Each
# MEMORY_WORKING_SET_BLOCK is a word: Protection (5 bits, the memory manager's MM_*),
# ShareCount (3), Shared (1), Node (3), then the virtual page number. psutil's USS counts them.

MM_PROTECTION = {0: 0x18, 1: 1, 3: 4, 4: 2, 5: 3, 7: 6}      # prot -> MM_*; none: MM_NOACCESS
MM_GUARD_PAGE = 0x10
WS_CHUNK_PAGES = 1 << 16


def _resident_pages(t, v) -> list[int]:
    """The addresses of v's pages that have memory."""
    mm, found = t.mm, []
    if v.reserved or mm.resident_pages(v.start, v.end) == 0:
        return found
    at = v.start
    while at < v.end:
        pages = min(v.end - at, WS_CHUNK_PAGES * 0x1000) // 0x1000
        out = mm.ffi.new("uint8_t[]", pages)
        if mm.lib.sv_as_resident(mm.c, at, pages, out) == 0:
            flags = bytes(mm.ffi.buffer(out, pages))
            found += [at + i * 0x1000 for i, on in enumerate(flags) if on]
        at += pages * 0x1000
    return found


def _shared(t, v) -> bool:
    """Whether v's pages are an image's or a view's (shareable), not private memory."""
    return _allocation_of(t, v.start) is None and _backing(t, v.start) is not None


def working_set(t) -> list[tuple[int, int, bool]]:
    """Each page of t's working set, in address order: (address, MM_* protection, shared)."""
    guards = t.win32.guard_pages
    pages = []
    for v in t.mm.shown_vmas():
        resident = _resident_pages(t, v)
        if not resident:
            continue
        shared, protection = _shared(t, v), MM_PROTECTION.get(v.prot, 4)
        for page in resident:
            under = guards.get(page)
            pages.append((page, protection if under is None else
                          MM_GUARD_PAGE | MM_PROTECTION.get(under, 4), shared))
    return pages


def _working_set(p, t, at: int, length: int, returned: int) -> int:
    """MEMORY_WORKING_SET_INFORMATION: the count, then a block per page; when they do not
    fit, the count alone (if it fits) and STATUS_INFO_LENGTH_MISMATCH."""
    w = abi.word(p)
    pages = working_set(t)
    need = w * (1 + len(pages))
    if returned:
        abi.write_ptr(p, returned, need)
    if length < w:
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    abi.write_ptr(p, at, len(pages))
    if length < need:
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    blocks = [page | protection | (1 << 5 | 1 << 8 if shared else 0)
              for page, protection, shared in pages]
    p.mm.write(at + w, struct.pack(f"<{len(blocks)}{'Q' if w == 8 else 'I'}", *blocks))
    return STATUS_SUCCESS


def _working_set_ex(p, t, at: int, length: int, returned: int) -> int:
    """MEMORY_WORKING_SET_EX_INFORMATION for each address the caller put in the array: Valid
    with ShareCount, the Win32 protection and Shared for a page of the working set, all
    zero for one that is not."""
    w = abi.word(p)
    entry = 2 * w
    if length < entry:
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    count = length // entry
    addresses = [abi.read_ptr(p, at + i * entry) for i in range(count)]
    word = "Q" if w == 8 else "I"
    for i, addr in enumerate(addresses):
        page, attributes = page_down(addr), 0
        v = t.mm.find_vma(page)
        if v is not None and page in _resident_pages_in(t, v, page):
            shared = _shared(t, v)
            attributes = 1 | (1 << 1 if shared else 0) | \
                _protect_of(t, page, v.prot) << 4 | (1 << 15 if shared else 0)
        p.mm.write(at + i * entry + w, struct.pack(f"<{word}", attributes))
    if returned:
        abi.write_ptr(p, returned, count * entry)
    return STATUS_SUCCESS


def _resident_pages_in(t, v, page: int) -> list[int]:
    """[page] when page (of v) has memory, else []."""
    if v.reserved:
        return []
    return [page] if t.mm.resident_pages(page, page + 0x1000) else []
