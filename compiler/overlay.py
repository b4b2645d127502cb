"""A generated base and the overlay a person writes over it.

`tblc import` writes a base: every call's number and signature from upstream data, marked
`generated` and sealed with a content hash, never edited by hand. The overlay names it
(`base "base/linux_x86_64.tbl"`) and holds everything a person decides: the header lines,
the handlers and policies (`0 read py` rows), argument types (a full row for a base call),
trace classes and extra calls. Re-importing rewrites only the base, so no overlay line is
ever lost; merging reports every conflict at the overlay's line and column."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .diagnostics import Diagnostic
from .model import Span
from .parse import RawSpec, parse_text
from .seal import content_hash
from .textfile import read_text


def header(raw: RawSpec, key: str):
    return next((h for h in raw.headers if h.key == key), None)


def is_base(raw: RawSpec) -> bool:
    return header(raw, "generated") is not None


def base_file(raw: RawSpec) -> Path | None:
    """The base an overlay names, relative to the overlay's directory; None for other specs."""
    item = header(raw, "base")
    if item is None or len(item.values) != 1 or not item.values[0].words:
        return None
    return Path(raw.file).parent / item.values[0].words[0]


def versions(raw: RawSpec) -> list[str]:
    """The versions a base numbers its calls for (`versions "A", "B"` lines, in order)."""
    return [v.words[0] for h in raw.headers if h.key == "versions" for v in h.values if v.words]


def version_key(name: str) -> str:
    """Version names compare without case and punctuation: "Windows 7 SP1" is
    "Windows 7 (SP1)"."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def find_version(wanted: str, available: list[str]) -> str | None:
    return next((v for v in available if version_key(v) == version_key(wanted)), None)


def resolve(base: RawSpec, version: str) -> RawSpec:
    """A versioned base as the plain base of one version: its numbers, its calls."""
    i = versions(base).index(version)
    entries = [replace(e, number=e.numbers[i]) for e in base.entries
               if e.numbers is not None and e.numbers[i] is not None]
    others = {e.name for e in base.entries} - {e.name for e in entries}
    return RawSpec(base.file, headers=base.headers, aliases=base.aliases, classes=base.classes,
                   entries=entries, diagnostics=list(base.diagnostics), absent=frozenset(others))


def retarget(merged: RawSpec, default: RawSpec, target: RawSpec) -> RawSpec:
    """A merged overlay moved from the default version's numbers to TARGET's: a base call
    takes its number there, or is left out where that version lacks it; the calls only
    TARGET has come in unimplemented; extra calls stay."""
    in_default = {e.name for e in default.entries}
    in_target = {e.name: e.number for e in target.entries}
    entries = [replace(e, number=in_target[e.name]) if e.name in in_target else e
               for e in merged.entries if e.name not in in_default or e.name in in_target]
    entries += [e for e in target.entries if e.name not in in_default]   # this version's own
    return RawSpec(merged.file, headers=merged.headers, aliases=merged.aliases,
                   classes=merged.classes, entries=sorted(entries, key=lambda e: e.number),
                   diagnostics=merged.diagnostics,
                   absent=frozenset(in_default - set(in_target)) | merged.absent)


def check_seal(raw: RawSpec, text: str) -> list[Diagnostic]:
    """A base is one `tblc import` wrote and nobody changed since."""
    diags = []
    item = header(raw, "hash")
    if item is None:
        return [Diagnostic(Span(raw.file, 1, 1, ""), "missing header line 'hash ...' "
                           "(a generated base is sealed with its content hash)")]
    value = item.values[0]
    if value.words and value.words[0] != content_hash(text):
        diags.append(Diagnostic(value.span, "this generated base was edited by hand (its "
                                "content hash differs): re-run `tblc import` and put changes "
                                "in the overlay"))
    return diags


def merge(overlay: RawSpec, base: RawSpec) -> RawSpec:
    """The overlay's spec with the base's calls under it; conflicts become diagnostics."""
    diags: list[Diagnostic] = []
    by_number = {e.number: e for e in base.entries}
    by_name = {e.name: e for e in base.entries}
    merged = dict(by_number)
    seen: dict[int, Span] = {}
    generated = header(base, "generated")
    table = header(overlay, "table")
    if generated and table and generated.values[0].words[:1] != table.values[0].words[:1]:
        diags.append(Diagnostic(header(overlay, "base").values[0].span,
                                f"this base was generated for table "
                                f"'{' '.join(generated.values[0].words)}'"))
    numbered = {e.name for e in overlay.entries if not e.named}
    for row in overlay.entries:
        if row.named:
            if row.name in numbered:        # the ABI's own row wins over a shared one
                continue
            b = by_name.get(row.name)
            if b is not None:
                merged[b.number] = replace(b, handler=row.handler, handler_span=row.handler_span,
                                           error_span=row.error_span)
            elif not row.shared and row.name not in base.absent:
                diags.append(Diagnostic(row.name_span, f"'{row.name}' is not in the base"))
            continue
        b = by_number.get(row.number)
        if row.number in seen:
            diags.append(Diagnostic(row.span, f"a second overlay row for number {row.number} "
                                    f"(the first is on line {seen[row.number].line})"))
            continue
        seen[row.number] = row.span
        if b is not None and b.name != row.name:
            where = (f"; the base has '{row.name}' at number {by_name[row.name].number}"
                     if row.name in by_name else "")
            diags.append(Diagnostic(row.name_span, f"the base numbers {row.number} "
                                    f"'{b.name}', not '{row.name}'{where}"))
        elif b is None and row.name in by_name:
            diags.append(Diagnostic(row.span, f"the base has '{row.name}' at number "
                                    f"{by_name[row.name].number}, not {row.number}"))
        elif row.short and b is None:
            diags.append(Diagnostic(row.name_span, f"'{row.name}' ({row.number}) is not in the "
                                    "base; an extra call needs its signature: "
                                    "NUMBER NAME (ARGS) -> TYPE HANDLER"))
        elif row.short:
            merged[row.number] = replace(b, handler=row.handler, handler_span=row.handler_span,
                                         error_span=row.error_span)
        elif b is not None and len(row.args) != len(b.args):
            at = row.args[len(b.args)].span if len(row.args) > len(b.args) else row.name_span
            diags.append(Diagnostic(at, f"'{row.name}' has {len(row.args)} arguments here "
                                    f"but {len(b.args)} in the base"))
        else:
            merged[row.number] = row
    return RawSpec(overlay.file,
                   headers=[h for h in overlay.headers if h.key != "base"],
                   aliases=base.aliases + overlay.aliases,
                   classes=overlay.classes,
                   entries=sorted(merged.values(), key=lambda e: e.number),
                   diagnostics=overlay.diagnostics + diags, absent=base.absent)


def include(raw: RawSpec) -> RawSpec:
    """Add the class lines and by-name rows of the files RAW includes (`include "FILE"`,
    relative to RAW): what several ABIs' overlays share. The ABI's own rows win."""
    for item in [h for h in raw.headers if h.key == "include"]:
        for value in item.values:
            path = Path(raw.file).parent / value.words[0]
            try:
                shared = parse_text(read_text(path), str(path))
            except OSError as exc:
                raw.diagnostics.append(Diagnostic(value.span, f"cannot read {path}: "
                                                  f"{exc.strerror or exc}"))
                continue
            raw.diagnostics += shared.diagnostics
            for h in shared.headers:
                raw.diagnostics.append(Diagnostic(h.span, "an included file holds class lines "
                                                  "and rows by name only"))
            for e in shared.entries:
                if not e.named:
                    raw.diagnostics.append(Diagnostic(e.span, "an included file names calls, "
                                                      "not numbers: each ABI numbers its own"))
            raw.classes = [replace(c, shared=True) for c in shared.classes] + raw.classes
            raw.entries = [replace(e, shared=True) for e in shared.entries if e.named] + \
                raw.entries
    raw.headers = [h for h in raw.headers if h.key != "include"]
    return raw


def read_base(overlay: RawSpec) -> tuple[RawSpec | None, str, list[Diagnostic]]:
    """The base an overlay names, parsed, with its text; or the diagnostics saying why not."""
    path = base_file(overlay)
    item = header(overlay, "base")
    if path is None:
        return None, "", [Diagnostic(item.span, "'base' takes one \"file name\"")]
    try:
        text = read_text(path)
    except OSError as exc:
        return None, "", [Diagnostic(item.values[0].span,
                                     f"cannot read base {path}: {exc.strerror or exc}")]
    base = parse_text(text, str(path))
    if not is_base(base):
        return None, text, [Diagnostic(item.values[0].span, f"{path} is not a generated base "
                                       "(it has no 'generated' line)")]
    return base, text, []
