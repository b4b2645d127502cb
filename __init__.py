"""sysvec: a declarative system-call table compiler (sysvec.compiler, the `tblc` command) and a
multi-personality process runtime over Unicorn (sysvec.runtime).

The repository's top-level folders are the package: the build maps `sysvec` to the repository
root, `sysvec.compiler` to compiler/ and `sysvec.runtime` to runtime/ (setup.py), and a wheel
carries tables/ and csrc/ beside them, where the compiler looks for them."""

__version__ = "0.2.0"
__all__ = ["Machine", "Process", "SysvecError", "ExecError", "KernelError", "ManifestError",
           "__version__"]


def __getattr__(name):
    # Importing sysvec stays cheap: the runtime (Unicorn, cffi) loads when a name is asked for.
    if name in __all__ and name != "__version__":
        from . import runtime
        return getattr(runtime, name)
    raise AttributeError(f"module 'sysvec' has no attribute {name!r}")
