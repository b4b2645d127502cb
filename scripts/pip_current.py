"""Exit 0 when the sysvec package is installed editable from TREE, with the pyproject.toml
recorded in STAMP and every dependency present; else 1 (scripts/setup then runs pip).

    python3 scripts/pip_current.py TREE STAMP"""
import hashlib
import json
import re
import sys
from importlib import metadata
from pathlib import Path


def current(tree: Path, stamp: Path) -> bool:
    try:
        dist = metadata.distribution("sysvec")
        url = json.loads(dist.read_text("direct_url.json") or "{}")
        if url.get("url") != tree.resolve().as_uri() or not url.get("dir_info", {}).get("editable"):
            return False
        if stamp.read_text() != hashlib.sha256((tree / "pyproject.toml").read_bytes()).hexdigest():
            return False
        for req in dist.requires or []:
            metadata.version(re.split(r"[ ;<>=!~\[]", req, maxsplit=1)[0])
    except (OSError, ValueError, metadata.PackageNotFoundError):
        return False
    return True


if __name__ == "__main__":
    sys.exit(0 if current(Path(sys.argv[1]), Path(sys.argv[2])) else 1)
