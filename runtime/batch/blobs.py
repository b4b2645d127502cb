"""Programs and roots travel to workers as content-addressed blobs: a root directory is packed
into a tar once per batch, named by its sha256, and unpacked once per worker into a cache; a
program run without a root is its own file's bytes. Each run gets a fresh copy, so what one
guest writes into its root never reaches another run."""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import tarfile
import tempfile
from pathlib import Path


def pack_root(root: Path) -> bytes:
    """A tar of the directory: entries sorted, symlinks kept as links (never followed)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(dirnames + filenames):
                full = Path(dirpath) / name
                info = tar.gettarinfo(str(full), arcname=str(full.relative_to(root)))
                if info is None:     # a socket or other file tar cannot hold
                    continue
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                if info.isreg():
                    with open(full, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
            # os.walk lists a symlink to a directory among dirnames: it was added as a link
            dirnames[:] = [d for d in dirnames if not (Path(dirpath) / d).is_symlink()]
    return buf.getvalue()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_dir() -> Path:
    """This worker's blob cache: $SYSVEC_BATCH_CACHE, or a directory under the temp dir."""
    env = os.environ.get("SYSVEC_BATCH_CACHE")
    path = Path(env) if env else Path(tempfile.gettempdir()) / f"sysvec-batch-{os.getuid()}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cached_root(sha: str, data: bytes) -> Path:
    """The unpacked root for a blob, unpacked here on first use (atomically: a rename)."""
    final = cache_dir() / "roots" / sha
    if final.is_dir():
        return final
    if digest(data) != sha:
        raise ValueError(f"root blob {sha[:12]} arrived damaged")
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{sha[:12]}-", dir=final.parent))
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(work, filter="tar")
    try:
        os.rename(work, final)
    except OSError:          # another process of this worker's host unpacked it first
        shutil.rmtree(work, ignore_errors=True)
    return final


def cached_file(sha: str, data: bytes) -> Path:
    final = cache_dir() / "files" / sha
    if final.is_file():
        return final
    if digest(data) != sha:
        raise ValueError(f"program blob {sha[:12]} arrived damaged")
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, final)
    return final


def fresh_root(run_dir: Path, blob_kind: str, sha: str, data: bytes, name: str) -> Path:
    """A root for one run: a copy of the cached root, or an empty one holding the program
    file as /NAME (executable, as `tblc run` copies a host program)."""
    root = run_dir / "root"
    if blob_kind == "root":
        shutil.copytree(cached_root(sha, data), root, symlinks=True)
    else:
        root.mkdir()
        dest = root / name
        shutil.copyfile(cached_file(sha, data), dest)
        dest.chmod(dest.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return root
