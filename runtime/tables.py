"""The table registry: compiled tables by platform, and which binary format links to which.

As the design notes have it: add a table under a platform name, link a binary-format handler
to a platform, find the table for a handler. exec never searches tables itself."""
from __future__ import annotations

import functools
import importlib
import json
import os
from dataclasses import dataclass, field

from sysvec.compiler.errnames import NTSTATUS, NTSTATUS_OF_ERRNO
from sysvec.compiler.abi import SHADOW_BIT

from .errors import SysvecError
from .personality import BARE, Personality

SIGNED32 = {"int", "fd", "pid", "uid", "gid", "sig"}
SIGNED_WORD = {"long", "ssize", "off"}
SIGNED64 = {"loff"}   # 64-bit on every ABI (a register pair on i386, joined in C)
UNSIGNED32 = {"uint"}  # 32 bits on every ABI: the upper half of its register or slot is junk


@dataclass
class Call:
    """One entry of a table as the Python side sees it."""

    number: int
    name: str
    args: list[dict]
    ret: dict
    handler: str | None
    function: str | None
    fn: object = None           # the bound Python handler
    invoke: object = None       # (process, raw args) -> handler result, see make_invoker


@dataclass
class SysVec:
    """A compiled table: the C descriptor pointer plus what Python needs for handlers, tracing."""

    name: str
    platform: str
    arch: str
    index: int
    errors: str
    gates: list[str]
    c_table: object
    calls_source: object = None   # () -> the calls' metadata, read when first asked for
    _calls: dict | None = field(default=None, repr=False)
    py_calls: list = field(default_factory=list)  # number -> Call with a Python handler
    shadow: "SysVec | None" = None                # numbers with bit 12 set dispatch here

    handlers_module: str | None = None
    size: int = 1
    bound: bool = False
    personality: Personality = BARE   # the rest of the ABI: the handler module's `personality`
    by_name: dict | None = None       # name -> Call, built on first use (call_named)

    @property
    def calls(self) -> dict[int, Call]:
        """number -> Call. A machine loads every bundled table, but a run binds one or two:
        the others' thousands of rows are never read."""
        if self._calls is None:
            self._calls = {c["number"]: Call(c["number"], c["name"], c["args"], c["ret"],
                                             c["handler"], c["function"])
                           for c in (self.calls_source() if self.calls_source else ())}
        return self._calls

    def bind(self) -> "SysVec":
        """Import the handler module and make an invoker per Python-handled call (once); the
        module's `personality` becomes the table's (a shadow table shares its owner's)."""
        if self.bound:
            return self
        handlers = importlib.import_module(self.handlers_module) if self.handlers_module else None
        self.personality = getattr(handlers, "personality", None) or self.personality
        py_calls = [None] * self.size
        for call in self.calls.values():
            if call.handler not in ("py", "c+py"):   # c+py: Python answers what C declines
                continue
            call.fn = getattr(handlers, call.function, None)
            if call.fn is None:
                raise SysvecError(f"table {self.name}: handler {self.handlers_module}."
                                  f"{call.function} is missing")
            call.invoke = _first_invoke(call, self)
            py_calls[call.number] = call
        self.py_calls = py_calls
        self.bound = True
        if self.shadow is not None:
            if self.shadow.personality is BARE:
                self.shadow.personality = self.personality
            self.shadow.bind()
        return self

    def call_named(self, name: str) -> Call:
        if self.by_name is None:
            self.by_name = {c.name: c for c in self.calls.values()}
        return self.by_name[name]

    def lookup(self, nr: int) -> tuple["SysVec", int]:
        """The table and number a trap number means (the shadow bit selects the shadow)."""
        if nr & SHADOW_BIT and self.shadow is not None and nr < 2 * SHADOW_BIT:
            return self.shadow, nr & 0xFFF
        return self, nr

    @property
    def word_bits(self) -> int:
        return 64 if self.arch == "x86_64" else 32

    def error_result(self, code: int) -> int:
        """What a call failing with errno code returns under the table's convention."""
        if self.errors == "value":
            return 0
        if self.errors == "ntstatus":
            return NTSTATUS_OF_ERRNO.get(code, NTSTATUS["STATUS_UNSUCCESSFUL"])
        return -code

    @property
    def nosys_result(self) -> int:
        return int(self.c_table.nosys_result)

    @property
    def efault_result(self) -> int:
        return int(self.c_table.efault_result)


def _signed_expr(kind: str, bits: int, i: int, flags_bits: int | None = None) -> str:
    """Python source converting raw word a[i] to the spec type's value. Unsigned types need
    nothing: the C side reads registers and stack words zero-extended to their width; `flags`
    are a word unless the ABI says they are narrower (Windows': DWORDs)."""
    if kind == "flags" and flags_bits == 32:
        return f"a[{i}] & 0xFFFFFFFF"
    if kind in SIGNED32:
        return f"((a[{i}] & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000"
    if kind in UNSIGNED32:
        return f"a[{i}] & 0xFFFFFFFF"
    if kind in SIGNED64:
        return f"(a[{i}] ^ 0x8000000000000000) - 0x8000000000000000"
    if kind in SIGNED_WORD:
        top = 1 << (bits - 1)
        return f"(a[{i}] ^ {top:#x}) - {top:#x}"
    return f"a[{i}]"


_INVOKER_FACTORIES: dict[str, object] = {}


def make_invoker(fn, args: list[dict], bits: int, flags_bits: int | None = None,
                 result_mask: int | None = None):
    """A function (process, raw args) -> fn(process, converted args...), generated once per
    argument pattern (most calls share one) so the trap path does no per-argument dispatch;
    with result_mask, the result is cut to it (a 32-bit result in a 64-bit register)."""
    exprs = ", ".join(_signed_expr(a["kind"], bits, i, flags_bits) for i, a in enumerate(args))
    call = f"fn(p{', ' if exprs else ''}{exprs})"
    # (NORESULT, 1 << 63, says the handler set the registers: it passes unmasked)
    body = f"r = {call}\n        return r if r == {1 << 63} else r & {result_mask:#x}" \
        if result_mask is not None else f"return {call}"
    key = exprs + ("&" if result_mask is not None else "")
    factory = _INVOKER_FACTORIES.get(key)
    if factory is None:
        src = (f"def factory(fn):\n    def invoke(p, a):\n"
               f"        {body}\n    return invoke\n")
        scope: dict = {}
        exec(compile(src, f"<invoker ({key})>", "exec"), scope)
        factory = _INVOKER_FACTORIES[key] = scope["factory"]
    return factory(fn)


def _invoker(call: Call, sysvec: "SysVec"):
    narrow = call.ret.get("kind") in SIGNED32 | UNSIGNED32 and sysvec.word_bits == 64 \
        and sysvec.personality.results_zero_extend
    return make_invoker(call.fn, call.args, sysvec.word_bits, sysvec.personality.flags_bits,
                        0xFFFFFFFF if narrow else None)


def _first_invoke(call: Call, sysvec: "SysVec"):
    """The invoker of a call not made yet: makes the real one on the first call and puts it in
    its place, so a start compiles the patterns of the calls a program makes, not of all."""
    def invoke(p, a):
        call.invoke = _invoker(call, sysvec)
        return call.invoke(p, a)
    return invoke


def compile_invokers(sysvec: "SysVec") -> None:
    """Make the invokers of all of a bound table's calls now (a warm server does, once for the
    runs it forks)."""
    for call in sysvec.py_calls:
        if call is not None:
            call.invoke = _invoker(call, sysvec)


# A warm server's tables, bound with their invokers made: the first machine a forked run
# makes takes them instead of binding its own (~2 ms). Later machines bind their own, as
# load_sysvecs says.
_BOUND_AHEAD: dict = {}


def bind_ahead(module, meta_path) -> None:
    tables = load_sysvecs(module, meta_path)
    for table in tables:
        if table.handlers_module:
            compile_invokers(table.bind())
    _BOUND_AHEAD[str(meta_path)] = (module, tables)


_META: dict[str, dict] = {}


def _read_meta(path: str) -> dict:
    """A build's table metadata, parsed once per process: a build directory is named by its
    inputs' hash, so its file never changes, and a batch worker makes a Machine per program."""
    meta = _META.get(path)
    if meta is None:
        meta = _META[path] = _load_meta(path)
    return meta


def _load_meta(path: str) -> dict:
    """tables.json, through a marshal copy beside it (made on first use, several times faster
    to load; the build directory's name covers the Python version, so the format cannot
    change). The copy keeps each table's calls as marshal bytes of their own, unpacked when
    the table's calls are first asked for."""
    import marshal

    fast = os.path.join(os.path.dirname(path), "tables.marshal")
    try:
        with open(fast, "rb") as f:
            return marshal.loads(f.read())   # marshal.load(f) reads piecemeal: 5x slower
    except (OSError, EOFError, ValueError, TypeError):
        pass
    with open(path) as f:
        meta = json.load(f)
    for t in meta["tables"]:
        t["calls"] = marshal.dumps(t["calls"])
    tmp = f"{fast}.{os.getpid()}.tmp"
    try:   # a read-only cache just keeps parsing the JSON
        with open(tmp, "wb") as f:
            marshal.dump(meta, f)
        os.replace(tmp, fast)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    return meta


def _unpacked_calls(table: dict) -> list:
    """A table's calls' metadata, unpacked once per process (a warm server's children and a
    batch worker's machines share it; each machine makes its own Call objects from it)."""
    calls = table.get("unpacked")
    if calls is None:
        import marshal
        calls = table["unpacked"] = marshal.loads(table["calls"])
    return calls


def load_sysvecs(module, meta_path) -> list[SysVec]:
    """Every table of a compiled module. Handlers are bound when a table is first found for a
    program (SysVec.bind), so a Linux run never imports the NT or Win32 handler modules, and
    a table's calls are unpacked when first asked for. Each machine binds tables of its own:
    a handler replaced in its module (a test's, a researcher's) is what the next one calls."""
    module_ahead, ahead = _BOUND_AHEAD.pop(str(meta_path), (None, None))
    if module_ahead is module:
        return ahead
    meta = _read_meta(str(meta_path))
    out = []
    for t in meta["tables"]:
        c_table = module.lib.sv_tables[t["index"]]
        sv = SysVec(t["name"], t["platform"], t["arch"], t["index"], t["errors"], t["gates"], c_table)
        sv.handlers_module = t["handlers"]
        sv.calls_source = functools.partial(_unpacked_calls, t)
        sv.size = max(t["size"], 1)
        sv.shadow_name = t.get("shadow")
        out.append(sv)
    by_name = {sv.name: sv for sv in out}
    for sv in out:
        sv.shadow = by_name.get(sv.shadow_name) if sv.shadow_name else None
    return out


class TableRegistry:
    def __init__(self):
        self.by_platform: dict[str, SysVec] = {}
        self.links: dict[str, str] = {}

    def add(self, sysvec: SysVec, platform: str | None = None) -> None:
        self.by_platform[platform or sysvec.platform] = sysvec

    def link(self, binfmt: str, platform: str) -> None:
        self.links[binfmt] = platform

    def find(self, binfmt: str) -> SysVec:
        platform = self.links.get(binfmt)
        if platform is None:
            raise SysvecError(f"binary format '{binfmt}' is linked to no platform")
        return self.platform(platform)

    def platform(self, platform: str) -> SysVec:
        try:
            sysvec = self.by_platform[platform]
        except KeyError:
            raise SysvecError(f"no table is registered for platform '{platform}' "
                              f"(have: {', '.join(sorted(self.by_platform))})") from None
        return sysvec.bind()
