"""Shared memory: MAP_SHARED mappings whose pages really are shared (between the processes a
fork makes, and between every process mapping the same file), memfd_create, and msync.

File pages live in a page cache keyed by the file's identity, one per engine's physical
pool; each mapping of the file maps the cached pages. Dirty data reaches the file on msync,
munmap and process exit (the page cache's write-back), as the kernel's does eventually."""
from __future__ import annotations

import errno
import os

from ..errors import KernelError
from ..files import HostFile, O_ACCMODE, O_RDONLY
from ..mm import PAGE, PROT_WRITE, page_up

NOPAGE = 0xFFFFFFFF
MFD_CLOEXEC, MFD_ALLOW_SEALING, MFD_HUGETLB = 1, 2, 4
MS_ASYNC, MS_INVALIDATE, MS_SYNC = 1, 2, 4


class CachedFile:
    """The cached pages of one file in one physical pool, and a descriptor to write them to."""

    def __init__(self, engine, fd: int):
        self.phys, self.lib, self.ffi = engine.phys, engine.lib, engine.ffi
        self.fd = fd                        # our own duplicate, writable if any mapper's was
        self.pages: dict[int, int] = {}     # page offset -> physical page (one reference ours)

    def writeback(self) -> None:
        """Write every cached page to the file (never past its end), then forget the pages
        no mapping uses any more."""
        try:
            size = os.fstat(self.fd).st_size
        except OSError:
            size = 0
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


class PageCache:
    def __init__(self):
        self.files: dict[tuple, CachedFile] = {}

    def writeback(self) -> None:
        for key, cached in list(self.files.items()):
            cached.writeback()
            if not cached.pages:
                os.close(cached.fd)
                del self.files[key]


def page_cache(kernel) -> PageCache:
    from .personality import personality
    state = personality.machine(kernel)
    if state.page_cache is None:
        state.page_cache = PageCache()
    return state.page_cache


def map_shared(p, start: int, length: int, prot: int, f, offset: int, name: str) -> int:
    """mmap(MAP_SHARED) at start: anonymous (f None, or /dev/zero) or a file's cached pages."""
    mm, engine = p.mm, p.mm.engine
    ffi, lib = engine.ffi, engine.lib
    npages = page_up(length) // PAGE
    ppns = ffi.new("uint32_t[]", [NOPAGE] * npages)
    # A file not open for writing: no PROT_WRITE now (EACCES), nor by mprotect later.
    maxprot = 7
    if f is not None and f.status_flags & O_ACCMODE == O_RDONLY:
        if prot & PROT_WRITE:
            raise KernelError(errno.EACCES)
        maxprot &= ~PROT_WRITE
    if f is None or getattr(f, "rdev", None) is not None and f.guest_path == "/dev/zero":
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
        cached = cache.files[key] = CachedFile(engine, os.dup(f.fd))
    elif f.status_flags & O_ACCMODE != O_RDONLY and not _writable(cached.fd):
        os.close(cached.fd)
        cached.fd = os.dup(f.fd)
    first = offset // PAGE
    for i in range(npages):
        ppns[i] = cached.pages.get(first + i, NOPAGE)
    fresh = [i for i in range(npages) if ppns[i] == NOPAGE]
    mm.map_shared(start, length, prot, ppns, name, maxprot)
    for i in fresh:              # fill new pages from the file, and keep them cached
        ppn = ppns[i]
        data = os.pread(f.fd, PAGE, (first + i) * PAGE)
        if data:
            ffi.memmove(lib.sv_phys_page(engine.phys, ppn), data, len(data))
        lib.sv_phys_ref(engine.phys, ppn)
        cached.pages[first + i] = ppn
    if not p.linux.writes_back:
        p.linux.writes_back = True
        p.exit_hooks.append(lambda: cache.writeback())
    return start


def _writable(fd: int) -> bool:
    import fcntl
    try:
        return fcntl.fcntl(fd, fcntl.F_GETFL) & O_ACCMODE != O_RDONLY
    except OSError:
        return False


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


def sys_memfd_create(p, uname, flags):
    """An anonymous file: a host memfd (never visible in any directory), through the VFS's
    regular-file code, so read, write, ftruncate, fstat and MAP_SHARED all work on it."""
    if flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | 0x8 | 0x10):
        raise KernelError(errno.EINVAL)
    if flags & MFD_HUGETLB:
        raise KernelError(errno.EINVAL)
    name = p.mm.read_cstr(uname, 250).decode("utf-8", "replace")
    try:
        fd = os.memfd_create("sysvec", os.MFD_CLOEXEC)
    except OSError as exc:
        raise KernelError(exc.errno or errno.ENOMEM) from None
    f = HostFile(fd, 2, f"/memfd:{name} (deleted)")    # O_RDWR
    try:
        return p.fds.install(f, cloexec=bool(flags & MFD_CLOEXEC))
    except KernelError:
        f.decref()
        raise
