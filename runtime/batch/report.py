"""`tblc batch --report out.html`: the summary as one static page (inline SVG charts, inline
CSS, no script, no server): outcomes, the top unimplemented calls and missing imports, the
slowest programs, and every program that did not exit."""
from __future__ import annotations

from html import escape

from .summary import Summary, _command

COLOURS = {"exited": "#2e7d32", "signaled": "#c62828", "timeout": "#ef6c00",
           "rejected": "#6a1b9a", "lost": "#424242"}
BAR = "#1565c0"

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: left; }
th { border-bottom: 1px solid #999; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: 12px; } svg text { font: 12px system-ui, sans-serif; }
"""


def bar_chart(rows: list[tuple[str, int, str]], label_width: int = 220, width: int = 640) -> str:
    """Horizontal bars: (label, value, colour) each."""
    if not rows:
        return "<p>none</p>"
    top = max(v for _, v, _ in rows) or 1
    bar_h, gap = 22, 6
    height = len(rows) * (bar_h + gap) + gap
    span = width - label_width - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img">']
    for i, (label, value, colour) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(2, round(span * value / top))
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">'
                     f'{escape(label[:34])}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{w}" height="{bar_h}" '
                     f'fill="{colour}"><title>{escape(label)}: {value}</title></rect>')
        parts.append(f'<text x="{label_width + w + 6}" y="{y + 15}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(summary: Summary, records: list[dict], title: str = "sysvec batch") -> str:
    outcome_rows = [(o, n, COLOURS.get(o, BAR)) for o, n in summary.outcomes.items()]
    body = [f"<h1>{escape(title)}</h1>",
            f"<p>{summary.programs} programs, {summary.wall_s:.1f} s of runs in all; "
            + ", ".join(f"{escape(p)}: {n}" for p, n in summary.platforms.items()) + ".</p>",
            "<h2>Outcomes</h2>", bar_chart(outcome_rows)]
    for heading, rows in (("Top unimplemented calls (ENOSYS), by programs", summary.unimplemented),
                          ("Top missing imports, by programs", summary.missing_imports)):
        body.append(f"<h2>{heading}</h2>")
        body.append(bar_chart([(name, programs, BAR) for name, programs, _ in rows]))
    body.append("<h2>Slowest programs</h2><table><tr><th>program</th><th>seconds</th>"
                "<th>outcome</th></tr>")
    for path, args, seconds, outcome in summary.slowest:
        body.append(f"<tr><td><code>{escape(_command(path, args)[:100])}</code></td>"
                    f'<td class="n">{seconds:.2f}</td><td>{escape(outcome or "")}</td></tr>')
    body.append("</table>")
    failing = [r for r in records if r.get("outcome") != "exited"]
    if failing:
        body.append(f"<h2>Programs that did not exit ({len(failing)})</h2><table><tr>"
                    "<th>program</th><th>outcome</th><th>detail</th></tr>")
        for r in sorted(failing, key=lambda r: (r.get("outcome") or "", r["path"]))[:500]:
            detail = r.get("fault") or r.get("error") or r.get("signal_name") or ""
            body.append(f"<tr><td><code>{escape(_command(r['path'], r.get('args') or [])[:80])}"
                        f"</code></td><td>{escape(r.get('outcome') or '')}</td>"
                        f"<td><code>{escape(detail[:160])}</code></td></tr>")
        body.append("</table>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
