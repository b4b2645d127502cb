"""Errors the kernel raises inside handlers, and the documented exceptions of the API."""
from __future__ import annotations

import errno as _errno


class KernelError(Exception):
    """A system call fails with this errno; the dispatcher turns it into the table's result."""

    def __init__(self, code: int, message: str = ""):
        self.errno = code
        super().__init__(message or _errno.errorcode.get(code, str(code)))


class Fault(KernelError):
    """A guest pointer was bad: EFAULT (NT: STATUS_ACCESS_VIOLATION)."""

    def __init__(self, address: int = 0):
        self.address = address
        super().__init__(_errno.EFAULT, f"bad guest address {address:#x}")


class HostInterrupt(BaseException):
    """The host asked the run to end (tblc got SIGTERM, SIGINT or SIGHUP). A BaseException,
    so no handler's error path can mistake it for a failed call: it unwinds out of
    Machine.run, and the call it interrupted is restarted if the run is resumed."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class WouldBlock(Exception):
    """The operation cannot complete now; the caller decides to block or return EAGAIN."""


class BrokenPipe(Exception):
    """A write to a pipe with no readers: the writer gets SIGPIPE and EPIPE."""


class SysvecError(Exception):
    """Base of the errors the embedding API raises."""


class ExecError(SysvecError):
    """A program cannot be executed: not found, not a recognised format, malformed."""

    def __init__(self, code: int, message: str):
        self.errno = code
        super().__init__(message)

    @property
    def shell_status(self) -> int:
        """What a shell reports: 127 for a program not found, 126 for any other reason it
        could not run (bash's shell_execve: a loop of links or #! lines, E2BIG, ENOMEM...)."""
        return 127 if self.errno == _errno.ENOENT else 126


class ManifestError(SysvecError):
    """A machine manifest is malformed."""
