"""What a batch found, from its records: counts by outcome, the unimplemented calls and missing
imports ranked by how many programs hit them, the slowest programs. The text table and the
HTML report both render this."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .records import OUTCOMES

TOP = 10


@dataclass
class Summary:
    programs: int = 0
    outcomes: dict = field(default_factory=dict)            # outcome -> programs
    unimplemented: list = field(default_factory=list)       # (name, programs, calls)
    missing_imports: list = field(default_factory=list)     # (DLL!function, programs, calls)
    slowest: list = field(default_factory=list)             # (path, args, seconds, outcome)
    platforms: dict = field(default_factory=dict)           # platform -> programs
    wall_s: float = 0.0                                     # summed over the programs


def _ranked(records: list[dict], key: str, top: int) -> list[tuple]:
    programs, calls = Counter(), Counter()
    for r in records:
        for name, count in (r.get(key) or {}).items():
            programs[name] += 1
            calls[name] += count
    ranked = sorted(programs, key=lambda n: (-programs[n], -calls[n], n))
    return [(n, programs[n], calls[n]) for n in ranked[:top]]


def summarize(records: list[dict], top: int = TOP) -> Summary:
    outcomes = Counter(r.get("outcome") for r in records)
    ordered = {o: outcomes[o] for o in OUTCOMES if outcomes[o]}
    ordered.update({o: n for o, n in outcomes.items() if o not in ordered})
    timed = sorted((r for r in records if r.get("wall_s") is not None),
                   key=lambda r: -r["wall_s"])
    return Summary(
        programs=len(records), outcomes=ordered,
        unimplemented=_ranked(records, "unimplemented", top),
        missing_imports=_ranked(records, "missing_imports", top),
        slowest=[(r["path"], r.get("args") or [], r["wall_s"], r.get("outcome"))
                 for r in timed[:min(top, 5)]],
        platforms=dict(Counter(r.get("platform") or "none" for r in records).most_common()),
        wall_s=sum(r.get("wall_s") or 0 for r in records))


def _command(path: str, args: list) -> str:
    import shlex
    return " ".join(shlex.quote(str(a)) for a in [path, *args])


def render(summary: Summary, console=None) -> None:
    """The summary as rich tables on the console (stderr by default)."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console(stderr=True)
    t = Table(title=f"{summary.programs} programs", title_justify="left")
    t.add_column("outcome")
    t.add_column("programs", justify="right")
    for outcome, n in summary.outcomes.items():
        t.add_row(outcome, str(n))
    console.print(t)
    for title, rows, what in (("unimplemented calls (ENOSYS)", summary.unimplemented, "call"),
                              ("missing imports", summary.missing_imports, "import")):
        if not rows:
            continue
        t = Table(title=f"top {title}", title_justify="left")
        t.add_column(what)
        t.add_column("programs", justify="right")
        t.add_column("calls", justify="right")
        for name, programs, calls in rows:
            t.add_row(name, str(programs), str(calls))
        console.print(t)
    if summary.slowest:
        t = Table(title="slowest programs", title_justify="left")
        t.add_column("program")
        t.add_column("seconds", justify="right")
        t.add_column("outcome")
        for path, args, seconds, outcome in summary.slowest:
            t.add_row(_command(path, args)[:80], f"{seconds:.2f}", outcome or "")
        console.print(t)
