"""The NT personality: system services by subsystem, each `sys_<NtName>(process, *args)`
returning an NTSTATUS (or raising NtError). Handles are the process's descriptors."""
from .files import *    # noqa: F401,F403
from .directory import sys_NtQueryDirectoryFile  # noqa: F401
from .named_pipes import sys_NtCreateNamedPipeFile  # noqa: F401
from .locks import sys_NtLockFile, sys_NtUnlockFile  # noqa: F401
from .objects import sys_NtQueryKey, sys_NtQueryObject  # noqa: F401
from .memory import *   # noqa: F401,F403
from .process import *  # noqa: F401,F403
from .personality import personality  # noqa: F401 - the rest of the ABI (runtime/personality.py)
