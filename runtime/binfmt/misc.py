"""binfmt_misc-style registrations from a machine manifest, so a new personality needs no
Python: match by magic (at an offset, under a mask) or by file extension, then either run an
interpreter with the file as argument, or load the file as a flat image for a platform."""
from __future__ import annotations

import errno
from dataclasses import dataclass, fields

from ..errors import ExecError, ManifestError
from . import Image
from .flat import load_flat


def _bytes(value, field: str, name: str) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    text = str(value)
    try:
        if text.startswith("hex:"):
            return bytes.fromhex(text[4:])
        return text.encode("latin-1").decode("unicode_escape").encode("latin-1")
    except ValueError as exc:
        raise ManifestError(f"binfmt '{name}': bad {field}: {exc}") from None


@dataclass
class MiscHandler:
    """One registration; its format name is `misc:<name>`."""

    name: str
    magic: bytes = b""
    offset: int = 0
    mask: bytes = b""
    extension: str = ""
    interpreter: str = ""
    platform: str = ""
    bits: int = 64
    load_address: int = 0x400000
    entry: int | None = None

    @property
    def formats(self) -> tuple[str, ...]:
        return (f"misc:{self.name}",) if self.platform else ()

    @classmethod
    def from_manifest(cls, entry: dict) -> "MiscHandler":
        name = entry.get("name")
        if not name:
            raise ManifestError("a binfmt registration needs a 'name'")
        known = [f.name for f in fields(cls)]
        unknown = sorted(str(k) for k in entry if k not in known)
        if unknown:   # a misspelt key ('entyr') must not be silently ignored
            raise ManifestError(f"binfmt '{name}': unknown key '{unknown[0]}' "
                                f"(known: {', '.join(sorted(known))})")
        try:
            return cls._from_entry(entry, name)
        except (TypeError, ValueError) as exc:
            raise ManifestError(f"binfmt '{name}': {exc}") from None

    @classmethod
    def _from_entry(cls, entry: dict, name) -> "MiscHandler":
        h = cls(name=str(name),
                magic=_bytes(entry.get("magic"), "magic", name),
                offset=int(entry.get("offset", 0)),
                mask=_bytes(entry.get("mask"), "mask", name),
                extension=str(entry.get("extension", "")).lstrip("."),
                interpreter=str(entry.get("interpreter", "")),
                platform=str(entry.get("platform", "")),
                bits=int(entry.get("bits", 64)),
                load_address=int(entry.get("load_address", 0x400000)),
                entry=entry.get("entry"))
        if not h.magic and not h.extension:
            raise ManifestError(f"binfmt '{name}': give a 'magic' or an 'extension'")
        if bool(h.interpreter) == bool(h.platform):
            raise ManifestError(f"binfmt '{name}': give exactly one of 'interpreter' or 'platform'")
        if h.mask and len(h.mask) != len(h.magic):
            raise ManifestError(f"binfmt '{name}': mask and magic differ in length")
        if h.bits not in (32, 64):
            raise ManifestError(f"binfmt '{name}': bits must be 32 or 64")
        return h

    def recognises(self, bprm) -> bool:
        if self.extension:
            return bprm.path.rsplit("/", 1)[-1].endswith("." + self.extension)
        window = bprm.data[self.offset:self.offset + len(self.magic)]
        if len(window) != len(self.magic):
            return False
        if self.mask:
            window = bytes(a & b for a, b in zip(window, self.mask))
            return window == bytes(a & b for a, b in zip(self.magic, self.mask))
        return window == self.magic

    def load(self, kernel, bprm) -> Image:
        if self.interpreter:
            argv = [self.interpreter.encode(), bprm.path.encode()] + bprm.argv[1:]
            return kernel.exec_interpreter(self.interpreter, argv, bprm)
        entry = self.load_address if self.entry is None else int(self.entry)
        if not bprm.data:
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: empty image")
        return load_flat(kernel, bprm, f"misc:{self.name}", self.bits, self.load_address, entry,
                         bprm.data, len(bprm.data))
