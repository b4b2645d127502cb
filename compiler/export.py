"""`tblc export`: a checked table as JSON or CSV for other tools (fuzzers, tracers, documentation
sites), in the versioned schema compiler/table.schema.json describes."""
from __future__ import annotations

import csv
import io
import json

from .check import python_function
from .classes import CLASSES
from .errnames import error_result
from .model import ArgType, Entry, Table

FORMAT = "sysvec-table"
VERSION = 3   # 2: a versioned table's `target`, `versions` and per-call `numbers`;
              # 3: the `c+py` handler kind and its Python `fallback`
CSV_COLUMNS = ("table", "number", "name", "arguments", "return", "classes", "handler",
               "function", "error", "result")


def _type(t: ArgType) -> dict:
    return {"type": str(t), "kind": t.kind, "length": t.length, "struct": t.struct}


def _handler(table: Table, e: Entry) -> dict:
    h = e.handler
    function = (python_function(e.name, h) if h.kind == "py"
                else f"sv_c_{h.function or e.name}" if h.kind in ("c", "c+py") else None)
    result = error_result(table.convention.errors, h.error) if h.kind == "fail" else None
    doc = {"kind": h.kind or "unimplemented", "function": function, "error": h.error,
           "result": result}
    if h.kind == "c+py":
        doc["fallback"] = python_function(e.name, h)
    return doc


def table_document(table: Table) -> dict:
    """The table as one JSON-ready document (schema version VERSION)."""
    conv = table.convention
    return {
        "format": FORMAT,
        "version": VERSION,
        "table": table.name,
        "platform": table.platform,
        "arch": table.arch,
        "gates": [{"kind": g.kind, "vector": g.vector if g.kind == "int" else None}
                  for g in table.gates],
        "convention": {
            "number": conv.number_reg,
            "args": list(conv.arg_regs),
            "stack": ({"register": conv.stack_reg, "offset": conv.stack_offset}
                      if conv.stack_reg else None),
            "return": conv.return_reg,
            "errors": conv.errors,
            "max_args": conv.max_args,
            "word_size": table.word_size,
        },
        "leaves": [{"register": r, "value": v} for r, v in table.leaves],
        "handlers": table.handlers_module,
        "shadow": table.shadow,
        "target": table.version,
        "versions": list(table.versions),
        "classes": list(CLASSES),
        "calls": [
            {
                "number": e.number,
                "numbers": ({v: n for v, n in zip(table.versions, e.numbers) if n is not None}
                            if e.numbers is not None else None),
                "name": e.name,
                "args": [{"name": a.name, **_type(a.type)} for a in e.args],
                "return": _type(e.ret),
                "classes": list(e.classes),
                "handler": _handler(table, e),
            }
            for e in table.entries
        ],
    }


def export_json(table: Table) -> str:
    return json.dumps(table_document(table), indent=1) + "\n"


def export_csv(table: Table) -> str:
    """One row per call; arguments as the spec writes them, classes joined by '|'."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for call in table_document(table)["calls"]:
        h = call["handler"]
        writer.writerow([
            table.name, call["number"], call["name"],
            ", ".join(f"{a['type']} {a['name']}" for a in call["args"]),
            call["return"]["type"], "|".join(call["classes"]), h["kind"],
            h["function"] or "", h["error"] or "", "" if h["result"] is None else h["result"],
        ])
    return out.getvalue()


EXPORTERS = {"json": export_json, "csv": export_csv}
