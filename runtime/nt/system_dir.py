"""C:\\Windows\\System32 as a Windows process sees it when the root has no System32 of its own:
a read-only directory of the DLLs sysvec generated for the process's platform (and its
programs: cmd.exe, runtime/win32/cmd.py), the files
GetSystemDirectory, GetModuleFileName and the loader name. Programs look there: Go's runtime
probes a long name in it at start-up (a missing directory means "no long paths" and a
warning on stderr), others open a DLL they have loaded to read it.

The nodes are the VFS's synthetic ones, asked for by the process's personality, so a Linux
process of the same machine sees the root as it is. Names match in any case, as on NTFS."""
from __future__ import annotations

import os

from ..abi_structs import DT_DIR, DT_REG


def _child(directory: str, name: str) -> str | None:
    """directory's entry called name in any case (a host path), or None."""
    try:
        found = next((n for n in os.listdir(directory) if n.lower() == name), None)
    except OSError:
        return None
    return None if found is None else os.path.join(directory, found)


def root_has_windows(fs) -> bool:
    return _child(fs.root, "windows") is not None


def root_has_system32(fs) -> bool:
    """The root brings its own C:\\Windows\\System32 (then it is shown as it is)."""
    windows = _child(fs.root, "windows")
    return windows is not None and os.path.isdir(_child(windows, "system32") or "")


def _system_files(ctx, machine) -> dict[str, bytes | None]:
    """{file name: its bytes, read on first use} of the platform's generated DLLs."""
    platform = ctx.sysvec.platform
    files = machine.system_files.get(platform)
    if files is None:
        directory = ctx.kernel.dll_dir / platform if ctx.kernel.dll_dir else None
        names = sorted(p.name for p in directory.iterdir() if p.suffix in (".dll", ".exe")) \
            if directory and directory.is_dir() else []
        files = machine.system_files[platform] = {name: None for name in names}
    return files


def system_dir_node(fs, parts: list[str], ctx, machine) -> tuple | None:
    """A root's own Windows directory is shown as it is (fonts a program is given there, say),
    with the made-up System32 inside it unless the root has one too."""
    if parts[0].lower() != "windows" or len(parts) > 3:
        return None
    if len(parts) == 1:
        return None if root_has_windows(fs) else ("dir", {"System32": DT_DIR})
    if root_has_system32(fs):
        return None
    if parts[1].lower() != "system32":
        return None
    files = _system_files(ctx, machine)
    if len(parts) == 2:
        return ("dir", {name: DT_REG for name in files})
    name = next((n for n in files if n.lower() == parts[2].lower()), None)
    if name is None:
        return None
    if files[name] is None:
        files[name] = (ctx.kernel.dll_dir / ctx.sysvec.platform / name).read_bytes()
    return ("program" if name.endswith(".exe") else "file", files[name])
