"""NTSTATUS values the NT handlers return, and the error type that carries one."""
from __future__ import annotations

import errno

from sysvec.compiler.errnames import NTSTATUS

from ..errors import KernelError

# The values' one home is compiler/errnames.py (the names a spec's `fail` accepts, and the
# tracer's); every STATUS_* name there is a constant here.
globals().update(NTSTATUS)
__all__ = [*NTSTATUS, "NtError"]


class NtError(KernelError):
    """A call fails with this NTSTATUS (the dispatcher returns it as is)."""

    def __init__(self, status: int):
        self.status = status
        super().__init__(errno.EIO, f"NTSTATUS {status:#010x}")
