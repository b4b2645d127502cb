"""Shared fixtures: real programs built with real toolchains, cached per test session, and a
way to run them through `tblc run` exactly as a user would."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
REPO = HERE.parent
WIN = PROGRAMS / "win"
MINGW = {32: "i686-w64-mingw32-gcc", 64: "x86_64-w64-mingw32-gcc"}

# CI installs every toolchain the tests use (scripts/setup): there a missing one is a failed
# install, and a skip would pass it off as green.
IN_CI = os.environ.get("CI", "").lower() in ("true", "1")


def missing(what: str) -> None:
    """A required tool or file is absent: skip on a developer's machine, fail in CI."""
    if IN_CI:
        pytest.fail(f"{what}; CI=true, so this is a failure, not a skip", pytrace=False)
    pytest.skip(what)


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("programs")


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode())
    return h.hexdigest()[:12]


class Toolchain:
    """Builds static test programs; skips a test when a compiler is missing (fails in CI)."""

    def __init__(self, out: Path):
        self.out = out

    def _run(self, cmd: list[str]) -> None:
        if shutil.which(cmd[0]) is None:
            missing(f"{cmd[0]} is not installed (scripts/setup installs it)")
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{res.stderr}")

    def asm(self, name: str, bits: int = 64) -> Path:
        """A static ELF from tests/programs/NAME.S, linked with no libc."""
        src = PROGRAMS / f"{name}.S"
        out = self.out / f"{name}-{_digest(src.read_bytes(), bits)}"
        if not out.exists():
            obj = out.with_suffix(".o")
            self._run(["as", "--64" if bits == 64 else "--32", "-o", str(obj), str(src)])
            self._run(["ld", "-static", "-m", "elf_x86_64" if bits == 64 else "elf_i386",
                       "-o", str(out), str(obj)])
        return out

    def flat(self, name: str) -> bytes:
        """The raw image of tests/programs/NAME.S, for flat formats such as mysys."""
        src = PROGRAMS / f"{name}.S"
        out = self.out / f"{name}-{_digest(src.read_bytes())}.bin"
        if not out.exists():
            obj = out.with_suffix(".o")
            self._run(["as", "--64", "-o", str(obj), str(src)])
            self._run(["ld", "-static", "-Ttext=0x400000", "-o", str(obj) + ".elf", str(obj)])
            self._run(["objcopy", "-O", "binary", "-j", ".text", str(obj) + ".elf", str(out)])
        return out.read_bytes()

    def flat_with_headers(self, name: str, bits: int = 64) -> bytes:
        """A raw image of tests/programs/NAME.S preprocessed with tblc's guest headers."""
        from sysvec.compiler.build import build

        include = build().directory / "include"
        src = PROGRAMS / f"{name}.S"
        out = self.out / f"{name}-{_digest(src.read_bytes(), include)}.bin"
        if not out.exists():
            obj = out.with_suffix(".o")
            m = "-m64" if bits == 64 else "-m32"
            self._run(["gcc", m, "-c", "-I", str(include), "-o", str(obj), str(src)])
            self._run(["ld", "-static", "-m", "elf_x86_64" if bits == 64 else "elf_i386",
                       "-Ttext=0x400000", "-o", str(obj) + ".elf", str(obj)])
            self._run(["objcopy", "-O", "binary", "-j", ".text", str(obj) + ".elf", str(out)])
        return out.read_bytes()

    def asm_source(self, name: str, text: str, bits: int = 64) -> Path:
        """A static ELF from assembly text written by the test itself, linked with no libc."""
        out = self.out / f"{name}-{_digest(text, bits)}"
        if not out.exists():
            src, obj = out.with_suffix(".S"), out.with_suffix(".o")
            src.write_text(text)
            self._run(["as", "--64" if bits == 64 else "--32", "-o", str(obj), str(src)])
            self._run(["ld", "-static", "-m", "elf_x86_64" if bits == 64 else "elf_i386",
                       "-o", str(out), str(obj)])
        return out

    def c(self, name: str, cc: str = "musl-gcc", flags: tuple = ()) -> Path:
        """A static executable from tests/programs/NAME.c built by cc (gcc, musl-gcc, gcc -m32)."""
        src = PROGRAMS / f"{name}.c"
        out = self.out / f"{name}-{cc}-{_digest(src.read_bytes(), cc, flags)}"
        if not out.exists():
            self._run([cc, "-static", "-O1", *flags, "-o", str(out), str(src)])
        return out


@pytest.fixture(scope="session")
def toolchain(build_dir) -> Toolchain:
    return Toolchain(build_dir)


@pytest.fixture(scope="session")
def mingw(build_dir):
    def build(name: str, bits: int, nostdlib: bool = False, libs: tuple = ()) -> Path:
        """tests/programs/win/NAME.c, or NAME.cpp built by g++ with libstdc++ linked statically."""
        cxx = (WIN / f"{name}.cpp").exists()
        cc = MINGW[bits].replace("-gcc", "-g++") if cxx else MINGW[bits]
        if shutil.which(cc) is None:
            missing(f"{cc} is not installed (scripts/setup installs {cc.rsplit('-', 1)[-1]}-mingw-w64)")
        src = WIN / f"{name}.{'cpp' if cxx else 'c'}"
        out = build_dir / f"{name}-{bits}-{_digest(src.read_bytes(), nostdlib, libs)}.exe"
        if not out.exists():
            flags = ["-nostdlib", "-e", "_mainCRTStartup" if bits == 32 else "mainCRTStartup"] \
                if nostdlib else ["-static"] if cxx else []
            subprocess.run([cc, "-O1", *flags, "-o", str(out), str(src), *libs], check=True)
        return out
    return build


def windows_lines(mingw, tmp_path: Path, name: str, bits: int, libs=(),
                  status: int = 0) -> list[str]:
    """What tests/programs/win/NAME.c prints, run as /prog.exe in / of a root of its own,
    ending with status."""
    root = make_root(tmp_path, {"/prog.exe": mingw(name, bits, libs=libs)})
    res = tblc("run", "--root", root, "--cwd", "/", "/prog.exe")
    assert res.returncode == status, res.stdout + res.stderr
    return res.stdout.decode().splitlines()


def tblc(*args, input: bytes | None = None, timeout: float = 120, cwd=None) -> subprocess.CompletedProcess:
    """Run the tblc command as a user would."""
    exe = shutil.which("tblc")
    cmd = [exe] if exe else [sys.executable, "-m", "sysvec.cli"]
    return subprocess.run(cmd + [str(a) for a in args], input=input, capture_output=True,
                          timeout=timeout, cwd=cwd)


@pytest.fixture(scope="session")
def busybox(tmp_path_factory) -> Path:
    """Debian's busybox-static binary: from the host package, or downloaded with apt."""
    for candidate in ("/bin/busybox", "/usr/bin/busybox"):
        path = Path(candidate)
        if path.exists() and b"GNU/Linux" in subprocess.run(["file", "-b", str(path)],
                                                             capture_output=True).stdout \
                and b"statically" in subprocess.run(["file", "-b", str(path)],
                                                    capture_output=True).stdout:
            return path
    work = tmp_path_factory.mktemp("busybox")
    res = subprocess.run(["apt-get", "download", "busybox-static"], cwd=work, capture_output=True)
    debs = list(work.glob("busybox-static_*.deb"))
    if res.returncode != 0 or not debs:
        missing("busybox-static is not available (apt-get download busybox-static failed)")
    subprocess.run(["dpkg", "-x", str(debs[0]), str(work / "x")], check=True)
    return work / "x" / "bin" / "busybox"


def make_root(tmp: Path, files: dict[str, Path | bytes]) -> Path:
    """A guest root with the given files (guest path -> host file or bytes), executable."""
    root = tmp / "root"
    root.mkdir(exist_ok=True)
    for guest, src in files.items():
        dest = root / guest.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(src, bytes):
            dest.write_bytes(src)
        else:
            shutil.copy2(src, dest)
        dest.chmod(0o755)
    return root


def mingw_debug(toolchain, name: str, bits: int = 64) -> Path:
    """A mingw-w64 PE built with -g -O0 from tests/programs/NAME.c (DWARF inside the PE)."""
    cc = {32: "i686-w64-mingw32-gcc", 64: "x86_64-w64-mingw32-gcc"}[bits]
    src = PROGRAMS / f"{name}.c"
    out = toolchain.out / f"{name}-{bits}-{_digest(src.read_bytes(), 'mingw-g')}.exe"
    if not out.exists():
        toolchain._run([cc, "-g", "-O0", "-o", str(out), str(src)])
    return out


def calls_python_answers(tmp_path: Path, exe: Path, stdout=None,
                         stdin=None) -> tuple[list, object]:
    """Run exe in-process on a machine of its own: every call a Python handler answered, as
    (name, first four arguments), and the kernel (for what it kept)."""
    from sysvec.runtime.machine import Machine

    m = Machine(root=make_root(tmp_path, {"/prog": exe}))
    kernel = m.kernel
    seen: list = []
    answer = kernel.python_call

    def counting(nr, args):
        seen.append((kernel.running.sysvec.calls[nr].name, [args[i] for i in range(4)]))
        return answer(nr, args)
    kernel.python_call = counting
    proc = m.spawn("/prog", ["/prog"], stdio=(stdin, stdout, None))
    assert m.run() is True and proc.returncode == 0
    m.close()
    return seen, kernel


DEBS = REPO / "build" / "debs"


def debian_debs(*packages: str) -> list[Path]:
    """The packages' .deb files, downloaded once with apt-get into build/debs (skipped, or
    failed in CI, when apt cannot fetch them)."""
    DEBS.mkdir(parents=True, exist_ok=True)
    wanted = [name for name in packages if not list(DEBS.glob(f"{name}_*.deb"))]
    if wanted:
        res = subprocess.run(["apt-get", "download", *wanted], cwd=DEBS, capture_output=True)
        if res.returncode != 0:
            missing(f"apt-get download {' '.join(wanted)} failed: "
                    f"{res.stderr.decode(errors='replace').strip()[-300:]}")
    return [sorted(DEBS.glob(f"{name}_*.deb"))[-1] for name in packages]


def debian_root(root: Path, *packages: str) -> Path:
    """A guest root of Debian packages unpacked over the merged-/usr layout (/bin ->
    usr/bin, ...), with the host's shared libraries its programs link (ldd) and the host's
    passwd and group."""
    for top in ("bin", "sbin", "lib", "lib64"):
        (root / "usr" / top).mkdir(parents=True, exist_ok=True)
        if not (root / top).exists():
            (root / top).symlink_to(f"usr/{top}")
    for name in ("etc", "tmp", "dev", "proc"):
        (root / name).mkdir(exist_ok=True)
    for name in ("passwd", "group"):
        shutil.copy2(Path("/etc") / name, root / "etc" / name)
    for deb in debian_debs(*packages):
        unpacked = root.parent / f"{root.name}-{deb.stem}"
        subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
        for top in ("bin", "sbin", "lib", "lib64"):        # a package's own /bin and /lib
            if (unpacked / top).is_dir() and not (unpacked / top).is_symlink():
                shutil.copytree(unpacked / top, unpacked / "usr" / top, symlinks=True,
                                dirs_exist_ok=True)
                shutil.rmtree(unpacked / top)
        shutil.copytree(unpacked, root, symlinks=True, dirs_exist_ok=True)
        shutil.rmtree(unpacked)
    copy_host_libraries(root, [exe for exe in [*(root / "usr/bin").iterdir(),
                                               *(root / "usr/sbin").iterdir()]
                               if not exe.is_symlink() and exe.is_file()])
    return root


def copy_host_libraries(root: Path, executables) -> None:
    """The host's shared libraries the EXECUTABLES link (as ldd finds them), copied into
    root's merged /usr where the root lacks them."""
    for exe in executables:
        ldd = subprocess.run(["ldd", str(exe)], capture_output=True, text=True).stdout
        for lib in re.findall(r"(/\S+) \(0x", ldd):
            dest = root / "usr" / Path(lib).relative_to("/").as_posix().removeprefix("usr/")
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(lib).resolve(), dest)
