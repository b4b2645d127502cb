"""The suite's benchmarks, one function each, returning a Group of figures with their baselines,
and the project's performance targets over those figures."""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import context_switch, sockets, trap_path
from bench.common import OUT, REPO, build_asm, timed
from bench.suite import RATE, TIME, Case, Group, Skip, Target

BUSYBOX = Path("/bin/busybox")
HELLO_SRC = REPO / "tests" / "programs" / "hello64.S"
LOOP_SRC = REPO / "tests" / "programs" / "getpid_loop64.S"

SEQ_LOOP = "for i in $(seq 1 2000); do echo $i; done | wc -l"
SORT_UNIQ = "sort words.txt | uniq -c | wc -l"
WORDS_SEED, WORDS_BYTES = 6, 3 << 20


@dataclass
class Context:
    """What every benchmark may use: the loaded extension and a scratch directory."""
    module: object
    scratch: Path
    log: object


# -- whole-process helpers --------------------------------------------------------------------

def tblc_command() -> list[str]:
    """The installed `tblc` console script next to this interpreter (not a version-manager
    shim, which would add its own start-up), else whatever `tblc` is on PATH."""
    script = Path(sys.executable).parent / "tblc"
    if script.is_file():
        return [str(script)]
    found = shutil.which("tblc")
    return [found] if found else [sys.executable, "-m", "sysvec.cli"]


def run_timed(argv: list[str], expect: str | None = None, cwd: Path | None = None,
              env: dict | None = None, timeout: float = 300) -> float:
    """Wall time of one whole process; its exit status must be 0 and its standard output,
    stripped, `expect` when given."""
    out: list[subprocess.CompletedProcess] = []
    elapsed = timed(lambda: out.append(subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL)))    # no terminal on stdio: a tblc run may start warm
    res = out[0]
    if res.returncode != 0:
        tail = (res.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise RuntimeError(f"{Path(argv[0]).name} exited {res.returncode}: {tail}")
    if expect is not None and res.stdout.strip() != expect:
        raise RuntimeError(f"{Path(argv[0]).name} printed {res.stdout.strip()[:60]!r}, "
                           f"expected {expect!r}")
    return elapsed


def host_env() -> dict:
    return {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": "/"}


def words_file() -> tuple[Path, str]:
    """A few MB of words, one a line, Zipf-like over a fixed vocabulary, from a fixed seed;
    and the count of distinct words, which `sort | uniq -c | wc -l` must print."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"words-{WORDS_SEED}-{WORDS_BYTES}.txt"
    if not path.exists():
        rng = random.Random(WORDS_SEED)
        letters = "abcdefghijklmnopqrstuvwxyz"
        vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10)))
                 for _ in range(20000)]
        weights = [1 / (i + 1) for i in range(len(vocab))]
        lines, size = [], 0
        while size < WORDS_BYTES:
            for w in rng.choices(vocab, weights, k=10000):
                lines.append(w)
                size += len(w) + 1
                if size >= WORDS_BYTES:
                    break
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n")
        tmp.replace(path)
    distinct = len(set(path.read_text().split("\n")) - {""})
    return path, str(distinct)


def busybox_root(scratch: Path, name: str) -> Path:
    """A guest root holding /bin/busybox and /words.txt."""
    if not BUSYBOX.is_file():
        raise Skip("busybox-static is not installed at /bin/busybox (apt-get install busybox-static)")
    root = scratch / name
    (root / "bin").mkdir(parents=True, exist_ok=True)
    shutil.copy2(BUSYBOX, root / "bin" / "busybox")
    words, _ = words_file()
    shutil.copy2(words, root / "words.txt")
    return root


# -- the benchmarks ---------------------------------------------------------------------------

def trap(ctx: Context) -> Group:
    """Guest getpid loop: sysvec C and Python handlers vs the C hook floor and the binding's Python hook."""
    cases = trap_path.make_cases(ctx.module)
    unit = "getpid calls/s"
    return Group("trap", "trap path: guest getpid loop (calls/s)", [
        Case(trap_path.FLOOR, cases[trap_path.FLOOR], RATE, unit),
        Case(trap_path.C_HANDLER, cases[trap_path.C_HANDLER], RATE, unit, vs=trap_path.FLOOR),
        Case(trap_path.C_LEAVES, cases[trap_path.C_LEAVES], RATE, unit, vs=trap_path.FLOOR),
        Case(trap_path.PY_HOOK, cases[trap_path.PY_HOOK], RATE, unit, vs=trap_path.FLOOR),
        Case(trap_path.PY_HANDLER, cases[trap_path.PY_HANDLER], RATE, unit, vs=trap_path.PY_HOOK),
        Case(trap_path.NATIVE, cases[trap_path.NATIVE], RATE, unit, vs=trap_path.FLOOR),
    ])


def switch(ctx: Context) -> Group:
    """Two processes yielding to each other: switches per second, sysvec vs the host."""
    cases = context_switch.switch_cases()
    cs = context_switch
    return Group("switch", "context switch: two processes yielding (switches/s)", [
        Case(cs.HOST_YIELD, cases[cs.HOST_YIELD], RATE, "switches/s"),
        Case(cs.SV_YIELD, cases[cs.SV_YIELD], RATE, "switches/s", vs=cs.HOST_YIELD),
    ])


def lifecycle(ctx: Context) -> Group:
    """fork+exec+exit+wait of a tiny static program per second, sysvec vs the host."""
    cases = context_switch.lifecycle_cases()
    cs = context_switch
    return Group("lifecycle", "process life cycle: fork+exec+exit+wait of a tiny static program (/s)", [
        Case(cs.HOST_SPAWN, cases[cs.HOST_SPAWN], RATE, "spawns/s"),
        Case(cs.SV_SPAWN, cases[cs.SV_SPAWN], RATE, "spawns/s", vs=cs.HOST_SPAWN),
    ])


HOST_SEQ = "host: sh loop 1..2000 | wc -l"
SV_SEQ = "tblc run: sh loop 1..2000 | wc -l"
HOST_SORT = "host: sort | uniq -c, 3 MB of words"
SV_SORT = "tblc run: sort | uniq -c, 3 MB of words"


def workload(ctx: Context) -> Group:
    """busybox-static: a shell loop into wc, and sort | uniq -c over 3 MB; tblc run vs the host."""
    root = busybox_root(ctx.scratch, "workload-root")
    _, distinct = words_file()
    tblc = tblc_command()

    def host(cmd, expect):
        return lambda: run_timed([str(BUSYBOX), "sh", "-c", cmd], expect, cwd=root, env=host_env())

    def guest(cmd, expect):
        return lambda: run_timed(tblc + ["run", "--root", str(root), "/bin/busybox", "sh", "-c", cmd],
                                 expect)

    return Group("workload", "real workload: busybox-static, whole process (wall time)", [
        Case(HOST_SEQ, host(SEQ_LOOP, "2000"), TIME, "s"),
        Case(SV_SEQ, guest(SEQ_LOOP, "2000"), TIME, "s", vs=HOST_SEQ),
        Case(HOST_SORT, host(SORT_UNIQ, distinct), TIME, "s"),
        Case(SV_SORT, guest(SORT_UNIQ, distinct), TIME, "s", vs=HOST_SORT),
    ], notes=[f"ratio = slowdown under tblc run; words.txt: {WORDS_BYTES >> 20} MB, seed "
              f"{WORDS_SEED}, {distinct} distinct words"])


PY_START = "python3 -c pass"
COLD = "tblc build, cold (empty cache, all tables)"
WARM = "tblc build, warm (no change)"
CHECK = "tblc check tables/linux_x86_64.tbl"


def compiler(ctx: Context) -> Group:
    """tblc build cold and warm, tblc check of the Linux table; whole process."""
    tblc = tblc_command()
    warm_cache = ctx.scratch / "warm-cache"
    run_timed(tblc + ["build", "--cache", str(warm_cache)])  # the warm case's one cold build
    cold_n = [0]

    def cold() -> float:
        cold_n[0] += 1
        cache = ctx.scratch / f"cold-cache-{cold_n[0]}"
        try:
            return run_timed(tblc + ["build", "--cache", str(cache)])
        finally:
            shutil.rmtree(cache, ignore_errors=True)

    return Group("compiler", "compiler: tblc, whole process (wall time)", [
        Case(PY_START, lambda: run_timed([sys.executable, "-c", "pass"]), TIME, "s"),
        Case(COLD, cold, TIME, "s", vs=PY_START),
        Case(WARM, lambda: run_timed(tblc + ["build", "--cache", str(warm_cache)]), TIME, "s",
             vs=PY_START),
        Case(CHECK, lambda: run_timed(tblc + ["check", str(REPO / "tables" / "linux_x86_64.tbl")],
                                      "tblc: 1 file OK"), TIME, "s", vs=PY_START),
    ], notes=[f"{len(list((REPO / 'tables').glob('*.tbl')))} tables; cold = a fresh --cache "
              "directory every round"])


HOST_HELLO = "host: hello64"
SV_HELLO = "tblc run hello64"
SV_HELLO_COLD = "tblc run hello64, cold start (SYSVEC_WARM=0)"
COLD_ENV = {"SYSVEC_WARM": "0"}


def cold_env() -> dict:
    """This environment with warm starts off (runtime/warmstart.py)."""
    import os
    return {**os.environ, **COLD_ENV}


def start_warm_server(tblc: list[str], program: Path) -> None:
    """Two cold runs start this environment's warm server; wait until it listens, so every
    round of the warm figures is warm."""
    import time
    from sysvec.runtime.warmstart import settings_key, socket_path

    path = socket_path(settings_key())
    for _ in range(2):
        run_timed(tblc + ["run", str(program)])
    deadline = time.monotonic() + 60
    while path and not Path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def startup(ctx: Context) -> Group:
    """tblc run of a static hello world, whole process, vs the host running it."""
    hello = build_asm(HELLO_SRC)
    tblc = tblc_command()
    start_warm_server(tblc, hello)
    return Group("startup", "start-up: a static hello world, whole process (wall time)", [
        Case(HOST_HELLO, lambda: run_timed([str(hello)], "hello"), TIME, "s"),
        Case(PY_START, lambda: run_timed([sys.executable, "-c", "pass"]), TIME, "s", vs=HOST_HELLO),
        Case(SV_HELLO, lambda: run_timed(tblc + ["run", str(hello)], "hello"), TIME, "s",
             vs=HOST_HELLO),
        Case(SV_HELLO_COLD, lambda: run_timed(tblc + ["run", str(hello)], "hello",
                                              env=cold_env()), TIME, "s", vs=HOST_HELLO),
    ], notes=["warm: a warm server's child runs it (runtime/warmstart.py); cold: "
              "SYSVEC_WARM=0, every import made by the run itself"])


ELF_PY_LOOP = "ELF: getpid loop, Python handler"
PE_K32_LOOP = "PE: GetCurrentProcessId loop (kernel32)"
PE_HELLO = "tblc run UCRT hello (PE, api-ms-win-crt)"
WIN32_LOOP_N = 200_000


def build_pe(src: Path, name: str, extra: tuple = ()) -> Path:
    """A mingw-w64 x64 PE from bench/SRC, cached under build/bench."""
    cc = "x86_64-w64-mingw32-gcc"
    if shutil.which(cc) is None:
        raise Skip(f"{cc} is not installed (scripts/setup installs mingw-w64)")
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / name
    if not out.exists() or out.stat().st_mtime < src.stat().st_mtime:
        subprocess.run([cc, "-O1", "-o", str(out), str(src), *extra], check=True)
    return out


def win32(ctx: Context) -> Group:
    """Windows programs: a UCRT hello's whole-process start-up beside the ELF hello's, and the
    rate of a cheap kernel32 call beside the ELF getpid loop through a Python handler."""
    hello = build_asm(HELLO_SRC)
    ucrt = build_pe(REPO / "bench" / "ucrt_hello.c", "ucrt_hello.exe",
                    ("-nodefaultlibs", "-lmingw32", "-lmingwex", "-lucrt", "-lkernel32", "-lgcc"))
    loop = build_pe(REPO / "bench" / "win32_loop.c", "win32_loop.exe")
    tblc = tblc_command()
    elf_cases = trap_path.make_cases(ctx.module)
    return Group("win32", "Windows programs: PE start-up and Win32 call rate", [
        Case(SV_HELLO, lambda: run_timed(tblc + ["run", str(hello)], "hello"), TIME, "s"),
        Case(PE_HELLO, lambda: run_timed(tblc + ["run", str(ucrt)], "hello"), TIME, "s",
             vs=SV_HELLO),
        Case(ELF_PY_LOOP, elf_cases[trap_path.PY_HANDLER], RATE, "calls/s"),
        Case(PE_K32_LOOP, trap_path.case_sysvec(loop, WIN32_LOOP_N), RATE, "calls/s",
             vs=ELF_PY_LOOP),
    ], notes=["start-up: whole process; call rates: emulation only (Machine.run), the PE's "
              f"includes its C runtime's start-up, {WIN32_LOOP_N} calls"])


QL_GETPID = "Qiling 1.4.6: getpid loop"
SV_GETPID = "sysvec: getpid loop, C handler"
QL_SEQ = "Qiling 1.4.6: sh loop 1..2000 | wc -l"
QL_GETPID_N, SV_GETPID_N = 20_000, 2_000_000


def qiling(ctx: Context) -> Group:
    """Qiling 1.4.6 (installed into build/bench/qiling-venv) on the getpid loop and the busybox loop."""
    from bench import qiling_compare as ql

    python = ql.ensure_qiling(ctx.log)          # raises Skip with a one-line note
    loop = build_asm(LOOP_SRC)
    rootfs = ql.make_rootfs(ctx.scratch / "qiling-rootfs", BUSYBOX, loop)
    sv_root = busybox_root(ctx.scratch, "qiling-sv-root")
    tblc = tblc_command()
    return Group("qiling", "Qiling 1.4.6 on the same programs", [
        Case(QL_GETPID, lambda: QL_GETPID_N / ql.getpid_loop(python, rootfs, QL_GETPID_N), RATE,
             "getpid calls/s"),
        Case(SV_GETPID, trap_path.case_sysvec(loop, SV_GETPID_N), RATE, "getpid calls/s",
             vs=QL_GETPID),
        Case(QL_SEQ, lambda: ql.run_busybox(python, rootfs, ["sh", "-c", SEQ_LOOP], "2000"), TIME, "s"),
        Case(SV_SEQ, lambda: run_timed(tblc + ["run", "--root", str(sv_root), "/bin/busybox", "sh",
                                               "-c", SEQ_LOOP], "2000"), TIME, "s", vs=QL_SEQ),
    ], notes=["getpid loop: emulation only, start-up excluded on both sides; the pipeline: whole "
              "process on both sides",
              "Qiling runs busybox with shims for pipe2, sendfile, newfstatat(AT_EMPTY_PATH) on a "
              "pipe and mremap, which 1.4.6 lacks or gets wrong (bench/qiling_driver.py)"])


def sockets_group(ctx: Context) -> Group:
    """TCP round trips and stream-pair MB/s inside the machine, vs the host and a sysvec pipe."""
    cases = sockets.cases()
    s = sockets
    return Group("sockets", "sockets: TCP round trips (/s) and stream MB/s inside the machine", [
        Case(s.HOST_TCP, cases[s.HOST_TCP], RATE, "round trips/s"),
        Case(s.SV_TCP, cases[s.SV_TCP], RATE, "round trips/s", vs=s.HOST_TCP),
        Case(s.HOST_STREAM, cases[s.HOST_STREAM], RATE, "MB/s"),
        Case(s.SV_STREAM, cases[s.SV_STREAM], RATE, "MB/s", vs=s.HOST_STREAM),
        Case(s.SV_PIPE, cases[s.SV_PIPE], RATE, "MB/s", vs=s.SV_STREAM),
    ], notes=["1-byte round trips with TCP_NODELAY; 64 KiB writes of 64 MiB (host: 512 MiB)"])


from bench import realworld as _realworld  # noqa: E402 - it builds on the helpers above

BENCHMARKS = {
    "trap": trap,
    "switch": switch,
    "lifecycle": lifecycle,
    "workload": workload,
    "compiler": compiler,
    "startup": startup,
    "qiling": qiling,
    "sockets": sockets_group,
    "win32": win32,
    "realworld": _realworld.realworld,
    "calls": _realworld.calls,
}

TARGETS = [
    Target("trap path: C handler / C hook floor", "trap", trap_path.C_HANDLER, "ratio", ">=", 0.7, "ratio"),
    Target("trap path: Python handler / binding's Python hook", "trap", trap_path.PY_HANDLER,
           "ratio", ">=", 5.0, "ratio"),
    Target("getpid loop: sysvec / Qiling 1.4.6", "qiling", SV_GETPID, "ratio", ">=", 100.0, "ratio"),
    Target("context switches per second", "switch", context_switch.SV_YIELD, "median", ">=", 100e3, RATE),
    Target("tblc build warm, whole process", "compiler", WARM, "median", "<", 0.150, TIME),
    Target("tblc build cold, all tables", "compiler", COLD, "median", "<", 10.0, TIME),
    Target("tblc run hello start-up, whole process", "startup", SV_HELLO, "median", "<", 0.5, TIME),
] + _realworld.TARGETS
