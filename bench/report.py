"""What a run records about its machine, and the README's performance section, rewritten only
between its markers and only from a run's results."""
from __future__ import annotations

import datetime
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from bench.common import REPO

README = REPO / "README.md"
START, END = "<!-- perf:start -->", "<!-- perf:end -->"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def git_commit() -> str | None:
    """The commit measured, marked when the work tree had changes (read-only git calls)."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")
    res = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, env=env)
    if res.returncode != 0 or not res.stdout.strip():
        return None
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, env=env)
    return res.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")


def machine() -> dict:
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": platform.machine(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "unicorn": _version("unicorn"),
        "commit": git_commit(),
    }


def machine_line(meta: dict) -> str:
    parts = [f"{meta['date']}", f"`uname -m` {meta['machine']}", f"CPU {meta['cpu']}",
             f"{meta['cores']} cores", f"Python {meta['python']}", f"unicorn {meta['unicorn']}"]
    if meta.get("qiling"):
        parts.append(f"Qiling {meta['qiling']}")
    if meta.get("commit"):
        parts.append(f"commit {meta['commit']}")
    return ", ".join(parts)


def section(meta: dict, rounds: int, table_md: str, targets: list[dict], notes: list[str]) -> str:
    lines = [
        "**Performance**, as last measured by `python -m bench --update-readme` (generated from "
        "that run, never typed; [bench/README.md](bench/README.md) says what each figure means). "
        f"Run of {machine_line(meta)}; median, min and max of {rounds} interleaved rounds; "
        "ratio = median / its baseline's median (for times, above 1 is a slowdown).",
        "",
        table_md,
        "",
        "Targets:",
        "",
    ]
    for t in targets:
        lines.append(f"- {t['target']}: {t['verdict']}")
    for note in notes:
        lines.append(f"- note: {note}")
    return "\n".join(lines)


def update_readme(text: str, path: Path = README) -> None:
    """Replace what lies between the markers; when they are absent, add them at the end of the
    "Design decisions" section (or at the end of the file)."""
    readme = path.read_text()
    block = f"{START}\n{text}\n{END}"
    if START in readme and END in readme and readme.index(START) < readme.index(END):
        head, rest = readme.split(START, 1)
        _, tail = rest.split(END, 1)
        readme = head + block + tail
    else:
        at = readme.find("\n## Design decisions")
        nxt = readme.find("\n## ", at + 1) if at >= 0 else -1
        if at >= 0 and nxt >= 0:
            readme = readme[:nxt].rstrip("\n") + "\n\n" + block + "\n" + readme[nxt:]
        else:
            readme = readme.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(readme)
