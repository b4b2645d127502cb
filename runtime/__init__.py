"""sysvec runtime: processes of several platforms on one Unicorn x86 core, each dispatching its
system calls through the table its binary-format handler chose."""
from .errors import ExecError, KernelError, ManifestError, SysvecError  # noqa: F401


def __getattr__(name):
    # The Machine pulls in Unicorn and the compiler: import it only when asked for.
    if name in ("Machine", "Process"):
        from . import machine
        return getattr(machine, name)
    raise AttributeError(name)
