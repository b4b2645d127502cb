"""API-set resolution: the host DLL behind an `api-ms-win-*` contract name, from the data file
tables/apisets.txt, the way Windows' loader consults apisetschema.dll."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

SCHEMA = Path(__file__).resolve().parents[2] / "tables" / "apisets.txt"
VERSION_TAIL = re.compile(r"-l\d+-\d+(-\d+)?$")


@lru_cache(maxsize=1)
def schema(path: Path = SCHEMA) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(exact names, prefixes longest first), read once."""
    exact, prefixes = {}, []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].split()
        if not line:
            continue
        name, host = line[0].lower(), line[1].lower()
        if name.endswith("*"):
            prefixes.append((name[:-1], host))
        else:
            exact[name] = host
    prefixes.sort(key=lambda item: -len(item[0]))
    return exact, prefixes


def resolve(name: str) -> str:
    """The DLL (lower case, no .dll) that implements an imported name; other names as given."""
    key = name.lower().removesuffix(".dll")
    exact, prefixes = schema()
    for _ in range(4):   # a host may itself be folded into another
        contract = VERSION_TAIL.sub("", key)
        host = exact.get(key) or exact.get(contract) or next(
            (h for prefix, h in prefixes if key.startswith(prefix)), None)
        if host is None or host == key:
            break
        key = host
    return key
