"""The seal of a generated base: a content hash `tblc import` writes into the base's `hash`
line and the checker verifies, so a hand edit to generated data is caught, not kept."""
from __future__ import annotations

import hashlib
import re

_HASH_LINE = re.compile(r"^hash\b")


def content_hash(text: str) -> str:
    """sha256 of every line of TEXT but the `hash` line itself."""
    body = "\n".join(line for line in text.splitlines() if not _HASH_LINE.match(line))
    return "sha256:" + hashlib.sha256(body.encode()).hexdigest()
