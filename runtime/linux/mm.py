"""Linux memory calls: brk, mmap (anonymous and private file mappings), munmap, mprotect,
mremap, madvise. MAP_SHARED mappings are shared for real (shm.py)."""
from __future__ import annotations

import bisect
import errno
import struct

from ..errors import KernelError
from ..mm import PAGE, STACK_GUARD_GAP, page_up

MAP_SHARED, MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS = 0x01, 0x02, 0x10, 0x20
MAP_FIXED_NOREPLACE, MAP_GROWSDOWN = 0x100000, 0x100
MAP_32BIT, MAP_HUGETLB, MAP_NORESERVE = 0x40, 0x40000, 0x4000
OVERCOMMIT_NEVER = 2
# MAP_32BIT's window on x86-64 (arch/x86/kernel/sys_x86_64.c, find_start_end): 1-2 GiB.
WINDOW_32BIT = (0x40000000, 0x80000000)
MREMAP_MAYMOVE, MREMAP_FIXED = 1, 2


def sys_brk(p, addr):
    if not addr:
        return p.mm.brk
    if addr < p.mm.brk:
        p.note_rss()     # memory given back: the peak (ru_maxrss) first
    return p.mm.set_brk(addr)


MAP_TYPE, MAP_SHARED_VALIDATE = 0x0F, 0x03
# The flags MAP_SHARED_VALIDATE knows (LEGACY_MAP_MASK, MAP_SYNC, MAP_FIXED_NOREPLACE ...).
MAP_KNOWN = 0x03 | MAP_FIXED | MAP_ANONYMOUS | 0x40 | 0x100 | 0x800 | 0x1000 | 0x2000 | \
    0x4000 | 0x8000 | 0x10000 | 0x20000 | 0x40000 | 0x80000 | MAP_FIXED_NOREPLACE | \
    0x4000000 | 0x3F << 26
TASK_SIZE = 1 << 47


def _check_mmap(p, length, prot, flags, fd, offset):
    """ksys_mmap_pgoff and do_mmap's checks, in their order: the offset's alignment, the
    descriptor, the length, the mapping type, then what the file's open mode allows."""
    if offset % PAGE:
        raise KernelError(errno.EINVAL)
    f = None if flags & MAP_ANONYMOUS else p.fds.get(fd)
    if length == 0:
        raise KernelError(errno.EINVAL)
    if page_up(length) > TASK_SIZE:
        raise KernelError(errno.ENOMEM)
    kind = flags & MAP_TYPE
    if kind not in (MAP_SHARED, MAP_SHARED_VALIDATE, MAP_PRIVATE):
        raise KernelError(errno.EINVAL)
    if kind == MAP_SHARED_VALIDATE and flags & ~MAP_KNOWN:
        raise KernelError(errno.EOPNOTSUPP)
    if f is not None:
        if f.kind in ("dir", "pipe", "socket"):
            raise KernelError(errno.ENODEV)
        access = f.status_flags & 3
        if access == 1:                       # O_WRONLY: every mapping reads the file
            raise KernelError(errno.EACCES)
        if kind != MAP_PRIVATE and prot & PROT_WRITE and access == 0:
            raise KernelError(errno.EACCES)
    return f


PROT_WRITE = 2


def map_count_ok(p, extra: int = 1) -> bool:
    """vm.max_map_count: the mappings a process may have. As Linux, mmap and shmat are
    refused once the count is past the limit (so it may reach the limit plus one), a split
    (munmap, mprotect or a shrinking mremap cutting a mapping) once the count is at it, and
    an mremap move within 4 of it (6 with MREMAP_FIXED or MREMAP_DONTUNMAP); extra says how
    many more the call needs room for."""
    from ..procfs import sysctl
    return len(p.mm.vmas) + extra <= sysctl(p.kernel, "vm/max_map_count")


def _splits(mm, addr: int, end: int, prot: int) -> bool:
    """Whether changing [addr, end) to prot cuts a mapping in two (one that already has
    prot is left whole, as mprotect_fixup does)."""
    for at in (addr, end):
        v = mm.find_vma(at)
        if v is not None and v.start < at and v.prot != prot:
            return True
    return False


def do_mmap(p, addr, length, prot, flags, fd, offset):
    mm = p.mm
    _check_mmap(p, length, prot, flags, fd, offset)
    if flags & MAP_HUGETLB:
        # Only anonymous memory comes from the huge page pool, and the machine reserves none
        # (vm.nr_hugepages 0, Linux's default): callers (PHP's opcache, DPDK, databases) fall
        # back to ordinary pages.
        raise KernelError(errno.ENOMEM if flags & MAP_ANONYMOUS else errno.EINVAL)
    if not map_count_ok(p, 0):
        raise KernelError(errno.ENOMEM)
    data = b""
    if not flags & MAP_ANONYMOUS:
        f = p.fds.get(fd)
        # The file's pages are copied in: refuse a mapping the address space could never
        # hold before reading (a 1 TiB map of a file read 1 TiB into host memory).
        limit = p.kernel.limits.pages_per_process * PAGE
        if limit and page_up(length) > limit:
            raise KernelError(errno.ENOMEM)
        if not flags & MAP_SHARED:
            data = f.pread(length, offset)
    if flags & (MAP_FIXED | MAP_FIXED_NOREPLACE):
        if addr % PAGE:
            raise KernelError(errno.EINVAL)
        if flags & MAP_FIXED_NOREPLACE and mm.overlaps(addr, addr + page_up(length)):
            raise KernelError(errno.EEXIST)
        start = addr
    elif flags & MAP_32BIT and mm.bits == 64:
        start = mm.find_free_below(length, *WINDOW_32BIT, hint=addr)
    else:
        start = mm.find_free(length, addr)
    name = "" if flags & MAP_ANONYMOUS else getattr(p.fds.get(fd), "guest_path", "")
    if flags & MAP_LOCKED:
        _unlock(mm, start, start + page_up(length))
        mm.locked.append((start, start + page_up(length)))
    if flags & MAP_SHARED:   # really shared: across fork, and with every mapper of the file
        from .shm import map_shared
        map_shared(p, start, length, prot, None if flags & MAP_ANONYMOUS else p.fds.get(fd),
                   offset, name)
        if not flags & MAP_ANONYMOUS:
            _show_file(mm, start, length, offset, p.fds.get(fd))
        return start
    # MAP_NORESERVE (VM_NORESERVE unless vm.overcommit_memory is 2): the mapping is never
    # charged, writable or not, now or after mprotect (SBCL reserves its heap so).
    from ..procfs import sysctl
    noreserve = bool(flags & MAP_NORESERVE) and \
        sysctl(p.kernel, "vm/overcommit_memory") != OVERCOMMIT_NEVER
    if prot == 0 and flags & MAP_ANONYMOUS and not flags & (MAP_GROWSDOWN | MAP_LOCKED):
        # PROT_NONE address space (Go's arenas, Java's heap and class space): no pages and no
        # charge, as Linux accounts only writable private mappings; mprotect gives it pages.
        return mm.reserve(start, length, name, noreserve=noreserve)
    mm.map(start, length, prot, name, growsdown=bool(flags & MAP_GROWSDOWN), noreserve=noreserve)
    if data:
        mm.write_force(start, data)
    if not flags & MAP_ANONYMOUS:
        from .shm import mark_private_past_eof
        mark_private_past_eof(mm, start, length, p.fds.get(fd), offset)
        _show_file(mm, start, length, offset, p.fds.get(fd))
    return start


def _show_file(mm, start: int, length: int, offset: int, f) -> None:
    """Record the mapped file's offset, device and inode (/proc/PID/maps shows them)."""
    try:
        st = f.fstat()
    except (KernelError, AttributeError):
        return
    mm.mark_file(start, start + page_up(length), offset, st.st_dev, st.st_ino)


def expand_stack(p, addr: int) -> bool:
    """A fault at addr just below a MAP_GROWSDOWN mapping: extend the mapping down to addr's
    page, as expand_downwards does, unless that comes within the guard gap of the mapping
    below or past RLIMIT_STACK. True if it grew (the access runs again)."""
    from .resource import RLIMIT_STACK, rlimit
    mm = p.mm
    if mm is None or mm.find_vma(addr) is not None:
        return False
    i = bisect.bisect_right(mm.vmas, addr, key=lambda v: v.start)
    if i == len(mm.vmas) or not mm.vmas[i].growsdown:
        return False
    vma, below = mm.vmas[i], mm.vmas[i - 1] if i else None
    if vma.name == "[stack]" and mm.stack_top:
        return False      # the main thread's: mm.c grows it by these rules (mm.py's window)
    start = addr - addr % PAGE
    if start < mm.layout.mmap_floor:
        return False
    if below is not None and not below.growsdown and below.prot and \
            start - below.end < STACK_GUARD_GAP:
        return False
    if vma.end - start > rlimit(p, RLIMIT_STACK)[0]:
        return False
    try:
        mm.map(start, vma.start - start, vma.prot, vma.name, growsdown=True)
    except KernelError:
        return False      # past the charge limit (acct_stack_growth): the fault stands
    return True


def sys_mmap(p, addr, length, prot, flags, fd, offset):
    return do_mmap(p, addr, length, prot, flags, fd, offset)


def sys_mmap2(p, addr, length, prot, flags, fd, pgoffset):
    return do_mmap(p, addr, length, prot, flags, fd, pgoffset * PAGE)


def sys_old_mmap(p, args):
    addr, length, prot, flags, fd, offset = struct.unpack("<6I", p.mm.read(args, 24))
    fd = fd - (1 << 32) if fd & 0x80000000 else fd
    return do_mmap(p, addr, length, prot, flags, fd, offset)


def _task_size(p) -> int:
    """Where user addresses end: 47 bits, or IA32_PAGE_OFFSET for an i386 process."""
    return TASK_SIZE if p.sysvec.word_bits == 64 else 0xFFFFE000


def sys_munmap(p, addr, length):
    task = _task_size(p)
    if addr % PAGE or length == 0 or addr > task or page_up(length) > task - addr:
        raise KernelError(errno.EINVAL)      # __vm_munmap: a range past the user half
    end = addr + page_up(length)
    v = p.mm.find_vma(addr)
    if v is not None and v.start < addr and end < v.end and not map_count_ok(p):
        raise KernelError(errno.ENOMEM)      # splitting a mapping in two needs one more
    p.note_rss()     # memory given back: the peak (ru_maxrss) first
    _unlock(p.mm, addr, end)
    p.mm.unmap(addr, length)
    from .shm import writeback
    writeback(p.kernel)      # a shared file's pages reach the file once unmapped
    return 0


PROT_SEM, PROT_GROWSDOWN, PROT_GROWSUP = 0x8, 0x01000000, 0x02000000


def sys_mprotect(p, addr, length, prot):
    """do_mprotect_pkey's checks in its order: both growth bits, the alignment, a length of
    0 (success, whatever prot says), a range that wraps, then prot's bits (x86 knows read,
    write, exec and PROT_SEM)."""
    prot &= 0xFFFFFFFF
    grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP)
    if grows == PROT_GROWSDOWN | PROT_GROWSUP or addr % PAGE:
        raise KernelError(errno.EINVAL)
    if not length:
        return 0
    word = 1 << 64                         # the kernel's unsigned long, an i386 caller's too
    size = page_up(length) % word          # PAGE_ALIGN wraps in it
    if size == 0 or addr + size >= word:
        raise KernelError(errno.ENOMEM)      # the range's end wraps to or below its start
    prot &= ~grows
    if prot & ~(1 | PROT_WRITE | 4 | PROT_SEM):
        raise KernelError(errno.EINVAL)
    prot &= ~PROT_SEM
    if _splits(p.mm, addr, addr + size, prot) and not map_count_ok(p):
        raise KernelError(errno.ENOMEM)      # split_vma: no room for another mapping
    p.mm.protect(addr, length, prot)
    return 0


MREMAP_DONTUNMAP = 4


def sys_mremap(p, old_addr, old_size, new_size, flags, new_addr):
    """mremap's checks in Linux's order: flags, MREMAP_FIXED without MREMAP_MAYMOVE, the
    alignment, a zero new size; MREMAP_FIXED moves to new_addr (which must not overlap the
    old range), replacing what was there."""
    mm = p.mm
    if flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP):
        raise KernelError(errno.EINVAL)
    if flags & MREMAP_FIXED and not flags & MREMAP_MAYMOVE:
        raise KernelError(errno.EINVAL)
    if old_addr % PAGE or new_size == 0:
        raise KernelError(errno.EINVAL)
    old_size, new_size = page_up(old_size), page_up(new_size)
    task = _task_size(p)
    if flags & (MREMAP_FIXED | MREMAP_DONTUNMAP):
        if new_addr % PAGE or new_size > task or new_addr > task - new_size:
            raise KernelError(errno.EINVAL)          # mremap_to: past the user half
        # (DONTUNMAP's address, a hint, may not overlap the old range either)
        if new_addr < old_addr + old_size and old_addr < new_addr + new_size:
            raise KernelError(errno.EINVAL)
        # mremap_to: room for both ranges to be cut in three, and move_vma's headroom
        # ("map_count + 2 >= sysctl_max_map_count - 3")
        if not map_count_ok(p, 6):
            raise KernelError(errno.ENOMEM)
    vma = _one_mapping(mm, old_addr, old_addr + old_size)
    if vma is None or old_addr + old_size > task:
        raise KernelError(errno.EFAULT)              # vma_to_resize: one user mapping only
    if flags & MREMAP_DONTUNMAP:
        # the pages move; the old range stays mapped, empty (private anonymous memory only,
        # as Linux 5.7 began: a userfaultfd program fills it again)
        # (new_addr, a hint without MREMAP_FIXED, is checked as mremap_to checks it)
        if not flags & MREMAP_MAYMOVE or old_size != new_size or \
                not _private_anonymous(mm, vma):
            raise KernelError(errno.EINVAL)
        start = new_addr if flags & MREMAP_FIXED else mm.find_free(new_size, new_addr)
        _move(p, vma, old_addr, old_size, new_size, start)
        mm.map(old_addr, old_size, vma.prot, vma.name, noreserve=vma.noreserve)
        return start
    if flags & MREMAP_FIXED:
        return _move(p, vma, old_addr, old_size, new_size, new_addr)
    if new_size <= old_size:
        if new_size < old_size:
            cut = mm.find_vma(old_addr + new_size)
            if cut.start < old_addr + new_size and old_addr + old_size < cut.end and \
                    not map_count_ok(p):
                raise KernelError(errno.ENOMEM)   # as munmap: the cut splits a mapping in two
            mm.unmap(old_addr + new_size, old_size - new_size)
        return old_addr
    if old_addr + new_size <= task and not mm.overlaps(old_addr + old_size, old_addr + new_size):
        _extend(p, vma, old_addr + old_size, new_size - old_size,
                vma.offset + old_addr + old_size - vma.start)
        return old_addr
    if not flags & MREMAP_MAYMOVE:
        raise KernelError(errno.ENOMEM)
    return _move(p, vma, old_addr, old_size, new_size, mm.find_free(new_size))


def _one_mapping(mm, start: int, end: int):
    """The mapping [start, end) lies in, as Linux's one VMA: the records that cover it
    without a gap and differ in nothing Linux would keep apart (a grown or moved mapping may
    be kept here as neighbouring records). None when there is no such one."""
    pieces = mm.vmas_in(start, end)
    if not pieces or pieces[0].start > start or pieces[-1].end < end:
        return None
    first = pieces[0]
    for before, after in zip(pieces, pieces[1:]):
        if after.start != before.end or \
                (after.prot, after.shared, after.maxprot, after.name, after.dev, after.inode) != \
                (first.prot, first.shared, first.maxprot, first.name, first.dev, first.inode) or \
                first.inode and after.offset != before.offset + (before.end - before.start):
            return None
    return first


def _move(p, vma, old_addr: int, old_size: int, new_size: int, start: int) -> int:
    """The pages move with their frames (move_page_tables); a larger size adds pages after
    them, a smaller one unmaps the old tail. As move_vma, ENOMEM unless vm.max_map_count
    leaves room for the old mapping to be cut in three ("map_count >= max - 3")."""
    if not map_count_ok(p, 4):
        raise KernelError(errno.ENOMEM)
    mm = p.mm
    kept = min(old_size, new_size)
    mm.move(old_addr, start, kept)
    if new_size > kept:
        _extend(p, vma, start + kept, new_size - kept, vma.offset + old_addr + kept - vma.start)
    if old_size > kept:
        mm.unmap(old_addr + kept, old_size - kept)
    return start


def _extend(p, vma, at: int, size: int, offset: int) -> None:
    """The pages mremap adds at [at, at+size) continue vma: a shared file mapping's are the
    file's pages from offset (SQLite grows its database mapping so); others are fresh."""
    from .shm import cached_file, map_cached
    mm = p.mm
    cached = cached_file(p, vma.dev, vma.inode) if vma.shared and vma.inode else None
    if cached is not None:
        map_cached(p, at, size, vma.prot, cached, offset, vma.name, vma.maxprot)
    elif vma.reserved:      # a PROT_NONE reservation grows as one (and merges as one)
        mm.reserve(at, size, vma.name, noreserve=vma.noreserve)
    else:
        mm.map(at, size, vma.prot, vma.name, noreserve=vma.noreserve)
    if vma.inode:
        mm.mark_file(at, at + size, offset, vma.dev, vma.inode)


MADV_DONTNEED, MADV_FREE, MADV_REMOVE = 4, 8, 9
MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_WIPEONFORK, MADV_KEEPONFORK = 12, 13, 18, 19
MADV_DONTDUMP, MADV_DODUMP = 16, 17
# Every advice Linux 6.x knows (include/uapi/asm-generic/mman-common.h), up to MADV_COLLAPSE,
# but KSM's: the machine is a kernel built without CONFIG_KSM (no /sys/kernel/mm/ksm).
MADV_KNOWN = (set(range(0, 5)) | set(range(8, 26)) | {100, 101}) - \
    {MADV_MERGEABLE, MADV_UNMERGEABLE}
NOPAGE = 0xFFFFFFFF


def _private_anonymous(mm, vma) -> bool:
    return (not vma.name or vma.name.startswith("[")) and \
        mm.lib.sv_as_shared_page(mm.c, vma.start) == NOPAGE


MAX_MINCORE_PAGES = 1 << 20    # a vector made and written in pieces no larger than 1 MiB


def sys_mincore(p, addr, length, vec):
    """One byte per page of [addr, addr+length): 1 when the page has memory (one never
    touched has none yet, nor has a PROT_NONE reservation). ENOMEM when a page of the range
    is unmapped."""
    mm = p.mm
    if addr % PAGE:
        raise KernelError(errno.EINVAL)
    end = page_up(addr + length) if length else addr
    if end > mm.layout.user_top or end < addr:
        raise KernelError(errno.ENOMEM)
    at = addr
    while at < end:
        vma = mm.find_vma(at)
        if vma is None:
            raise KernelError(errno.ENOMEM)
        stop = min(end, vma.end, at + MAX_MINCORE_PAGES * PAGE)
        pages = (stop - at) // PAGE
        if vma.reserved:
            flags = b"\0" * pages
        else:
            out = mm.ffi.new("uint8_t[]", pages)
            if mm.lib.sv_as_resident(mm.c, at, pages, out) != 0:
                raise KernelError(errno.ENOMEM)
            flags = bytes(mm.ffi.buffer(out, pages))
        mm.write(vec + (at - addr) // PAGE, flags)
        at = stop
    return 0


def sys_madvise(p, addr, length, advice):
    """madvise: the checks (alignment, advice, a wholly mapped range) and the advice whose
    effect a program can see: MADV_DONTNEED and MADV_FREE give private anonymous memory
    fresh zero pages, MADV_WIPEONFORK gives a child zero pages there; the rest are hints."""
    mm = p.mm
    if addr % PAGE or length < 0 or advice not in MADV_KNOWN:
        raise KernelError(errno.EINVAL)
    end = addr + page_up(length)
    if end == addr:
        return 0
    vmas = mm.vmas_in(addr, end)
    if not mm.covered(addr, end):
        raise KernelError(errno.ENOMEM)
    if advice in (MADV_DONTNEED, MADV_REMOVE) and _locked(mm, addr, end):
        raise KernelError(errno.EINVAL)     # VM_LOCKED pages stay (can_madv_lru_vma)
    if advice == MADV_REMOVE:               # madvise_remove: a file's hole to punch
        if any(_private_anonymous(mm, v) for v in vmas):
            raise KernelError(errno.EINVAL)
        if not all(v.shared and v.maxprot & PROT_WRITE for v in vmas):
            raise KernelError(errno.EACCES)
    if advice in (MADV_DONTNEED, MADV_FREE, MADV_WIPEONFORK):
        if advice != MADV_DONTNEED and not all(_private_anonymous(mm, v) for v in vmas):
            raise KernelError(errno.EINVAL)
        if advice == MADV_WIPEONFORK:
            mm.wipe_on_fork.append((addr, end))
            return 0
        for v in vmas:
            if _private_anonymous(mm, v) and not v.reserved:   # reserved: no pages to drop
                lo, hi = max(v.start, addr), min(v.end, end)
                mm.map(lo, hi - lo, v.prot, v.name, noreserve=v.noreserve)   # fresh zero pages
    elif advice in (MADV_DONTDUMP, MADV_DODUMP):
        mm.set_dontdump(addr, end, advice == MADV_DONTDUMP)
    elif advice == MADV_KEEPONFORK:
        mm.wipe_on_fork = [(lo, hi) for lo, hi in mm.wipe_on_fork
                           if hi <= addr or lo >= end]
    return 0


def wipe_on_fork(parent_mm, child_mm) -> None:
    """fork: the child gets zero pages where the parent said MADV_WIPEONFORK (and keeps
    the advice for its own children)."""
    ranges = parent_mm.wipe_on_fork
    if not ranges:
        return
    child_mm.wipe_on_fork = list(ranges)
    for lo, hi in ranges:
        for v in child_mm.vmas_in(lo, hi):
            a, b = max(v.start, lo), min(v.end, hi)
            child_mm.map(a, b - a, v.prot, v.name, noreserve=v.noreserve)


# --- locked memory: every page is resident here, so locking only changes what VmLck counts ---

MAP_LOCKED, MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT = 0x2000, 1, 2, 4


def _lock_range(p, addr: int, length: int) -> tuple[int, int]:
    start, end = addr - addr % PAGE, page_up(addr + length)
    if not p.mm.covered(start, end):
        raise KernelError(errno.ENOMEM)
    return start, end


def _unlock(mm, start: int, end: int) -> None:
    kept = []
    for lo, hi in mm.locked:
        if lo < start:
            kept.append((lo, min(hi, start)))
        if hi > end:
            kept.append((max(lo, end), hi))
    mm.locked = kept


def _locked(mm, start: int, end: int) -> bool:
    return any(lo < end and start < hi for lo, hi in mm.locked)


def locked_bytes(mm) -> int:
    """VmLck: the locked part of what is mapped now."""
    total = 0
    for lo, hi in mm.locked:
        for v in mm.vmas:
            total += max(0, min(hi, v.end) - max(lo, v.start))
    return total


def sys_mlock(p, addr, length):
    start, end = _lock_range(p, addr, length)
    _unlock(p.mm, start, end)
    p.mm.locked.append((start, end))
    return 0


def sys_mlock2(p, addr, length, flags):
    if flags & ~1:                      # MLOCK_ONFAULT
        raise KernelError(errno.EINVAL)
    return sys_mlock(p, addr, length)


def sys_munlock(p, addr, length):
    _unlock(p.mm, *_lock_range(p, addr, length))
    return 0


def sys_mlockall(p, flags):
    if not flags or flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) or \
            flags == MCL_ONFAULT:
        raise KernelError(errno.EINVAL)
    if flags & MCL_CURRENT:
        p.mm.locked = [(v.start, v.end) for v in p.mm.vmas]
    return 0


def sys_munlockall(p):
    p.mm.locked = []
    return 0
