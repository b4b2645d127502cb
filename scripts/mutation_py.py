"""Mutation testing of the Python side with cosmic-ray: the compiler (compiler/) and the
Python side of dispatch (runtime/tables.py: the registry, the invoker generation and the
errno/NTSTATUS translation; and the kernel's python_call, which turns a handler's exception
into the table's error result).

Each session mutates one place at a time, in place, and runs a test selection that keeps each
mutant's run short (pytest -x, fastest and most telling tests first). A mutant is killed when
the tests fail or time out. To bound the run, the binary-operator swaps no one writes by
mistake (x + y -> x ** y, x // y, x ^ y ...) are left out, and a seeded random sample of the
rest is taken when a session has more mutants than --sample.

Run it through scripts/mutation, which works on a scratch copy of the tree: cosmic-ray edits
the files of the tree it runs in."""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

TREE = Path(__file__).resolve().parent.parent

SESSIONS = {
    "compiler": {
        "modules": ["compiler"],
        "definitions": None,
        "tests": ["tests/test_compiler.py", "tests/test_importer.py",
                  "tests/test_run.py::test_mysys_program_runs_through_its_own_table",
                  "tests/test_run.py::test_asm_hello_i386_through_int_0x80",
                  "tests/test_nt.py"],
    },
    "dispatch": {
        "modules": ["runtime/tables.py", "runtime/kernel.py"],
        # kernel.py is the scheduler's and the process table's too: only its dispatch part.
        "definitions": {"runtime/kernel.py": {"python_call"}},
        "tests": ["tests/test_dispatch.py", "tests/test_run.py", "tests/test_nt.py",
                  "tests/test_hardening.py::test_every_number_width_gives_enosys",
                  "tests/test_hardening.py::test_bad_pointers_give_efault_in_every_handler",
                  "tests/test_processes.py::test_alarm_interrupts_a_read_and_kills_a_spinner",
                  "tests/test_processes.py::test_fork_pipe_wait",
                  "tests/test_pe.py::test_files_inside_the_root",
                  "tests/test_containment.py::test_handler_bug_ends_the_process_with_sigsys_and_a_report",
                  "tests/test_fidelity.py::test_time_in_system_calls_is_system_time_in_times_and_getrusage"],
    },
}

EXCLUDED_OPERATORS = (r".*ReplaceBinaryOperator_\w+_(Pow|FloorDiv|Div|Mod|Mul|BitXor|LShift|RShift)$",
                      r".*ReplaceComparisonOperator_(Eq|NotEq|Lt|LtE|Gt|GtE)_(Is|IsNot)$")


def existing(tests: list[str]) -> list[str]:
    """The selection's tests that this tree has (an older tree may lack the newer files)."""
    return [t for t in tests if (TREE / t.split("::")[0]).exists()]


def write_config(name: str, session: dict, timeout: float, path: Path) -> None:
    modules = ", ".join(json.dumps(m) for m in session["modules"])
    tests = " ".join(existing(session["tests"]))
    command = f"{sys.executable} -m pytest -x -q -p no:cacheprovider -p no:warnings {tests}"
    path.write_text(f"""[cosmic-ray]
module-path = [{modules}]
timeout = {timeout}
excluded-modules = []
test-command = "{command}"

[cosmic-ray.distributor]
name = "local"
""")


def select(db_path: Path, session: dict, sample: int, seed: int) -> tuple[int, int]:
    """Skip the excluded operators, the definitions out of scope and the mutants left out of
    the sample; returns (mutants in scope, mutants to run)."""
    import re

    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    excluded = re.compile("|".join(EXCLUDED_OPERATORS))
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        items = sorted(db.pending_work_items,
                       key=lambda i: (str(i.mutations[0].module_path), i.mutations[0].operator_name,
                                      i.mutations[0].occurrence))
        in_scope, skipped = [], []
        for item in items:
            m = item.mutations[0]
            wanted = (session["definitions"] or {}).get(str(m.module_path))
            if excluded.match(m.operator_name) or (wanted and m.definition_name not in wanted):
                skipped.append(item)
            else:
                in_scope.append(item)
        chosen = in_scope
        if sample and len(in_scope) > sample:
            chosen = random.Random(seed).sample(in_scope, sample)
        keep = {i.job_id for i in chosen}
        left_out = [i.job_id for i in items if i.job_id not in keep]
        db.set_multiple_results(left_out, WorkResult(output="not in this run",
                                                     worker_outcome=WorkerOutcome.SKIPPED))
    return len(in_scope), len(chosen)


def mutant_key(m) -> str:
    return f"{m.module_path}:{m.operator_name}:{m.occurrence}"


def only(db_path: Path, keys: set[str]) -> int:
    """Run only the mutants named in keys (the survivors of an earlier run)."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    with use_db(str(db_path), WorkDB.Mode.open) as db:
        items = list(db.pending_work_items)
        left_out = [i.job_id for i in items if mutant_key(i.mutations[0]) not in keys]
        db.set_multiple_results(left_out, WorkResult(output="not in this run",
                                                     worker_outcome=WorkerOutcome.SKIPPED))
        return len(items) - len(left_out)


def summarise(name: str, db_path: Path, report) -> tuple[int, int]:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    killed = total = 0
    lines = []
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                continue
            m = item.mutations[0]
            if result.worker_outcome != WorkerOutcome.NORMAL or \
                    result.test_outcome == TestOutcome.INCOMPETENT:
                outcome = "not-counted"   # the mutant could not be applied or run at all
            elif result.is_killed:
                outcome, killed, total = "killed", killed + 1, total + 1
            else:
                outcome, total = "survived", total + 1
            line = f"{outcome:12} {name:9} {mutant_key(m)} line {m.start_pos[0]} in {m.definition_name}\n"
            if outcome == "survived" and result.diff:
                line += "".join("    " + d + "\n" for d in result.diff.splitlines()
                                if d.startswith(("+", "-")) and not d.startswith(("+++", "---")))
            lines.append(line)
    report.writelines(sorted(lines, key=lambda l: (not l.startswith("survived"), l)))
    return killed, total


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sessions", nargs="*", metavar="SESSION",
                    help=f"which sessions to run: {', '.join(SESSIONS)} (default: all)")
    ap.add_argument("--sample", type=int, default=120, help="most mutants a session runs (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--only", type=Path, help="run only the mutants this earlier report lists as survived")
    ap.add_argument("--report", type=Path, default=Path("mutation-py.txt"))
    ap.add_argument("--work", type=Path, default=TREE / "build" / "mutation")
    args = ap.parse_args(argv)

    unknown = set(args.sessions) - set(SESSIONS)
    if unknown:
        ap.error(f"unknown session {', '.join(sorted(unknown))} (have: {', '.join(SESSIONS)})")
    args.work.mkdir(parents=True, exist_ok=True)
    keys = None
    if args.only:
        keys = {line.split()[2] for line in args.only.read_text().splitlines()
                if line.startswith("survived")}
    summary = []
    with args.report.open("w") as report:
        for name in args.sessions or list(SESSIONS):
            session = SESSIONS[name]
            config, db = args.work / f"{name}.toml", args.work / f"{name}.sqlite"
            db.unlink(missing_ok=True)
            write_config(name, session, args.timeout, config)
            subprocess.run(["cosmic-ray", "init", str(config), str(db)], cwd=TREE, check=True)
            scope, run = select(db, session, 0 if keys else args.sample, args.seed)
            if keys is not None:
                run = only(db, keys)
            print(f"{name}: {run} of {scope} mutants in scope", flush=True)
            subprocess.run(["cosmic-ray", "exec", str(config), str(db)], cwd=TREE, check=True)
            killed, total = summarise(name, db, report)
            summary.append(f"{name}: {killed}/{total} killed ({100 * killed / max(total, 1):.0f}%),"
                           f" a sample of {run} of {scope} mutants in scope (seed {args.seed})")
            report.flush()
        report.write("\n".join(summary) + "\n")
    print("\n".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
