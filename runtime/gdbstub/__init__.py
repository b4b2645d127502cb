"""A GDB remote-protocol server for a machine: every process and thread, breakpoints that
stay in their process, watchpoints, `catch syscall`, fork and exec events."""
from .server import GdbServer

__all__ = ["GdbServer"]
