"""The Linux personality: system-call handlers grouped by subsystem, as in the kernel tree.

Every handler is `sys_<name>(process, *args)` with the spec's arguments already converted
to Python ints by their declared types; it returns the result or raises KernelError."""
from .cred import *     # noqa: F401,F403
from .fs import *       # noqa: F401,F403
from .splice import *   # noqa: F401,F403
from .aio import *      # noqa: F401,F403
from .misc import *     # noqa: F401,F403
from .robust import *   # noqa: F401,F403
from .mount import *    # noqa: F401,F403
from .mm import *       # noqa: F401,F403
from .process import *  # noqa: F401,F403
from .resource import *  # noqa: F401,F403
from .sched import *    # noqa: F401,F403
from .prctl import sys_prctl  # noqa: F401
from .ptrace import sys_ptrace  # noqa: F401
from .process_vm import sys_process_vm_readv, sys_process_vm_writev  # noqa: F401
from .signal import *   # noqa: F401,F403
from .time import *     # noqa: F401,F403
from .posix_timers import *  # noqa: F401,F403
from .socket import *   # noqa: F401,F403
from .poll import *     # noqa: F401,F403
from .events import *   # noqa: F401,F403
from .pidfd import *    # noqa: F401,F403
from .inotify import *  # noqa: F401,F403
from .shm import *     # noqa: F401,F403
from .sysv_shm import *  # noqa: F401,F403
from .sysv_sem import *  # noqa: F401,F403
from .sysv_msg import *  # noqa: F401,F403
from .mqueue import *  # noqa: F401,F403
from .xattr import *  # noqa: F401,F403
from .personality import personality  # noqa: F401 - the rest of the ABI (runtime/personality.py)
