"""What a PE program imports and whether sysvec provides it: each imported DLL (API-set
contracts shown with the host they resolve to) and function, against the DLLs tblc generated
for the program's platform, or a DLL file beside the program (the first place Windows' loader
looks, and sysvec's: runtime/nt/dlls.py). `tblc pe-imports` prints it; analysts run it over
corpora."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExecError
from .apisets import resolve
from .crtdata import DATA_DLLS, LAYOUT


@dataclass
class DllImports:
    name: str                  # as the program spells it
    host: str                  # after API-set resolution, lower case, no .dll
    provided: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    source: str = "generated"  # or "beside the program", or "not found" (a file elsewhere?)


@dataclass
class ImportReport:
    path: str
    platform: str
    dlls: list[DllImports]

    @property
    def total(self) -> int:
        return sum(len(d.provided) + len(d.missing) for d in self.dlls)

    @property
    def missing(self) -> list[str]:
        return [f"{d.name}!{sym}" for d in self.dlls for sym in d.missing]


def scan(path: Path, dll_root: Path) -> ImportReport:
    """The import report of one PE file; ExecError when it is not one."""
    from ..binfmt.pe import MACHINES, DllCache, parse_pe
    from ..machine import DEFAULT_LINKS

    data = path.read_bytes()
    if data[:2] != b"MZ":
        raise ExecError(8, f"{path}: not a PE file")
    pe = parse_pe(data, str(path))
    machine = MACHINES.get(pe.FILE_HEADER.Machine)
    if machine is None:
        raise ExecError(8, f"{path}: PE for machine {pe.FILE_HEADER.Machine:#x}, not x86")
    platform = DEFAULT_LINKS[machine[1]]   # the bundled table the format runs under
    cache = DllCache(dll_root / platform, resolve)
    dlls = []
    for desc in getattr(pe, "DIRECTORY_ENTRY_IMPORT", []):
        name = desc.dll.decode(errors="replace")
        entry = DllImports(name, resolve(name))
        found = cache.get(name)
        exports = found[2] if found else _exports_beside(path, name, pe.FILE_HEADER.Machine)
        if found is None:
            entry.source = "beside the program" if exports is not None else "not found"
        for imp in desc.imports:
            sym = imp.name.decode(errors="replace") if imp.name else f"#{imp.ordinal}"
            have = sym in (exports or {}) or (found is not None and entry.host in DATA_DLLS
                                              and sym in LAYOUT)
            (entry.provided if have else entry.missing).append(sym)
        dlls.append(entry)
    return ImportReport(str(path), platform, dlls)


def _exports_beside(program: Path, name: str, machine: int) -> set[str] | None:
    """The export names (and "#ordinals") of a DLL file of the program's machine in its
    directory, matched in any case; None when there is none."""
    from ..binfmt.pe import export_table, parse_pe
    leaf = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    try:
        candidates = [f for f in program.parent.iterdir() if f.name.lower() == leaf]
    except OSError:
        return None
    for f in candidates:
        try:
            pe = parse_pe(f.read_bytes(), str(f))
        except (ExecError, OSError):
            continue
        if pe.FILE_HEADER.Machine != machine:
            continue
        exports, forwarders = export_table(pe)
        return set(exports) | set(forwarders)
    return None


def render(report: ImportReport, missing_only: bool = False) -> str:
    lines = [f"{report.path}: {report.platform}"]
    for d in report.dlls:
        host = "" if d.host == d.name.lower().removesuffix(".dll") else f" -> {d.host}.dll"
        if d.source != "generated":
            host = f" ({d.source})"
        n = len(d.provided) + len(d.missing)
        lines.append(f"  {d.name}{host}: {len(d.provided)} of {n} provided")
        rows = [("missing ", s) for s in d.missing]
        if not missing_only:
            rows += [("provided", s) for s in d.provided]
        lines += [f"    {state}  {sym}" for state, sym in sorted(rows, key=lambda r: r[1])]
    lines.append(summary(report))
    return "\n".join(lines)


def summary(report: ImportReport) -> str:
    missing = len(report.missing)
    verdict = "all provided" if not missing else f"{missing} missing"
    return f"{report.path}: {report.total - missing} of {report.total} imports provided, {verdict}"
