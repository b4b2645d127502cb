"""A process's address space: the C page table (mm.c) plus the list of mappings (VMAs) that
mmap, brk and /proc/self/maps reason about. Every kernel access to guest memory goes through
read/write here, which check the range and raise Fault (EFAULT) instead of touching the host."""
from __future__ import annotations

import bisect
import copy
import dataclasses
import errno
import os
import struct
from dataclasses import dataclass

from .errors import Fault, KernelError

PAGE = 4096
MAX_ARG_STRLEN = 32 * PAGE     # one argument or variable, with its NUL
MAX_ARG_BYTES = 2 << 20        # all of them with their pointers: a quarter of an 8 MiB stack
PROT_READ, PROT_WRITE, PROT_EXEC = 1, 2, 4
PTE_NORESERVE = 64      # csrc/sysvec.h SV_PTE_NORESERVE: a page the space's charge leaves out
RLIM_INFINITY = (1 << 64) - 1
STACK_LIMIT = 8 << 20          # RLIMIT_STACK's default soft value (_STK_LIM)
STACK_EXPAND = 128 << 10       # what exec's stack holds beyond its arguments (setup_arg_pages)
# stack_guard_gap: a stack growing down keeps this far above the accessible mapping below it
# (Linux's default, 256 pages), so a run-away stack faults instead of reaching into other memory.
STACK_GUARD_GAP = 256 * PAGE
MMAP_GAP_MIN = 128 << 20       # the least room mmap_base leaves a stack (mm/util.c's SIZE_128M)


def page_down(x: int) -> int:
    return x & ~(PAGE - 1)


def page_up(x: int) -> int:
    return (x + PAGE - 1) & ~(PAGE - 1)


# Anonymous kinds of mapping that Linux merges with an equal neighbour (same protection, both
# anonymous): a heap grown by many brk calls stays one mapping. File, System V and NT mappings
# keep their own starts (shmdt and NtQueryVirtualMemory look them up by it).
MERGEABLE = frozenset({"", "[heap]", "[stack]"})


@dataclass
class Vma:
    start: int
    end: int
    prot: int
    name: str = ""
    shared: bool = False      # VM_SHARED: never merged with a private neighbour
    maxprot: int = 7          # VM_MAY*: what mprotect may grant (a read-only file: no write)
    dontdump: bool = False    # VM_DONTDUMP (MADV_DONTDUMP): left out of core dumps
    growsdown: bool = False   # VM_GROWSDOWN (MAP_GROWSDOWN): a fault just below extends it
    reserved: bool = False    # address space only (NT's MEM_RESERVE): no pages, no charge
    offset: int = 0           # a file mapping's: the file offset at start, its device and inode
    dev: int = 0              # (what /proc/PID/maps shows; 0 for anonymous memory)
    inode: int = 0
    charged: bool = False     # VM_ACCOUNT: private and writable once; never merges with a
                              # mapping that was not (the RELRO page beside read-only text)
    noreserve: bool = False   # VM_NORESERVE (MAP_NORESERVE): its pages are never charged

    def part(self, start: int, end: int, **changes) -> "Vma":
        """This mapping's [start, end), with the fields changes names changed."""
        offset = self.offset + start - self.start if self.inode else 0
        if changes:
            changes.setdefault("offset", offset)
            return dataclasses.replace(self, start=start, end=end, **changes)
        return Vma(start, end, self.prot, self.name, self.shared, self.maxprot, self.dontdump,
                   self.growsdown, self.reserved, offset, self.dev, self.inode,
                   self.charged, self.noreserve)   # the common case, three times faster


def _maps_line(start: int, end: int, perms: str, offset: int, dev: int, inode: int,
               name: str) -> str:
    """A /proc/PID/maps line as show_map_vma prints it: a name starts at column 73, and a
    newline in a file's name is written \\012 (seq_file_path's escape), so that a name
    cannot forge lines."""
    head = f"{start:08x}-{end:08x} {perms} {offset:08x} " \
           f"{os.major(dev):02x}:{os.minor(dev):02x} {inode} "
    return f"{head:<72} " + name.replace("\n", "\\012") if name else head


def _vma_start(v: Vma) -> int:
    return v.start


class Layout:
    """Where things go in a fresh address space, per word size."""

    def __init__(self, bits: int):
        if bits == 64:
            self.user_top = 0x0000_7FFF_FFFF_F000
            self.stack_top = 0x0000_7FFF_FFFF_E000
            self.mmap_base = 0x0000_7FFF_F7FF_0000
            self.pie_base = 0x0000_5555_5555_4000
        else:
            self.user_top = 0xFFFF_E000      # the top pages hold the GDT
            self.stack_top = 0xBFFF_F000
            self.mmap_base = 0xB7FF_0000
            self.pie_base = 0x5655_5000
        self.mmap_floor = 0x10000
        self.legacy = False      # mmap's search goes bottom-up from mmap_base (an unlimited stack)

    def place_mmap_base(self, rlim_stack: int) -> None:
        """Where mmap's search starts for a program whose RLIMIT_STACK at exec is rlim_stack,
        as Linux's mmap_base: below the stack's top by the limit and the guard gap, at least
        128 MiB and at most 5/6 of the address space, so a stack as large as its limit has
        room. An unlimited stack gives the legacy layout: mappings bottom-up from a third of
        the address space (TASK_UNMAPPED_BASE), the stack growing down until it meets them."""
        task = self.stack_top + PAGE
        if rlim_stack >= RLIM_INFINITY:
            self.legacy = True
            self.mmap_base = page_up(task // 3)
            return
        gap = min(max(rlim_stack + STACK_GUARD_GAP, MMAP_GAP_MIN), task // 6 * 5)
        self.mmap_base = (self.stack_top - gap) & ~0xFFFF

    def windows_32(self) -> None:
        """A 32-bit Windows process's: everything below 2 GiB (0x7FFEFFFF is the highest
        user address), as Windows gives a program not large-address-aware and, allocating
        bottom-up, every program's heap; programs keep flags in a pointer's top bit (mio's
        tokens shift it out)."""
        self.user_top = 0x7FFF_0000
        self.stack_top = 0x7FFD_0000     # below KUSER_SHARED_DATA (0x7FFE0000)
        # Mappings start below the largest stack the loader gives (64 MiB) and a gap: a run
        # over the end of a mapping faults rather than reaching the stack.
        self.mmap_base = self.stack_top - (64 << 20) - 0x10000


class AddressSpace:
    def __init__(self, engine, c_as=None, page_limit: int = 0):
        self.engine = engine
        self.ffi, self.lib = engine.ffi, engine.lib
        self.bits = engine.bits
        self.layout = Layout(engine.bits)
        self.c = c_as if c_as is not None else self.lib.sv_as_new(engine.phys, page_limit)
        if self.c == self.ffi.NULL:
            raise KernelError(errno.ENOMEM)
        engine.spaces.add(self)   # released before the engine frees the pages they map
        self._vmas: list[Vma] = []
        # The main thread's stack (exec's, map_stack) grows down in mm.c, which an access below
        # it (the guest's or the kernel's) maps without asking: its mapping here catches up
        # when the list is next read (vmas). stack_top 0: no stack grows.
        self.stack_top = 0
        self.stack_limit = STACK_LIMIT   # RLIMIT_STACK: how far below stack_top it may grow
        self._grown = 0           # mm.c's grow_start (a page number) as last seen
        self._stack_watch = 0     # a change of the mappings above this may move its window
        # madvise and mlock's ranges (linux/mm.py): (start, end) pairs
        self.locked: list[tuple[int, int]] = []       # mlock'd ranges (VmLck; not inherited)
        self.wipe_on_fork: list[tuple[int, int]] = []  # MADV_WIPEONFORK: zero in a fork's child
        self.brk_start = self.brk = 0   # brk writes through to the C side (sv_c_brk reads it)
        self.saved_auxv = b""   # the auxiliary vector exec gave the program (runtime/startstack.py)
        self.vdso = 0           # where exec mapped the vDSO (linux/vdso.py); 0 when none
        # where exec put the argument and environment strings (mm->arg_start ... env_end):
        # /proc/PID/cmdline reads them live, as a program may rewrite its title there
        self.arg_area: tuple[int, int, int, int] | None = None
        self.users = 1          # processes using it: clone(CLONE_VM) shares it (threads don't count)

    @property
    def vmas(self) -> list[Vma]:
        """The mappings, sorted and disjoint: the stack as far as it has grown."""
        c = self.c
        if c is not None and c.grow_start != self._grown:
            self._sync_stack(int(c.grow_start))
        return self._vmas

    @vmas.setter
    def vmas(self, value: list[Vma]) -> None:
        self._vmas = value

    @property
    def brk(self) -> int:
        return self.c.brk

    @brk.setter
    def brk(self, value: int) -> None:
        self.c.brk = value

    # --- lifetime ---------------------------------------------------------------------------

    def fork(self) -> "AddressSpace":
        child = AddressSpace(self.engine, self.lib.sv_as_fork(self.c))
        child.vmas = [v.part(v.start, v.end) for v in self.vmas]
        child.stack_top, child.stack_limit = self.stack_top, self.stack_limit
        child._grown, child._stack_watch = self._grown, self._stack_watch   # (mm.c's copied)
        child.brk_start, child.brk = self.brk_start, self.brk
        child.saved_auxv, child.vdso, child.arg_area = self.saved_auxv, self.vdso, self.arg_area
        child.layout = copy.copy(self.layout)
        return child

    def share(self) -> "AddressSpace":
        """Another process uses this space (clone with CLONE_VM, vfork): one more release
        before it is freed."""
        self.users += 1
        return self

    def release(self, force: bool = False) -> None:
        """A process is done with the space; the last one frees it (force: now, the engine
        closing)."""
        self.users -= 1
        if self.users > 0 and not force:
            return
        if self.c is not None:
            cpu = self.engine.cpu
            if cpu.aspace == self.c:   # the engine must not fill its TLB from freed memory
                cpu.aspace = self.engine.ffi.NULL
            self.lib.sv_as_free(self.c)
            self.c = None

    # --- mappings -----------------------------------------------------------------------------

    def map(self, start: int, length: int, prot: int, name: str = "", kernel: bool = False,
            growsdown: bool = False, noreserve: bool = False) -> int:
        """Map fresh zero pages at a fixed address, replacing what was there. Only the kernel
        maps above user_top (the i386 GDT page). noreserve: MAP_NORESERVE's pages, which
        are not charged against the space's limit even when writable."""
        start, end = page_down(start), page_up(start + length)
        if end <= start or (end > self.layout.user_top and not kernel) or end > 1 << self.bits:
            raise KernelError(errno.ENOMEM)
        # sv_as_map (like unmap and protect) tells the trap path when a cached translation
        # went stale, and the TLB is flushed before the guest runs on.
        if self.lib.sv_as_map(self.c, start, end - start,
                              prot | (PTE_NORESERVE if noreserve else 0)) != 0:
            raise KernelError(errno.ENOMEM)
        self._replace(start, end, [Vma(start, end, prot, name, growsdown=growsdown,
                                       charged=bool(prot & PROT_WRITE) and not noreserve,
                                       noreserve=noreserve)],
                      merge=True)
        return start

    def map_stack(self, top: int, size: int, limit: int) -> None:
        """The main thread's stack: [top - size, top), growing down (VM_GROWSDOWN) as far as
        limit (RLIMIT_STACK) below top, as exec makes it."""
        self.stack_top, self.stack_limit = top, limit
        self.map(top - size, size, PROT_READ | PROT_WRITE, "[stack]", growsdown=True)

    def set_stack_limit(self, limit: int) -> None:
        """RLIMIT_STACK changed: the stack grows as far as the new limit (setrlimit after
        exec: GCC's cc1 raises it, then recurses deeply). What it has grown stays."""
        self.stack_limit = limit
        if self.stack_top:
            self._stack_window()

    def _stack_window(self) -> None:
        """Tell mm.c where the stack may grow: from its lowest page down to limit below its
        top, but not within the guard gap above an accessible mapping below it (nor into an
        inaccessible one), nor under mmap_min_addr -- expand_downwards's rules."""
        c, top, vmas = self.c, self.stack_top, self.vmas
        i = len(vmas) - 1      # (the highest mapping but for an i386 process's GDT page)
        if i >= 0 and vmas[i].start >= top:
            i = bisect.bisect_left(vmas, top, key=_vma_start) - 1
        if i < 0 or vmas[i].end != top or not vmas[i].growsdown:
            self.stack_top = self._grown = c.grow_start = c.grow_floor = 0   # unmapped
            return
        while i > 0 and vmas[i - 1].end == vmas[i].start and vmas[i - 1].growsdown:
            i -= 1
        low, below = vmas[i], vmas[i - 1] if i else None
        floor = max(self.layout.mmap_floor,
                    page_up(top - self.stack_limit) if self.stack_limit < top else 0)
        if below is not None:
            gap = STACK_GUARD_GAP if below.prot and not below.growsdown else 0
            floor = max(floor, below.end + gap)
        # What lies wholly below the limit's reach cannot move the floor: the mappings
        # mmap adds (below mmap_base, further down than any limit) change nothing.
        reach = top - self.stack_limit - STACK_GUARD_GAP if self.stack_limit < top else 0
        self._stack_watch = max(below.start if below is not None else 0, reach)
        c.grow_floor, c.grow_prot = floor // PAGE, low.prot & 7
        c.grow_start = self._grown = low.start // PAGE

    def _sync_stack(self, now: int) -> None:
        """mm.c grew the stack from page self._grown down to page now: its mapping takes the
        new pages."""
        seen, self._grown = self._grown, now
        low = self.find_vma(seen * PAGE) if seen and now and now < seen else None
        if low is not None and low.start == seen * PAGE:
            self._replace(now * PAGE, seen * PAGE, [low.part(now * PAGE, seen * PAGE)],
                          merge=True)

    def reserve(self, start: int, length: int, name: str = "", noreserve: bool = False) -> int:
        """Claim address space with no pages behind it (NT's MEM_RESERVE): an access faults,
        nothing counts against the memory limit, and committing maps fresh pages (map),
        charged unless noreserve (MAP_NORESERVE)."""
        start, end = page_down(start), page_up(start + length)
        if end <= start or end > self.layout.user_top:
            raise KernelError(errno.ENOMEM)
        self.lib.sv_as_unmap(self.c, start, end - start)
        self._replace(start, end, [Vma(start, end, 0, name, reserved=True, noreserve=noreserve)],
                      merge=True)
        return start

    def map_shared(self, start: int, length: int, prot: int, ppns, name: str = "",
                   maxprot: int = 7) -> int:
        """Map the physical pages ppns (a uint32_t[] cdata; NOPAGE entries get fresh zero
        pages, their numbers written back) shared: fork shares them, writes never copy."""
        start, end = page_down(start), page_up(start + length)
        if end <= start or end > self.layout.user_top:
            raise KernelError(errno.ENOMEM)
        # sv_as_map_shared maps through sv_as_map, which tells the trap path when a cached
        # translation of a replaced page went stale (as map does).
        if self.lib.sv_as_map_shared(self.c, start, end - start, prot, ppns) != 0:
            raise KernelError(errno.ENOMEM)
        self._replace(start, end, [Vma(start, end, prot, name, True, maxprot)])
        return start

    def unmap(self, start: int, length: int) -> None:
        start, end = page_down(start), page_up(start + length)
        self.lib.sv_as_unmap(self.c, start, end - start)
        self._replace(start, end, [])

    def move(self, old: int, new: int, length: int) -> None:
        """mremap's move: [old, old+length) goes to new with its frames (a shared mapping
        stays shared, nothing is copied) and its mapping records; what was at new is
        replaced."""
        if new + length > self.layout.user_top or old + length > self.layout.user_top:
            raise KernelError(errno.EINVAL)
        shift = new - old
        pieces = [v.part(max(v.start, old), min(v.end, old + length))
                  for v in self.vmas_in(old, old + length)]
        moved = [dataclasses.replace(v, start=v.start + shift, end=v.end + shift)
                 for v in pieces]
        self.unmap(new, length)
        if self.lib.sv_as_move(self.c, old, new, length) != 0:
            raise KernelError(errno.ENOMEM)
        self._replace(old, old + length, [])
        self._replace(new, new + length, moved, merge=True)

    def protect(self, start: int, length: int, prot: int) -> None:
        start, end = page_down(start), page_up(start + length)
        if not self.covered(start, end):
            raise KernelError(errno.ENOMEM)
        pieces = self.vmas_in(start, end)
        if any(prot & 7 & ~v.maxprot for v in pieces):
            raise KernelError(errno.EACCES)
        given = []   # reserved address space made accessible gets fresh pages, charged
        for v in pieces:
            lo, hi = max(v.start, start), min(v.end, end)
            if v.reserved and not prot & 7:
                continue
            # past the charge limit: ENOMEM, as Linux's mprotect when the commit is exceeded
            rc = self.lib.sv_as_map(self.c, lo, hi - lo,
                                    prot | (PTE_NORESERVE if v.noreserve else 0)) \
                if v.reserved else self.lib.sv_as_protect(self.c, lo, hi - lo, prot)
            if rc == -2 or (rc and v.reserved):
                for a, b in given:
                    self.lib.sv_as_unmap(self.c, a, b - a)
                raise KernelError(errno.ENOMEM)
            if v.reserved:
                given.append((lo, hi))
        self._replace(start, end, [v.part(max(v.start, start), min(v.end, end), prot=prot,
                                          reserved=v.reserved and not prot & 7,
                                          charged=v.charged or bool(prot & PROT_WRITE
                                                                    and not v.shared
                                                                    and not v.noreserve))
                                   for v in pieces], merge=True)

    def mark_file(self, start: int, end: int, offset: int, dev: int, inode: int) -> None:
        """Record that [start, end), just mapped, shows the file (dev, inode) from offset."""
        if inode:
            self._replace(start, end, [v.part(v.start, v.end, offset=offset + v.start - start,
                                              dev=dev, inode=inode)
                                       for v in self.vmas_in(start, end)], merge=True)

    def set_dontdump(self, start: int, end: int, dontdump: bool) -> None:
        """MADV_DONTDUMP / MADV_DODUMP over [start, end): the VMAs split where it begins and
        ends; nothing mapped changes."""
        self._replace(start, end, [v.part(max(v.start, start), min(v.end, end),
                                          dontdump=dontdump)
                                   for v in self.vmas_in(start, end)], merge=True)

    # The list is sorted and disjoint, so every change is local: find the mappings a range
    # touches by bisection and rewrite that slice. A process may hold vm.max_map_count (65530)
    # mappings; a pass over all of them per mmap would make filling the table quadratic.

    def _span(self, start: int, end: int, vmas: list[Vma] | None = None) -> tuple[int, int]:
        """The indices [i, j) of the mappings that overlap [start, end)."""
        if vmas is None:
            vmas = self.vmas
        i = bisect.bisect_right(vmas, start, key=_vma_start)
        if i and vmas[i - 1].end > start:
            i -= 1
        return i, bisect.bisect_left(vmas, end, lo=i, key=_vma_start)

    def vmas_in(self, start: int, end: int) -> list[Vma]:
        """The mappings that overlap [start, end), in address order."""
        i, j = self._span(start, end)
        return self.vmas[i:j]

    def find_vma(self, addr: int) -> Vma | None:
        """The mapping that holds addr, if any."""
        vmas = self.vmas
        i = bisect.bisect_right(vmas, addr, key=_vma_start)
        return vmas[i - 1] if i and vmas[i - 1].end > addr else None

    def _replace(self, start: int, end: int, pieces: list[Vma], merge: bool = False) -> None:
        """Put pieces (which lie within [start, end)) where [start, end) was, splitting the
        mappings it cuts; with merge, join the new pieces with equal neighbours."""
        vmas = self.vmas
        i, j = self._span(start, end, vmas)
        if i < j:
            first, last = vmas[i], vmas[j - 1]
            if first.start < start:
                pieces.insert(0, first.part(first.start, start))
            if last.end > end:
                pieces.append(last.part(end, last.end))
        vmas[i:j] = pieces
        if merge:
            self._merge(max(i - 1, 0), min(i + len(pieces) + 1, len(vmas)))
        if self.stack_top and start < self.stack_top and end > self._stack_watch:
            self._stack_window()     # the stack, or what lies below it, changed

    def _merge(self, lo: int, hi: int) -> None:
        """Join neighbouring anonymous mappings of equal protection and kind (MERGEABLE),
        and mappings of one file at contiguous offsets, among vmas[lo:hi]."""
        vmas, out = self._vmas, []     # (_replace's, just read)
        for v in vmas[lo:hi]:
            last = out[-1] if out else None
            if last is not None and last.end == v.start and (v.name in MERGEABLE or v.inode) \
                    and last.part(v.start, v.end) == v:    # equal but for the range
                out[-1] = last.part(last.start, v.end)
            else:
                out.append(v)
        if len(out) != hi - lo:
            vmas[lo:hi] = out

    def writable(self, addr: int, length: int) -> bool:
        """Whether the kernel may write [addr, addr+length): checked before consuming input,
        so a bad buffer fails with EFAULT and loses no data (as Linux's pipe_read)."""
        if length <= 0:
            return True
        return self._covered(addr, addr + length, PROT_WRITE) or \
            (self._grow_stack(addr) and self._covered(addr, addr + length, PROT_WRITE))

    def _grow_stack(self, addr: int) -> bool:
        """Grow the stack down to addr when it may (a buffer the program has not touched
        yet, as the kernel's copy_to_user would fault the stack there): True if it did."""
        c = self.c
        if not self.stack_top or not c.grow_floor <= addr // PAGE < c.grow_start:
            return False
        return self.lib.sv_as_query(c, addr, self.ffi.new("uint32_t *")) == 0

    def covered(self, start: int, end: int) -> bool:
        return self._covered(start, end, 0)

    def grants(self, start: int, end: int, prot: int) -> bool:
        """Whether [start, end) is mapped without a hole, every mapping allowing prot."""
        return self._covered(start, end, prot)

    def _covered(self, start: int, end: int, prot: int) -> bool:
        """Whether mappings (each granting prot) cover [start, end) without a hole."""
        i, j = self._span(start, end)
        pos = start
        for v in self.vmas[i:j]:
            if v.start > pos or v.prot & prot != prot:
                return False
            pos = v.end
        return pos >= end

    def find_free_below(self, length: int, low: int, high: int, hint: int = 0) -> int:
        """A free range inside [low, high), lowest first (MAP_32BIT's window): the hint if it
        is free and below high."""
        length = page_up(length)
        hint = page_down(hint)
        if hint and hint + length <= high and not self.overlaps(hint, hint + length):
            return hint
        pos, vmas = low, self.vmas
        i = bisect.bisect_left(vmas, low, key=_vma_start)
        if i > 0 and vmas[i - 1].end > pos:
            pos = vmas[i - 1].end
        for v in vmas[i:]:
            if v.start >= pos + length or pos + length > high:
                break
            pos = max(pos, v.end)
        if pos + length > high:
            raise KernelError(errno.ENOMEM)
        return pos

    def find_free(self, length: int, hint: int = 0) -> int:
        """A free range for mmap: the hint if it is free, else top-down below mmap_base
        (leaving the heap room to grow); when that is full, any hole below mmap_base (under
        the program too), then bottom-up above it, as Linux's top-down allocator falls back.
        An i386 process has 3 GiB to fill. The legacy layout searches bottom-up."""
        length = page_up(length)
        if hint and not self.overlaps(page_down(hint), page_down(hint) + length) \
                and page_down(hint) + length <= self.layout.user_top:
            return page_down(hint)
        layout = self.layout
        if layout.legacy:
            return self._bottom_up(length)
        for floor in (max(layout.mmap_floor, self.brk + (64 << 20)), layout.mmap_floor):
            found = self._top_down(length, layout.mmap_base, floor)
            if found is not None:
                return found
        stack = next((v for v in self.vmas if v.name == "[stack]"), None)
        if stack is None:
            return self.find_free_below(length, layout.mmap_base, layout.user_top)
        try:        # (a stack's guard gap stays free: it grows down into it)
            return self.find_free_below(length, layout.mmap_base, stack.start - (1 << 20))
        except KernelError:
            return self.find_free_below(length, stack.end, layout.user_top)

    def _bottom_up(self, length: int) -> int:
        """The legacy layout's search (an unlimited stack): the lowest free range from
        mmap_base up to the stack's guard gap, past the heap's next 64 MiB when it can be,
        as the top-down search leaves the heap room."""
        layout, stack = self.layout, self.find_vma(self.stack_top - 1) if self.stack_top else None
        high = stack.start - STACK_GUARD_GAP if stack is not None else layout.user_top
        found = self.find_free_below(length, layout.mmap_base, high)
        heap_end = self.brk + (64 << 20)
        if found < heap_end and found + length > self.brk_start:   # in the heap's room
            try:
                return self.find_free_below(length, max(heap_end, layout.mmap_base), high)
            except KernelError:
                pass
        return found

    def _top_down(self, length: int, top: int, floor: int) -> int | None:
        """The highest free range of length ending at or below top and starting at or
        above floor, or None."""
        vmas = self.vmas
        i = bisect.bisect_left(vmas, top, key=_vma_start)
        if i > 0 and vmas[i - 1].end > top:     # a mapping across top
            top = vmas[i - 1].start
            i -= 1
        for k in range(i - 1, -1, -1):
            v = vmas[k]
            if v.end <= top - length:
                break
            top = v.start
        return top - length if top - length >= floor else None

    def overlaps(self, start: int, end: int) -> bool:
        # The list is sorted and disjoint: only the last mapping starting before end can reach
        # past start.
        vmas = self.vmas
        i = bisect.bisect_left(vmas, end, key=_vma_start)
        return i > 0 and vmas[i - 1].end > start

    def set_brk(self, new: int) -> int:
        """brk(2): grow or shrink the heap; the old break on failure, as Linux does."""
        if new < self.brk_start:
            return self.brk
        old_end, new_end = page_up(self.brk), page_up(new)
        try:
            if new_end > old_end:
                if self.overlaps(old_end, new_end):
                    return self.brk
                self.map(old_end, new_end - old_end, PROT_READ | PROT_WRITE, "[heap]")
            elif new_end < old_end:
                self.unmap(new_end, old_end - new_end)
        except KernelError:
            return self.brk
        self.brk = new
        return new

    def set_sigbus(self, start: int, end: int, on: bool = True) -> None:
        """Mark the pages of [start, end) as past the end of the file they map (or not): the
        guest's access raises SIGBUS, the kernel's is EFAULT (a file mapping beyond EOF)."""
        if end > start:
            self.lib.sv_as_set_sigbus(self.c, start, end - start, 1 if on else 0)

    def sigbus_at(self, addr: int) -> bool:
        return bool(self.lib.sv_as_sigbus(self.c, addr))

    @property
    def pages(self) -> int:
        return int(self.lib.sv_as_pages(self.c))

    def resident(self) -> int:
        """The pages with memory behind them (RSS): a page never touched has none."""
        return int(self.lib.sv_as_resident_count(self.c))

    # --- checked access (copy_from_user / copy_to_user) ------------------------------------

    def read(self, addr: int, length: int) -> bytes:
        if length < 0 or addr < 0 or addr + length > 1 << self.bits:
            raise Fault(addr)
        if length == 0:
            return b""
        if length > 1 << 24 and not self.covered(page_down(addr), addr + length):
            raise Fault(addr)  # check before allocating a buffer for a wild length
        buf = self.ffi.new("char[]", length)
        if self.lib.sv_as_read(self.c, addr, buf, length) != 0:
            raise Fault(addr)
        return self.ffi.buffer(buf, length)[:]

    def read_prefix(self, addr: int, length: int) -> bytes:
        """What a write(2) to a file takes of a buffer: up to the first page that cannot be
        read (generic_perform_write stops there); none readable: the fault."""
        try:
            return self.read(addr, length)
        except Fault:
            pass
        end = page_up(addr + 1) if length else addr
        got = b""
        while len(got) < length:
            chunk = min(length - len(got), end - (addr + len(got)))
            try:
                got += self.read(addr + len(got), chunk)
            except Fault:
                break
            end += PAGE
        if not got:
            raise Fault(addr)
        return got

    def write(self, addr: int, data: bytes) -> None:
        if addr < 0 or addr + len(data) > 1 << self.bits:
            raise Fault(addr)
        rc = self.lib.sv_as_write(self.c, addr, data, len(data))
        if rc == -2:
            raise KernelError(errno.ENOMEM)
        if rc != 0:
            raise Fault(addr)

    def write_force(self, addr: int, data: bytes) -> None:
        """Write regardless of protection: the loader filling read-only segments (ENOMEM
        when the machine's page pool is spent: a program too big to load now, not a fault)."""
        rc = self.lib.sv_as_write_force(self.c, addr, data, len(data))
        if rc == -2:
            raise KernelError(errno.ENOMEM)
        if rc != 0:
            raise Fault(addr)

    def read_cstr(self, addr: int, limit: int = 4096) -> bytes:
        n = self.lib.sv_as_strlen(self.c, addr, limit)
        if n == -1:
            raise Fault(addr)
        if n == -2:
            raise KernelError(errno.ENAMETOOLONG)
        return self.read(addr, n)

    def read_word(self, addr: int) -> int:
        size = self.bits // 8
        return int.from_bytes(self.read(addr, size), "little")

    def write_word(self, addr: int, value: int) -> None:
        size = self.bits // 8
        self.write(addr, (value & ((1 << self.bits) - 1)).to_bytes(size, "little"))

    def read_u32(self, addr: int) -> int:
        return struct.unpack("<I", self.read(addr, 4))[0]

    def write_u32(self, addr: int, value: int) -> None:
        self.write(addr, struct.pack("<I", value & 0xFFFFFFFF))

    def read_strv(self, addr: int, limit: int | None = None,
                  budget: int = MAX_ARG_BYTES) -> list[bytes]:
        """A NULL-terminated array of string pointers (argv, envp), as execve copies it:
        E2BIG for a string of MAX_ARG_STRLEN or more, or for strings and pointers over
        budget bytes (the stack's share; the count is bounded by that alone). limit: at
        most this many (a trace's look)."""
        out = []
        if addr == 0:
            return out
        size = self.bits // 8
        i = 0
        while limit is None or i < limit:
            p = self.read_word(addr + i * size)
            if p == 0:
                return out
            try:
                s = self.read_cstr(p, MAX_ARG_STRLEN)
            except KernelError:
                raise KernelError(errno.E2BIG) from None
            budget -= len(s) + 1 + size
            if budget < 0:
                raise KernelError(errno.E2BIG)
            out.append(s)
            i += 1
        return out

    def resident_pages(self, start: int, end: int) -> int:
        """How many pages of [start, end) have memory (a page never touched has none)."""
        pages = (end - start) // PAGE
        return int(self.lib.sv_as_resident_in(self.c, start, pages)) if pages > 0 else 0

    def smaps_text(self, rollup: bool = False) -> str:
        """/proc/self/smaps (each mapping's maps line and its sizes in kB), or smaps_rollup
        (the sums under one line spanning them all). Resident pages are counted; every
        page here is private and dirty once touched, and none is swapped."""
        fields = ("Size", "KernelPageSize", "MMUPageSize", "Rss", "Pss", "Pss_Dirty",
                  "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
                  "Referenced", "Anonymous", "LazyFree", "AnonHugePages", "ShmemPmdMapped",
                  "FilePmdMapped", "Shared_Hugetlb", "Private_Hugetlb", "Swap", "SwapPss",
                  "Locked")
        out, totals = [], dict.fromkeys(fields, 0)
        for line, v in zip(self.maps_text().splitlines(), self.shown_vmas()):
            rss = 0 if v.reserved else self.resident_pages(v.start, v.end) * PAGE // 1024
            shared = line.split()[1].endswith("s")
            anon = rss if not v.name.startswith("/") else 0
            values = {"Size": (v.end - v.start) // 1024, "KernelPageSize": 4,
                      "MMUPageSize": 4, "Rss": rss, "Pss": rss, "Pss_Dirty": rss,
                      "Shared_Dirty": rss if shared else 0,
                      "Private_Dirty": 0 if shared else rss, "Referenced": rss,
                      "Anonymous": anon}
            for name in fields:
                totals[name] += values.get(name, 0)
            if not rollup:
                out.append(line)
                out += [f"{name + ':':<16}{values.get(name, 0):>8} kB" for name in fields]
                flags = ("rd " if v.prot & 1 else "") + ("wr " if v.prot & 2 else "") + \
                    ("ex " if v.prot & 4 else "") + ("sh " if shared else "") + "mr mw me" + \
                    (" nr" if v.noreserve else "")
                out.append(f"THPeligible:    0\nVmFlags: {flags}")
        if rollup:
            vmas = self.shown_vmas()
            first, last = (vmas[0].start, vmas[-1].end) if vmas else (0, 0)
            out.append(_maps_line(first, last, "---p", 0, 0, 0, "[rollup]"))
            out += [f"{name + ':':<16}{totals[name]:>8} kB" for name in fields
                    if name not in ("Size", "KernelPageSize", "MMUPageSize")]
        return "\n".join(out) + "\n"

    def shown_vmas(self) -> list:
        """The mappings /proc/PID/maps lists: the process's own, not the kernel's above
        user_top (the i386 GDT page, whose end, 0x100000000, a 32-bit reader of maps cannot
        hold: AddressSanitizer's CHECK failed on it)."""
        top = self.layout.user_top
        return [v for v in self.vmas if v.end <= top]

    def maps_text(self) -> str:
        """/proc/self/maps."""
        lines = []
        for v in self.shown_vmas():
            shared = self.lib.sv_as_shared_page(self.c, v.start) != 0xFFFFFFFF
            perms = ("r" if v.prot & 1 else "-") + ("w" if v.prot & 2 else "-") + \
                    ("x" if v.prot & 4 else "-") + ("s" if shared else "p")
            lines.append(_maps_line(v.start, v.end, perms, v.offset, v.dev, v.inode, v.name))
        return "\n".join(lines) + "\n"
