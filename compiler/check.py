"""Semantics: a raw spec -> a checked Table, collecting every diagnostic in one pass."""
from __future__ import annotations

import difflib
import importlib
import inspect
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from . import classes as trace_classes
from . import overlay
from .diagnostics import Diagnostic, SpecError
from .textfile import read_text
from .errnames import NAMES_BY_CONVENTION
from .model import MAX_ARGS, Arg, ArgType, Convention, Entry, Gate, Handler, Span, Table
from .parse import RawSpec, parse_int, parse_text

SCALARS = {"int", "uint", "long", "ulong", "size", "ssize", "off", "loff", "fd", "pid", "uid", "gid",
           "sig", "flags", "mode", "ptr", "handle", "cstr", "path", "wstr", "strv"}
RETURNS = SCALARS - {"cstr", "path", "wstr", "strv"} | {"void", "status"}
DIRECTIONS = {"in", "out", "inout"}
ARCHES = {"x86_64", "i386"}
ERRORS = {"errno", "ntstatus", "value"}
GATES = {"syscall", "sysenter", "int"}
FIRST_FREE_VECTOR = 32      # 0-31 are the CPU's exceptions (#DE, #BP, #GP, #PF ...)
STACK_POINTERS = {"rsp", "esp"}
LENGTH_KINDS = SCALARS - {"ptr", "handle", "cstr", "path", "wstr", "strv"}
REGISTERS = {
    "x86_64": {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11",
               "r12", "r13", "r14", "r15", "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp"},
    "i386": {"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp"},
}
# What a trap can leave in a register besides the result (the `leaves` header line).
LEAVE_VALUES = {"return": "the address after the trap instruction",
                "flags": "the flags register at the trap"}
MAX_LEAVES = 4
MAX_NUMBER = 65535
REQUIRED = ("table", "arch", "gate", "number", "args", "return", "errors")
CSRC = Path(__file__).resolve().parent.parent / "csrc"


@lru_cache(maxsize=None)
def c_handlers(csrc: Path = CSRC) -> frozenset[str]:
    """Names NAME of the C handlers `sv_c_NAME` defined in csrc/."""
    found = set()
    for path in sorted(csrc.glob("*.c")):
        found.update(re.findall(r"^int64_t\s+sv_c_(\w+)\s*\(", path.read_text(), re.M))
    return frozenset(found)


class _Checker:
    def __init__(self, raw: RawSpec, check_python: bool):
        self.raw = raw
        self.diags: list[Diagnostic] = list(raw.diagnostics)
        self.check_python = check_python

    def error(self, span: Span, message: str) -> None:
        self.diags.append(Diagnostic(span, message))

    # --- header --------------------------------------------------------------------------------

    def header(self) -> dict:
        seen: dict[str, object] = {}
        gates: list[Gate] = []
        for item in self.raw.headers:
            if item.key != "gate" and item.key in seen:
                self.error(item.span, f"duplicate header key '{item.key}'")
                continue
            seen[item.key] = item
            if item.key in ("generated", "hash", "versions"):
                self.error(item.span, f"'{item.key}' belongs in a generated base, not in a "
                           "table or an overlay")
            elif item.key == "version":
                self.error(item.span, "'version' belongs in the overlay of a versioned base")
            if item.key != "leaves":
                for value in item.values:
                    if value.assigned is not None:
                        self.error(value.span, f"'{item.key}' takes no 'register = value' pairs")
            if item.key == "gate":
                gate = self.gate(item)
                if gate:
                    gates.append(gate)
        # a missing line is reported where the header ends: its last line, or the top
        end = self.raw.headers[-1].span if self.raw.headers else Span(self.raw.file, 1, 1, "")
        for key in REQUIRED:
            if key not in seen:
                self.error(end, f"missing header line '{key} ...'" +
                           (" (the header ends here)" if self.raw.headers else ""))
        h = {"gates": tuple(gates)}
        h["table"] = self.single_name(seen.get("table"))
        h["platform"] = self.single_name(seen.get("platform")) or h["table"]
        arch = self.single_name(seen.get("arch"))
        if arch and arch not in ARCHES:
            self.error(seen["arch"].values[0].span, f"unknown architecture '{arch}' "
                       f"(expected {', '.join(sorted(ARCHES))})")
            arch = None
        h["arch"] = arch
        h["word_size"] = 8 if arch == "x86_64" else 4 if arch == "i386" else None
        errors = self.single_name(seen.get("errors"))
        if errors and errors not in ERRORS:
            self.error(seen["errors"].values[0].span,
                       f"unknown error convention '{errors}' (expected errno, ntstatus or value)")
        h["errors"] = errors
        h["handlers"] = self.single_name(seen.get("handlers"))
        h["shadow"] = self.single_name(seen.get("shadow"))
        h["number"] = self.register(seen.get("number"), arch)
        h["return"] = self.register(seen.get("return"), arch)
        if h["return"] in STACK_POINTERS:    # the result would move the guest's stack
            self.error(seen["return"].values[0].span,
                       f"the stack pointer '{h['return']}' cannot carry a call's result")
        h["args"] = self.args_convention(seen.get("args"), arch)
        h["leaves"] = self.leaves(seen.get("leaves"), arch, h["return"])
        h["handlers_item"] = seen.get("handlers")
        return h

    def single_name(self, item) -> str | None:
        if item is None:
            return None
        if len(item.values) != 1 or len(item.values[0].words) != 1:
            self.error(item.span, f"'{item.key}' takes one name")
            return None
        return item.values[0].words[0]

    def gate(self, item) -> Gate | None:
        if len(item.values) != 1:
            self.error(item.span, "one gate per 'gate' line")
            return None
        value = item.values[0]
        kind, *rest = value.words
        if kind not in GATES or value.stack_reg:
            self.error(value.span, f"unknown gate '{' '.join(value.words)}' "
                       "(expected syscall, sysenter or int N)")
            return None
        if kind == "int":
            if len(rest) != 1:
                self.error(value.span, "gate 'int' needs a vector, e.g. 'int 0x80'")
                return None
            vector = parse_int(rest[0])
            if not 0 <= vector <= 255:
                self.error(value.span, f"interrupt vector {vector} out of range 0..255")
                return None
            if vector < FIRST_FREE_VECTOR:   # a fault or a breakpoint would be a call
                self.error(value.span, f"interrupt vector {vector} is a CPU exception's; a trap "
                           f"gate needs a vector from {FIRST_FREE_VECTOR} (0x20) to 255")
                return None
            return Gate("int", vector)
        if rest:
            self.error(value.span, f"gate '{kind}' takes no operand")
            return None
        return Gate(kind)

    def register(self, item, arch) -> str | None:
        name = self.single_name(item)
        if name and arch and name not in REGISTERS[arch]:
            self.error(item.values[0].span, f"unknown register '{name}' for {arch}")
            return None
        return name

    def leaves(self, item, arch, return_reg) -> tuple[tuple[str, str], ...]:
        """`leaves rcx = return, r11 = flags`: registers the trap sets besides the result."""
        if item is None:
            return ()
        out: list[tuple[str, str]] = []
        for value in item.values:
            if value.assigned is None or len(value.words) != 1:
                self.error(value.span, "expected 'register = value', e.g. 'rcx = return'")
                continue
            reg, what = value.words[0], value.assigned
            if arch and reg not in REGISTERS[arch]:
                self.error(value.span, f"unknown register '{reg}' for {arch}")
            elif reg == return_reg:
                self.error(value.span, f"'{reg}' carries the result; the trap cannot also "
                           "leave something else in it")
            elif reg in STACK_POINTERS:
                self.error(value.span, f"the stack pointer '{reg}' cannot be left a value")
            elif reg in (r for r, _ in out):
                self.error(value.span, f"register '{reg}' listed twice")
            elif what not in LEAVE_VALUES:
                self.error(value.span, f"unknown value '{what}' (expected "
                           + " or ".join(f"'{k}': {v}" for k, v in LEAVE_VALUES.items()) + ")")
            else:
                out.append((reg, what))
        if len(out) > MAX_LEAVES:
            self.error(item.span, f"at most {MAX_LEAVES} registers in 'leaves'")
        return tuple(out)

    def args_convention(self, item, arch):
        if item is None:
            return None
        regs: list[str] = []
        stack = None
        for i, value in enumerate(item.values):
            if value.stack_reg:
                if value.words[0] != "stack":
                    self.error(value.span, f"unknown argument source '{value.words[0]}(...)'")
                elif i != len(item.values) - 1:
                    self.error(value.span, "stack(...) must come last in 'args'")
                elif arch and value.stack_reg not in REGISTERS[arch]:
                    self.error(value.span, f"unknown register '{value.stack_reg}' for {arch}")
                else:
                    stack = (value.stack_reg, value.stack_offset)
                continue
            if len(value.words) != 1:
                self.error(value.span, "expected a register name")
                continue
            reg = value.words[0]
            if arch and reg not in REGISTERS[arch]:
                self.error(value.span, f"unknown register '{reg}' for {arch}")
            elif reg in regs:
                self.error(value.span, f"register '{reg}' listed twice")
            else:
                regs.append(reg)
        if len(regs) > 8:
            self.error(item.span, "at most 8 argument registers")
        return tuple(regs), stack

    # --- entries -------------------------------------------------------------------------------

    def aliases(self) -> dict[str, ArgType]:
        table: dict[str, ArgType] = {}
        for alias in self.raw.aliases:
            if alias.name in table or alias.name in SCALARS or alias.name in DIRECTIONS:
                self.error(alias.span, f"type '{alias.name}' is already defined")
                continue
            table[alias.name] = self.resolve(alias.type, alias.span, table, returns=True)
        return table

    def resolve(self, typ: ArgType, span: Span, aliases, returns=False) -> ArgType:
        if typ.is_buffer or typ.is_struct:
            if typ.kind not in DIRECTIONS:
                self.error(span, f"unknown direction '{typ.kind}' (expected in, out or inout)")
            return typ
        if typ.kind in aliases:
            return aliases[typ.kind]
        allowed = RETURNS | SCALARS if returns else SCALARS
        if typ.kind not in allowed:
            self.error(span, f"unknown type '{typ.kind}'")
        return typ

    def entries(self, h, aliases) -> list[Entry]:
        out: list[Entry] = []
        numbers: dict[int, Span] = {}
        names: dict[str, Span] = {}
        exports: dict[tuple[str, str], Span] = {}
        args_conv = h["args"]
        max_args = None
        if args_conv:
            regs, stack = args_conv
            max_args = MAX_ARGS if stack else len(regs)
        module = self.handler_module(h)
        for raw in self.raw.entries:
            if raw.short:
                if not raw.shared:
                    self.error(raw.handler_span, "a row without a signature belongs in an "
                               "overlay (a spec with a 'base \"FILE\"' line)")
                continue
            if not 0 <= raw.number <= MAX_NUMBER:
                self.error(raw.span, f"call number {raw.number} out of range 0..{MAX_NUMBER}")
            elif raw.number in numbers:
                first = numbers[raw.number]
                self.error(raw.span, f"duplicate call number {raw.number} "
                           f"(first used on line {first.line})")
            else:
                numbers[raw.number] = raw.span
            if raw.name in names:
                self.error(raw.name_span, f"duplicate call name '{raw.name}' "
                           f"(first used on line {names[raw.name].line})")
            else:
                names[raw.name] = raw.name_span
            if raw.export is not None:
                self.check_export(raw, exports)
            args = self.entry_args(raw, aliases)
            word = h.get("word_size") or 8
            slots = [a.type.slots(word) for a in args]
            if max_args is not None and sum(slots) > max_args:
                at = next(i for i in range(len(slots)) if sum(slots[:i + 1]) > max_args)
                words = f" ({sum(slots)} words)" if sum(slots) != len(args) else ""
                self.error(raw.args[at].span, f"'{raw.name}' has {len(raw.args)} "
                           f"arguments{words} but the convention carries at most {max_args}")
            ret = self.resolve(raw.ret, raw.ret_span, aliases, returns=True)
            if ret.is_buffer:
                self.error(raw.ret_span, "a call cannot return a buffer")
            self.entry_handler(raw, module, h["errors"])
            out.append(Entry(raw.number, raw.name, args, ret, raw.handler, raw.span,
                             numbers=raw.numbers, export=raw.export))
        return out

    def check_export(self, raw, exports: dict) -> None:
        """A "quoted" export name: a DLL symbol (no blanks), once per DLL, on a DLL's entry."""
        dll, dot, _ = raw.name.rpartition(".")
        if not dot:
            self.error(raw.export_span, f"'{raw.name}' is not a DLL's entry (dll.Name): "
                       "only a DLL export has an export name")
        elif not raw.export or any(c.isspace() for c in raw.export):
            self.error(raw.export_span, "an export name is a symbol: not empty, no blanks")
        elif (dll, raw.export) in exports:
            self.error(raw.export_span, f"{dll} already exports '{raw.export}' "
                       f"(line {exports[dll, raw.export].line})")
        else:
            exports[dll, raw.export] = raw.export_span

    def entry_args(self, raw, aliases) -> tuple[Arg, ...]:
        names = {a.name for a in raw.args}
        seen = set()
        args = []
        for arg in raw.args:
            if arg.name in seen:
                self.error(arg.span, f"argument '{arg.name}' appears twice in '{raw.name}'")
            seen.add(arg.name)
            typ = self.resolve(arg.type, arg.span, aliases)
            if typ.is_buffer:
                length = typ.length
                if length == "ret" and typ.kind != "out":
                    self.error(arg.span, "length 'ret' only fits an out[...] buffer")
                elif length != "ret" and not length.isdigit() and length not in names:
                    self.error(arg.span, f"buffer length '{length}' is not an argument "
                               f"of '{raw.name}'")
            args.append(Arg(arg.name, typ, arg.span))
        kinds = {a.name: a.type for a in args}
        for a in args:   # a buffer's length is another argument, a number
            length = a.type.length if a.type.is_buffer else None
            if length in kinds and (length == a.name or kinds[length].kind not in LENGTH_KINDS):
                what = "the buffer itself" if length == a.name else f"a {kinds[length]}"
                self.error(a.span, f"buffer length '{length}' must be another argument that "
                           f"holds a number, not {what}")
        return tuple(args)

    def handler_module(self, h):
        name = h["handlers"]
        if not name or not self.check_python:
            return None
        try:
            return importlib.import_module(name)
        except Exception as exc:  # any import failure is the spec author's to fix
            self.error(h["handlers_item"].values[0].span,
                       f"cannot import handler module '{name}': {exc}")
            return False

    def entry_handler(self, raw, module, errors: str | None) -> None:
        handler: Handler = raw.handler
        if handler.kind is None:
            return
        if handler.error is not None or handler.kind == "fail":
            self.fail_handler(raw, errors)
        elif handler.kind == "c+py":
            self.c_function(raw, handler)
            self.python_function(raw, module, handler)
        elif handler.kind == "c":
            self.c_function(raw, handler)
        elif handler.kind == "py":
            self.python_function(raw, module, handler)
        else:
            self.error(raw.handler_span, f"unknown handler kind '{handler.kind}' "
                       "(expected c, py, c+py, fail ERROR or -)")

    def c_function(self, raw, handler: Handler) -> None:
        fn = handler.function or raw.name
        if fn not in c_handlers():
            self.error(raw.handler_span, f"unknown handler: no C function "
                       f"'sv_c_{fn}' in csrc/")

    def python_function(self, raw, module, handler: Handler) -> None:
        fn = python_function(raw.name, handler)
        if module is None and self.check_python and not self.raw_has_handlers():
            self.error(raw.handler_span, f"a '{handler.kind}' handler needs a 'handlers' "
                       "header line")
        elif module and not callable(getattr(module, fn, None)):
            self.error(raw.handler_span, f"unknown handler: no function '{fn}' in "
                       f"module '{module.__name__}'")
        elif module:
            self.handler_arity(raw, module.__name__, getattr(module, fn))

    def fail_handler(self, raw, errors: str | None) -> None:
        """`fail NAME`: NAME must be an error the table's convention has a value for."""
        handler: Handler = raw.handler
        if handler.kind != "fail":
            self.error(raw.handler_span, f"unknown handler kind '{handler.kind}' "
                       f"(expected c, py, c+py, fail ERROR or -)")
        elif handler.error is None:
            example = "STATUS_NOT_SUPPORTED" if errors == "ntstatus" else "EOPNOTSUPP"
            self.error(raw.handler_span, f"'fail' needs an error name, e.g. 'fail {example}'")
        elif errors not in NAMES_BY_CONVENTION:
            if errors in ERRORS:   # an unknown convention has its own diagnostic
                self.error(raw.handler_span, f"a table with 'errors {errors}' has no error "
                           "results: 'fail' needs errno or ntstatus")
        elif handler.error not in NAMES_BY_CONVENTION[errors]:
            known = NAMES_BY_CONVENTION[errors]
            what = "errno" if errors == "errno" else "NTSTATUS"
            example = "EPERM" if errors == "errno" else "STATUS_NOT_SUPPORTED"
            other = [c for c, names in NAMES_BY_CONVENTION.items() if handler.error in names]
            close = difflib.get_close_matches(handler.error, known, n=1)
            if other:
                kind = "an errno" if other[0] == "errno" else "an NTSTATUS"
                hint = f": that is {kind} name, and this table's errors are {errors} " \
                    f"(e.g. 'fail {example}')"
            elif close:
                hint = f"; did you mean '{close[0]}'?"
            else:
                hint = f" (this table's errors are {errors}: names such as {example})"
            self.error(raw.error_span, f"unknown {what} name '{handler.error}'{hint}")

    def handler_arity(self, raw, module: str, fn) -> None:
        """The handler takes the process and then exactly the spec's arguments."""
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            return
        if any(p.kind == p.VAR_POSITIONAL for p in params):
            return
        if len(params) != len(raw.args) + 1:
            self.error(raw.handler_span, f"handler {module}.{fn.__name__} takes "
                       f"{len(params) - 1} arguments after the process, the spec gives "
                       f"'{raw.name}' {len(raw.args)}")

    def classify(self, entries: list[Entry]) -> list[Entry]:
        """Each call's trace classes: derived from its types, then the `%class` lines."""
        by_name = {e.name: e for e in entries}
        added: dict[str, set[str]] = {}
        removed: dict[str, set[str]] = {}
        for line in self.raw.classes:
            if line.cls not in trace_classes.CLASSES:
                self.error(line.span, f"unknown trace class '%{line.cls}' (expected "
                           + ", ".join("%" + c for c in trace_classes.CLASSES) + ")")
                continue
            for ref in line.calls:
                if ref.name in self.raw.absent or (line.shared and ref.name not in by_name):
                    continue   # a call of other versions, or of another ABI
                if ref.name not in by_name:
                    self.error(ref.span, f"'%{line.cls}' names '{ref.name}', which is not a "
                               "call of this table")
                    continue
                (removed if ref.remove else added).setdefault(ref.name, set()).add(line.cls)
        out = []
        for e in entries:
            cls = trace_classes.derived(tuple(a.type for a in e.args), e.ret)
            cls = (cls | added.get(e.name, set())) - removed.get(e.name, set())
            out.append(replace(e, classes=trace_classes.ordered(cls)))
        return out

    def raw_has_handlers(self) -> bool:
        return any(h.key == "handlers" for h in self.raw.headers)


def python_function(call: str, handler: Handler) -> str:
    return handler.function or f"sys_{call.replace('.', '_')}"


def _in_order(diags: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=lambda d: (d.span.file, d.span.line, d.span.column))


def check_base(raw: RawSpec, source: str) -> list[Diagnostic]:
    """A generated base: its seal, its two header lines, and calls without handlers."""
    c = _Checker(raw, check_python=False)
    for item in raw.headers:
        if item.key not in ("generated", "hash", "versions"):
            c.error(item.span, f"a generated base has no '{item.key}' line: header lines "
                    "belong in the overlay")
    if source:
        c.diags += overlay.check_seal(raw, source)
    for entry in raw.entries:
        if entry.handler.kind is not None:
            c.error(entry.handler_span, "a generated base has no handlers: give this call's "
                    "handler in the overlay")
    versions = overlay.versions(raw)
    if versions:
        c.raw = RawSpec(raw.file, raw.headers, raw.aliases, raw.classes,
                        _check_versioned(c, raw, versions))
    else:
        for entry in raw.entries:
            if entry.numbers is not None:
                c.error(entry.span, "a number per version needs a 'versions' line")
    c.entries({"args": None, "errors": None, "handlers": None}, c.aliases())
    return _in_order(c.diags)


def _check_versioned(c: _Checker, raw: RawSpec, versions: list[str]) -> list:
    """One number (or -) per version on every row, unique within each version. Returns the
    rows renumbered 0, 1, ... for the checks that do not depend on numbers."""
    if len(set(versions)) != len(versions):
        c.error(next(h for h in raw.headers if h.key == "versions").span,
                "a version is listed twice")
    seen: list[dict[int, str]] = [{} for _ in versions]
    for entry in raw.entries:
        if entry.numbers is None or len(entry.numbers) != len(versions):
            got = "one number" if entry.numbers is None else f"{len(entry.numbers)} numbers"
            c.error(entry.span, f"'{entry.name}' has {got}; the base has {len(versions)} "
                    "versions")
            continue
        for i, n in enumerate(entry.numbers):
            if n is None:
                continue
            if n in seen[i]:
                c.error(entry.span, f"'{entry.name}' and '{seen[i][n]}' both have number {n:#x} "
                        f"in {versions[i]!r}")
            elif not 0 <= n <= MAX_NUMBER:
                c.error(entry.span, f"call number {n} out of range 0..{MAX_NUMBER}")
            seen[i][n] = entry.name
    return [replace(e, number=i) for i, e in enumerate(raw.entries)]


def _merged(raw: RawSpec, target: str | None, targets: dict | None) -> RawSpec:
    """An overlay merged with its base, at the version TARGETS (by table name) or TARGET
    choose, else the overlay's `version`."""
    base, base_text, diags = overlay.read_base(raw)
    if base is None:
        raw.diagnostics += diags
        return _without_base(raw)
    diags = check_base(base, base_text)
    available = overlay.versions(base)
    default_item = overlay.header(raw, "version")
    if not available:
        if default_item is not None:
            diags.append(Diagnostic(default_item.span, "'version' needs a versioned base (one "
                                    "with a 'versions' line)"))
        merged = overlay.merge(raw, base)
        merged.diagnostics += diags
        return merged
    default = None
    if default_item is None:
        diags.append(Diagnostic(overlay.header(raw, "base").span, "a versioned base needs a "
                                "'version \"...\"' line naming the overlay's default version"))
    else:
        default = overlay.find_version(default_item.values[0].words[0], available)
        if default is None:
            diags.append(Diagnostic(default_item.values[0].span, "the base has no version "
                                    f"{default_item.values[0].words[0]!r}"))
    if default is None or diags:
        raw.diagnostics += diags
        return _without_base(raw)
    table = overlay.header(raw, "table")
    name = table.values[0].words[0] if table and table.values else ""
    wanted = (targets or {}).get(name) or target
    chosen = overlay.find_version(wanted, available) if wanted else None
    if (targets or {}).get(name) and chosen is None:
        diags.append(Diagnostic(table.span, f"the target {wanted!r} chosen for '{name}' is not "
                                "a version of its base"))
    chosen = chosen or default
    at_default = overlay.resolve(base, default)
    merged = overlay.merge(raw, at_default)
    if chosen != default:
        merged = overlay.retarget(merged, at_default, overlay.resolve(base, chosen))
    merged.diagnostics += diags
    merged.versions, merged.version = tuple(available), chosen
    merged.headers = [h for h in merged.headers if h.key != "version"]
    return merged


def _without_base(raw: RawSpec) -> RawSpec:
    """An overlay whose base could not be used: only its own lines are checked further."""
    raw.headers = [h for h in raw.headers if h.key not in ("base", "version")]
    raw.entries = [e for e in raw.entries if not e.short]
    return raw


def check(raw: RawSpec, source: str = "", check_python: bool = True, target: str | None = None,
          targets: dict | None = None) -> tuple[Table | None, list[Diagnostic]]:
    if overlay.is_base(raw):
        return None, check_base(raw, source)
    raw = overlay.include(raw)
    if overlay.header(raw, "base") is not None:
        raw = _merged(raw, target, targets)
    c = _Checker(raw, check_python)
    h = c.header()
    aliases = c.aliases()
    entries = c.classify(c.entries(h, aliases))
    if c.diags:
        return None, _in_order(c.diags)
    regs, stack = h["args"]
    conv = Convention(h["number"], regs, stack[0] if stack else None, stack[1] if stack else 0,
                      h["return"], h["errors"])
    table = Table(h["table"], h["platform"], h["arch"], h["gates"], conv, h["handlers"],
                  tuple(sorted(entries, key=lambda e: e.number)), source, h["shadow"],
                  h["leaves"], raw.versions, raw.version)
    return table, []


def load_table(path: Path, check_python: bool = True, target: str | None = None,
               targets: dict | None = None) -> Table:
    """Parse and check one spec file (a versioned one at TARGET, or the version TARGETS
    names for its table); raises SpecError with every diagnostic."""
    text = read_text(path, errors="replace")
    table, diags = check(parse_text(text, str(path)), text, check_python, target, targets)
    if diags:
        raise SpecError(diags)
    return table


def check_file(path: Path, check_python: bool = True) -> list[Diagnostic]:
    text = read_text(path, errors="replace")
    return check(parse_text(text, str(path)), text, check_python=check_python)[1]
