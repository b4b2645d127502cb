"""The engine-family anchor: whole programs and hot calls under sysvec next to qemu-user
(the TCG family Unicorn forks) and the host, interleaved round by round.

`realworld`: wall time of whole processes. qemu-user runs what a guest execs on the host
itself (busybox re-execs /proc/self/exe for some pipeline stages), so a qemu pipeline runs
those stages natively: its figure is a lower bound, and sysvec's ratio over it an upper one.
`calls`: a static guest (guests/hot_calls.c) that times N calls of each hot call itself, so
start-up is not counted; nanoseconds per call."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench.common import OUT, build_asm
from bench.groups import (HELLO_SRC, PY_START, SEQ_LOOP, SORT_UNIQ, Context, busybox_root,
                          cold_env, host_env, run_timed, start_warm_server, tblc_command,
                          words_file)
from bench.suite import TIME, Case, Group, Skip, Target

GUESTS = Path(__file__).resolve().parent / "guests"
QEMU64, QEMU32 = "qemu-x86_64", "qemu-i386"
LOOP_N = 20_000_000
DATA_BYTES = 8 << 20
CALLS_N = 20_000

NATIVE, QEMU, SYSVEC = "native", "qemu-user", "sysvec"
SH_LOOP = "busybox sh loop 1..2000 | wc -l"
SORT = "busybox sort | uniq -c, 3 MB"
C_LOOP = f"C loop, glibc static, {LOOP_N // 10**6}M steps"
SHA = "busybox sha256sum 8 MiB"
GZIP = "busybox gzip -k 8 MiB"
I386_LOOP = f"i386 C loop, {LOOP_N // 10**6}M steps"
COMPUTE, SHELL = (C_LOOP, SHA, GZIP, I386_LOOP), (SH_LOOP, SORT)


def build_c(name: str, bits: int = 64) -> Path:
    """A glibc-static build of guests/<name>.c, rebuilt when the source changes."""
    src = GUESTS / f"{name}.c"
    out = OUT / f"{name}-{bits}"
    if not out.exists() or out.stat().st_mtime < src.stat().st_mtime:
        OUT.mkdir(parents=True, exist_ok=True)
        flags = ["-m32"] if bits == 32 else []
        res = subprocess.run(["gcc", *flags, "-static", "-O2", "-o", str(out), str(src)],
                             capture_output=True, text=True)
        if res.returncode != 0:
            raise Skip(f"cannot build {src.name} ({bits}-bit): {res.stderr.strip()[-200:]}")
    return out


def qemu(bits: int = 64) -> str:
    found = shutil.which(QEMU64 if bits == 64 else QEMU32)
    if found is None:
        raise Skip("qemu-user is not installed (scripts/bench-setup, or apt-get install qemu-user)")
    return found


def data_file() -> Path:
    """8 MiB of text for sha256sum and gzip: the words file, repeated (gzip's window is 32 KiB,
    so the repeat does not make it trivial)."""
    path = OUT / f"data-{DATA_BYTES}.txt"
    if not path.exists():
        words, _ = words_file()
        text = words.read_bytes()
        data = (text * (DATA_BYTES // len(text) + 1))[:DATA_BYTES]
        path.write_bytes(data)
    return path


def expected(argv: list[str], cwd: Path) -> str:
    res = subprocess.run(argv, cwd=cwd, env=host_env(), capture_output=True, text=True,
                         timeout=300)
    if res.returncode != 0:
        raise Skip(f"{' '.join(argv)} failed on the host: {res.stderr.strip()[-200:]}")
    return res.stdout.strip()


def realworld(ctx: Context) -> Group:
    """Whole programs: native, qemu-user and sysvec (tblc run), interleaved, with ratios."""
    q64, q32 = qemu(64), qemu(32)
    root = busybox_root(ctx.scratch, "realworld-root")
    shutil.copy2(data_file(), root / "data.txt")
    loop64, loop32 = build_c("compute_loop", 64), build_c("compute_loop", 32)
    hello = build_asm(HELLO_SRC)
    for prog in (loop64, loop32, hello):
        shutil.copy2(prog, root / prog.name)
    tblc = tblc_command()
    start_warm_server(tblc, root / hello.name)
    _, distinct = words_file()
    bb = str(root / "bin" / "busybox")
    sha = expected([bb, "sha256sum", "data.txt"], root)
    loop_out = expected([str(root / loop64.name), str(LOOP_N)], root)

    def three(label: str, host_argv: list[str], guest_argv: list[str], want: str,
              qemu_bin: str = q64) -> list[Case]:
        """native, qemu-user and sysvec figures of one workload; guest_argv names guest paths."""
        n, q, s = f"{NATIVE}: {label}", f"{QEMU}: {label}", f"{SYSVEC}: {label}"
        return [
            Case(n, lambda: run_timed(host_argv, want, cwd=root, env=host_env()), TIME, "s"),
            Case(q, lambda: run_timed([qemu_bin] + host_argv, want, cwd=root, env=host_env()),
                 TIME, "s", vs=n),
            Case(s, lambda: run_timed(tblc + ["run", "--root", str(root)] + guest_argv, want),
                 TIME, "s", vs=q),
        ]

    def sh(cmd: str) -> tuple[list[str], list[str]]:
        return [bb, "sh", "-c", cmd], ["/bin/busybox", "sh", "-c", cmd]

    cases = []
    cases += three(SH_LOOP, *sh(SEQ_LOOP), "2000")
    cases += three(SORT, *sh(SORT_UNIQ), distinct)
    cases += three(C_LOOP,
                   [str(root / loop64.name), str(LOOP_N)], [f"/{loop64.name}", str(LOOP_N)],
                   loop_out)
    cases += three(SHA, [bb, "sha256sum", "data.txt"],
                   ["/bin/busybox", "sha256sum", "data.txt"], sha)
    # Not in a pipeline: qemu-user would run an exec'd stage natively. -f: overwrite data.txt.gz.
    cases += three(GZIP, [bb, "gzip", "-f", "-k", "data.txt"],
                   ["/bin/busybox", "gzip", "-f", "-k", "data.txt"], "")
    cases += three(I386_LOOP,
                   [str(root / loop32.name), str(LOOP_N)], [f"/{loop32.name}", str(LOOP_N)],
                   loop_out, qemu_bin=q32)
    hello_cases = three("static hello, whole process", [str(root / hello.name)],
                        [f"/{hello.name}"], "hello")
    cases += hello_cases[:2]
    cases.append(Case(PY_START, lambda: run_timed([sys.executable, "-c", "pass"]), TIME, "s",
                      vs=hello_cases[0].name))
    cases.append(Case(SV_HELLO, hello_cases[2].fn, TIME, "s", vs=PY_START))
    cases.append(Case(SV_HELLO_COLD, lambda: run_timed(
        tblc + ["run", "--root", str(root), f"/{hello.name}"], "hello", env=cold_env()),
        TIME, "s", vs=PY_START))
    cases.append(Case(SV_HELLO_VS_QEMU, hello_cases[2].fn, TIME, "s", vs=hello_cases[1].name))
    return Group("realworld", "real world: whole programs, native vs qemu-user vs sysvec "
                              "(wall time)", cases,
                 notes=["qemu-user ratios are over native; sysvec ratios over qemu-user",
                        "qemu-user runs the stages busybox re-execs (uniq, wc) natively: its "
                        "pipeline figures are lower bounds",
                        f"sysvec start-up against `{PY_START}` measured beside it"])


SV_HELLO = "sysvec: static hello, vs python3 -c pass"
SV_HELLO_COLD = "sysvec: static hello, cold start (SYSVEC_WARM=0), vs python3 -c pass"
SV_HELLO_VS_QEMU = "sysvec: static hello, vs qemu-user"


def calls(ctx: Context) -> Group:
    """Hot calls, ns per call: a static guest times 20,000 of each, native, qemu-user, sysvec."""
    q64 = qemu(64)
    prog = build_c("hot_calls", 64)
    root = ctx.scratch / "calls-root"
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(prog, root / "hot_calls")
    tblc = tblc_command()
    runners = {
        NATIVE: [str(root / "hot_calls"), str(CALLS_N)],
        QEMU: [q64, str(root / "hot_calls"), str(CALLS_N)],
        SYSVEC: tblc + ["run", "--root", str(root), "/hot_calls", str(CALLS_N)],
    }
    names = [line.rsplit(" ", 1)[0] for line in expected(runners[NATIVE], root).splitlines()]
    latest: dict[str, dict] = {}

    def per_call(runner: str, name: str):
        def fn() -> float:
            # The first call of a round runs the program; the others read that run.
            if name == names[0]:
                # tblc keeps this interpreter's environment (PYTHONPATH names the tree measured).
                out = subprocess.run(runners[runner], cwd=root,
                                     env=None if runner == SYSVEC else host_env(),
                                     capture_output=True, text=True, timeout=300,
                                     stdin=subprocess.DEVNULL)
                if out.returncode != 0:
                    raise RuntimeError(f"hot_calls exited {out.returncode}: "
                                       f"{out.stderr.strip()[-200:]}")
                latest[runner] = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) * 1e-9
                                  for line in out.stdout.splitlines()}
            return latest[runner][name]
        return fn

    cases = []
    for name in names:
        cases += [Case(f"{NATIVE}: {name}", per_call(NATIVE, name), TIME, "s"),
                  Case(f"{QEMU}: {name}", per_call(QEMU, name), TIME, "s", vs=f"{NATIVE}: {name}"),
                  Case(f"{SYSVEC}: {name}", per_call(SYSVEC, name), TIME, "s",
                       vs=f"{QEMU}: {name}")]
    return Group("calls", f"hot calls: time per call, {CALLS_N} in a row (guests/hot_calls.c)",
                 cases, notes=["qemu-user ratios are over native; sysvec ratios over qemu-user; "
                               "timed inside the guest, start-up excluded"])


CALL_NAMES = ["getpid", "write /dev/null 1 B", "read /dev/null", "pipe write+read 512 B",
              "file pread 512 B", "file lseek+read 512 B", "file write 64 B", "lseek", "fstat",
              "newfstatat", "statx", "brk(0)", "clock_gettime", "gettimeofday", "time",
              "rt_sigprocmask", "rt_sigaction query", "getrandom 16 B", "futex wake, no waiters"]

# Issue 14's goals: printed with every run, never asserted.
TARGETS = [Target("start-up: tblc run hello / python3 -c pass", "realworld", SV_HELLO, "ratio",
                  "<", 1.6, "ratio")]
TARGETS += [Target(f"{label}: sysvec / qemu-user", "realworld", f"{SYSVEC}: {label}", "ratio",
                   "<", 1.5 if label in COMPUTE else 2.0, "ratio") for label in COMPUTE + SHELL]
TARGETS += [Target(f"call {name}: sysvec / qemu-user", "calls", f"{SYSVEC}: {name}", "ratio",
                   "<", 2.0, "ratio") for name in CALL_NAMES if name != "getpid"]
