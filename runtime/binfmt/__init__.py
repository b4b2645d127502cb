"""Binary-format handlers, tried in order like the kernel's search_binary_handler.

A handler recognises a file from its first bytes, names the binary format it loads (which the
table registry links to a platform), and loads it into a fresh address space."""
from __future__ import annotations

import errno
from dataclasses import dataclass, field

from ..errors import ExecError, KernelError
from ..mm import STACK_LIMIT

BINPRM_BUF_SIZE = 256
MAX_INTERP_DEPTH = 4


@dataclass
class Binprm:
    """What exec knows about the program being loaded (the kernel's linux_binprm)."""

    path: str                    # guest path as given to exec
    guest_path: str              # the file's resolved path inside the root
    data: bytes                  # the whole file
    argv: list[bytes]
    envp: list[bytes]
    filename: str = ""           # AT_EXECFN: the path as exec was asked
    depth: int = 0               # #! and misc interpreter nesting
    inode: object = None         # the program's stat as the guest sees it (owner, set-id bits)
    command_line: str | None = None   # the parent's exact command line, when it gave one
                                      # (CreateProcess's lpCommandLine), not argv joined
    reader: object = None        # the process whose credentials read the program's files
                                 # (a PE's DLLs too)
    rlim_stack: int = STACK_LIMIT  # the exec'ing process's RLIMIT_STACK (bprm->rlim_stack): how
                                 # large the new stack may grow and where mappings start

    @property
    def header(self) -> bytes:
        return self.data[:BINPRM_BUF_SIZE]


@dataclass
class StartStack:
    """What a program's start-up stack is made from, as its loader found it; the personality
    lays it out at exec (Personality.start_stack), as FreeBSD's sysentvec copies out the
    strings and the auxiliary vector."""

    top: int                     # the stack's top address
    argv: list[bytes]
    envp: list[bytes]
    execfn: bytes                # the path exec was given
    # An ELF program's facts for the auxiliary vector (phnum 0: a flat image, none):
    program_entry: int = 0       # the program's own entry point, not its interpreter's
    phdr: int = 0                # where its program headers are mapped
    phent: int = 0
    phnum: int = 0
    interp_base: int = 0         # where its interpreter was loaded (0: none)


@dataclass
class Image:
    """A loaded program, ready to run: the result of a handler's load()."""

    binfmt: str                  # the format name the table registry links to a platform
    bits: int                    # 64 or 32: which engine runs it
    mm: object                   # the new AddressSpace
    entry: int
    sp: int
    regs: dict = field(default_factory=dict)   # extra initial registers
    setup: object = None         # callable(process) run once the process owns the image
    exe: str = ""                # guest path of the binary that runs (for #!, the interpreter)
    info: dict = field(default_factory=dict)   # for the personality's on_exec (a PE's TEB ...)
    start: StartStack | None = None   # a stack for the personality to lay out (sp is then its)


class BinfmtRegistry:
    def __init__(self):
        self.handlers: list = []

    def register(self, handler, first: bool = False) -> None:
        if first:
            self.handlers.insert(0, handler)
        else:
            self.handlers.append(handler)

    def needs_exec_bit(self, header: bytes, path: str) -> bool:
        """Whether the format of the file at guest path starting with header wants an
        execute bit to run (a handler's needs_exec_bit; Windows' PE and batch files have none
        to set)."""
        probe = Binprm(path=path, guest_path=path, data=header, argv=[], envp=[])
        for handler in self.handlers:
            if handler.recognises(probe):
                return getattr(handler, "needs_exec_bit", True)
        return True

    def search(self, kernel, bprm: Binprm) -> Image:
        """Find the handler for bprm and load it; ENOEXEC when none recognises it."""
        if bprm.depth > MAX_INTERP_DEPTH:
            raise ExecError(errno.ELOOP, f"{bprm.path}: too many levels of interpreters")
        for handler in self.handlers:
            if handler.recognises(bprm):
                image = handler.load(kernel, bprm)
                # The innermost load names the binary: a script's image is its interpreter's.
                if not image.exe:
                    image.exe = bprm.guest_path
                return image
        raise ExecError(errno.ENOEXEC, f"{bprm.path}: exec format error "
                        f"(not a format any registered handler recognises)")


def load_into_fresh_space(kernel, bprm: Binprm, bits: int, fill) -> Image:
    """Give fill(mm) a new address space for a bits-wide process; the space is released if
    loading fails, and a kernel error becomes an ExecError naming the program."""
    from ..mm import AddressSpace

    mm = AddressSpace(kernel.engine(bits), page_limit=kernel.limits.pages_per_process)
    try:
        return fill(mm)
    except KernelError as exc:
        mm.release()
        raise ExecError(exc.errno, f"{bprm.path}: cannot load: {exc}") from None
    except BaseException:
        mm.release()
        raise
