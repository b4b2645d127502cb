"""The program a batch file runs in (binfmt/batch.py asks the personality): the generated
cmd.exe of the caller's platform, with the command line CreateProcess gives it,
`cmd.exe /c ""C:\\job.bat" args"`."""
from __future__ import annotations

import errno

from ..binfmt import Binprm
from ..errors import ExecError
from .paths import win32_path
from .start import command_line as joined_command_line

CMD_GUEST_PATH = "/Windows/System32/cmd.exe"
CMD_WIN32_PATH = "C:\\Windows\\System32\\cmd.exe"


def cmd_binprm(kernel, platform: str, bprm) -> Binprm:
    image = kernel.dll_dir / platform / "cmd.exe" if kernel.dll_dir else None
    if image is None or not image.is_file():
        raise ExecError(errno.ENOEXEC, f"{bprm.path}: a batch file needs cmd.exe, and this "
                                       f"build has none for {platform}")
    script = win32_path(bprm.guest_path)
    line = f'{CMD_WIN32_PATH} /c ""{script}"{_arguments(bprm)}"'
    return Binprm(path=CMD_WIN32_PATH, guest_path=CMD_GUEST_PATH, data=image.read_bytes(),
                  argv=[b"cmd.exe", b"/c", script.encode()] + bprm.argv[1:], envp=bprm.envp,
                  filename=bprm.filename, depth=bprm.depth + 1, command_line=line,
                  reader=bprm.reader)


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
