"""Shared memory: MAP_SHARED mappings whose pages really are shared (between the processes a
fork makes, and between every process mapping the same file), memfd_create, and msync.

File pages live in a page cache keyed by the file's identity, one per engine's physical
pool; each mapping of the file maps the cached pages. Dirty data reaches the file on msync,
munmap and process exit (the page cache's write-back), as the kernel's does eventually.
Meanwhile the cache is the file's truth for its pages: a read of the file sees them and a
write changes them (files.py's shared_pages), so write() and a mapping never disagree."""
from __future__ import annotations

import errno
import fcntl
import os
import stat
import weakref

from ..errors import KernelError
from ..files import FAST_NONE, O_ACCMODE, O_APPEND, O_RDONLY, HostFile, shared_pages
from ..mm import PAGE, PROT_WRITE, page_up

NOPAGE = 0xFFFFFFFF
MFD_CLOEXEC, MFD_ALLOW_SEALING, MFD_HUGETLB = 1, 2, 4
MS_ASYNC, MS_INVALIDATE, MS_SYNC = 1, 2, 4


class CachedFile:
    """The cached pages of one file in one physical pool, and a descriptor to write them to."""

    def __init__(self, engine, fd: int):
        self.engine = engine
        self.phys, self.lib, self.ffi = engine.phys, engine.lib, engine.ffi
        self.fd = fd                        # our own duplicate, writable if any mapper's was
        self.pages: dict[int, int] = {}     # page offset -> physical page (one reference ours)
        self.size = _size(fd)               # the file's size when the cache last looked

    def _pages_in(self, off: int, length: int):
        """(page offset, its page's address, the part [lo, hi) of the file it covers) of
        each cached page meeting [off, off + length)."""
        first, last = off // PAGE, (off + length - 1) // PAGE
        offsets = range(first, last + 1) if last - first < len(self.pages) else \
            sorted(o for o in self.pages if first <= o <= last)
        for pgoff in offsets:
            ppn = self.pages.get(pgoff)
            if ppn is not None:
                start = pgoff * PAGE
                yield start, self.lib.sv_phys_page(self.phys, ppn), \
                    max(off, start), min(off + length, start + PAGE)

    def overlay(self, off: int, data: bytes) -> bytes:
        """What a read of data at off sees: the cached pages' bytes over the host's."""
        if not data:
            return data
        out = None
        for start, page, lo, hi in self._pages_in(off, len(data)):
            if out is None:
                out = bytearray(data)
            out[lo - off:hi - off] = self.ffi.buffer(page + lo - start, hi - lo)
        return data if out is None else bytes(out)

    def reload(self) -> None:
        """Read every cached page from the file again (a fallocate moved or cleared data
        under them)."""
        size = self.current_size()
        for pgoff, ppn in self.pages.items():
            start = pgoff * PAGE
            data = os.pread(self.fd, PAGE, start) if start < size else b""
            page = self.lib.sv_phys_page(self.phys, ppn)
            self.ffi.memmove(page, data.ljust(PAGE, b"\0"), PAGE)

    def store(self, off: int, data: bytes) -> None:
        """A write of data at off: the cached pages it meets take it."""
        for start, page, lo, hi in self._pages_in(off, len(data)) if data else ():
            self.ffi.memmove(page + lo - start, data[lo - off:hi - off], hi - lo)

    def current_size(self) -> int:
        """The file's size now; a change since the cache last looked is applied first."""
        size = _size(self.fd)
        if size != self.size:
            self.resized(size)
        return size

    def resized(self, size: int) -> None:
        """The file is size bytes now. As Linux's truncate_pagecache: what a shrink cut off
        reads as zeros from then on, and a page wholly past the end raises SIGBUS in every
        mapping; a file that grows back gives those pages back."""
        old, self.size = self.size, size
        if size < old:
            for pgoff, ppn in self.pages.items():
                cut = max(size - pgoff * PAGE, 0)
                if cut < PAGE:
                    page = self.lib.sv_phys_page(self.phys, ppn)
                    self.ffi.memmove(page + cut, bytes(PAGE - cut), PAGE - cut)
        # Every address space on the pool (a fork's child maps the pages too).
        for mm in list(self.engine.spaces):
            if mm.c is not None:
                for v in mm.vmas:
                    if v.shared:
                        self.mark_past_eof(mm, v.start, v.end)

    def mark_past_eof(self, mm, start: int, end: int) -> None:
        """Mark the pages of this file that mm maps in [start, end) wholly past the end of
        the file (filemap_fault's SIGBUS), and clear the mark on the others."""
        offsets = {ppn: pgoff for pgoff, ppn in self.pages.items()}
        eof = page_up(self.size) // PAGE
        for addr in range(start, end, PAGE):
            pgoff = offsets.get(self.lib.sv_as_shared_page(mm.c, addr))
            if pgoff is not None and mm.sigbus_at(addr) != (pgoff >= eof):
                mm.set_sigbus(addr, addr + PAGE, pgoff >= eof)

    def writeback(self) -> None:
        """Write every cached page to the file (never past its end), then forget the pages
        no mapping uses any more."""
        size = self.current_size()
        for pgoff, ppn in list(self.pages.items()):
            start = pgoff * PAGE
            if start < size:
                page = self.lib.sv_phys_page(self.phys, ppn)
                try:
                    os.pwrite(self.fd, bytes(self.ffi.buffer(page, min(PAGE, size - start))),
                              start)
                except OSError:
                    pass          # a read-only file: nobody could have written the pages
            if self.lib.sv_phys_refs(self.phys, ppn) == 1:
                self.lib.sv_phys_unref(self.phys, ppn)
                del self.pages[pgoff]


def _size(fd: int) -> int:
    try:
        return os.fstat(fd).st_size
    except OSError:
        return 0


class PageCache:
    def __init__(self, file_rules):
        self.files: dict[tuple, CachedFile] = {}
        self.file_rules = file_rules       # the VFS's: [1] counts the files cached here

    def add(self, key: tuple, cached: CachedFile) -> None:
        self.files[key] = cached
        shared_pages.setdefault(key[1:], []).append(cached)
        self.file_rules[1] = len(self.files)

    def drop(self, key: tuple) -> None:
        cached = self.files.pop(key)
        os.close(cached.fd)
        caches = shared_pages.get(key[1:], [])
        if cached in caches:
            caches.remove(cached)
        if not caches:
            shared_pages.pop(key[1:], None)
        self.file_rules[1] = len(self.files)

    def revalidate(self) -> None:
        """Notice the cached files' size changes (a truncate since the cache last looked)."""
        for cached in self.files.values():
            cached.current_size()

    def writeback(self) -> None:
        for key, cached in list(self.files.items()):
            cached.writeback()
            if not cached.pages:
                self.drop(key)


def page_cache(kernel) -> PageCache:
    from .personality import personality
    state = personality.machine(kernel)
    if state.page_cache is None:
        state.page_cache = PageCache(kernel.fs.file_rules)
    return state.page_cache


def map_shared(p, start: int, length: int, prot: int, f, offset: int, name: str) -> int:
    """mmap(MAP_SHARED) at start: anonymous (f None, or /dev/zero) or a file's cached pages."""
    mm, engine = p.mm, p.mm.engine
    # A file not open for writing: no PROT_WRITE now (EACCES), nor by mprotect later.
    maxprot = 7
    if f is not None and f.status_flags & O_ACCMODE == O_RDONLY:
        if prot & PROT_WRITE:
            raise KernelError(errno.EACCES)
        maxprot &= ~PROT_WRITE
    if isinstance(f, MemFile) and f.seals() & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE):
        if prot & PROT_WRITE:             # a write-sealed memfd is mapped read-only, and
            raise KernelError(errno.EPERM)    # stays so (seal_check_write)
        maxprot &= ~PROT_WRITE
    if f is None or getattr(f, "rdev", None) is not None and f.guest_path == "/dev/zero":
        ppns = engine.ffi.new("uint32_t[]", [NOPAGE] * (page_up(length) // PAGE))
        mm.map_shared(start, length, prot, ppns, name if f is None else "/dev/zero (deleted)",
                      maxprot)
        return start
    if not isinstance(f, HostFile):
        raise KernelError(errno.ENODEV)
    st = os.fstat(f.fd)
    key = (id(engine.phys), st.st_dev, st.st_ino)
    cache = page_cache(p.kernel)
    cached = cache.files.get(key)
    if cached is None:
        cached = CachedFile(engine, os.dup(f.fd))
        cache.add(key, cached)
    elif f.status_flags & O_ACCMODE != O_RDONLY and not _writable(cached.fd):
        os.close(cached.fd)
        cached.fd = os.dup(f.fd)
    return map_cached(p, start, length, prot, cached, offset, name, maxprot)


def cached_file(p, dev: int, inode: int):
    """The page cache's entry for a file some shared mapping of this machine holds."""
    return page_cache(p.kernel).files.get((id(p.mm.engine.phys), dev, inode))


def map_cached(p, start: int, length: int, prot: int, cached, offset: int, name: str,
               maxprot: int = 7) -> int:
    """Map a cached file's pages from offset at start (shared), reading in those not cached."""
    mm, engine = p.mm, p.mm.engine
    ffi, lib = engine.ffi, engine.lib
    npages = page_up(length) // PAGE
    ppns = ffi.new("uint32_t[]", [NOPAGE] * npages)
    cache = page_cache(p.kernel)
    first = offset // PAGE
    cached.current_size()
    for i in range(npages):
        ppns[i] = cached.pages.get(first + i, NOPAGE)
    fresh = [i for i in range(npages) if ppns[i] == NOPAGE]
    mm.map_shared(start, length, prot, ppns, name, maxprot)
    for i in fresh:              # fill new pages from the file, and keep them cached
        ppn = ppns[i]
        data = os.pread(cached.fd, PAGE, (first + i) * PAGE)
        if data:
            ffi.memmove(lib.sv_phys_page(engine.phys, ppn), data, len(data))
        lib.sv_phys_ref(engine.phys, ppn)
        cached.pages[first + i] = ppn
    cached.mark_past_eof(mm, start, start + npages * PAGE)
    if cache.writeback not in p.exit_hooks:    # its shared file pages reach the files at exit
        p.exit_hooks.append(cache.writeback)
    return start


def _writable(fd: int) -> bool:
    import fcntl
    try:
        return fcntl.fcntl(fd, fcntl.F_GETFL) & O_ACCMODE != O_RDONLY
    except OSError:
        return False


def revalidate(kernel) -> None:
    """Before the kernel resolves an address through a shared file page (a futex's key):
    a file truncated since it was mapped has pages past its end now."""
    from .personality import personality
    cache = personality.machine(kernel).page_cache
    if cache is not None:
        cache.revalidate()


BUS_ADRERR = 2


def fault_past_eof(kernel, proc, addr: int, sig: int) -> tuple:
    """A guest access faulted on a file mapping's page wholly past the file's end: SIGBUS
    (BUS_ADRERR), as filemap_fault answers, unless the file has grown back over it."""
    from ..signals import SIGBUS, SIGSEGV, SigInfo
    mm = proc.mm
    if sig != SIGSEGV or mm is None or not mm.sigbus_at(addr):
        return sig, None
    revalidate(kernel)
    if not mm.sigbus_at(addr):
        return 0, None
    return SIGBUS, SigInfo(code=BUS_ADRERR, addr=addr)


def mark_private_past_eof(mm, start: int, length: int, f, offset: int) -> None:
    """A private mapping of a regular file: its pages wholly past the end raise SIGBUS too
    (they are not tracked when the file changes later)."""
    if not isinstance(f, HostFile):
        return
    try:
        st = os.fstat(f.fd)
    except OSError:
        return
    if not stat.S_ISREG(st.st_mode):
        return
    eof = page_up(st.st_size)
    if offset + page_up(length) > eof:
        mm.set_sigbus(start + max(eof - offset, 0), start + page_up(length))


def writeback(kernel) -> None:
    """msync, munmap: dirty shared file pages reach their files."""
    from .personality import personality
    cache = personality.machine(kernel).page_cache
    if cache is not None:
        cache.writeback()


def sys_msync(p, addr, length, flags):
    if addr % PAGE or flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC) or \
            (flags & MS_ASYNC and flags & MS_SYNC):
        raise KernelError(errno.EINVAL)
    if not p.mm.covered(addr, addr + page_up(length)):
        raise KernelError(errno.ENOMEM)
    writeback(p.kernel)
    return 0


class MemfdBudget:
    """The host memory a machine's memfds may hold: as much as its guests may touch in all
    (--max-total-memory). A memfd is a host tmpfs file, bounded by nothing on the host: a
    guest's fallocate of 1 TiB on one ran the host out of memory. Past the budget a write or
    an allocation is ENOSPC, as a full tmpfs says."""

    def __init__(self, limit: int):
        self.limit = limit
        self.files = weakref.WeakSet()

    def used(self) -> int:
        return sum(os.fstat(f.fd).st_blocks * 512 for f in list(self.files) if f.fd >= 0)

    def room(self) -> int:
        return max(0, self.limit - self.used())


_budgets: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def memfd_budget(kernel) -> MemfdBudget:
    budget = _budgets.get(kernel)
    if budget is None:
        budget = _budgets[kernel] = MemfdBudget(kernel.limits.pool_pages * PAGE)
    return budget


# memfd seals (fcntl F_ADD_SEALS / F_GET_SEALS)
F_ADD_SEALS, F_GET_SEALS = 1033, 1034
F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE, F_SEAL_FUTURE_WRITE, F_SEAL_EXEC = \
    1, 2, 4, 8, 16, 32
SEALS_KNOWN = 63


def _mapped_writable(kernel, st) -> bool:
    """Some process maps the file shared and may write it, now or after an mprotect
    (VM_MAYWRITE: mapping_writably_mapped)."""
    for proc in kernel.procs.values():
        mm = proc.mm
        if mm is not None and proc.alive and any(
                v.shared and v.maxprot & PROT_WRITE and v.inode == st.st_ino and
                v.dev == st.st_dev for v in mm.vmas):
            return True
    return False


class MemFile(HostFile):
    """A memfd: a host file in memory whose growth the machine's MemfdBudget bounds. Its
    writes are Python's (the C trap path would not count them)."""

    fast_kind = FAST_NONE

    def __init__(self, fd: int, status_flags: int, guest_path: str, budget: MemfdBudget):
        super().__init__(fd, status_flags, guest_path)
        self.budget = budget
        budget.files.add(self)

    def seals(self) -> int:
        """F_GET_SEALS: the host memfd keeps them, and refuses the writes, truncations and
        growth they forbid through this very descriptor."""
        try:
            return fcntl.fcntl(self.fd, F_GET_SEALS)
        except OSError:
            return F_SEAL_SEAL

    def add_seals(self, p, seals: int) -> None:
        """F_ADD_SEALS: a write seal while a process maps the file writable is EBUSY."""
        if not self.status_flags & O_ACCMODE:
            raise KernelError(errno.EPERM)       # (O_RDONLY: may not seal)
        if seals & ~SEALS_KNOWN:
            raise KernelError(errno.EINVAL)
        if seals & F_SEAL_WRITE and not self.seals() & F_SEAL_SEAL and \
                _mapped_writable(p.kernel, self.fstat()):
            raise KernelError(errno.EBUSY)
        try:
            fcntl.fcntl(self.fd, F_ADD_SEALS, seals)
        except OSError as exc:
            raise KernelError(exc.errno or errno.EINVAL) from None

    def check_allocation(self, length: int) -> None:
        """ENOSPC unless the budget has room for length more bytes."""
        if length > self.budget.room():
            raise KernelError(errno.ENOSPC)

    def _fitting(self, data: bytes, off: int | None) -> bytes:
        """What of a write the budget has room for: all of it, a prefix, or ENOSPC. An
        overwrite of bytes the file holds takes no room."""
        room = self.budget.room()
        if len(data) <= room:
            return data
        st = self.fstat()
        if off is None:
            off = st.st_size if self.status_flags & O_APPEND else self.lseek(0, os.SEEK_CUR)
        if off + len(data) <= st.st_size and st.st_blocks * 512 >= st.st_size:
            return data
        if room == 0:
            raise KernelError(errno.ENOSPC)
        return data[:room]

    def write(self, data):
        return super().write(self._fitting(data, None) if data else data)

    def pwrite(self, data, off):
        return super().pwrite(self._fitting(data, off) if data else data, off)


def sys_memfd_create(p, uname, flags):
    """An anonymous file: a host memfd (never visible in any directory), through the VFS's
    regular-file code, so read, write, ftruncate, fstat and MAP_SHARED all work on it."""
    if flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | 0x8 | 0x10):
        raise KernelError(errno.EINVAL)
    if flags & MFD_HUGETLB:
        raise KernelError(errno.EINVAL)
    name = p.mm.read_cstr(uname, 250).decode("utf-8", "replace")
    try:
        fd = os.memfd_create("sysvec", os.MFD_CLOEXEC |
                             (os.MFD_ALLOW_SEALING if flags & MFD_ALLOW_SEALING else 0))
    except OSError as exc:
        raise KernelError(exc.errno or errno.ENOMEM) from None
    f = MemFile(fd, 2, f"/memfd:{name} (deleted)", memfd_budget(p.kernel))    # O_RDWR
    try:
        return p.fds.install(f, cloexec=bool(flags & MFD_CLOEXEC))
    except KernelError:
        f.decref()
        raise
