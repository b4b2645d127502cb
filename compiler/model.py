"""The checked model of a table spec: frozen dataclasses that remember where they came from."""
from __future__ import annotations

from dataclasses import dataclass, field

from .abi import MAX_ARGS, SHADOW_BIT  # noqa: F401  (re-exported: the compiler's modules read them here)


@dataclass(frozen=True)
class Span:
    """A place in a spec file: 1-based line and column, and the source line for the caret."""

    file: str
    line: int
    column: int
    text: str = ""



PAIR_KINDS = {"loff"}   # 64-bit on every ABI: a register pair where a word is 32 bits


@dataclass(frozen=True)
class ArgType:
    """An argument or return type: a scalar kind, a buffer with a length, a struct pointer, or
    a struct of a given length (a sockaddr and its addrlen)."""

    kind: str  # a scalar kind, or 'in' / 'out' / 'inout' for buffers and struct pointers
    length: str | None = None  # buffers: another argument's name, a number, or 'ret'
    struct: str | None = None  # struct pointers: the structure's name

    @property
    def is_buffer(self) -> bool:
        return self.length is not None

    def slots(self, word_size: int) -> int:
        """Argument words the value takes: a 64-bit `loff` is a register pair (low word
        first) on a 32-bit ABI, as Linux's compat calls and FreeBSD's pair_64bit have it."""
        return 2 if self.kind in PAIR_KINDS and word_size == 4 else 1

    @property
    def is_struct(self) -> bool:
        return self.struct is not None

    def __str__(self) -> str:
        if self.is_buffer and self.is_struct:
            return f"{self.kind}<{self.struct}>[{self.length}]"
        if self.is_buffer:
            return f"{self.kind}[{self.length}]"
        if self.is_struct:
            return f"{self.kind}<{self.struct}>"
        return self.kind


@dataclass(frozen=True)
class Arg:
    name: str
    type: ArgType
    span: Span


@dataclass(frozen=True)
class Handler:
    """Who answers a call: 'c', 'py', 'fail' or None (unimplemented); the function's name for
    'c' and 'py', the error name for 'fail' (the call always fails with it, in C)."""

    kind: str | None
    function: str | None = None
    error: str | None = None

    def __str__(self) -> str:
        """As the spec's handler column writes it."""
        if self.kind is None:
            return "-"
        if self.error is not None:
            return f"{self.kind} {self.error}"
        return f"{self.kind}:{self.function}" if self.function else self.kind


@dataclass(frozen=True)
class Entry:
    number: int
    name: str
    args: tuple[Arg, ...]
    ret: ArgType
    handler: Handler
    span: Span
    classes: tuple[str, ...] = ()   # trace classes (compiler/classes.py), in CLASSES order
    numbers: tuple[int | None, ...] | None = None   # per version of a versioned base
    export: str | None = None   # the name a generated DLL exports it as (C++ decorated names)

    @property
    def symbol(self) -> str:
        """The entry's name in its DLL's export table."""
        return self.export or self.name.rpartition(".")[2]

    def slots(self, word_size: int) -> int:
        """Argument words the call takes (a pair counts two)."""
        return sum(a.type.slots(word_size) for a in self.args)

    def pairs(self, word_size: int) -> int:
        """Bit i set: argument i is a register pair on this ABI."""
        return sum(1 << i for i, a in enumerate(self.args) if a.type.slots(word_size) == 2)

    def signature(self) -> str:
        inner = ", ".join(f"{a.type} {a.name}" for a in self.args)
        return f"{self.name}({inner}) -> {self.ret}"


@dataclass(frozen=True)
class Gate:
    """A trap gate: 'syscall', 'sysenter', or 'int' with its vector."""

    kind: str
    vector: int = 0

    def __str__(self) -> str:
        return f"int {self.vector:#x}" if self.kind == "int" else self.kind


@dataclass(frozen=True)
class Convention:
    """Where a call's number and arguments come from and where its result goes."""

    number_reg: str
    arg_regs: tuple[str, ...]
    stack_reg: str | None
    stack_offset: int
    return_reg: str
    errors: str  # 'errno' or 'ntstatus'

    @property
    def max_args(self) -> int:
        return MAX_ARGS if self.stack_reg else len(self.arg_regs)


@dataclass(frozen=True)
class Table:
    name: str
    platform: str
    arch: str
    gates: tuple[Gate, ...]
    convention: Convention
    handlers_module: str | None
    entries: tuple[Entry, ...]
    source: str = field(default="", compare=False)
    shadow: str | None = None   # the table numbers with bit 12 set dispatch to (NT's shadow table)
    # What the trap leaves in registers besides the result, as (register, 'return' | 'flags'):
    # x86-64 `syscall` under a real kernel leaves rcx = return address and r11 = rflags.
    leaves: tuple[tuple[str, str], ...] = ()
    versions: tuple[str, ...] = ()   # a versioned base's versions, and the one built
    version: str | None = None

    @property
    def word_size(self) -> int:
        return 8 if self.arch == "x86_64" else 4

    def by_number(self) -> dict[int, Entry]:
        return {e.number: e for e in self.entries}

    @property
    def size(self) -> int:
        """Dispatch array length: one past the highest number."""
        return max((e.number for e in self.entries), default=-1) + 1
