"""A simple mutation pass over the C trap path (csrc/trap.c, csrc/mm.c, csrc/files.c).

One mutant at a time: flip a comparison, drop a +1/-1 (off by one), drop a TLB or translation
flush, drop a clause of the gate check; rebuild (tblc build rebuilds on a content change), run
the trap-path and memory tests, restore the file. A mutant is killed when the tests fail (or
hang past the timeout), survives when they pass; one that does not compile is not counted.
With --asan, a mutant the normal build survives is tried once more the way scripts/test ends:
built with ASan and UBSan, against the tests scripts/sanitize runs (an entry read one past a
table's end changes no result in a normal build, but it is a bug).

Run it through scripts/mutation, which works on a scratch copy of the tree: this module edits
the files of the tree it runs in."""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TREE = Path(__file__).resolve().parent.parent
FILES = ("csrc/trap.c", "csrc/mm.c", "csrc/files.c", "csrc/handlers.c")

# The tests that exercise the trap path and guest memory, fastest and most telling first
# (pytest -x stops at the first failure, so a killed mutant costs little).
TESTS = ["tests/test_fast_files.py", "tests/test_fast_calls.py", "tests/test_mm.py", "tests/test_run.py", "tests/test_nt.py",
         "tests/test_api.py::test_a_block_budget_counts_code_translated_before_it",
         "tests/test_hardening.py::test_guest_memory_accessor_checks_every_range",
         "tests/test_hardening.py::test_every_number_width_gives_enosys",
         "tests/test_hardening.py::test_self_modifying_code_runs_the_new_bytes",
         "tests/test_hardening.py::test_memory_hog_is_contained",
         "tests/test_hardening.py::test_privileged_instructions_end_the_process_with_sigsegv_at_the_instruction",
         "tests/test_processes.py::test_isolation_after_fork_and_crashing_child",
         "tests/test_processes.py::test_fork_pipe_wait",
         "tests/test_abis.py::test_64_bit_offsets_past_4_gib_work_on_both_abis_from_one_row",
         "tests/test_gdb.py::test_catch_syscall_write_x86_64",
         "tests/test_processes.py::test_a_store_right_after_fork_stays_in_the_parent",
         "tests/test_exec_share.py",
         "tests/test_memory.py::test_kernel_copy_outs_into_copy_on_write_pages_are_seen"]

# Where a surviving mutant would matter most: bounds checks, the gate check, TLB invalidation.
BOUNDS_FUNCS = {"fetch_args", "fetch_stack_args", "dispatch",
                "range_pages", "sv_as_map", "sv_as_unmap", "sv_as_protect", "sv_as_fill",
                "sv_as_read", "write_pages", "sv_as_strlen", "pte_find", "hook_tlb_fill",
                "page_alloc", "sv_as_query",
                "fast_file", "pipe_read", "pipe_write", "zero_fill", "writable_prefix",
                "host_file_read", "sv_c_pread64", "copy_in_prefix", "host_write",
                "sv_c_pwrite64", "sv_c_futex", "sv_c_rt_sigprocmask", "sv_c_rt_sigaction"}
GATE_FUNCS = {"dispatch", "hook_intr"}
FLUSH_CALLS = re.compile(r"uc_ctl_flush_tlb|uc_ctl_flush_tb|tb_flush_needed = 1|stop_for_kernel\(|"
                         r"stop_request = 1|perms &= ~SV_PROT_W|SV_PTE_COW")

CMP = re.compile(r"(?<![<>=!\-])(<=|>=|==|!=|<|>)(?![<>=])")
FLIP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
OFF_BY_ONE = re.compile(r" ([+-]) 1\b(?!\.)")
FUNC_START = re.compile(r"^(?:static |int |void |sv_\w+ \*|uint\w+ |int64_t |bool |[a-z_]\w*\()")
NOT_A_NAME = {"__attribute__", "noinline", "always_inline", "cold", "inline"}


@dataclass
class Mutant:
    file: str
    line: int          # 1-based
    func: str
    kind: str          # cmp, off-by-one, drop-flush, drop-gate
    area: str          # bounds, gate, tlb, other
    before: str
    after: str

    @property
    def key(self) -> str:
        return f"{self.file}:{self.line}:{self.kind}:{self.before.strip()}=>{self.after.strip()}"


def _code_lines(text: str):
    """(line number, function, code part of the line) for every line inside a function body,
    outside comments, preprocessor lines and #ifdef SV_SELFCHECK blocks."""
    func, depth, in_comment, selfcheck = None, 0, False, False
    for n, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            if stripped.startswith("#ifdef SV_SELFCHECK"):
                selfcheck = True
            elif stripped.startswith("#endif"):
                selfcheck = False
            continue
        code = line
        if in_comment:
            if "*/" not in code:
                continue
            code = " " * (code.index("*/") + 2) + code[code.index("*/") + 2:]
            in_comment = False
        code = re.sub(r"/\*.*?\*/", lambda m: " " * len(m.group()), code)
        if "/*" in code:
            code, in_comment = code[:code.index("/*")], True
        if depth == 0:
            if FUNC_START.match(line):
                names = [n for n in re.findall(r"(\w+)\(", line) if n not in NOT_A_NAME]
                func = names[0] if names else func
        depth += code.count("{") - code.count("}")
        if depth > 0 and not selfcheck and func and '"' not in code:
            yield n, func, code


def _area(func: str, line: str, kind: str) -> str:
    if kind == "drop-gate":
        return "gate"
    if kind == "drop-flush":
        return "tlb"
    if func in GATE_FUNCS and ("gates" in line or "int_vector" in line):
        return "gate"
    if FLUSH_CALLS.search(line):
        return "tlb"
    if func in BOUNDS_FUNCS:
        return "bounds"
    return "other"


def mutants(tree: Path = TREE) -> list[Mutant]:
    out = []
    for rel in FILES:
        text = (tree / rel).read_text()
        lines = text.split("\n")
        for n, func, code in _code_lines(text):
            line = lines[n - 1]
            for m in CMP.finditer(code):
                new = line[:m.start()] + FLIP[m.group()] + line[m.end():]
                out.append(Mutant(rel, n, func, "cmp", _area(func, line, "cmp"), line, new))
            for m in OFF_BY_ONE.finditer(code):
                new = line[:m.start()] + line[m.end():]
                out.append(Mutant(rel, n, func, "off-by-one", _area(func, line, "off-by-one"),
                                  line, new))
            stripped = code.strip()
            if FLUSH_CALLS.search(code) and stripped.endswith(";") \
                    and not stripped.startswith(("if", "return", "uint", "int ")):
                indent = line[:len(line) - len(line.lstrip())]
                out.append(Mutant(rel, n, func, "drop-flush", "tlb", line, indent + ";"))
            if stripped.startswith("return uc_ctl_flush_tb("):
                out.append(Mutant(rel, n, func, "drop-flush", "tlb", line,
                                  line.replace(stripped, "return 1;")))
            if func == "dispatch" and "!(t->gates & gate)" in code:
                for clause in ("!(t->gates & gate)", "(gate == SV_GATE_INT && t->int_vector != vector)"):
                    out.append(Mutant(rel, n, func, "drop-gate", "gate", line,
                                      line.replace(clause, "0")))
            if func == "hook_intr" and "(t->gates & SV_GATE_INT) &&" in code:
                out.append(Mutant(rel, n, func, "drop-gate", "gate", line,
                                  line.replace("(t->gates & SV_GATE_INT) && ", "")))
    return out


SANITIZED_TESTS = ["tests/test_fast_files.py", "tests/test_mm.py", "tests/test_run.py",
                   "tests/test_nt.py"]  # as scripts/sanitize


def sanitized(env: dict) -> dict:
    libs = [subprocess.run(["gcc", f"-print-file-name={lib}"], capture_output=True, text=True,
                           check=True).stdout.strip() for lib in ("libasan.so", "libubsan.so")]
    return dict(env, SYSVEC_SANITIZE="1", ASAN_OPTIONS="detect_leaks=0:abort_on_error=1",
                UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1", LD_PRELOAD=":".join(libs))


def run_one(m: Mutant, tree: Path, env: dict, timeout: float, asan: bool) -> tuple[str, float]:
    path = tree / m.file
    original = path.read_text()
    lines = original.split("\n")
    assert lines[m.line - 1] == m.before, f"{m.key}: the file changed under the pass"
    lines[m.line - 1] = m.after
    started = time.monotonic()
    try:
        path.write_text("\n".join(lines))
        try:
            build = subprocess.run([sys.executable, "-m", "sysvec.cli", "build"], cwd=tree,
                                   env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:   # a loaded machine, not the mutant: not counted
            return "not-compiled", time.monotonic() - started
        if build.returncode != 0:
            return "not-compiled", time.monotonic() - started
        try:
            res = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                                  "-p", "no:warnings", *TESTS], cwd=tree, env=env,
                                 capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "killed (timeout)", time.monotonic() - started
        if res.returncode != 0:
            return "killed", time.monotonic() - started
        if not asan:
            return "survived", time.monotonic() - started
        san = sanitized(env)
        build = subprocess.run([sys.executable, "-m", "sysvec.cli", "build"], cwd=tree, env=san,
                               capture_output=True, text=True, timeout=600)
        if build.returncode != 0:
            return "survived", time.monotonic() - started
        try:
            res = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                                  "-p", "no:warnings", *SANITIZED_TESTS], cwd=tree, env=san,
                                 capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "killed (asan, timeout)", time.monotonic() - started
        return ("survived" if res.returncode == 0 else "killed (asan)"), time.monotonic() - started
    finally:
        path.write_text(original)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--list", action="store_true", help="list the mutants and stop")
    ap.add_argument("--sample", type=int, default=0,
                    help="run N mutants of area 'other' chosen at random (seeded); the bounds, "
                         "gate and TLB mutants always run (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", type=Path, help="run only the mutant keys listed in this file")
    ap.add_argument("--areas", default="bounds,gate,tlb,other",
                    help="which areas to run (default: all four)")
    ap.add_argument("--asan", action="store_true",
                    help="try each survivor again with ASan and UBSan (slow: a sanitized build each)")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--report", type=Path, default=Path("mutation-c.txt"))
    args = ap.parse_args(argv)

    every = mutants()
    chosen = [m for m in every if m.area != "other"]
    others = [m for m in every if m.area == "other"]
    if args.sample:
        others = random.Random(args.seed).sample(others, min(args.sample, len(others)))
    chosen += others
    if args.only:
        keys = set(args.only.read_text().split("\n"))
        chosen = [m for m in every if m.key in keys]
    chosen = [m for m in chosen if m.area in args.areas.split(",")]
    chosen.sort(key=lambda m: (m.file, m.line, m.kind, m.after))
    if args.list:
        for m in chosen:
            print(f"{m.area:6} {m.key}")
        print(f"{len(chosen)} of {len(every)} mutants", file=sys.stderr)
        return 0

    TESTS[:] = [t for t in TESTS if (TREE / t.split("::")[0]).exists()]
    pkgpath = subprocess.run([str(TREE / "scripts" / "pkgpath"), str(TREE)], check=True,
                             capture_output=True, text=True).stdout.strip()
    env = dict(os.environ, PYTHONPATH=pkgpath)   # `import sysvec` is this (mutated) tree
    subprocess.run([sys.executable, "-m", "sysvec.cli", "build"], cwd=TREE, env=env, check=True,
                   capture_output=True)
    res = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *TESTS],
                         cwd=TREE, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        print("the tests fail before any mutation:\n" + res.stdout[-3000:], file=sys.stderr)
        return 2
    if args.asan:
        san = sanitized(env)
        subprocess.run([sys.executable, "-m", "sysvec.cli", "build"], cwd=TREE, env=san,
                       check=True, capture_output=True)
        res = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                              *SANITIZED_TESTS], cwd=TREE, env=san, capture_output=True, text=True)
        if res.returncode != 0:
            print("the sanitized tests fail before any mutation:\n" + res.stdout[-3000:],
                  file=sys.stderr)
            return 2
    results = []
    with args.report.open("w") as report:
        for i, m in enumerate(chosen, 1):
            outcome, took = run_one(m, TREE, env, args.timeout, args.asan)
            results.append((m, outcome))
            line = f"{outcome:16} {m.area:6} {m.key}"
            report.write(line + "\n")
            report.flush()
            print(f"[{i}/{len(chosen)} {took:5.1f}s] {line}", flush=True)
    counted = [(m, o) for m, o in results if o != "not-compiled"]
    killed = sum(1 for _, o in counted if o.startswith("killed"))
    summary = [f"C mutation score: {killed}/{len(counted)} killed"
               f" ({100 * killed / max(len(counted), 1):.0f}%), "
               f"{len(results) - len(counted)} did not compile"]
    for area in ("bounds", "gate", "tlb", "other"):
        part = [o for m, o in counted if m.area == area]
        if part:
            summary.append(f"  {area:6} {sum(o.startswith('killed') for o in part)}/{len(part)} killed")
    with args.report.open("a") as report:
        report.write("\n".join(summary) + "\n")
    print("\n".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
