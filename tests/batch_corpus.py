"""A generated corpus for `tblc batch`: static musl, glibc and i386 C programs that exit,
crash, loop forever, fork-bomb, print a lot or call what linux_x86_64 leaves unimplemented;
mingw PE programs, some importing functions sysvec lacks; busybox applet command lines (a
.csv manifest over a root); malformed files. Each entry knows the record it must produce.

scale 1 is the CI corpus (about forty runs); SYSVEC_BATCH_BIG=1 asks the tests for a few
hundred (scale 12: about 260 runs)."""
from __future__ import annotations

import csv
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import _digest

# The limits every corpus batch runs with (and that the expectations assume).
# A wall-clock timeout with room for a loaded 2-core machine: a quick program never nears it.
TIMEOUT = 5
LIMIT_ARGS = ["--timeout", str(TIMEOUT), "--max-procs", "16", "--max-output", "64k"]
MAX_OUTPUT = 64 << 10

# Calls the bundled linux_x86_64 table leaves unimplemented, by the ENOSYS program's rank.
# Obsolete calls no personality work will implement, so the expectations stay put.
ENOSYS_CALLS = [("uselib", "syscall(SYS_uselib, 0)"), ("ustat", "syscall(SYS_ustat, 0, 0)"),
                ("sysfs", "syscall(SYS_sysfs, 3)")]
# Imports no DLL here provides: (DLL!function as the record names it, the C call).
# (Obscure ones, so that a wider Win32 layer does not move the expectations.)
MISSING_IMPORTS = [("KERNEL32.dll!CreateMailslotA", "CreateMailslotA(buf, 0, 0, NULL)"),
                   ("KERNEL32.dll!GetTapeStatus", "GetTapeStatus(NULL)"),
                   ("KERNEL32.dll!EraseTape", "EraseTape(NULL, 0, FALSE)")]

C_HEAD = "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\n"


@dataclass
class Expect:
    outcome: str
    exit_status: int | None = None
    signal: int | None = None
    stdout: bytes | None = None
    unimplemented: dict = field(default_factory=dict)
    missing_imports: dict = field(default_factory=dict)
    fault: str | None = None            # a piece of the fault line
    platform: str | None = None
    error: str | None = None            # a piece of the error


@dataclass
class Corpus:
    paths: list[str]                    # what to give `tblc batch`
    expect: dict                        # (path, args tuple) -> Expect
    quick: list[str] = field(default_factory=list)   # programs that exit at once


def _c_program(kind: str, i: int) -> tuple[str, Expect]:
    """Source and expectation of generated C program number i of a kind."""
    if kind == "exit":
        code = (i * 37 + 3) % 256
        return (C_HEAD + f'int main(void) {{ printf("program {i} exits {code}\\n"); '
                f"return {code}; }}\n",
                Expect("exited", code, stdout=f"program {i} exits {code}\n".encode()))
    if kind == "segv":
        return (C_HEAD + f'int main(void) {{ puts("segv {i}"); fflush(stdout); '
                "*(volatile int *)16 = 1; return 0; }\n",
                Expect("signaled", 139, 11, fault="killed by SIGSEGV"))
    if kind == "fpe":
        # 7 and up: gcc compiles 1 / x to compares, with no division to fault
        return (C_HEAD + f"volatile int zero = 0;\nint main(void) {{ return {i + 7} / zero; }}\n",
                Expect("signaled", 136, 8, fault="killed by SIGFPE"))
    if kind == "abort":
        return (C_HEAD + f'int main(void) {{ puts("abort {i}"); abort(); }}\n',
                Expect("signaled", 134, 6))
    if kind == "loop":
        return (C_HEAD + f"volatile long n;\nint main(void) {{ for (;;) n += {i + 1}; }}\n",
                Expect("timeout"))
    if kind == "forkbomb":
        return (C_HEAD + f"int main(void) {{ for (;;) fork(); return {i}; }}\n", Expect("timeout"))
    if kind == "flood":     # past --max-output: SIGXFSZ, as a file-size limit
        return (C_HEAD + "int main(void) { static char b[4096]; memset(b, 'x', sizeof b);\n"
                f"  for (int i = 0; i < {64 + i}; i++) fwrite(b, 1, sizeof b, stdout);\n"
                "  return 0; }\n", Expect("signaled", 128 + 25, 25))
    if kind == "chatty":    # a lot of output, under the limit
        n = 3000 + i
        return (C_HEAD + f'int main(void) {{ for (int i = 0; i < {n}; i++) printf("line %d\\n", i);'
                " return 0; }\n",
                Expect("exited", 0, stdout=b"".join(b"line %d\n" % k for k in range(n))))
    if kind == "enosys":
        calls = ENOSYS_CALLS[:i % len(ENOSYS_CALLS) + 1]
        body = " ".join(f"{call};" for _, call in calls)
        return ("#include <stdio.h>\n#include <unistd.h>\n#include <sys/syscall.h>\n"
                f'int main(void) {{ {body} {body} puts("enosys {i}"); return 0; }}\n',
                Expect("exited", 0, unimplemented={name: 2 for name, _ in calls}))
    raise ValueError(kind)


def _pe_program(kind: str, i: int) -> tuple[str, Expect]:
    head = "#include <windows.h>\n#include <stdio.h>\n"
    if kind == "ok":
        return (head + f'int main(void) {{ printf("pe {i}\\n"); return {i + 10}; }}\n',
                Expect("exited", i + 10, stdout=f"pe {i}\n".encode()))
    if kind == "crash":
        return (head + "int main(void) { *(volatile int *)16 = 1; return 0; }\n",
                Expect("signaled", 139, 11, fault="STATUS_ACCESS_VIOLATION"))
    name, call = MISSING_IMPORTS[int(kind.removeprefix("missing"))]
    return (head + f'int main(void) {{ char buf[64]; DWORD n = sizeof buf; printf("pe {i}\\n");'
            f" fflush(stdout); {call}; return 0; }}\n",
            Expect("signaled", 128 + 31, 31, missing_imports={name: 1}, fault=name))


C_BUILDS = {"musl": ("musl-gcc", ()), "glibc": ("gcc", ()), "i386": ("gcc", ("-m32",))}
PE_CC = {32: "i686-w64-mingw32-gcc", 64: "x86_64-w64-mingw32-gcc"}


def _plan(scale: int) -> list[tuple]:
    """(family, build, kind, count): the programs of the corpus at this scale."""
    big = scale > 1
    return [
        ("c", "musl", "exit", 4 * scale), ("c", "glibc", "exit", 2 * scale),
        ("c", "i386", "exit", scale), ("c", "musl", "segv", scale), ("c", "glibc", "fpe", 1),
        ("c", "musl", "abort", 1), ("c", "musl", "loop", 1), ("c", "musl", "forkbomb", 1),
        ("c", "musl", "flood", 1), ("c", "musl", "chatty", scale), ("c", "musl", "enosys", 3 * scale),
        ("pe", 32, "ok", scale), ("pe", 64, "ok", scale), ("pe", 32, "crash", 1),
        ("pe", 32, "missing0", 2 * scale), ("pe", 64, "missing0", scale),
        ("pe", 64, "missing1", 2 * scale if big else 2), ("pe", 32, "missing2", 1),
    ]


def _compile(job) -> None:
    cmd, out = job
    if out.exists():
        return
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{res.stderr}")


def build_corpus(work: Path, cache: Path, busybox: Path, scale: int = 1) -> Corpus:
    for tool in ("musl-gcc", "gcc", *PE_CC.values()):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (scripts/setup installs it)")
    progs = work / "progs"
    progs.mkdir(parents=True)
    expect, jobs, quick = {}, [], []
    for family, build, kind, count in _plan(scale):
        for i in range(count):
            if family == "c":
                src, exp = _c_program(kind, i)
                exp.platform = "linux_i386" if build == "i386" else "linux_x86_64"
                cc, flags = C_BUILDS[build]
                name = f"{kind}-{build}-{i}"
                cmd = [cc, "-static", "-O1", *flags]
            else:
                src, exp = _pe_program(kind, i)
                exp.platform = "nt_x86" if build == 32 else "nt_x64"
                name = f"{kind}-pe{build}-{i}.exe"
                cmd = [PE_CC[build], "-O1"]
            built = cache / f"batch-{name}-{_digest(src, cmd)}"
            source = cache / f"batch-{name}-{_digest(src, cmd)}.c"
            source.write_text(src)
            jobs.append((cmd + ["-o", str(built), str(source)], built))
            expect[(str(progs / name), ())] = exp
            if exp.outcome == "exited":
                quick.append(str(progs / name))
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(_compile, jobs))
    for ((path, _), _exp), (_, built) in zip(expect.items(), jobs):
        shutil.copy2(built, path)
    _malformed(progs, expect, cache)
    manifest = _busybox_rows(work, busybox, expect, scale)
    return Corpus([str(progs), str(manifest)], expect, quick)


def _malformed(progs: Path, expect: dict, cache: Path) -> None:
    elf = next(iter(sorted(progs.glob("exit-musl-*")))).read_bytes()
    files = {
        "empty": (b"", Expect("rejected", 126, error="exec format error")),
        "noise": (bytes(range(256)) * 4, Expect("rejected", 126, error="exec format error")),
        "truncated-elf": (elf[:100], Expect("rejected")),
        "text": (b"just some text\n", Expect("rejected", 126, error="exec format error")),
        "bad-interp": (b"#!/bin/nowhere\necho hi\n", Expect("rejected", 127)),
        "mz-only.exe": (b"MZ" + b"\0" * 62, Expect("rejected")),
    }
    for name, (data, exp) in files.items():
        (progs / name).write_bytes(data)
        expect[(str(progs / name), ())] = exp


def _busybox_rows(work: Path, busybox: Path, expect: dict, scale: int) -> Path:
    root = work / "bbroot"
    (root / "bin").mkdir(parents=True)
    shutil.copy2(busybox, root / "bin" / "busybox")
    seq = b"".join(b"%d\n" % k for k in range(1, 2001))
    rows = [
        (["echo", "hello"], "", Expect("exited", 0, stdout=b"hello\n")),
        (["sh", "-c", "exit 7"], "", Expect("exited", 7)),
        (["sh", "-c", "kill -SEGV $$"], "", Expect("signaled", 139, 11)),
        (["false"], "", Expect("exited", 1)),
        (["seq", "1", "2000"], "", Expect("exited", 0, stdout=seq)),
        (["sh", "-c", "echo to-stderr >&2; exit 3"], "", Expect("exited", 3, stdout=b"")),
        (["cat"], "piped in\n", Expect("exited", 0, stdout=b"piped in\n")),
        (["sh", "-c", "echo a | tr a b; ls /bin"], "", Expect("exited", 0, stdout=b"b\nbusybox\n")),
    ]
    for i in range(1, scale):
        rows.append((["sh", "-c", f"echo {i}; exit {i % 100}"], "",
                     Expect("exited", i % 100, stdout=f"{i}\n".encode())))
    manifest = work / "busybox.csv"
    with open(manifest, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["program", "args", "input", "root"])
        for args, text, exp in rows:
            import shlex
            w.writerow(["/bin/busybox", shlex.join(args), text, "bbroot"])
            exp.platform = "linux_x86_64"
            expect[("/bin/busybox", tuple(args))] = exp
    return manifest


def check_record(record: dict, exp: Expect) -> list[str]:
    """What is wrong with a record, as readable lines (none: it is right)."""
    bad = []

    def want(name, value):
        if record.get(name) != value:
            bad.append(f"{name} is {record.get(name)!r}, expected {value!r}")

    want("outcome", exp.outcome)
    if exp.outcome in ("exited", "signaled"):
        want("exit_status", exp.exit_status)
        want("signal", exp.signal)
        want("platform", exp.platform)
    if exp.outcome == "rejected" and exp.exit_status is not None:
        want("exit_status", exp.exit_status)
    if exp.stdout is not None:
        import hashlib
        want("stdout", {"sha256": hashlib.sha256(exp.stdout).hexdigest(),
                        "bytes": len(exp.stdout), "text": exp.stdout[:4096].decode()})
    if exp.outcome != "rejected":
        want("unimplemented", exp.unimplemented)
        want("missing_imports", exp.missing_imports)
        if exp.outcome != "timeout" and exp.platform.startswith("linux") and \
                not record.get("syscalls"):
            bad.append("no system calls counted")
    if exp.fault is not None and exp.fault not in (record.get("fault") or ""):
        bad.append(f"fault {record.get('fault')!r} does not say {exp.fault!r}")
    if exp.error is not None and exp.error not in (record.get("error") or ""):
        bad.append(f"error {record.get('error')!r} does not say {exp.error!r}")
    if exp.outcome == "timeout" and record.get("wall_s", 0) < TIMEOUT:
        bad.append(f"a timeout after only {record.get('wall_s')} s")
    return bad
