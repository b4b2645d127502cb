"""Batch files run as programs: CreateProcess (or `tblc run`) given a `.bat` or `.cmd` file
starts `cmd.exe /c "file args"`, as Windows does. A binary-format handler, like `#!` scripts,
but matched by extension (binfmt_misc's E type) and only for a Windows caller or the
launcher: a Linux process exec'ing `x.cmd` gets ENOEXEC, as on Linux."""
from __future__ import annotations

import errno

from ..binfmt import Binprm
from ..errors import ExecError
from .paths import win32_path
from .start import command_line as joined_command_line

EXTENSIONS = (".bat", ".cmd")
CMD_GUEST_PATH = "/Windows/System32/cmd.exe"
PE_MAGIC, ELF_MAGIC = b"MZ", b"\x7fELF"


class BatchHandler:
    name = "batch"
    formats = ()

    def recognises(self, bprm) -> bool:
        if not bprm.guest_path.lower().endswith(EXTENSIONS):
            return False
        if bprm.header[:2] == PE_MAGIC or bprm.header[:4] == ELF_MAGIC:
            return False
        reader = bprm.reader
        return reader is None or reader.sysvec is None or reader.sysvec.personality.name == "nt"

    def load(self, kernel, bprm):
        reader = bprm.reader
        platform = reader.sysvec.platform if reader is not None and reader.sysvec else "nt_x64"
        image = kernel.dll_dir / platform / "cmd.exe" if kernel.dll_dir else None
        if image is None or not image.is_file():
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: a batch file needs cmd.exe, and "
                                           f"this build has none for {platform}")
        script = win32_path(bprm.guest_path)
        line = f'C:\\Windows\\System32\\cmd.exe /c ""{script}"{_arguments(bprm)}"'
        nb = Binprm(path="C:\\Windows\\System32\\cmd.exe", guest_path=CMD_GUEST_PATH,
                    data=image.read_bytes(), argv=[b"cmd.exe", b"/c", script.encode()] +
                    bprm.argv[1:], envp=bprm.envp, filename=bprm.filename,
                    depth=bprm.depth + 1, command_line=line, reader=reader)
        return kernel.binfmts.search(kernel, nb)


def _arguments(bprm) -> str:
    """What follows the program's name on its command line (with its leading blank)."""
    if bprm.command_line is None:
        rest = joined_command_line(bprm.argv[1:])
        return " " + rest if rest else ""
    line = bprm.command_line.lstrip(" \t")
    if line.startswith('"'):
        end = line.find('"', 1)
        return line[end + 1:] if end >= 0 else ""
    cut = min((i for i in (line.find(" "), line.find("\t")) if i >= 0), default=len(line))
    return line[cut:]
