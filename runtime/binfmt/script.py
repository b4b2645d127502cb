"""`#!` scripts (binfmt_script): re-exec the named interpreter with the script as argument."""
from __future__ import annotations

import errno

from ..errors import ExecError
from . import Image


class ScriptHandler:
    name = "script"
    formats = ()

    def recognises(self, bprm) -> bool:
        return bprm.header[:2] == b"#!"

    def load(self, kernel, bprm) -> Image:
        line = bprm.header[2:].split(b"\n", 1)[0].strip()
        if not line:
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: '#!' names no interpreter")
        interp, _, arg = line.replace(b"\t", b" ").partition(b" ")
        arg = arg.strip()
        argv = [interp] + ([arg] if arg else []) + [bprm.path.encode()] + bprm.argv[1:]
        return kernel.exec_interpreter(interp.decode(errors="surrogateescape"), argv, bprm)
