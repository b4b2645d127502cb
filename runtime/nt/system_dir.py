"""C:\\Windows\\System32 as a Windows process sees it when the root has no Windows directory:
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


def root_has_windows(fs) -> bool:
    try:
        return any(name.lower() == "windows" for name in os.listdir(fs.root))
    except OSError:
        return False


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
    if parts[0].lower() != "windows" or len(parts) > 3 or root_has_windows(fs):
        return None
    if len(parts) == 1:
        return ("dir", {"System32": DT_DIR})
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
