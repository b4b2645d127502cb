"""python -m bench: every benchmark, one table, the same as JSON.

Each figure is the median of interleaved rounds, with its min, max and a ratio against a
baseline measured in the same run; then the project's targets, met or missed. `--callgrind`
counts instructions instead, for a result that does not depend on the machine's noise.
See bench/README.md."""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT  # noqa: E402
from bench.suite import Skip, markdown_table, progress, run_group, targets_text, text_table  # noqa: E402


def parse_args(argv):
    from bench.groups import BENCHMARKS

    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--only", metavar="NAME[,NAME]",
                    help=f"run these benchmarks only: {', '.join(BENCHMARKS)}")
    ap.add_argument("-r", "--rounds", type=int, default=5, help="rounds per figure (default 5)")
    ap.add_argument("--json", metavar="PATH",
                    help="where to write the results (default build/bench/results.json, "
                         "build/bench/callgrind.json with --callgrind)")
    ap.add_argument("--update-readme", action="store_true",
                    help="rewrite README.md's performance section from this run")
    ap.add_argument("--callgrind", action="store_true",
                    help="instruction counts under valgrind instead of wall time")
    ap.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in BENCHMARKS]
        if unknown:
            ap.error(f"unknown benchmark {', '.join(unknown)} (choose from {', '.join(BENCHMARKS)})")
        args.only = names
    if args.update_readme and (args.only or args.callgrind or args.rounds < 5):
        ap.error("--update-readme takes a full run: every benchmark, at least 5 rounds, "
                 "no --only or --callgrind")
    return args


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def main_callgrind(args) -> int:
    from bench import callgrind
    from bench.report import machine

    version = callgrind.valgrind_version()
    if version is None:
        print("valgrind is not installed (apt-get install valgrind): --callgrind needs it")
        return 2
    data = callgrind.run(progress)
    print(callgrind.text_table(data))
    meta = dict(machine(), valgrind=version)
    path = Path(args.json) if args.json else OUT / "callgrind.json"
    write_json(path, {"meta": meta, **data})
    print(f"\nwrote {path}")
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.groups import BENCHMARKS, TARGETS, Context

    if args.list:
        for name, fn in BENCHMARKS.items():
            print(f"{name:<10} {(fn.__doc__ or '').strip()}")
        return 0
    from sysvec.compiler.build import build, load_module, table_files

    module = load_module(build(table_files()))  # a warm cache before any whole-process figure
    if args.callgrind:
        return main_callgrind(args)

    from bench.report import machine, section, update_readme

    names = [n for n in BENCHMARKS if not args.only or n in args.only]
    groups, figures, notes, failed = [], {}, [], []
    meta = machine()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sysvec-bench-") as tmp:
        for name in names:
            scratch = Path(tmp) / name
            scratch.mkdir()
            ctx = Context(module, scratch, progress)
            progress(f"{name}: {args.rounds} rounds ...")
            try:
                group = BENCHMARKS[name](ctx)
            except Skip as exc:
                notes.append(f"{name}: {exc}")
                progress(f"{name}: skipped: {exc}")
                continue
            except Exception as exc:  # noqa: BLE001 - report and go on with the others
                notes.append(f"{name}: could not be set up: {type(exc).__name__}: {exc}")
                progress(notes[-1])
                failed.append(name)
                continue
            groups.append(group)
            figures[name] = run_group(group, args.rounds, progress)
            for f in figures[name]:
                if f.error:
                    notes.append(f"{name}: {f.name}: {f.error}")
                    if name != "qiling":
                        failed.append(name)
            if name == "qiling":
                from bench.qiling_compare import VERSION
                meta["qiling"] = VERSION
    elapsed = time.perf_counter() - started

    targets = [t.evaluate(figures) for t in TARGETS if t.group in figures]
    print(f"sysvec benchmarks: {meta['date']}, {meta['machine']}, {meta['cpu']}, "
          f"{meta['cores']} cores, Python {meta['python']}, unicorn {meta['unicorn']}\n")
    print(text_table(groups, figures, args.rounds))
    if targets:
        print("\ntargets:")
        print(targets_text(targets))
    for note in notes:
        print(f"note: {note}")
    print(f"\n(suite took {elapsed:.0f} s)")

    path = Path(args.json) if args.json else OUT / "results.json"
    write_json(path, {
        "meta": dict(meta, rounds=args.rounds, seconds=round(elapsed, 1)),
        "benchmarks": {g.key: {"title": g.title, "notes": g.notes,
                               "figures": [f.as_json() for f in figures[g.key]]} for g in groups},
        "targets": targets,
        "notes": notes,
    })
    print(f"wrote {path}")
    if args.update_readme:
        update_readme(section(meta, args.rounds, markdown_table(groups, figures), targets, notes))
        print("rewrote the performance section of README.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
