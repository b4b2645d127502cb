"""Qiling 1.4.6, for comparison: installed by the suite into its own virtual environment
(build/bench/qiling-venv) so it never touches sysvec's, and run through qiling_driver.py."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench.common import OUT
from bench.suite import Skip

VERSION = "1.4.6"
VENV = OUT / "qiling-venv"
DRIVER = Path(__file__).resolve().parent / "qiling_driver.py"


def venv_python() -> Path:
    return VENV / "bin" / "python"


def installed_version(python: Path) -> str | None:
    if not python.exists():
        return None
    res = subprocess.run([str(python), "-c", "import importlib.metadata as m; print(m.version('qiling'))"],
                         capture_output=True, text=True)
    return res.stdout.strip() if res.returncode == 0 else None


def ensure_qiling(log=lambda m: None) -> Path:
    """The venv's interpreter, with Qiling VERSION installed (once); Skip when that fails."""
    python = venv_python()
    if installed_version(python) == VERSION:
        return python
    log(f"installing Qiling {VERSION} into {VENV} (once) ...")
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True,
                           capture_output=True, text=True, timeout=300)
        res = subprocess.run([str(python), "-m", "pip", "install", "-q", f"qiling=={VERSION}"],
                             capture_output=True, text=True, timeout=1200)
    except (subprocess.SubprocessError, OSError) as exc:
        raise Skip(f"Qiling {VERSION} could not be installed ({type(exc).__name__}); "
                   "skipping the Qiling comparison") from None
    if res.returncode != 0 or installed_version(python) != VERSION:
        errors = [l for l in res.stderr.splitlines() if l.startswith("ERROR")] or res.stderr.splitlines()
        raise Skip(f"Qiling {VERSION} could not be installed with pip "
                   f"({(errors or ['no message'])[-1].strip()[:120]}); skipping the Qiling comparison")
    return python


def make_rootfs(root: Path, busybox: Path, getpid_loop: Path) -> Path:
    """The rootfs Qiling needs, from the same files: /bin/busybox, /bin/getpid_loop, and
    /proc/self/exe as a copy of busybox, since busybox runs its applets through it and Qiling
    maps that path into the rootfs like any other."""
    (root / "bin").mkdir(parents=True, exist_ok=True)
    (root / "proc" / "self").mkdir(parents=True, exist_ok=True)
    shutil.copy2(getpid_loop, root / "bin" / "getpid_loop")
    if busybox.is_file():
        shutil.copy2(busybox, root / "bin" / "busybox")
        shutil.copy2(busybox, root / "proc" / "self" / "exe")
    return root


def _check(res: subprocess.CompletedProcess, what: str) -> None:
    if res.returncode != 0:
        lines = [l for l in res.stderr.strip().splitlines() if l.strip() and not l.strip().startswith("^")]
        raise RuntimeError(f"Qiling failed on {what}: {(lines or ['exit %d' % res.returncode])[-1][:160]}")


def getpid_loop(python: Path, rootfs: Path, n: int) -> float:
    """Seconds Qiling's ql.run() takes for n getpid calls."""
    res = subprocess.run([str(python), str(DRIVER), "getpid", str(rootfs), str(n)],
                         capture_output=True, text=True, timeout=600)
    _check(res, "the getpid loop")
    return float(res.stdout.strip().splitlines()[-1])


def run_busybox(python: Path, rootfs: Path, args: list[str], expect: str) -> float:
    """Wall time of busybox ARGS under Qiling, whole process; its output must be `expect`."""
    import time

    t0 = time.perf_counter()
    res = subprocess.run([str(python), str(DRIVER), "run", str(rootfs), "/bin/busybox"] + args,
                         capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - t0
    _check(res, "busybox " + " ".join(args[:1]))
    if res.stdout.strip() != expect:
        lines = [l for l in res.stderr.strip().splitlines() if l.strip()]
        raise RuntimeError(f"Qiling's busybox printed {res.stdout.strip()[:40]!r}, expected "
                           f"{expect!r}: {(lines or [''])[-1][:120]}")
    return elapsed
