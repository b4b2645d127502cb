"""The native `tblc` launcher (csrc/launcher/tblc.c): built for this interpreter and sysvec tree,
and installed over the `tblc` console script pip wrote, so that a warm `tblc run` does not
wait for Python's own start-up (~35 ms) before asking the warm server (runtime/warmstart.py).
Everything else it hands to the Python entry point, so the installed command behaves as the
console script did.

`python3 -m sysvec.runtime.launcher` (scripts/setup runs it) builds and installs it; with
`--uninstall` it writes the console script back. A machine without a C compiler keeps the
console script: nothing changes but the speed of warm starts."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "csrc" / "launcher" / "tblc.c"
MARK = b"sysvec-native-launcher"        # in the binary: tells an installed launcher apart

CONSOLE_SCRIPT = """#!{python}
# -*- coding: utf-8 -*-
import re
import sys
from sysvec.cli import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"""


def c_string(value: str) -> str:
    """VALUE as a C string literal, every byte outside plain ASCII letters escaped."""
    out = []
    for byte in os.fsencode(value):
        char = chr(byte)
        out.append(char if char.isalnum() or char in "/._-+ " else f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


def build(target: Path, python: str | None = None, tree: str | None = None) -> None:
    """Compile the launcher to TARGET for PYTHON (this interpreter) and TREE (this sysvec)."""
    import sysvec
    python = python or sys.executable
    tree = tree or os.path.dirname(sysvec.__file__)
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        raise OSError("no C compiler (cc) on PATH")
    command = [cc, "-O2", "-std=gnu11", "-Wall", "-Werror", f"-DSV_PYTHON={c_string(python)}",
               f"-DSV_TREE={c_string(tree)}", f'-DSV_MARK="{MARK.decode()}"',
               "-o", str(target), str(SOURCE)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise OSError(f"{cc} failed: {done.stderr.strip()[-2000:]}")


def console_script() -> Path | None:
    """Where pip installed the `tblc` command of this interpreter's sysvec: its RECORD says
    (a source tree's own sysvec.egg-info, which lists no scripts, is passed over)."""
    from importlib import metadata
    for dist in metadata.distributions(name="sysvec"):
        for file in dist.files or ():
            if file.name == "tblc" and file.parent.name == "bin":
                return Path(os.path.normpath(dist.locate_file(file)))
    return None


def is_launcher(path: Path) -> bool:
    try:
        return MARK in path.read_bytes()
    except OSError:
        return False


def install(target: Path) -> str:
    """Build beside TARGET, check the result answers `--version` as the Python entry point
    does, then put it in TARGET's place in one rename."""
    fd, temporary = tempfile.mkstemp(prefix=".tblc-launcher-", dir=target.parent)
    os.close(fd)
    try:
        build(Path(temporary))
        env = dict(os.environ, SYSVEC_WARM="0")
        check = subprocess.run([temporary, "--version"], capture_output=True, text=True,
                               env=env, timeout=60)
        if check.returncode != 0 or not check.stdout.startswith("tblc (sysvec)"):
            raise OSError(f"the built launcher does not run: {check.stderr.strip()[-500:]}")
        os.chmod(temporary, 0o755)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return f"installed the native tblc launcher at {target}"


def uninstall(target: Path) -> str:
    if not is_launcher(target):
        return f"{target} is not the native launcher: left as it is"
    target.write_text(CONSOLE_SCRIPT.format(python=sys.executable))
    return f"wrote the Python console script back to {target}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = console_script()
    if target is None or not target.parent.is_dir():
        print("launcher: sysvec's tblc command is not installed (pip install -e .); "
              "nothing to replace", file=sys.stderr)
        return 1
    try:
        print("launcher: " + (uninstall(target) if "--uninstall" in argv else install(target)))
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"launcher: keeping the Python console script at {target}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
