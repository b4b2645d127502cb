"""The whole benchmark suite: groups of figures, each figure the median of interleaved rounds
with its min and max and a ratio against a baseline figure measured in the same run.

A figure is either a rate (operations per second, higher is better) or a wall time (seconds,
lower is better); its ratio is always its median over its baseline's median, so a time ratio
above 1 is a slowdown and a rate ratio above 1 a speed-up."""
from __future__ import annotations

import os
import statistics
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

RATE, TIME = "rate", "time"


class Skip(Exception):
    """A benchmark that cannot run here (a tool is missing); its message is the one-line note."""


@dataclass
class Case:
    """One figure: fn() measures it once (a rate per second, or seconds)."""
    name: str
    fn: Callable[[], float]
    kind: str = RATE
    unit: str = "/s"          # what is counted for a rate ("calls/s"), "s" for a time
    vs: str | None = None     # the baseline figure's name in the same group; None: it is one


@dataclass
class Group:
    """A benchmark: figures measured together, interleaved round by round."""
    key: str
    title: str
    cases: list[Case]
    notes: list[str] = field(default_factory=list)


@dataclass
class Figure:
    group: str
    name: str
    kind: str
    unit: str
    vs: str | None
    runs: list[float]
    ratio: float | None = None
    error: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def as_json(self) -> dict:
        out = {"name": self.name, "kind": self.kind, "unit": self.unit, "baseline": self.vs,
               "runs": self.runs}
        if self.runs:
            out.update(median=self.median, min=min(self.runs), max=max(self.runs),
                       ratio=self.ratio)
        if self.error:
            out["error"] = self.error
        return out


def run_group(group: Group, rounds: int, log=lambda m: None) -> list[Figure]:
    """Every case once per round, in turn, so machine noise hits them alike. A case that
    raises is dropped from later rounds and keeps its error."""
    figures = {c.name: Figure(group.key, c.name, c.kind, c.unit, c.vs, []) for c in group.cases}
    live = list(group.cases)
    for r in range(rounds):
        t0 = time.perf_counter()
        for case in list(live):
            try:
                figures[case.name].runs.append(float(case.fn()))
            except Exception as exc:  # noqa: BLE001 - one broken case must not end the suite
                figures[case.name].error = _one_line(exc)
                live.remove(case)
                if "BENCH_DEBUG" in os.environ:
                    traceback.print_exc()
        log(f"  round {r + 1}/{rounds}: {time.perf_counter() - t0:.1f} s")
    for fig in figures.values():
        if fig.vs and fig.runs and figures.get(fig.vs) and figures[fig.vs].runs:
            fig.ratio = fig.median / figures[fig.vs].median
        elif fig.vs is None and fig.runs:
            fig.ratio = 1.0
    return list(figures.values())


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}".strip()


# -- formatting -------------------------------------------------------------------------------

def fmt_value(value: float, kind: str, unit: str = "") -> str:
    if kind == TIME:
        if value >= 1:
            return f"{value:.2f} s"
        if value >= 1e-3:
            return f"{value * 1e3:.1f} ms"
        if value >= 1e-5:
            return f"{value * 1e6:.0f} us"
        return f"{value * 1e9:.0f} ns"
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= scale:
            return f"{value / scale:.2f} {suffix}"
    return f"{value:.1f}"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    if ratio >= 100:
        return f"{ratio:.0f}x"
    if ratio >= 0.01:
        return f"{ratio:.2f}x"
    return f"{ratio:.4f}x"


def short(name: str, width: int) -> str:
    return name if len(name) <= width else name[: width - 1] + "~"


def text_table(groups: list[Group], figures: dict[str, list[Figure]], rounds: int) -> str:
    w = 46
    head = f"{'figure':<{w}} {'median':>10} {'min':>10} {'max':>10} {'ratio':>8}  vs (baseline)"
    lines = [head, "-" * len(head)]
    for group in groups:
        figs = figures.get(group.key)
        if figs is None:
            continue
        lines.append(f"{group.title}")
        for f in figs:
            label = short(f.name, w - 2)
            if not f.runs:
                lines.append(f"  {label:<{w - 2}} failed: {f.error}")
                continue
            vs = "(baseline)" if f.vs is None else f.vs
            lines.append(f"  {label:<{w - 2}} {fmt_value(f.median, f.kind):>10} "
                         f"{fmt_value(min(f.runs), f.kind):>10} {fmt_value(max(f.runs), f.kind):>10} "
                         f"{fmt_ratio(f.ratio):>8}  {vs}")
            if f.error:
                lines.append(f"  {'':<{w - 2}} (later rounds failed: {f.error})")
        for note in group.notes:
            lines.append(f"  note: {note}")
    lines.append(f"(median, min and max of {rounds} interleaved rounds; rates are per second, "
                 "times are whole wall time; ratio = median / baseline median)")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(groups: list[Group], figures: dict[str, list[Figure]]) -> str:
    lines = ["| figure | median | min | max | ratio | vs (baseline) |",
             "|---|---:|---:|---:|---:|---|"]
    for group in groups:
        figs = figures.get(group.key)
        if figs is None:
            continue
        lines.append(f"| **{_md(group.title)}** | | | | | |")
        for f in figs:
            if not f.runs:
                lines.append(f"| {_md(f.name)} | failed: {_md(f.error or '')} | | | | |")
                continue
            vs = "*(baseline)*" if f.vs is None else _md(f.vs)
            lines.append(f"| {_md(f.name)} | {fmt_value(f.median, f.kind)} | "
                         f"{fmt_value(min(f.runs), f.kind)} | {fmt_value(max(f.runs), f.kind)} | "
                         f"{fmt_ratio(f.ratio)} | {vs} |")
    return "\n".join(lines)


# -- targets ----------------------------------------------------------------------------------

@dataclass
class Target:
    """A goal for one figure: its median or its ratio, at least or below a threshold."""
    label: str
    group: str
    figure: str
    measure: str      # "median" or "ratio"
    op: str           # ">=" or "<"
    threshold: float
    kind: str         # how to print the value: RATE, TIME or "ratio"

    def evaluate(self, figures: dict[str, list[Figure]]) -> dict:
        fig = next((f for f in figures.get(self.group, []) if f.name == self.figure), None)
        out = {"target": self.label, "group": self.group, "figure": self.figure,
               "op": self.op, "threshold": self.threshold}
        value = None
        if fig is not None and fig.runs:
            value = fig.median if self.measure == "median" else fig.ratio
        if value is None:
            out.update(value=None, met=None, verdict="not measured")
            return out
        met = value >= self.threshold if self.op == ">=" else value < self.threshold
        shown = fmt_ratio(value) if self.kind == "ratio" else fmt_value(value, self.kind)
        goal = fmt_ratio(self.threshold) if self.kind == "ratio" else fmt_value(self.threshold, self.kind)
        if self.op == ">=":
            margin = value / self.threshold
            how = f"{margin:.2f}x the goal" if met else f"{(1 - margin) * 100:.0f}% short"
        else:
            margin = self.threshold / value if value else float("inf")
            how = f"{margin:.2f}x under the limit" if met else f"{(value / self.threshold - 1) * 100:.0f}% over"
        verdict = f"{'met' if met else 'MISSED'}: {shown} (goal {self.op} {goal}; {how})"
        out.update(value=value, met=met, margin=margin, verdict=verdict)
        return out


def targets_text(results: list[dict]) -> str:
    width = max(len(r["target"]) for r in results)
    return "\n".join(f"  {r['target']:<{width}}  {r['verdict']}" for r in results)


def progress(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
