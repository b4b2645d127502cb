"""Linux memory calls: brk, mmap (anonymous and private file mappings), munmap, mprotect,
mremap, madvise. MAP_SHARED mappings are shared for real (shm.py)."""
from __future__ import annotations

import errno
import struct

from ..errors import KernelError
from ..mm import PAGE, page_up

MAP_SHARED, MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS = 0x01, 0x02, 0x10, 0x20
MAP_FIXED_NOREPLACE = 0x100000
MREMAP_MAYMOVE, MREMAP_FIXED = 1, 2


def sys_brk(p, addr):
    return p.mm.set_brk(addr) if addr else p.mm.brk


def do_mmap(p, addr, length, prot, flags, fd, offset):
    mm = p.mm
    if length == 0 or offset % PAGE or length > 1 << 46:
        raise KernelError(errno.EINVAL)
    if not flags & (MAP_SHARED | MAP_PRIVATE):
        raise KernelError(errno.EINVAL)
    data = b""
    if not flags & MAP_ANONYMOUS:
        f = p.fds.get(fd)
        if f.kind == "dir":
            raise KernelError(errno.ENODEV)
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
    else:
        start = mm.find_free(length, addr)
    name = "" if flags & MAP_ANONYMOUS else getattr(p.fds.get(fd), "guest_path", "")
    if flags & MAP_SHARED:   # really shared: across fork, and with every mapper of the file
        from .shm import map_shared
        return map_shared(p, start, length, prot,
                          None if flags & MAP_ANONYMOUS else p.fds.get(fd), offset, name)
    mm.map(start, length, prot, name)
    if data:
        mm.write_force(start, data)
    return start


def sys_mmap(p, addr, length, prot, flags, fd, offset):
    return do_mmap(p, addr, length, prot, flags, fd, offset)


def sys_mmap2(p, addr, length, prot, flags, fd, pgoffset):
    return do_mmap(p, addr, length, prot, flags, fd, pgoffset * PAGE)


def sys_old_mmap(p, args):
    addr, length, prot, flags, fd, offset = struct.unpack("<6I", p.mm.read(args, 24))
    fd = fd - (1 << 32) if fd & 0x80000000 else fd
    return do_mmap(p, addr, length, prot, flags, fd, offset)


def sys_munmap(p, addr, length):
    if addr % PAGE or length == 0:
        raise KernelError(errno.EINVAL)
    p.mm.unmap(addr, length)
    from .shm import writeback
    writeback(p.kernel)      # a shared file's pages reach the file once unmapped
    return 0


def sys_mprotect(p, addr, length, prot):
    if addr % PAGE:
        raise KernelError(errno.EINVAL)
    if length:
        p.mm.protect(addr, length, prot)
    return 0


def sys_mremap(p, old_addr, old_size, new_size, flags, new_addr):
    mm = p.mm
    if old_addr % PAGE or new_size == 0:
        raise KernelError(errno.EINVAL)
    old_size, new_size = page_up(old_size), page_up(new_size)
    vma = next((v for v in mm.vmas if v.start <= old_addr < v.end), None)
    if vma is None:
        raise KernelError(errno.EFAULT)
    if new_size <= old_size:
        if new_size < old_size:
            mm.unmap(old_addr + new_size, old_size - new_size)
        return old_addr
    if not mm.overlaps(old_addr + old_size, old_addr + new_size):
        mm.map(old_addr + old_size, new_size - old_size, vma.prot, vma.name)
        return old_addr
    if not flags & MREMAP_MAYMOVE:
        raise KernelError(errno.ENOMEM)
    data = mm.read(old_addr, old_size)
    start = mm.find_free(new_size)
    mm.map(start, new_size, vma.prot, vma.name)
    mm.write_force(start, data)
    mm.unmap(old_addr, old_size)
    return start


def sys_madvise(p, addr, length, advice):
    return 0


def sys_mlock(p, addr, length):
    return 0


def sys_munlock(p, addr, length):
    return 0
