"""Byte-range locks on files (NtLockFile, NtUnlockFile; kernel32's LockFile(Ex) and
UnlockFile(Ex) through them). A lock belongs to the open file, as the machine's open file
description locks do (runtime/linux/locks.py keeps them all, so Linux and Windows lockers of
one file see each other). Windows' locks are mandatory; these are advisory: they keep
lockers apart, not plain reads and writes."""
from __future__ import annotations

import struct

from ..errors import KernelError
from . import abi
from .status import (STATUS_INVALID_PARAMETER, STATUS_LOCK_NOT_GRANTED,
                     STATUS_RANGE_NOT_LOCKED, STATUS_SUCCESS, NtError)


def lock_range(p, f, offset: int, length: int, exclusive: bool | None, wait: bool) -> int:
    """Lock [offset, offset+length) exclusive or shared, or unlock it (exclusive None): an
    NTSTATUS. A wait blocks the thread until the range is free."""
    from ..linux.locks import F_RDLCK, F_UNLCK, F_WRLCK, OFD, Lock, _set, lock_table
    if length == 0:
        return STATUS_SUCCESS
    if offset < 0 or length < 0:
        return STATUS_INVALID_PARAMETER
    ltype = F_UNLCK if exclusive is None else F_WRLCK if exclusive else F_RDLCK
    req = Lock(OFD, f, ltype, offset, offset + length - 1, -1)
    inode = lock_table(p.kernel).of(f)
    if exclusive is None and not any(lock.owner is f and lock.start <= offset and
                                     lock.end >= offset + length - 1 for lock in inode.locks):
        return STATUS_RANGE_NOT_LOCKED
    try:
        _set(p, inode, req, wait=wait)
    except KernelError:
        return STATUS_LOCK_NOT_GRANTED
    return STATUS_SUCCESS


def _large(p, addr: int) -> int:
    return struct.unpack("<q", p.mm.read(addr, 8))[0]


def sys_NtLockFile(p, FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, ByteOffset,
                   Length, Key, FailImmediately, ExclusiveLock):
    f = abi.file_of(p, FileHandle)
    status = lock_range(p, f, _large(p, ByteOffset), _large(p, Length),
                        bool(ExclusiveLock & 0xFF), wait=not FailImmediately & 0xFF)
    abi.write_iosb(p, IoStatusBlock, status, 0)
    if status:
        raise NtError(status)
    return STATUS_SUCCESS


def sys_NtUnlockFile(p, FileHandle, IoStatusBlock, ByteOffset, Length, Key):
    f = abi.file_of(p, FileHandle)
    status = lock_range(p, f, _large(p, ByteOffset), _large(p, Length), None, False)
    abi.write_iosb(p, IoStatusBlock, status, 0)
    if status:
        raise NtError(status)
    return STATUS_SUCCESS
