"""Loop devices (drivers/block/loop.c): /dev/loop-control hands out free devices, and
/dev/loopN are block devices reading and writing a file of the guest's that LOOP_SET_FD
binds to them. The machine has LOOP_COUNT of them; the file systems it mounts need no block
device (runtime/mounts.py), so a loop device is a device to bind, size and read, as tools
and test suites use it, not a thing to mount a disk file system from."""
from __future__ import annotations

import errno
import os
import stat as S
import struct

from .errors import KernelError
from .files import O_RDWR, OpenFile, PositionedFile, mkdev, synthetic_stat

LOOP_COUNT = 8
LOOP_MAJOR, MISC_MAJOR, LOOP_CTRL_MINOR = 7, 10, 237
CONTROL = "loop-control"
CONTROL_DEV = mkdev(MISC_MAJOR, LOOP_CTRL_MINOR)
# include/uapi/linux/loop.h and fs.h
LOOP_SET_FD, LOOP_CLR_FD, LOOP_SET_STATUS, LOOP_GET_STATUS = 0x4C00, 0x4C01, 0x4C02, 0x4C03
LOOP_SET_STATUS64, LOOP_GET_STATUS64 = 0x4C04, 0x4C05
LOOP_CTL_ADD, LOOP_CTL_REMOVE, LOOP_CTL_GET_FREE = 0x4C80, 0x4C81, 0x4C82
LO_NAME_SIZE, LO_KEY_SIZE = 64, 32
BLKGETSIZE, BLKSSZGET, BLKFLSBUF = 0x1260, 0x1268, 0x1261
SECTOR = 512


def blkgetsize64(word_bytes: int) -> int:
    """_IOR(0x12, 114, size_t): the size of size_t is in the number."""
    return (2 << 30) | (word_bytes << 16) | (0x12 << 8) | 114


def names() -> list[str]:
    return [CONTROL] + [f"loop{n}" for n in range(LOOP_COUNT)]


def device_number(name: str) -> tuple[int, int]:
    """(S_IFBLK or S_IFCHR, rdev) of a loop device name."""
    if name == CONTROL:
        return S.S_IFCHR, CONTROL_DEV
    return S.S_IFBLK, mkdev(LOOP_MAJOR, int(name[4:]))


class Loop:
    """One loop device's binding."""

    def __init__(self, number: int):
        self.number = number
        self.backing: OpenFile | None = None
        self.name = b""         # lo_file_name, as LOOP_SET_STATUS gave it

    def size(self) -> int:
        return self.backing.fstat().st_size if self.backing is not None else 0


class LoopDevices:
    """The machine's loop devices."""

    def __init__(self):
        self.loops = [Loop(n) for n in range(LOOP_COUNT)]

    def open(self, name: str, access: int) -> OpenFile:
        if name == CONTROL:
            return LoopControl(self, access)
        return LoopDevice(self.loops[int(name[4:])], access)

    def close(self) -> None:
        for loop in self.loops:
            if loop.backing is not None:
                loop.backing.decref()
                loop.backing = None


class _Node(OpenFile):
    def __init__(self, name: str, access: int, devtype: int, rdev: int):
        super().__init__(access, f"/dev/{name}")
        self.devtype, self.rdev = devtype, rdev

    def fstat(self):
        return synthetic_stat(self.devtype | 0o660, self.rdev, ino=self.rdev)


class LoopControl(_Node):
    kind = "chr"

    def __init__(self, devices: LoopDevices, access: int = O_RDWR):
        super().__init__(CONTROL, access, S.S_IFCHR, CONTROL_DEV)
        self.devices = devices

    def ioctl(self, p, cmd: int, arg: int) -> int:
        if cmd == LOOP_CTL_GET_FREE:
            for loop in self.devices.loops:
                if loop.backing is None:
                    return loop.number
            raise KernelError(errno.ENOSPC)      # a fixed set: none can be added
        if cmd in (LOOP_CTL_ADD, LOOP_CTL_REMOVE):
            if not 0 <= arg < LOOP_COUNT:
                raise KernelError(errno.EINVAL if cmd == LOOP_CTL_REMOVE else errno.ENOSPC)
            if cmd == LOOP_CTL_ADD:
                raise KernelError(errno.EEXIST)
            if self.devices.loops[arg].backing is not None:
                raise KernelError(errno.EBUSY)
            return 0
        raise KernelError(errno.ENOSYS)        # loop_control_ioctl's answer


class LoopDevice(_Node, PositionedFile):
    kind = "blk"

    def __init__(self, loop: Loop, access: int):
        super().__init__(f"loop{loop.number}", access, S.S_IFBLK,
                         mkdev(LOOP_MAJOR, loop.number))
        self.loop = loop

    # --- the bound file's bytes -----------------------------------------------------------

    def _backing_fd(self) -> int:
        f = self.loop.backing
        if f is None:
            raise KernelError(errno.ENXIO)
        return f.fd

    def pread(self, n, off):
        self._check_read()
        return os.pread(self._backing_fd(), n, off)

    def pwrite(self, data, off):
        self._check_write()
        return os.pwrite(self._backing_fd(), data, off)

    def end(self) -> int:
        return self.loop.size()

    # --- ioctls ---------------------------------------------------------------------------

    def ioctl(self, p, cmd: int, arg: int) -> int:
        loop, wide = self.loop, p.sysvec.word_bits == 64
        if cmd == LOOP_SET_FD:
            f = p.fds.get(arg)
            if getattr(f, "fd", None) is None or f.kind != "file":
                raise KernelError(errno.EINVAL)
            if loop.backing is not None:
                raise KernelError(errno.EBUSY)
            loop.backing, loop.name = f.incref(), b""
            return 0
        if cmd == LOOP_CLR_FD:
            if loop.backing is None:
                raise KernelError(errno.ENXIO)
            loop.backing.decref()
            loop.backing, loop.name = None, b""
            return 0
        if cmd in (LOOP_SET_STATUS, LOOP_SET_STATUS64):
            if loop.backing is None:
                raise KernelError(errno.ENXIO)
            at = 56 if cmd == LOOP_SET_STATUS64 else 48 if wide else 32
            loop.name = p.mm.read(arg + at, LO_NAME_SIZE).split(b"\0")[0]
            return 0
        if cmd in (LOOP_GET_STATUS, LOOP_GET_STATUS64):
            if loop.backing is None:
                raise KernelError(errno.ENXIO)
            p.mm.write(arg, self._status(cmd == LOOP_GET_STATUS64, wide))
            return 0
        if cmd == blkgetsize64(8 if wide else 4):
            p.mm.write(arg, struct.pack("<Q", loop.size()))
            return 0
        if cmd == BLKGETSIZE:
            p.mm.write(arg, struct.pack("<Q" if wide else "<I", loop.size() // SECTOR))
            return 0
        if cmd == BLKSSZGET:
            p.mm.write_u32(arg, SECTOR)
            return 0
        if cmd == BLKFLSBUF:
            return 0
        raise KernelError(errno.EINVAL)        # lo_ioctl's answer

    def _status(self, wide64: bool, wide: bool) -> bytes:
        """struct loop_info64, or the old struct loop_info of the caller's ABI."""
        loop, st = self.loop, self.loop.backing.fstat()
        name = loop.name[:LO_NAME_SIZE - 1].ljust(LO_NAME_SIZE, b"\0")
        if wide64:
            return struct.pack("<5Q4I64s64s32s2Q", st.st_dev, st.st_ino, 0, 0, 0, loop.number,
                               0, 0, 0, name, b"", b"", 0, 0)
        if wide:
            return struct.pack("<i4xQQQ4i64s32s2Q4x", loop.number, st.st_dev, st.st_ino, 0,
                               0, 0, 0, 0, name, b"", 0, 0)
        return struct.pack("<iH2xIH2x4i64s32s2I4x", loop.number, st.st_dev & 0xFFFF,
                           st.st_ino & 0xFFFFFFFF, 0, 0, 0, 0, 0, name, b"", 0, 0)
