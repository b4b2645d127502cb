"""x64 structured exception handling as Windows does it, over the program's own unwind tables:
RtlLookupFunctionEntry searches the image's .pdata, RtlVirtualUnwind runs its unwind codes,
and the dispatcher walks the frames of a fault or a RaiseException, calling vectored handlers
and then each frame's language handler (__C_specific_handler, __CxxFrameHandler,
__gxx_personality_seh0 ...) in the guest. RtlUnwindEx unwinds to the target frame, running
termination handlers on the way, and resumes there. An exception no one handles goes to the
top-level filter (SetUnhandledExceptionFilter) and then ends the process with its status.

Guest code runs through runtime/win32/callback.py: the dispatcher is a chain of continuations,
each guest handler returning into the generated DLL's callback stub. That stub stands where
Windows has KiUserExceptionDispatcher: unwinding reaches it from a handler's frames and goes
on from the exception's own context, as Windows' unwind through the dispatcher does."""
from __future__ import annotations

import struct

from unicorn import x86_const as X

from ..nt import abi
from ..nt.status import STATUS_INVALID_PARAMETER
from . import callback

# Unicorn's registers in the x64 unwind numbering (RAX=0 ... R15=15), which CONTEXT follows.
GPRS = [X.UC_X86_REG_RAX, X.UC_X86_REG_RCX, X.UC_X86_REG_RDX, X.UC_X86_REG_RBX,
        X.UC_X86_REG_RSP, X.UC_X86_REG_RBP, X.UC_X86_REG_RSI, X.UC_X86_REG_RDI,
        X.UC_X86_REG_R8, X.UC_X86_REG_R9, X.UC_X86_REG_R10, X.UC_X86_REG_R11,
        X.UC_X86_REG_R12, X.UC_X86_REG_R13, X.UC_X86_REG_R14, X.UC_X86_REG_R15]
XMMS = [getattr(X, f"UC_X86_REG_XMM{i}") for i in range(16)]
RSP = 4
CONTEXT_SIZE, RECORD_SIZE, DISPATCHER_SIZE = 0x4D0, 0x98, 0x50
CONTEXT_FULL = 0x10000B    # CONTEXT_AMD64 | CONTROL | INTEGER | FLOATING_POINT
OFF_FLAGS, OFF_MXCSR, OFF_EFLAGS, OFF_GPR, OFF_RIP, OFF_XMM = 0x30, 0x34, 0x44, 0x78, 0xF8, 0x1A0
UNW_FLAG_EHANDLER, UNW_FLAG_UHANDLER, UNW_FLAG_CHAININFO = 1, 2, 4
EXCEPTION_NONCONTINUABLE, EXCEPTION_UNWINDING, EXCEPTION_TARGET_UNWIND = 1, 2, 0x20
CONTINUE_EXECUTION, CONTINUE_SEARCH = 0, 1          # EXCEPTION_DISPOSITION
EXCEPTION_CONTINUE_EXECUTION = 0xFFFFFFFF           # a filter's -1
STATUS_ACCESS_VIOLATION, STATUS_ILLEGAL_INSTRUCTION = 0xC0000005, 0xC000001D
STATUS_INTEGER_DIVIDE_BY_ZERO, STATUS_BREAKPOINT = 0xC0000094, 0x80000003
STATUS_INTEGER_OVERFLOW = 0xC0000095
STATUS_NONCONTINUABLE_EXCEPTION, STATUS_INVALID_UNWIND_TARGET = 0xC0000025, 0xC0000029
STATUS_UNWIND_CONSOLIDATE, STATUS_LONGJUMP = 0x80000029, 0x80000026
SIGNAL_STATUS = {11: STATUS_ACCESS_VIOLATION, 4: STATUS_ILLEGAL_INSTRUCTION,
                 8: STATUS_INTEGER_DIVIDE_BY_ZERO, 5: STATUS_BREAKPOINT, 7: STATUS_ACCESS_VIOLATION}
ACCESS_KIND = {16: 0, 17: 1, 18: 8}   # Unicorn's read/write/fetch -> ExceptionInformation[0]
MAX_FRAMES = 4096


class Context:
    """The registers of one frame, as a CONTEXT holds them."""

    def __init__(self, gpr, rip, eflags=0x202, mxcsr=0x1F80, xmm=None):
        self.gpr, self.rip, self.eflags, self.mxcsr = list(gpr), rip, eflags, mxcsr
        self.xmm = list(xmm) if xmm is not None else [0] * 16

    @property
    def rsp(self) -> int:
        return self.gpr[RSP]

    def copy(self) -> "Context":
        return Context(self.gpr, self.rip, self.eflags, self.mxcsr, self.xmm)

    @classmethod
    def live(cls, p) -> "Context":
        """The process's registers now (it is on the core: in a trap or at its fault)."""
        uc = p.engine.uc
        return cls([uc.reg_read(r) for r in GPRS], uc.reg_read(X.UC_X86_REG_RIP),
                   uc.reg_read(X.UC_X86_REG_EFLAGS), uc.reg_read(X.UC_X86_REG_MXCSR),
                   [uc.reg_read(r) for r in XMMS])

    @classmethod
    def of_caller(cls, p) -> "Context":
        """In a trap from a DLL stub: the caller's registers as they are once the stub
        returns (RtlCaptureContext's view)."""
        ctx = cls.live(p)
        ctx.rip = p.mm.read_word(ctx.rsp)
        ctx.gpr[RSP] += 8
        return ctx

    @classmethod
    def read(cls, p, addr: int) -> "Context":
        raw = p.mm.read(addr, CONTEXT_SIZE)
        gpr = list(struct.unpack_from("<16Q", raw, OFF_GPR))
        xmm = [int.from_bytes(raw[OFF_XMM + 16 * i:OFF_XMM + 16 * i + 16], "little")
               for i in range(16)]
        return cls(gpr, struct.unpack_from("<Q", raw, OFF_RIP)[0],
                   struct.unpack_from("<I", raw, OFF_EFLAGS)[0],
                   struct.unpack_from("<I", raw, OFF_MXCSR)[0], xmm)

    def write(self, p, addr: int) -> None:
        raw = bytearray(CONTEXT_SIZE)
        struct.pack_into("<II", raw, OFF_FLAGS, CONTEXT_FULL, self.mxcsr)
        struct.pack_into("<HHHHHHI", raw, 0x38, 0x33, 0x2B, 0x2B, 0x53, 0x2B, 0x2B, self.eflags)
        struct.pack_into("<16Q", raw, OFF_GPR, *[v & (2**64 - 1) for v in self.gpr])
        struct.pack_into("<Q", raw, OFF_RIP, self.rip)
        struct.pack_into("<I", raw, 0x100 + 24, self.mxcsr)     # FltSave.MxCsr
        for i, v in enumerate(self.xmm):
            raw[OFF_XMM + 16 * i:OFF_XMM + 16 * i + 16] = (v & (2**128 - 1)).to_bytes(16, "little")
        p.mm.write(addr, bytes(raw))

    def resume(self, p) -> int:
        """Continue the process in this context once the trap (or fault) returns."""
        regs = dict(zip(GPRS, self.gpr))
        regs.update(zip(XMMS, self.xmm))
        regs[X.UC_X86_REG_RIP] = self.rip
        regs[X.UC_X86_REG_EFLAGS] = self.eflags
        p.after_trap.append(lambda: p.kernel.set_context_regs(p, regs))
        return callback.NORESULT


# --- unwind tables ---------------------------------------------------------------------------

def _function_table(p, base: int) -> list[tuple[int, int, int]]:
    """The image's RUNTIME_FUNCTIONs (begin RVA, end RVA, entry address), read once."""
    tables = p.win32.pdata
    table = tables.get(base)
    if table is None:
        pe_at = base + p.mm.read_u32(base + 0x3C)
        magic = int.from_bytes(p.mm.read(pe_at + 24, 2), "little")
        dirs = pe_at + 24 + (112 if magic == 0x20B else 96)
        rva, size = struct.unpack("<II", p.mm.read(dirs + 3 * 8, 8))
        table = []
        if rva and size:
            raw = p.mm.read(base + rva, size - size % 12)
            table = [(b, e, base + rva + 12 * i)
                     for i, (b, e, _) in enumerate(struct.iter_unpack("<III", raw))]
            table.sort()
        tables[base] = table
    return table


def lookup_function_entry(p, pc: int) -> tuple[int, int] | None:
    """(image base, address of the RUNTIME_FUNCTION covering pc), or None for a leaf or
    code outside every image and every function table registered at run time."""
    from .kernel32_startup import module_containing
    import bisect
    base = module_containing(p, pc)
    if not base:
        return _dynamic_entry(p, pc)
    table = _function_table(p, base)
    rva = pc - base
    i = bisect.bisect_right(table, (rva, 2**32, 2**64)) - 1
    if i >= 0 and table[i][0] <= rva < table[i][1]:
        return base, table[i][2]
    return None


# --- function tables registered at run time (JIT compilers: V8, .NET, LuaJIT) -------------------

def _dynamic_entry(p, pc: int) -> tuple[int, int] | None:
    """The entry for pc in a table RtlAddFunctionTable or RtlAddGrowableFunctionTable
    registered: read when asked, as a growable table's count changes under it (its
    entries are sorted by begin address, as the API requires)."""
    for table, count, base, low, high in p.win32.function_tables.values():
        if not low <= pc < high or not count:
            continue
        rva = pc - base
        raw = p.mm.read(table, 12 * count)
        lo, hi = 0, count
        while lo < hi:                     # the last entry beginning at or before rva
            mid = (lo + hi) // 2
            if struct.unpack_from("<I", raw, 12 * mid)[0] <= rva:
                lo = mid + 1
            else:
                hi = mid
        if lo:
            begin, end, _ = struct.unpack_from("<III", raw, 12 * (lo - 1))
            if begin <= rva < end:
                return base, table + 12 * (lo - 1)
    return None


def _register(p, key: int, table: int, count: int, base: int, low: int, high: int) -> None:
    p.win32.function_tables[key] = [table, count, base, low, high]


def sys_kernel32_RtlAddFunctionTable(p, FunctionTable, EntryCount, BaseAddress):
    """Unwind data for code outside every image (its range: the entries' span)."""
    count = EntryCount & 0xFFFFFFFF
    if not FunctionTable or not count:
        return 0
    raw = p.mm.read(FunctionTable, 12 * count)
    spans = [struct.unpack_from("<II", raw, 12 * i) for i in range(count)]
    _register(p, FunctionTable, FunctionTable, count, BaseAddress,
              BaseAddress + min(b for b, _ in spans), BaseAddress + max(e for _, e in spans))
    return 1


def sys_kernel32_RtlDeleteFunctionTable(p, FunctionTable):
    return int(p.win32.function_tables.pop(FunctionTable, None) is not None)


def sys_ntdll_RtlAddGrowableFunctionTable(p, DynamicTable, FunctionTable, EntryCount,
                                          MaximumEntryCount, RangeBase, RangeEnd):
    """A table the caller appends to (RtlGrowFunctionTable says how many entries are
    valid), for code in [RangeBase, RangeEnd); *DynamicTable is its handle."""
    if (EntryCount & 0xFFFFFFFF) > (MaximumEntryCount & 0xFFFFFFFF) or RangeEnd <= RangeBase:
        return STATUS_INVALID_PARAMETER
    handles = p.win32.function_tables
    key = 0x7A000000 + len(handles) + 1
    while key in handles:
        key += 1
    _register(p, key, FunctionTable, EntryCount & 0xFFFFFFFF, RangeBase, RangeBase, RangeEnd)
    abi.write_ptr(p, DynamicTable, key)
    return 0


def sys_ntdll_RtlGrowFunctionTable(p, DynamicTable, NewEntryCount):
    entry = p.win32.function_tables.get(DynamicTable)
    if entry is not None:
        entry[1] = NewEntryCount & 0xFFFFFFFF
    return 0


def sys_ntdll_RtlDeleteGrowableFunctionTable(p, DynamicTable):
    p.win32.function_tables.pop(DynamicTable, None)
    return 0


def _read_function(p, entry: int) -> tuple[int, int, int]:
    return struct.unpack("<III", p.mm.read(entry, 12))


def _epilogue(p, pc: int, ctx: Context, saved: dict | None = None) -> bool:
    """When pc is in an epilogue (add/lea rsp, pops, ret), finish it on ctx as the CPU would;
    True if it did. saved (register -> the address it was restored from) gets the pops."""
    code = p.mm.read(pc, 64)
    i, rsp = 0, ctx.rsp
    regs = list(ctx.gpr)
    if code[i:i + 3] == b"\x48\x83\xc4":                      # add rsp, imm8
        rsp += code[i + 3]
        i += 4
    elif code[i:i + 3] == b"\x48\x81\xc4":                    # add rsp, imm32
        rsp += int.from_bytes(code[i + 3:i + 7], "little")
        i += 7
    elif code[i:i + 2] == b"\x48\x8d" and code[i + 2] & 0xC0 in (0x40, 0x80) and \
            (code[i + 2] >> 3) & 7 == 4:                       # lea rsp, [reg + disp]
        mod, rm = code[i + 2] >> 6, code[i + 2] & 7
        disp = code[i + 3] if mod == 1 else int.from_bytes(code[i + 3:i + 7], "little")
        if mod == 1 and disp >= 0x80:
            disp -= 0x100
        rsp = regs[rm] + disp
        i += 4 if mod == 1 else 7
    pops = []
    while True:
        if 0x58 <= code[i] <= 0x5F:
            pops.append(code[i] - 0x58)
            i += 1
        elif code[i] == 0x41 and 0x58 <= code[i + 1] <= 0x5F:
            pops.append(8 + code[i + 1] - 0x58)
            i += 2
        else:
            break
    if code[i] not in (0xC3, 0xC2) and not (code[i] == 0xF3 and code[i + 1] == 0xC3):
        return False
    if i == 0 and code[0] in (0xC3, 0xC2):
        pass   # a bare ret: the leaf case below handles it the same way
    for reg in pops:
        regs[reg] = p.mm.read_word(rsp)
        if saved is not None:
            saved[reg] = rsp
        rsp += 8
    ctx.gpr = regs
    ctx.rip = p.mm.read_word(rsp)
    ctx.gpr[RSP] = rsp + 8
    return True


def virtual_unwind(p, kind: int, base: int, pc: int, entry: int, ctx: Context,
                   saved: dict | None = None, saved_xmm: dict | None = None):
    """RtlVirtualUnwind: ctx becomes the caller's context. Returns (language handler or 0,
    its handler data address, the establisher frame). saved and saved_xmm (register number ->
    address) get where each nonvolatile register was restored from (its context pointer)."""
    saved = {} if saved is None else saved
    saved_xmm = {} if saved_xmm is None else saved_xmm
    begin, _, unwind = _read_function(p, entry)
    frame = establisher = ctx.rsp
    offset = pc - base - begin
    in_prologue = None
    machine_frame = False
    while True:
        if unwind & 1:   # an indirect entry names another RUNTIME_FUNCTION
            begin, _, unwind = _read_function(p, base + (unwind & ~1))
        info = base + unwind
        version_flags, prologue, count, frame_info = p.mm.read(info, 4)
        flags = version_flags >> 3
        codes = p.mm.read(info + 4, 2 * count)
        if frame_info & 0xF:
            frame = ctx.gpr[frame_info & 0xF] - 16 * (frame_info >> 4)
        if in_prologue is None:
            in_prologue = offset < prologue
            if not in_prologue and _epilogue(p, pc, ctx, saved):
                return 0, 0, frame
        i = 0
        while i < count:
            code_offset, op = codes[2 * i], codes[2 * i + 1]
            kind_op, op_info = op & 0xF, op >> 4
            slot = lambda n: int.from_bytes(codes[2 * (i + n):2 * (i + n) + 2], "little")  # noqa: E731
            size = {1: 2 if op_info == 0 else 3, 4: 2, 5: 3, 8: 2, 9: 3}.get(kind_op, 1)
            if not (in_prologue and offset < code_offset):
                if kind_op == 0:                                # UWOP_PUSH_NONVOL
                    ctx.gpr[op_info] = p.mm.read_word(ctx.rsp)
                    saved[op_info] = ctx.rsp
                    ctx.gpr[RSP] += 8
                elif kind_op == 1:                              # UWOP_ALLOC_LARGE
                    ctx.gpr[RSP] += slot(1) * 8 if op_info == 0 else slot(1) | slot(2) << 16
                elif kind_op == 2:                              # UWOP_ALLOC_SMALL
                    ctx.gpr[RSP] += op_info * 8 + 8
                elif kind_op == 3:                              # UWOP_SET_FPREG
                    ctx.gpr[RSP] = establisher = frame
                elif kind_op in (4, 5):                         # UWOP_SAVE_NONVOL(_FAR)
                    at = frame + (slot(1) * 8 if kind_op == 4 else slot(1) | slot(2) << 16)
                    ctx.gpr[op_info] = p.mm.read_word(at)
                    saved[op_info] = at
                elif kind_op in (8, 9):                         # UWOP_SAVE_XMM128(_FAR)
                    at = frame + (slot(1) * 16 if kind_op == 8 else slot(1) | slot(2) << 16)
                    ctx.xmm[op_info] = int.from_bytes(p.mm.read(at, 16), "little")
                    saved_xmm[op_info] = at
                elif kind_op == 10:                             # UWOP_PUSH_MACHFRAME
                    if op_info:
                        ctx.gpr[RSP] += 8
                    ctx.rip = p.mm.read_word(ctx.rsp)
                    ctx.gpr[RSP] = p.mm.read_word(ctx.rsp + 24)
                    machine_frame = True
            i += size
        after_codes = info + 4 + 2 * (count + (count & 1))
        if not flags & UNW_FLAG_CHAININFO:
            break
        begin, _, unwind = _read_function(p, after_codes)
    if not machine_frame:
        ctx.rip = p.mm.read_word(ctx.rsp)
        ctx.gpr[RSP] += 8
    if flags & kind and not in_prologue:
        return base + p.mm.read_u32(after_codes), after_codes + 4, establisher
    return 0, 0, establisher


def unwind_leaf(p, ctx: Context) -> None:
    ctx.rip = p.mm.read_word(ctx.rsp)
    ctx.gpr[RSP] += 8


def _stack_limits(p) -> tuple[int, int]:
    teb = p.win32.teb
    high, low = struct.unpack("<QQ", p.mm.read(teb + 8, 16))
    return low, high


# --- guest calls and the boundaries they leave on the stack --------------------------------

def _boundaries(p) -> dict:
    """Stack pointer just above a callback's return slot -> how to go on walking frames
    from there (a function returning the Context to continue with)."""
    return p.win32.thread_local("seh_boundaries", dict)


def call_guest(p, chain, fn: int, args: list[int], then, resume) -> int:
    """callback.call, remembering where unwinding that reaches this call's return into the
    stub must go on: resume() is the context of the frames the call stands for."""
    slot = ((chain.sp - 256) & ~15) - 8      # where callback.call puts the return address
    _boundaries(p)[slot + 8] = resume
    return callback.call(p, chain, fn, args, then)


def through_boundary(p, ctx: "Context") -> "Context | None":
    """At a return into the callback stub: the context the walk goes on from, or None."""
    resume = _boundaries(p).get(ctx.rsp)
    return resume().copy() if resume is not None else None


def abandon_below(p, rsp: int) -> None:
    """Execution resumes in a frame at rsp: every dispatch, unwind and guest call whose
    frames lie below it is over."""
    chains = callback._chains(p)
    chains[:] = [c for c in chains if c.sp > rsp]
    dispatches = _dispatches(p)
    dispatches[:] = [d for d in dispatches if d.chain.sp > rsp]
    boundaries = _boundaries(p)
    for key in [k for k in boundaries if k <= rsp]:
        del boundaries[key]


# --- dispatching ------------------------------------------------------------------------------

def _chain_at(p, sp: int) -> callback.Chain:
    """A continuation chain whose guest calls run below sp (not a trap's caller)."""
    chain = callback.Chain.__new__(callback.Chain)
    chain.wide, chain.sp, chain.ret, chain.then = True, sp, 0, None
    callback._chains(p).append(chain)
    return chain


class Unhandled:
    """What either ABI's dispatch does when no frame took the exception: the top-level filter
    (SetUnhandledExceptionFilter) decides, then the process ends with the exception's code,
    or, for a hardware fault, with its signal and crash report; and when a handler fixed it,
    the vectored continue handlers see it before it resumes. A dispatch gives p, code,
    report, signal, done(), _resume_context(), _call_handler(handler, then), _call_filter(top)
    and _pc()."""

    def _continue(self) -> int:
        """The continue handlers, in order, until one returns EXCEPTION_CONTINUE_EXECUTION;
        then the (possibly edited) exception context resumes."""
        if not hasattr(self, "continue_handlers"):
            self.continue_handlers = list(self.p.win32.vectored_continue)
        if self.continue_handlers:
            return self._call_handler(self.continue_handlers.pop(0),
                                      self._after_continue_handler)
        return self._resume_context()

    def _after_continue_handler(self, result: int) -> int:
        if result & 0xFFFFFFFF == EXCEPTION_CONTINUE_EXECUTION:
            self.continue_handlers = []
        return self._continue()

    def _unhandled(self) -> int:
        top = self.p.win32.exception_filter
        if top and not self.p.win32.in_top_filter:
            self.p.win32.in_top_filter = True   # an exception in the filter itself is final
            return self._call_filter(top)
        return self._terminate()

    def _after_top(self, result: int) -> int:
        self.p.win32.in_top_filter = False
        if result & 0xFFFFFFFF == EXCEPTION_CONTINUE_EXECUTION:
            return self._continue()
        return self._terminate()

    def _terminate(self) -> int:
        from .stdout import flush_all
        p, code = self.p, self.code
        self.done()
        p.win32.exit_code = code
        flush_all(p)
        if self.report is not None:
            p.kernel.report_crash(self.report)
            p.kernel.exit_process(p, self.signal, signaled=True)
        else:
            p.kernel.report_crash(f"sysvec: pid {p.pid} ({p.comm}) ended by unhandled exception "
                                  f"{code:#010x} at pc {self._pc():#x}")
            p.kernel.exit_process(p, code & 0xFF)
        return callback.NORESULT


class Dispatch(Unhandled):
    """One exception on its way through the handlers: its record and context, and where the
    search has got to. Lives on the guest stack below the exception's stack pointer, as
    Windows' KiUserExceptionDispatcher frame does."""

    def __init__(self, p, code: int, flags: int, address: int, params: list[int], ctx: Context):
        self.p, self.ctx = p, ctx
        top = (ctx.rsp - 0x100) & ~0xF
        self.context_addr = top - CONTEXT_SIZE                 # the exception's CONTEXT
        self.frame_addr = self.context_addr - CONTEXT_SIZE     # the current frame's CONTEXT
        self.record_addr = self.frame_addr - 0xA0
        self.disp_addr = self.record_addr - DISPATCHER_SIZE
        self.pointers_addr = self.disp_addr - 0x10
        self.record = struct.pack("<IIQQII", code, flags, 0, address, len(params), 0) + \
            b"".join(struct.pack("<Q", v) for v in params[:15]).ljust(120, b"\0")
        p.mm.write(self.record_addr, self.record)
        ctx.write(p, self.context_addr)
        p.mm.write(self.pointers_addr, struct.pack("<QQ", self.record_addr, self.context_addr))
        self.chain = _chain_at(p, self.pointers_addr - 0x20)
        self.vectored = list(p.win32.vectored)
        self.report = self.signal = None   # a hardware fault's crash report and signal
        self.frame = ctx.copy()
        self.frames = 0
        _dispatches(p).append(self)

    @property
    def code(self) -> int:
        return struct.unpack_from("<I", self.record)[0]

    def start(self) -> int:
        return self._next_vectored()

    def _next_vectored(self) -> int:
        if self.vectored:
            handler = self.vectored.pop(0)
            return call_guest(self.p, self.chain, handler, [self.pointers_addr],
                              self._after_vectored, self._resume)
        return self._next_frame()

    def _after_vectored(self, result: int) -> int:
        if result & 0xFFFFFFFF == EXCEPTION_CONTINUE_EXECUTION:
            return self._continue()
        return self._next_vectored()

    def _next_frame(self) -> int:
        p = self.p
        low, high = _stack_limits(p)
        while self.frames < MAX_FRAMES:
            self.frames += 1
            pc = self.frame.rip
            if pc == callback.return_stub(p):
                # Raised inside a handler: on from the frames that handler stands for.
                resumed = through_boundary(p, self.frame)
                if resumed is None:
                    break
                self.frame = resumed
                continue
            found = lookup_function_entry(p, pc)
            if found is None:
                from .kernel32_startup import module_containing
                if not module_containing(p, pc) or not low <= self.frame.rsp < high:
                    break
                unwind_leaf(p, self.frame)
                continue
            base, entry = found
            handler, data, establisher = virtual_unwind(p, UNW_FLAG_EHANDLER, base, pc, entry,
                                                        self.frame)
            if not low <= establisher <= high:
                break
            if handler:
                self.frame.write(p, self.frame_addr)
                p.mm.write(self.disp_addr, struct.pack(
                    "<QQQQQQQQQII", pc, base, entry, establisher, 0, self.frame_addr, handler,
                    data, 0, 0, 0))
                return call_guest(p, self.chain, handler,
                                  [self.record_addr, establisher, self.context_addr,
                                   self.disp_addr], self._after_frame, self._resume)
            if self.frame.rip == 0:
                break
        return self._unhandled()

    def _resume(self) -> Context:
        """Unwinding through this dispatch goes on from the exception's own context, as
        Windows' unwind through KiUserExceptionDispatcher does."""
        return self.ctx

    def _after_frame(self, result: int) -> int:
        if result & 0xFFFFFFFF == CONTINUE_EXECUTION:
            return self._continue()
        return self._next_frame()

    def _call_handler(self, handler: int, then) -> int:
        return call_guest(self.p, self.chain, handler, [self.pointers_addr], then, self._resume)

    def _resume_context(self) -> int:
        flags = struct.unpack_from("<I", self.p.mm.read(self.record_addr, 8), 4)[0]
        if flags & EXCEPTION_NONCONTINUABLE:
            self.done()
            return raise_in(self.p, STATUS_NONCONTINUABLE_EXCEPTION, EXCEPTION_NONCONTINUABLE,
                            self.ctx.rip, [], self.ctx)
        ctx = Context.read(self.p, self.context_addr)
        self.done()
        return ctx.resume(self.p)

    def _call_filter(self, top: int) -> int:
        return call_guest(self.p, self.chain, top, [self.pointers_addr], self._after_top,
                          self._resume)

    def _pc(self) -> int:
        return self.ctx.rip

    def done(self) -> None:
        abandon_below(self.p, self.chain.sp)
        chains = callback._chains(self.p)
        if self.chain in chains:
            chains.remove(self.chain)
        if self in _dispatches(self.p):
            _dispatches(self.p).remove(self)


def _dispatches(p) -> list:
    return p.win32.thread_local("dispatches", list)


def raise_in(p, code, flags, address, params, ctx: Context) -> int:
    """Dispatch an exception raised (or a fault taken) in context ctx."""
    return Dispatch(p, code, flags, address, params, ctx).start()


def dispatch_fault(p, cpu) -> bool:
    """A hardware fault in a 64-bit PE process: dispatch it as Windows would. False when
    the fault is not one Windows turns into an exception (the kernel then reports it)."""
    sig = int(cpu.fault_signal) or 11
    code = SIGNAL_STATUS.get(sig)
    wrong_gate = int(cpu.fault_intno) & p.engine.lib.SV_WRONG_GATE
    if code is None or int(cpu.fault_oom) or wrong_gate or \
            not callback.return_stub(p):   # no DLL to run handlers through: a plain crash
        return False
    params = []
    if code == STATUS_ACCESS_VIOLATION:
        from ..nt.memory import guard_hit
        from ..fault_address import exact_fault_address
        params = [ACCESS_KIND.get(int(cpu.fault_access), 0), exact_fault_address(p, cpu)]
        code = guard_hit(p, int(cpu.fault_addr)) or code    # a guard page's one-shot fault
    if p.sysvec.word_bits == 32:
        from .seh_i386 import dispatch_fault as dispatch_fault_i386
        return dispatch_fault_i386(p, cpu, code, params)
    ctx = Context.live(p)
    ctx.rip = int(cpu.fault_pc)
    try:
        dispatch = Dispatch(p, code, 0, ctx.rip, params, ctx)
    except Exception:   # Fault: no stack left to dispatch on; the kernel reports it
        return False
    from ..errors import Fault
    from ..kernel import crash_report
    dispatch.report, dispatch.signal = crash_report(p, cpu, sig), sig
    try:
        dispatch.start()
    except Fault:      # unwind data that points nowhere: the kernel reports the fault
        dispatch.done()
        return False
    return True


# --- unwinding ------------------------------------------------------------------------------

class Unwind:
    """RtlUnwindEx in progress: from its caller up to the target frame, calling each frame's
    termination handler, then resuming at the target."""

    def __init__(self, p, target_frame, target_ip, record, return_value, context_buffer,
                 start: Context | None = None):
        self.p = p
        self.target_frame, self.target_ip, self.return_value = target_frame, target_ip, return_value
        self.ctx = start or Context.of_caller(p)
        self.record = record
        self.chain = callback.start(p)
        self.buffer = context_buffer
        self.frame_ctx = self.ctx
        self.scratch = (self.ctx.rsp - 0x800) & ~0xF   # DISPATCHER_CONTEXT (and CONTEXT if none)
        if not self.buffer:
            self.buffer = self.scratch - CONTEXT_SIZE
        self.frames = 0

    def step(self) -> int:
        p = self.p
        stub = callback.return_stub(p)
        while self.frames < MAX_FRAMES:
            self.frames += 1
            pc = self.ctx.rip
            if pc == stub:
                # Through a dispatcher or an earlier unwind (a collided unwind): on from the
                # frames it was handling.
                resumed = through_boundary(p, self.ctx)
                if resumed is None:
                    break
                self.ctx = resumed
                continue
            found = lookup_function_entry(p, pc)
            if found is None:
                from .kernel32_startup import module_containing
                if not module_containing(p, pc):
                    break
                unwind_leaf(p, self.ctx)
                continue
            base, entry = found
            frame_ctx = self.ctx.copy()
            handler, data, establisher = virtual_unwind(p, UNW_FLAG_UHANDLER, base, pc, entry,
                                                        self.ctx)
            if self.target_frame and establisher > self.target_frame:
                break
            at_target = establisher == self.target_frame
            if handler:
                flags = EXCEPTION_UNWINDING | (EXCEPTION_TARGET_UNWIND if at_target else 0)
                old = p.mm.read_u32(self.record + 4)
                p.mm.write_u32(self.record + 4, (old & ~EXCEPTION_TARGET_UNWIND) | flags)
                frame_ctx.write(p, self.buffer)
                p.mm.write(self.scratch, struct.pack(
                    "<QQQQQQQQQII", pc, base, entry, establisher, self.target_ip, self.buffer,
                    handler, data, 0, 0, 0))
                self.pending = (at_target, establisher)
                self.frame_ctx = frame_ctx
                return call_guest(p, self.chain, handler,
                                  [self.record, establisher, self.buffer, self.scratch],
                                  self._after_handler, lambda: self.frame_ctx)
            if at_target:
                return self._land(frame_ctx)
        return self._invalid_target()

    def _after_handler(self, result: int) -> int:
        at_target, _ = self.pending
        p = self.p
        old = p.mm.read_u32(self.record + 4)
        p.mm.write_u32(self.record + 4, old & ~EXCEPTION_TARGET_UNWIND)
        if at_target:
            return self._land(Context.read(p, self.buffer))
        return self.step()

    def _land(self, ctx: Context) -> int:
        """Resume in the target frame at TargetIp with the return value in rax; the
        dispatch that led here is over. A consolidating unwind (a C++ runtime's catch) first
        calls the record's callback, as RtlRestoreContext does, and resumes where it says."""
        p = self.p
        code, _, _, _, count = struct.unpack("<IIQQI", p.mm.read(self.record, 28))
        if code == STATUS_UNWIND_CONSOLIDATE and count >= 1:
            callback_fn = p.mm.read_word(self.record + 32)
            target = ctx.copy()
            # Frames of the callback unwind straight into the target frame, as the frame
            # RtlRestoreContext builds for it says.
            return call_guest(p, self.chain, callback_fn, [self.record],
                              lambda resume_at: self._resume_at(target, resume_at),
                              lambda: target)
        return self._resume_at(ctx, self.target_ip)

    def _resume_at(self, ctx: Context, ip: int) -> int:
        p = self.p
        ctx.rip, ctx.gpr[0] = ip, self.return_value
        abandon_below(p, ctx.rsp)   # handlers' frames, dispatches and unwinds under the target
        return ctx.resume(p)

    def _invalid_target(self) -> int:
        chains = callback._chains(self.p)
        if self.chain in chains:
            chains.remove(self.chain)
        return raise_in(self.p, STATUS_INVALID_UNWIND_TARGET, EXCEPTION_NONCONTINUABLE,
                        self.target_ip, [], Context.of_caller(self.p))


# --- the kernel32 (kernelbase) calls ---------------------------------------------------------

def sys_kernel32_RtlCaptureContext(p, ContextRecord):
    Context.of_caller(p).write(p, ContextRecord)
    return 0


def sys_kernel32_RtlLookupFunctionEntry(p, ControlPc, ImageBase, HistoryTable):
    found = lookup_function_entry(p, ControlPc)
    if found is None:
        return 0
    p.mm.write_word(ImageBase, found[0])
    return found[1]


def sys_kernel32_RtlPcToFileHeader(p, PcValue, BaseOfImage):
    from .kernel32_startup import module_containing
    base = module_containing(p, PcValue)
    p.mm.write_word(BaseOfImage, base)
    return base


def sys_kernel32_RtlVirtualUnwind(p, HandlerType, ImageBase, ControlPc, FunctionEntry,
                                  ContextRecord, HandlerData, EstablisherFrame, ContextPointers):
    ctx = Context.read(p, ContextRecord)
    saved, saved_xmm = {}, {}
    handler, data, frame = virtual_unwind(p, HandlerType, ImageBase, ControlPc, FunctionEntry, ctx,
                                          saved, saved_xmm)
    ctx.write(p, ContextRecord)
    if ContextPointers:
        # KNONVOLATILE_CONTEXT_POINTERS: FloatingContext[16] (Xmm0-15), then IntegerContext[16]
        # in register-number order; only the registers this frame restored change. NativeAOT's
        # stack walk restores RBP and the rest for a funclet from these.
        for reg, at in saved_xmm.items():
            p.mm.write_word(ContextPointers + 8 * reg, at)
        for reg, at in saved.items():
            p.mm.write_word(ContextPointers + 128 + 8 * reg, at)
    p.mm.write_word(HandlerData, data)
    p.mm.write_word(EstablisherFrame, frame)
    return handler


STATUS_UNWIND = 0xC0000027


def sys_kernel32_RtlUnwindEx(p, TargetFrame, TargetIp, ExceptionRecord, ReturnValue,
                             ContextRecord, HistoryTable):
    unwind = Unwind(p, TargetFrame, TargetIp, ExceptionRecord, ReturnValue, ContextRecord)
    if not ExceptionRecord:   # an unwind with no exception: STATUS_UNWIND, as Windows makes
        unwind.record = unwind.buffer - 0xA0
        p.mm.write(unwind.record, struct.pack("<IIQQII", STATUS_UNWIND, 0, 0, TargetIp, 0, 0)
                   + b"\0" * 120)
    return unwind.step()


def sys_kernel32_RtlRestoreContext(p, ContextRecord, ExceptionRecord):
    """Resume in the context a CONTEXT holds (a WebAssembly runtime's return from a trap):
    with a STATUS_LONGJUMP record, the nonvolatile registers of its _JUMP_BUFFER first, as
    longjmp; with STATUS_UNWIND_CONSOLIDATE, its callback first, which says where."""
    ctx = Context.read(p, ContextRecord)
    if ExceptionRecord:
        code, _, _, _, count = struct.unpack("<IIQQI", p.mm.read(ExceptionRecord, 28))
        if code == STATUS_LONGJUMP and count >= 1:
            _load_jump_buffer(p, ctx, p.mm.read_word(ExceptionRecord + 32))
        elif code == STATUS_UNWIND_CONSOLIDATE and count >= 1:
            target = ctx.copy()

            def then(resume_at: int) -> int:
                target.rip = resume_at
                abandon_below(p, target.rsp)
                return target.resume(p)
            return call_guest(p, callback.start(p), p.mm.read_word(ExceptionRecord + 32),
                              [ExceptionRecord], then, lambda: target)
    abandon_below(p, ctx.rsp)
    return ctx.resume(p)


def _load_jump_buffer(p, ctx: "Context", buf: int) -> None:
    """The registers an x64 _JUMP_BUFFER holds (crtjump.py reads it) over the context."""
    from .crtjump import jump_buffer_x64
    for reg, value in jump_buffer_x64(p, buf).items():
        if reg in GPRS:
            ctx.gpr[GPRS.index(reg)] = value
        elif reg in XMMS:
            ctx.xmm[XMMS.index(reg)] = value
        elif reg == X.UC_X86_REG_RIP:
            ctx.rip = value
        elif reg == X.UC_X86_REG_MXCSR:
            ctx.mxcsr = value


def sys_kernel32_RtlUnwind(p, TargetFrame, TargetIp, ExceptionRecord, ReturnValue):
    return sys_kernel32_RtlUnwindEx(p, TargetFrame, TargetIp, ExceptionRecord, ReturnValue, 0, 0)


def raise_access_violation(p, address: int) -> int:
    """EXCEPTION_ACCESS_VIOLATION at the return from the API call a handler was in (the
    access kind is not known: a read is reported)."""
    return raise_at_caller(p, STATUS_ACCESS_VIOLATION,
                           [0, address & ((1 << p.sysvec.word_bits) - 1)])


def raise_at_caller(p, code: int, params=()) -> int:
    """A hardware exception at the return from the API call a handler was in, as if the
    call's own instruction had faulted (msvcrt's div on a zero divisor)."""
    if p.sysvec.word_bits == 32:
        from .seh_i386 import raise_at_caller as raise32
        return raise32(p, code, list(params))
    ctx = Context.of_caller(p)
    return raise_in(p, code, 0, ctx.rip, list(params), ctx)


def sys_kernel32_RaiseException(p, dwExceptionCode, dwExceptionFlags, nNumberOfArguments,
                                lpArguments):
    ctx = Context.of_caller(p)
    count = min(nNumberOfArguments, 15)
    params = [p.mm.read_word(lpArguments + 8 * i) for i in range(count)] if lpArguments else []
    return raise_in(p, dwExceptionCode & 0xFFFFFFFF, dwExceptionFlags & EXCEPTION_NONCONTINUABLE,
                    ctx.rip, params, ctx)


EXCEPTION_EXECUTE_HANDLER = 1


def sys_kernel32_UnhandledExceptionFilter(p, ExceptionInfo):
    """The top-level filter's verdict, or EXCEPTION_EXECUTE_HANDLER (end the process)."""
    top = p.win32.exception_filter
    if not top or p.win32.in_top_filter:
        return EXCEPTION_EXECUTE_HANDLER
    chain = callback.start(p)
    caller = Context.of_caller(p)
    p.win32.in_top_filter = True

    def then(result):
        p.win32.in_top_filter = False
        verdict = result & 0xFFFFFFFF
        return callback.finish(p, chain, verdict if verdict else EXCEPTION_EXECUTE_HANDLER)
    return call_guest(p, chain, top, [ExceptionInfo], then, lambda: caller)


def _add_handler(handlers: list, first: int, handler: int) -> int:
    if first:
        handlers.insert(0, handler)
    else:
        handlers.append(handler)
    return handler   # the handle the Remove call takes


def _remove_handler(handlers: list, handle: int) -> int:
    if handle in handlers:
        handlers.remove(handle)
        return 1
    return 0


def sys_kernel32_AddVectoredExceptionHandler(p, First, Handler):
    return _add_handler(p.win32.vectored, First, Handler)


def sys_kernel32_RemoveVectoredExceptionHandler(p, Handle):
    return _remove_handler(p.win32.vectored, Handle)


def sys_kernel32_AddVectoredContinueHandler(p, First, Handler):
    """A handler called when an exception is about to be continued (GHC's runtime registers
    its own last)."""
    return _add_handler(p.win32.vectored_continue, First, Handler)


def sys_kernel32_RemoveVectoredContinueHandler(p, Handle):
    return _remove_handler(p.win32.vectored_continue, Handle)


# --- __C_specific_handler: the language handler of C's __try/__except/__finally --------------

EXCEPTION_EXIT_UNWIND = 4


class ScopeHandler:
    """One call of __C_specific_handler: its DISPATCHER_CONTEXT's scope table walked from
    ScopeIndex, filters and termination handlers called in the guest."""

    def __init__(self, p, record, frame, context, dispatcher):
        self.p, self.record, self.frame, self.context = p, record, frame, context
        self.dispatcher = dispatcher
        (self.pc, self.base, _, _, self.target_ip, self.frame_context, _, data, self.history,
         self.index, _) = struct.unpack("<QQQQQQQQQII", p.mm.read(dispatcher, DISPATCHER_SIZE))
        count = p.mm.read_u32(data)
        self.scopes = list(struct.iter_unpack("<IIII", p.mm.read(data + 4, 16 * min(count, 4096))))
        self.code, self.flags = struct.unpack("<II", p.mm.read(record, 8))
        self.caller = Context.of_caller(p)
        self.chain = callback.start(p)
        # EXCEPTION_POINTERS for the filters, below the return address and above the frames
        # callback.call makes 256 bytes further down.
        self.pointers = (self.chain.sp - 0x40) & ~0xF
        p.mm.write(self.pointers, struct.pack("<QQ", record, context))

    def _covers(self, i: int, address: int) -> bool:
        begin, end = self.scopes[i][0], self.scopes[i][1]
        return self.base + begin <= address < self.base + end

    def run(self) -> int:
        if self.flags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND):
            return self._next_termination()
        return self._next_filter()

    def _next_filter(self) -> int:
        while self.index < len(self.scopes):
            i = self.index
            self.index += 1
            begin, end, handler, target = self.scopes[i]
            if not target or not self._covers(i, self.pc):
                continue
            if handler == 1:   # EXCEPTION_EXECUTE_HANDLER written as the filter
                return self._execute(i)
            return call_guest(self.p, self.chain, self.base + handler,
                              [self.pointers, self.frame],
                              lambda verdict, i=i: self._after_filter(i, verdict),
                              lambda: self.caller)
        return callback.finish(self.p, self.chain, CONTINUE_SEARCH)

    def _after_filter(self, i: int, verdict: int) -> int:
        verdict = verdict & 0xFFFFFFFF
        if verdict == EXCEPTION_CONTINUE_EXECUTION:
            return callback.finish(self.p, self.chain, CONTINUE_EXECUTION)
        if verdict == 0:
            return self._next_filter()
        return self._execute(i)

    def _execute(self, i: int) -> int:
        """The __except block runs: unwind to it, the exception code in eax."""
        chains = callback._chains(self.p)
        if self.chain in chains:
            chains.remove(self.chain)
        unwind = Unwind(self.p, self.frame, self.base + self.scopes[i][3], self.record,
                        self.code, self.frame_context, start=self.caller)
        return unwind.step()

    def _next_termination(self) -> int:
        while self.index < len(self.scopes):
            i = self.index
            self.index += 1
            begin, end, handler, target = self.scopes[i]
            if target or not self._covers(i, self.pc):
                continue
            if self.flags & EXCEPTION_TARGET_UNWIND and self._covers(i, self.target_ip):
                break
            # ScopeIndex moves past it first, so a nested unwind does not run it twice.
            self.p.mm.write_u32(self.dispatcher + 72, self.index)
            return call_guest(self.p, self.chain, self.base + handler, [1, self.frame],
                              lambda _: self._next_termination(), lambda: self.caller)
        return callback.finish(self.p, self.chain, CONTINUE_SEARCH)


def sys_msvcrt___C_specific_handler(p, record, frame, context, dispatcher):
    if p.sysvec.word_bits != 64:
        return CONTINUE_SEARCH   # i386 frames use _except_handler3/4 through fs:[0]
    return ScopeHandler(p, record, frame, context, dispatcher).run()


# --- i386: the fs:[0] chain (runtime/win32/seh_i386.py) -------------------------------------

def sys_kernel32_RaiseException32(p, dwExceptionCode, dwExceptionFlags, nNumberOfArguments,
                                  lpArguments):
    from .seh_i386 import raise_exception
    return raise_exception(p, dwExceptionCode, dwExceptionFlags, nNumberOfArguments, lpArguments)


def sys_kernel32_RtlCaptureContext32(p, ContextRecord):
    from .seh_i386 import capture_context
    return capture_context(p, ContextRecord)


def sys_kernel32_RtlUnwind32(p, TargetFrame, TargetIp, ExceptionRecord, ReturnValue):
    from .seh_i386 import rtl_unwind
    return rtl_unwind(p, TargetFrame, TargetIp, ExceptionRecord, ReturnValue)


def sys_kernel32_UnhandledExceptionFilter32(p, ExceptionInfo):
    return _top_level_filter32(p, ExceptionInfo, stdcall_args=1)


# msvcrt's filter around main (its start code's __except): with no signal() handler to run
# (msvcrt's signal keeps none), the top-level filter's verdict; EXCEPTION_EXECUTE_HANDLER
# ends the process with the exception's code, as on Windows.

def sys_msvcrt__XcptFilter(p, xcptnum, pxcptinfoptrs):
    return sys_kernel32_UnhandledExceptionFilter(p, pxcptinfoptrs)


def sys_msvcrt__XcptFilter32(p, xcptnum, pxcptinfoptrs):
    return _top_level_filter32(p, pxcptinfoptrs, stdcall_args=0)      # cdecl


def _top_level_filter32(p, ExceptionInfo, stdcall_args: int):
    top = p.win32.exception_filter
    if not top or p.win32.in_top_filter:
        return EXCEPTION_EXECUTE_HANDLER
    chain = callback.start(p, stdcall_args=stdcall_args)
    p.win32.in_top_filter = True

    def then(result):
        p.win32.in_top_filter = False
        verdict = result & 0xFFFFFFFF
        return callback.finish(p, chain, verdict if verdict else EXCEPTION_EXECUTE_HANDLER)
    return callback.call(p, chain, top, [ExceptionInfo], then)


# --- Windows Error Reporting and fail-fast ---------------------------------------------------

STATUS_FAIL_FAST_EXCEPTION = 0xC0000602


def sys_kernel32_WerGetFlags(p, hProcess, pdwFlags):
    """No error reporting service here: the process's WER flags are whatever it set."""
    p.mm.write_u32(pdwFlags, p.win32.wer_flags)
    return 0     # S_OK


def sys_kernel32_WerSetFlags(p, dwFlags):
    p.win32.wer_flags = dwFlags & 0xFFFFFFFF
    return 0


def sys_kernel32_RaiseFailFastException(p, pExceptionRecord, pContextRecord, dwFlags):
    """End the process at once, no handler consulted: its exit code is the exception's (Go's
    runtime ends a fatal error this way)."""
    from .stdout import flush_all
    code = p.mm.read_u32(pExceptionRecord) if pExceptionRecord else STATUS_FAIL_FAST_EXCEPTION
    p.win32.exit_code = code
    flush_all(p)
    p.kernel.report_crash(f"sysvec: pid {p.pid} ({p.comm}) ended by a fail-fast exception "
                          f"{code:#010x}")
    p.kernel.exit_process(p, code & 0xFF)
    return callback.NORESULT
