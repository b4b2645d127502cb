"""Reading the text files tblc is given (specs and what they include, manifests, attribute
stores): a regular file only, and no larger than any of them could sensibly be, so
/dev/zero, a FIFO or a device given by mistake (or malice) is a clear error, never an
unbounded read or a wait for a writer that never comes."""
from __future__ import annotations

import errno
import os
import stat as S

MAX_TEXT_BYTES = 256 << 20


def read_bytes(path) -> bytes:
    """The file's bytes; OSError (with a strerror a message can show) otherwise."""
    if "\0" in str(path):                   # os.stat's ValueError, as the OSError others get
        raise OSError(errno.EINVAL, "a file name cannot hold a NUL byte", str(path))
    st = os.stat(path)                      # before open: opening a FIFO would wait
    if not S.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    with open(path, "rb") as f:
        data = f.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise OSError(errno.EFBIG, f"larger than {MAX_TEXT_BYTES >> 20} MiB", str(path))
    return data


def read_text(path, errors: str = "strict") -> str:
    """The file as UTF-8 text; with strict, bytes that are not are an OSError too (EILSEQ,
    saying where), so a caller's one error path covers every file it cannot use."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8", errors=errors)
    except UnicodeDecodeError as exc:
        raise OSError(errno.EILSEQ, f"not UTF-8 text (byte {exc.start})", str(path)) from None
