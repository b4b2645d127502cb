"""Batch files run as programs, as CreateProcess runs them: a `.bat` or `.cmd` file (matched
by extension, binfmt_misc's E type) is handed to the command interpreter of the platform the
`batch` format is linked to (Personality.script_interpreter: Windows' `cmd.exe /c`). Only
for a caller of that personality, or the launcher: a Linux process exec'ing `x.cmd` gets
ENOEXEC, as on Linux."""
from __future__ import annotations

from ..errors import SysvecError

EXTENSIONS = (".bat", ".cmd")
PE_MAGIC, ELF_MAGIC = b"MZ", b"\x7fELF"


class BatchHandler:
    name = "batch"
    formats = ("batch",)
    needs_exec_bit = False      # a Windows script: no execute bit to set

    def recognises(self, bprm) -> bool:
        if not bprm.guest_path.lower().endswith(EXTENSIONS):
            return False
        if bprm.header[:2] == PE_MAGIC or bprm.header[:4] == ELF_MAGIC:
            return False
        reader = bprm.reader
        if reader is None or reader.sysvec is None:
            return True
        try:
            linked = reader.kernel.tables.find("batch")
        except SysvecError:
            return False
        return reader.sysvec.personality is linked.personality

    def load(self, kernel, bprm):
        reader = bprm.reader
        # The caller's own table when it is of the linked personality (a 32-bit caller's
        # cmd.exe is 32-bit), else the linked one.
        sysvec = reader.sysvec if reader is not None and reader.sysvec is not None else \
            kernel.table_for("batch", bprm.path)
        return kernel.binfmts.search(kernel, sysvec.personality.script_interpreter(
            kernel, sysvec, bprm))
