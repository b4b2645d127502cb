"""`#!` scripts (binfmt_script): re-exec the named interpreter with the script as argument."""
from __future__ import annotations

import errno

from ..errors import ExecError
from . import BINPRM_BUF_SIZE, Image


class ScriptHandler:
    name = "script"
    formats = ()

    def recognises(self, bprm) -> bool:
        return bprm.header[:2] == b"#!"

    def load(self, kernel, bprm) -> Image:
        # The kernel's buffer: the file's first BINPRM_BUF_SIZE bytes, zeros past its end.
        buf = bprm.header.ljust(BINPRM_BUF_SIZE, b"\0")
        if b"\n" not in buf:
            # The line does not end within the buffer: its arguments may be cut short, not
            # the interpreter's path (Linux 5.1's binfmt_script: a path that runs to the
            # buffer's last byte without a blank or NUL is ENOEXEC).
            rest = buf[2:BINPRM_BUF_SIZE - 1].lstrip(b" \t")
            if not rest or not any(c in rest for c in (b" ", b"\t", b"\0")):
                raise ExecError(errno.ENOEXEC, f"{bprm.path}: the '#!' line's interpreter "
                                f"path is longer than {BINPRM_BUF_SIZE} bytes")
        line = buf[2:].split(b"\n", 1)[0].split(b"\0", 1)[0].strip()
        if not line:
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: '#!' names no interpreter")
        interp, _, arg = line.replace(b"\t", b" ").partition(b" ")
        arg = arg.strip()
        argv = [interp] + ([arg] if arg else []) + [bprm.path.encode()] + bprm.argv[1:]
        return kernel.exec_interpreter(interp.decode(errors="surrogateescape"), argv, bprm)
