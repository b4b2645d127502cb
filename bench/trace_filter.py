"""What a trace filter costs: a guest getpid loop (C handler), calls per second,

  - untraced (the baseline),
  - traced with `-e trace=%file`, which getpid is not in: the C trap path tests the call's
    selection byte and never enters Python,
  - traced with `-e trace=getpid` (every call is printed, to /dev/null),
  - traced with --trace (everything, to /dev/null),

measured in one run, interleaved. Usage: python bench/trace_filter.py [-n N] [-r ROUNDS]"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, build_asm, measure, table, timed  # noqa: E402

LOOP_SRC = REPO / "tests" / "programs" / "getpid_loop64.S"
NONE = "no trace"


def case(program: Path, n: int, expressions: list[str] | None):
    from sysvec.runtime.machine import Machine
    from sysvec.runtime.trace_filter import TraceFilter

    def run() -> float:
        with tempfile.TemporaryDirectory() as root, open("/dev/null", "w") as sink:
            shutil.copy2(program, Path(root) / "loop")
            m = Machine(root=root, trace=sink if expressions is not None else None)
            if expressions:
                m.tracer.use_filter(TraceFilter(expressions), m.kernel)
            m.spawn("/loop", ["/loop", str(n)])
            rate = n / timed(m.run)
            m.close()
            return rate
    return run


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1_000_000, help="getpid calls per round (untraced)")
    ap.add_argument("-r", "--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    from sysvec.compiler.build import build, table_files

    build(table_files())
    program = build_asm(LOOP_SRC)
    slow = max(args.n // 50, 5_000)   # the printing cases run fewer calls
    cases = {
        NONE: case(program, args.n, None),
        "-e trace=%file (getpid not selected)": case(program, args.n, ["trace=%file"]),
        "-e trace=getpid (every call printed)": case(program, slow, ["trace=getpid"]),
        "--trace (every call printed)": case(program, slow, []),
    }
    print(table(measure(cases, args.rounds), NONE, "getpid calls",
                "trace filter: guest getpid loop, traced calls written to /dev/null"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
