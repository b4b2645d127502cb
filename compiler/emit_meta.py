"""Emit the table model as JSON for the runtime: handler bindings and typed arguments, so the
Python dispatcher and the tracer need no per-call code and never re-parse a spec."""
from __future__ import annotations

import json

from .check import python_function
from .model import ArgType, Table


def _type(t: ArgType) -> dict:
    return {"kind": t.kind, "length": t.length, "struct": t.struct}


def table_meta(table: Table, index: int, source: str) -> dict:
    conv = table.convention
    return {
        "index": index,
        "name": table.name,
        "platform": table.platform,
        "arch": table.arch,
        "source": source,
        "gates": [str(g) for g in table.gates],
        "errors": conv.errors,
        "handlers": table.handlers_module,
        "shadow": table.shadow,
        "size": table.size,
        "calls": [
            {
                "number": e.number,
                "name": e.name,
                "args": [{"name": a.name, **_type(a.type)} for a in e.args],
                "ret": _type(e.ret),
                "handler": e.handler.kind,
                "error": e.handler.error,
                "function": (python_function(e.name, e.handler)
                             if e.handler.kind in ("py", "c+py")
                             else e.handler.function or e.name if e.handler.kind == "c"
                             else None),
            }
            for e in table.entries
        ],
    }


def emit_meta(tables: list[tuple[Table, str]]) -> str:
    data = {"tables": [table_meta(t, i, src) for i, (t, src) in enumerate(tables)]}
    return json.dumps(data, indent=1, sort_keys=True) + "\n"
