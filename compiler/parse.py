"""Syntax: spec text -> raw header items, aliases and entries, each with its span.

Parsing is line by line with one lark LALR parser, so every syntax error in a file is
reported in one run and a bad line never hides the lines after it."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .diagnostics import Diagnostic
from .model import Arg, ArgType, Handler, Span
from .textfile import read_text


@dataclass(frozen=True)
class HeaderValue:
    """One comma-separated value of a header line: words (`int 0x80`), `stack(reg+off)`, or
    `reg = value` (words holds the register, assigned the value)."""

    words: tuple[str, ...]
    span: Span
    stack_reg: str | None = None
    stack_offset: int = 0
    assigned: str | None = None
    quoted: bool = False        # a "string" value (a file name)


@dataclass(frozen=True)
class HeaderItem:
    key: str
    values: tuple[HeaderValue, ...]
    span: Span


@dataclass(frozen=True)
class Alias:
    name: str
    type: ArgType
    span: Span


@dataclass(frozen=True)
class ClassRef:
    """One call named on a class line; `!name` removes the class from it."""

    name: str
    remove: bool
    span: Span


@dataclass(frozen=True)
class ClassLine:
    """`%memory mmap, munmap, !name`: calls given (or denied) a trace class by hand."""

    cls: str
    calls: tuple[ClassRef, ...]
    span: Span
    shared: bool = False        # from an included file: may name calls this ABI lacks


@dataclass(frozen=True)
class RawEntry:
    number: int
    name: str
    name_span: Span
    args: tuple[Arg, ...]
    ret: ArgType
    ret_span: Span
    handler: Handler
    handler_span: Span
    span: Span
    error_span: Span | None = None  # `fail NAME`: where NAME is
    short: bool = False             # an overlay row: number, name and handler, no signature
    numbers: tuple[int | None, ...] | None = None   # a versioned base: one per version
    named: bool = False             # a row by name only (no number): `read  py`
    shared: bool = False            # from an included file: may name calls this ABI lacks
    export: str | None = None       # `"?name@@..."`: the name its DLL exports it as
    export_span: Span | None = None


@dataclass
class RawSpec:
    file: str
    headers: list[HeaderItem] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    classes: list[ClassLine] = field(default_factory=list)
    entries: list[RawEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # a version of a versioned base: the calls only other versions have, and the versions
    absent: frozenset[str] = frozenset()
    versions: tuple[str, ...] = ()
    version: str | None = None


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = (Path(__file__).with_name("grammar.lark")).read_text()
    return Lark(grammar, start="line", parser="lalr", propagate_positions=True,
                maybe_placeholders=True)


def parse_text(text: str, file: str) -> RawSpec:
    spec = RawSpec(file)
    parser = _parser()
    # Lines end at \n (and \r\n), as editors and file:line count them; splitlines() would
    # also break at \f, \x1c-\x1e and \u2028, shifting every later line number.
    for lineno, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        body = line.split("#", 1)[0]
        if not body.strip():
            continue
        try:
            tree = parser.parse(line)
        except UnexpectedInput as exc:
            spec.diagnostics.append(_syntax_diagnostic(exc, file, lineno, line))
            continue
        _Builder(spec, file, lineno, line).line(tree)
    return spec


def parse_file(path: Path) -> RawSpec:
    return parse_text(read_text(path, errors="replace"), str(path))


_TOKEN_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "LEN": "a length", "KEY": "a header keyword",
    "LPAR": "'('", "RPAR": "')'", "COMMA": "','", "DASH": "'-'", "__ANON_0": "'->'",
    "MORETHAN": "'>'", "LESSTHAN": "'<'", "LSQB": "'['", "RSQB": "']'", "EQUAL": "'='",
    "COLON": "':'", "PLUS": "'+'", "TYPE": "'type'", "RARROW": "'->'", "BANG": "'!'",
    "CLASS": "a %class",
}


def _describe(names) -> str:
    words = sorted({_TOKEN_WORDS.get(n, n.lower()) for n in names})
    return ", ".join(words[:6]) + (" ..." if len(words) > 6 else "")


def _syntax_diagnostic(exc: UnexpectedInput, file: str, lineno: int, line: str) -> Diagnostic:
    column = getattr(exc, "column", None) or len(line.rstrip()) + 1
    if isinstance(exc, UnexpectedCharacters):
        message = f"unexpected character {line[column - 1]!r}"
    elif isinstance(exc, UnexpectedToken):
        tok = exc.token
        if tok.type == "$END":
            column = len(line.split("#", 1)[0].rstrip()) + 1
            message = "line ends too early"
        else:
            message = f"unexpected {tok.value!r}"
        expected = getattr(exc, "expected", None) or getattr(exc, "accepts", None)
        if expected:
            message += f", expected {_describe(expected)}"
    elif isinstance(exc, UnexpectedEOF):
        column = len(line.rstrip()) + 1
        message = "line ends too early"
    else:
        message = "syntax error"
    return Diagnostic(Span(file, lineno, column, line), f"syntax error: {message}")


def parse_versioned(text: str) -> tuple[int | None, ...] | None:
    """`[-*11,0xed*5,0x112]`: a number (or - for none) per version, runs as VALUE*COUNT."""
    out: list[int | None] = []
    for item in text[1:-1].split(","):
        value, _, count = item.partition("*")
        try:
            n = int(count) if count else 1
            out += [None if value == "-" else parse_int(value)] * n
        except ValueError:
            return None
    return tuple(out)


class NumberTooLarge(ValueError):
    """A number literal past 64 bits: no spec field holds one."""


def parse_int(text: str) -> int:
    if len(text.lstrip("0")) > 20:          # before int(): a 5000-digit literal is refused
        raise NumberTooLarge(text)          # by Python's digit limit, and slow to convert
    value = int(text, 16) if text.lower().startswith("0x") else int(text)
    if value >= 1 << 64:
        raise NumberTooLarge(text)
    return value


class _Builder:
    """Turns one line's parse tree into raw spec items."""

    def __init__(self, spec: RawSpec, file: str, lineno: int, line: str):
        self.spec, self.file, self.lineno, self.text = spec, file, lineno, line

    def span(self, item) -> Span:
        column = getattr(item, "column", None)
        if column is None and isinstance(item, Tree) and not item.meta.empty:
            column = item.meta.column
        return Span(self.file, self.lineno, column or 1, self.text)

    def line(self, tree: Tree) -> None:
        node = tree.children[0]
        try:
            getattr(self, node.data)(node)
        except NumberTooLarge as exc:
            column = self.text.find(str(exc)) + 1 or 1
            self.spec.diagnostics.append(Diagnostic(Span(self.file, self.lineno, column,
                                                         self.text),
                                                    "number too large (64 bits at most)"))

    def header(self, node: Tree) -> None:
        key, *values = node.children
        items = tuple(self.hvalue(v) for v in values)
        self.spec.headers.append(HeaderItem(str(key), items, self.span(key)))

    def hvalue(self, node: Tree) -> HeaderValue:
        toks = [t for t in node.children if t is not None]
        if node.data == "stack":
            offset = parse_int(str(toks[2])) if len(toks) > 2 else 0
            return HeaderValue((str(toks[0]),), self.span(toks[0]), str(toks[1]), offset)
        if node.data == "string":
            return HeaderValue((str(toks[0])[1:-1],), self.span(toks[0]), quoted=True)
        if node.data == "assign":
            return HeaderValue((str(toks[0]),), self.span(toks[0]), assigned=str(toks[1]))
        return HeaderValue(tuple(str(t) for t in toks), self.span(toks[0]))

    def classes(self, node: Tree) -> None:
        cls, *refs = node.children
        calls = []
        for ref in refs:
            bang, name = ref.children
            calls.append(ClassRef(str(name), bang is not None, self.span(bang or name)))
        self.spec.classes.append(ClassLine(str(cls)[1:], tuple(calls), self.span(cls)))

    def alias(self, node: Tree) -> None:
        name, typ = node.children
        self.spec.aliases.append(Alias(str(name), self.type(typ), self.span(name)))

    def entry(self, node: Tree) -> None:
        number, name, *rest, export = node.children
        handler_node = rest[-1]
        ret_node = rest[-2]
        args = tuple(self.arg(a) for a in rest[:-2] if a is not None)
        error_span = self.span(handler_node.children[1]) if handler_node.data == "fail" else None
        numbers = None
        if number.type == "VERSIONED":
            numbers = parse_versioned(str(number))
            if numbers is None:
                self.spec.diagnostics.append(Diagnostic(self.span(number), "a versioned number "
                                             "is [N*count,...] with N a number or -"))
                return
        self.spec.entries.append(RawEntry(
            number=-1 if numbers is not None else parse_int(str(number)), name=str(name),
            name_span=self.span(name),
            args=args, ret=self.type(ret_node), ret_span=self.span(ret_node),
            handler=self.handler(handler_node), handler_span=self.span(handler_node),
            span=self.span(number), error_span=error_span, numbers=numbers,
            export=str(export)[1:-1] if export is not None else None,
            export_span=self.span(export) if export is not None else None))

    def name_row(self, node: Tree) -> None:
        name, handler_node = node.children
        error_span = self.span(handler_node.children[1]) if handler_node.data == "fail" else None
        self.spec.entries.append(RawEntry(
            number=-1, name=str(name), name_span=self.span(name),
            args=(), ret=ArgType("long"), ret_span=self.span(handler_node),
            handler=self.handler(handler_node), handler_span=self.span(handler_node),
            span=self.span(name), error_span=error_span, short=True, named=True))

    def overlay_row(self, node: Tree) -> None:
        number, name, handler_node = node.children
        error_span = self.span(handler_node.children[1]) if handler_node.data == "fail" else None
        self.spec.entries.append(RawEntry(
            number=parse_int(str(number)), name=str(name), name_span=self.span(name),
            args=(), ret=ArgType("long"), ret_span=self.span(handler_node),
            handler=self.handler(handler_node), handler_span=self.span(handler_node),
            span=self.span(number), error_span=error_span, short=True))

    def arg(self, node: Tree) -> Arg:
        typ, name = node.children
        return Arg(str(name), self.type(typ), self.span(typ))

    def type(self, node: Tree) -> ArgType:
        toks = node.children
        if node.data == "buffer":
            return ArgType(str(toks[0]), length=str(toks[1]))
        if node.data == "struct":
            return ArgType(str(toks[0]), struct=str(toks[1]))
        if node.data == "sized_struct":
            return ArgType(str(toks[0]), length=str(toks[2]), struct=str(toks[1]))
        return ArgType(str(toks[0]))

    def handler(self, node: Tree) -> Handler:
        if node.data == "unimplemented":
            return Handler(None)
        if node.data == "fail":
            kind, error = node.children
            return Handler(str(kind), error=str(error))
        if node.data == "chained":
            first, then = node.children
            return Handler(f"{first}+{then}")
        kind, function = node.children
        return Handler(str(kind), str(function) if function is not None else None)


def token_column(tok: Token) -> int:
    return tok.column or 1
