"""MSVC C++ exceptions on x64, as vcruntime140 implements them over the x64 SEH of seh.py.

`throw` is _CxxThrowException: the exception 0xE06D7363 whose parameters are the magic
number, the thrown object, its ThrowInfo (the types it can be caught as) and the image base
those RVAs are relative to. Each C++ function with try blocks or objects to destroy has
__CxxFrameHandler3 (the 2015 tables) or __CxxFrameHandler4 (VS2019's compressed tables) as
its language handler; the dispatcher calls it for each frame. In the search it finds the
frame's state from the IP-to-state map, a try block covering that state and a catch whose
type the thrown object has; it copies the object to the catch's slot and unwinds (each frame's
handler running its destructor funclets down to the try's state), then calls the catch
funclet, destroys the exception object and continues at the address the funclet returns.
While a catch funclet runs, its frame's state is the catch's (a `throw;` in it finds the
outer try blocks, not its own) and the exception is this thread's current one.

Layouts: FuncInfo, TryBlockMapEntry, HandlerType, UnwindMapEntry, IPtoStateMap (ehdata.h),
the FH4 compressed form (ehdata4_export.h), ThrowInfo/CatchableType(Array)/TypeDescriptor."""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ..errors import Fault
from . import callback, seh
from .seh import (CONTINUE_SEARCH, EXCEPTION_EXIT_UNWIND, EXCEPTION_NONCONTINUABLE,
                  EXCEPTION_TARGET_UNWIND, EXCEPTION_UNWINDING, STATUS_LONGJUMP,
                  STATUS_UNWIND_CONSOLIDATE, Context, call_guest)

CXX_EXCEPTION = 0xE06D7363
MAGIC_VC6, MAGIC_VC8, MAGIC_PURE = 0x19930520, 0x19930522, 0x01994000
CONSOLIDATE_PARAMS = 10
# HandlerType.adjectives, CatchableType.properties, ThrowInfo.attributes, FuncInfo.EHFlags
HT_CONST, HT_VOLATILE, HT_REFERENCE, HT_STD_DOTDOT = 0x1, 0x2, 0x8, 0x40
CT_SIMPLE, CT_BY_REFERENCE_ONLY, CT_VIRTUAL_BASE = 0x1, 0x2, 0x4
TI_CONST, TI_VOLATILE, TI_PURE = 0x1, 0x2, 0x8
FI_SYNCHRONOUS, FI_NOEXCEPT = 0x1, 0x4
# FH4 FuncInfo4 header bits and catch-block header bits
FH4_IS_CATCH, FH4_SEPARATED, FH4_BBT, FH4_UNWIND_MAP = 0x01, 0x02, 0x04, 0x08
FH4_TRY_MAP, FH4_EHS, FH4_NOEXCEPT = 0x10, 0x20, 0x40
CB_FLAGS, CB_TYPE, CB_OFFSET, CB_SEPARATED, CB_ONE_RET, CB_TWO_RETS = 1, 2, 4, 8, 0x10, 0x20
FH4_DTOR_OBJ, FH4_DTOR_PTR, FH4_FRAME = 1, 2, 3
DISPATCHER_FORMAT = "<QQQQQQQQQII"


# --- the function's tables, read into one model for both formats ----------------------------

@dataclass
class Catch:
    adjectives: int
    type_desc: int            # TypeDescriptor address, 0 for catch(...)
    offset: int               # frame offset of the catch object
    handler: int              # the catch funclet
    frame_offset: int = 0     # FH3: where the funclet keeps its parent's frame
    continuations: tuple = ()  # FH4: continuation addresses the tables give


@dataclass
class TryBlock:
    low: int
    high: int
    catch_level: int
    catches: list


@dataclass
class Action:
    """One state of the unwind map: the state before it and what leaving it runs."""
    prev: int
    handler: int              # 0: nothing to run
    kind: int = FH4_FRAME     # FH3 funclets take the frame; FH4 may name an object
    offset: int = 0


@dataclass
class FuncInfo:
    actions: list
    tries: list
    ipmap: list               # (address, state), ascending
    synchronous: bool = False
    noexcept: bool = False
    catch_frame: int | None = None   # FH4: in a catch funclet, where its parent frame is
    fh3: bool = True
    begin: int = 0            # the function (or funclet) the dispatcher is in
    extra: dict = field(default_factory=dict)

    def state_at(self, pc: int) -> int:
        state = -1
        for address, s in self.ipmap:
            if pc < address:
                break
            state = s
        return state


class Bytes:
    """A cursor over guest memory, for the FH4 tables' compressed integers."""

    def __init__(self, p, at: int):
        self.p, self.at = p, at

    def byte(self) -> int:
        value = self.p.mm.read(self.at, 1)[0]
        self.at += 1
        return value

    def rva(self) -> int:
        value = self.p.mm.read_u32(self.at)
        self.at += 4
        return value

    def uint(self) -> int:
        """The FH4 compressed unsigned: its low bits say how many bytes follow."""
        first = self.p.mm.read(self.at, 1)[0]
        size = 1 if first & 1 == 0 else 2 if first & 3 == 1 else 3 if first & 7 == 3 else \
            4 if first & 15 == 7 else 5
        raw = self.p.mm.read(self.at, size)
        self.at += size
        if size == 5:
            return int.from_bytes(raw[1:], "little")
        return int.from_bytes(raw, "little") >> size


def _begin(p, dispatcher: dict) -> int:
    return dispatcher["base"] + p.mm.read_u32(dispatcher["entry"])


def read_fh3(p, d: dict) -> FuncInfo:
    base = d["base"]
    at = base + p.mm.read_u32(d["data"])
    (magic, max_state, unwind_map, ntries, try_map, nips, ip_map, _, _,
     flags) = struct.unpack("<IiIIIIIiII", p.mm.read(at, 40))
    magic &= 0x1FFFFFFF
    actions = []
    for to_state, action in struct.iter_unpack("<iI", p.mm.read(base + unwind_map, 8 * max_state)
                                               if max_state > 0 else b""):
        actions.append(Action(to_state, base + action if action else 0))
    tries = []
    for low, high, catch_high, ncatch, handlers in struct.iter_unpack(
            "<iiiII", p.mm.read(base + try_map, 20 * ntries) if ntries else b""):
        catches = [Catch(adj, base + td if td else 0, off, base + h, frame_offset=fr)
                   for adj, td, off, h, fr in struct.iter_unpack(
                       "<IIiII", p.mm.read(base + handlers, 20 * ncatch) if ncatch else b"")]
        tries.append(TryBlock(low, high, catch_high, catches))
    ipmap = [(base + ip, state) for ip, state in struct.iter_unpack(
        "<Ii", p.mm.read(base + ip_map, 8 * nips) if nips else b"")]
    eh_flags = flags if magic >= MAGIC_VC8 else 0
    return FuncInfo(actions, tries, ipmap, bool(eh_flags & FI_SYNCHRONOUS),
                    bool(eh_flags & FI_NOEXCEPT), begin=_begin(p, d))


def read_fh4(p, d: dict) -> FuncInfo | None:
    base, begin = d["base"], _begin(p, d)
    cur = Bytes(p, base + p.mm.read_u32(d["data"]))
    header = cur.byte()
    if header & 0x80:
        return None   # a header bit vcruntime itself does not know
    if header & FH4_BBT:
        cur.uint()
    actions, tries = [], []
    if header & FH4_UNWIND_MAP:
        m = Bytes(p, base + cur.rva())
        count = m.uint()
        starts, raw = {}, []
        for i in range(count):
            start = m.at
            starts[start] = i
            word = m.uint()
            kind, back = word & 3, word >> 2
            handler = offset = 0
            if kind in (FH4_DTOR_OBJ, FH4_DTOR_PTR):
                handler, offset = m.rva(), m.uint()
            elif kind == FH4_FRAME:
                handler = m.rva()
            raw.append((start - back if back else None, kind, handler, offset))
        for prev_at, kind, handler, offset in raw:
            prev = starts.get(prev_at, -1) if prev_at is not None else -1
            actions.append(Action(prev, base + handler if handler else 0, kind, offset))
    if header & FH4_TRY_MAP:
        m = Bytes(p, base + cur.rva())
        for _ in range(m.uint()):
            low, high, catch_level, catches_at = m.uint(), m.uint(), m.uint(), m.rva()
            catches = []
            if catches_at:
                c = Bytes(p, base + catches_at)
                for _ in range(c.uint()):
                    ch = c.byte()
                    if ch & ~0x3F or ch & 0x30 == 0x30:
                        return None
                    adj = c.uint() if ch & CB_FLAGS else 0
                    td = c.rva() if ch & CB_TYPE else 0
                    off = c.uint() if ch & CB_OFFSET else 0
                    handler = c.rva()
                    rets = 2 if ch & CB_TWO_RETS else 1 if ch & CB_ONE_RET else 0
                    conts = tuple(base + (c.rva() if ch & CB_SEPARATED else c.uint() + begin - base)
                                  for _ in range(rets))
                    catches.append(Catch(adj, base + td if td else 0, off, base + handler,
                                         continuations=conts))
            tries.append(TryBlock(low, high, catch_level, catches))
    ip_at = cur.rva()
    if header & FH4_SEPARATED:
        m = Bytes(p, base + ip_at)
        for _ in range(m.uint()):
            func, ip_at = m.rva(), m.rva()
            if base + func == begin:
                break
        else:
            return None
    m = Bytes(p, base + ip_at)
    ipmap, address = [], begin
    for _ in range(m.uint()):
        address += m.uint()
        ipmap.append((address, m.uint() - 1))
    catch_frame = cur.uint() if header & FH4_IS_CATCH else None
    return FuncInfo(actions, tries, ipmap, bool(header & FH4_EHS), bool(header & FH4_NOEXCEPT),
                    catch_frame, fh3=False, begin=begin)


# --- the thrown object's types ----------------------------------------------------------------

def _type_name(p, type_desc: int) -> bytes:
    """TypeDescriptor: its vtable and spare words, then the decorated name."""
    return p.mm.read_cstr(type_desc + 2 * p.sysvec.word_bits // 8, 4096)


def _is_ellipsis(p, catch: Catch) -> bool:
    return not catch.type_desc or catch.adjectives & HT_STD_DOTDOT or \
        not _type_name(p, catch.type_desc)


def caught_type(p, throw_info: int, exc_base: int, catch: Catch) -> int | None:
    """The CatchableType of the thrown object that this catch takes, or None."""
    attributes = p.mm.read_u32(throw_info)
    table = exc_base + p.mm.read_u32(throw_info + 12)
    count = p.mm.read_u32(table)
    for i in range(min(count, 1024)):
        ct = exc_base + p.mm.read_u32(table + 4 + 4 * i)
        properties, type_rva = struct.unpack("<II", p.mm.read(ct, 8))
        if _is_ellipsis(p, catch):
            return ct
        td = exc_base + type_rva
        if td != catch.type_desc and _type_name(p, td) != _type_name(p, catch.type_desc):
            continue
        if properties & CT_BY_REFERENCE_ONLY and not catch.adjectives & HT_REFERENCE:
            continue
        if attributes & TI_CONST and not catch.adjectives & HT_CONST:
            continue
        if attributes & TI_VOLATILE and not catch.adjectives & HT_VOLATILE:
            continue
        return ct
    return None


def _this_of(p, ct: int, obj: int) -> int:
    """The object as the caught (base) type: PMD's member and virtual-base displacements."""
    mdisp, pdisp, vdisp = struct.unpack("<iii", p.mm.read(ct + 8, 12))
    if not obj:
        return 0
    if pdisp >= 0:
        vbtable = p.mm.read_word(obj + pdisp)
        obj += pdisp + struct.unpack("<i", p.mm.read(vbtable + vdisp, 4))[0]
    return (obj + mdisp) & (2**64 - 1)


# --- catches in progress on this thread --------------------------------------------------------

@dataclass
class Catching:
    """A catch funclet running: the frame it belongs to, that frame's states while it runs,
    and the exception it caught (the current exception, for `throw;`)."""
    frame: int
    search_state: int
    unwind_state: int
    record: int               # the dispatched EXCEPTION_RECORD (on the stack, above the funclet)
    context: int
    obj: int
    throw_info: int
    exc_base: int
    key: int = 0              # the funclet call's boundary (seh.py), while it is in progress
    resume: object = None
    alive: object = None      # () -> whether the catch is still in progress
    chain: object = None      # i386: the handler call the catch block runs under
    tryblock: object = None   # i386: the try block whose catch this is


def _catches(p) -> list:
    """This thread's catches still in progress (a catch left by an exception is not)."""
    catches = p.win32.cxx_catches
    catches[:] = [c for c in catches if c.alive()]
    return catches


def _catching_frame(p, frame: int) -> Catching | None:
    for c in reversed(_catches(p)):
        if c.frame == frame:
            return c
    return None


def _set_current(p, record: int, context: int) -> None:
    from .ucrt import sys_vcruntime140___current_exception
    slot = sys_vcruntime140___current_exception(p)
    p.mm.write(slot, struct.pack("<QQ", record, context))


def terminate(p) -> int:
    from .msvcrt import sys_msvcrt_abort
    return sys_msvcrt_abort(p)


# --- the frame handler ------------------------------------------------------------------------

def _dispatcher(p, addr: int) -> dict:
    (pc, base, entry, establisher, target_ip, context, _, data, _, scope,
     _) = struct.unpack(DISPATCHER_FORMAT, p.mm.read(addr, 0x50))
    return dict(pc=pc, base=base, entry=entry, establisher=establisher, target_ip=target_ip,
                context=context, data=data, scope=scope)


def _record(p, record: int) -> tuple[int, int, list[int]]:
    code, flags, _, _, count = struct.unpack("<IIQQI", p.mm.read(record, 28))
    params = list(struct.unpack("<15Q", p.mm.read(record + 32, 120)))[:min(count, 15)]
    return code, flags, params


def _is_cxx(code: int, params: list[int]) -> bool:
    return code == CXX_EXCEPTION and len(params) >= 3 and MAGIC_VC6 <= params[0] <= MAGIC_VC8


class FrameHandler:
    """One call of __CxxFrameHandler3/4 for one frame."""

    def __init__(self, p, record, frame, context, dispatcher, info: FuncInfo):
        self.p, self.record, self.frame, self.context = p, record, frame, context
        self.d, self.info = _dispatcher(p, dispatcher), info
        self.code, self.flags, self.params = _record(p, record)
        self.in_catch: TryBlock | None = None   # FH3: the try whose catch funclet this is
        self.orig = self._parent_frame()

    def _parent_frame(self) -> int:
        """In a catch funclet, the frame of the function it belongs to (where its objects are)."""
        p, info = self.p, self.info
        if info.catch_frame is not None:
            return p.mm.read_word(self.frame + info.catch_frame)
        if info.fh3:
            state = info.state_at(self.d["pc"])
            for t in reversed(info.tries):
                if t.high < state <= t.catch_level:
                    for c in t.catches:
                        if c.handler == info.begin:
                            self.in_catch = t
                            return p.mm.read_word(self.frame + c.frame_offset)
        return self.frame

    def run(self) -> int:
        info = self.info
        consolidate = self.code == STATUS_UNWIND_CONSOLIDATE and \
            len(self.params) == CONSOLIDATE_PARAMS
        if info.synchronous and self.code not in (CXX_EXCEPTION, STATUS_LONGJUMP) and \
                not consolidate:
            return CONTINUE_SEARCH   # /EHs: structured exceptions pass C++ frames by
        if self.flags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND):
            return self._unwind(consolidate)
        return self._search()

    # search

    def _search(self) -> int:
        p, info = self.p, self.info
        cxx = _is_cxx(self.code, self.params)
        if cxx and not self.params[1] and not self.params[2]:
            # `throw;`: the exception being rethrown is the current one.
            current = _catches(p)
            if not current:
                return terminate(p)
            p.mm.write(self.record, p.mm.read(current[-1].record, seh.RECORD_SIZE))
            self.code, self.flags, self.params = _record(p, self.record)
        catching = _catching_frame(p, self.frame)
        state = catching.search_state if catching else info.state_at(self.d["pc"])
        inside = self.in_catch
        for t in info.tries:
            if not t.low <= state <= t.high:
                continue
            if inside and not (t.low > inside.high and t.high <= inside.catch_level):
                continue   # in a catch funclet: only the try blocks within that catch
            for c in t.catches:
                if cxx:
                    if self.params[0] == MAGIC_PURE:
                        continue
                    ct = caught_type(p, self.params[2], self.params[3], c)
                    if ct is None:
                        continue
                elif not _is_ellipsis(p, c):
                    continue
                else:
                    ct = None
                return CatchIt(self, t, c, ct).start()
        if info.noexcept and cxx and info.catch_frame is None:
            return terminate(p)   # an exception leaving a noexcept function
        return CONTINUE_SEARCH

    # unwind

    def _unwind(self, consolidate: bool) -> int:
        p, info = self.p, self.info
        catching = _catching_frame(p, self.frame)
        state = catching.unwind_state if catching else info.state_at(self.d["pc"])
        last = -1
        if self.flags & EXCEPTION_TARGET_UNWIND and consolidate:
            last = self.params[3]
        elif self.flags & EXCEPTION_TARGET_UNWIND and self.code == STATUS_LONGJUMP:
            last = info.state_at(self.d["target_ip"])
        elif self.in_catch is not None:
            last = self.in_catch.high   # a catch funclet unwinds its own states only
        if not -1 <= state < len(info.actions):
            return terminate(p)
        todo = []
        while state > last and state >= 0:
            action = info.actions[state]
            if action.handler:
                todo.append(action)
            state = action.prev
        if not todo:
            return CONTINUE_SEARCH
        chain = callback.start(p)
        caller = Context.of_caller(p)

        def step(_=None) -> int:
            if not todo:
                return callback.finish(p, chain, CONTINUE_SEARCH)
            action = todo.pop(0)
            if info.fh3:
                args = [action.handler, self.orig]
            else:
                obj = self.orig + action.offset
                if action.kind == FH4_DTOR_PTR:
                    obj = p.mm.read_word(obj)
                args = [obj, self.orig]
            return call_guest(p, chain, action.handler, args, step, lambda: caller)
        return step()


class CatchIt:
    """A catch that takes the exception: its object built, the frames below unwound, the
    funclet called, the exception object destroyed, and execution continuing after it."""

    def __init__(self, fh: FrameHandler, tryblock: TryBlock, catch: Catch, ct: int | None):
        self.fh, self.p, self.tryblock, self.catch, self.ct = fh, fh.p, tryblock, catch, ct
        self.chain = callback.start(self.p)
        self.caller = Context.of_caller(self.p)

    def start(self) -> int:
        p, fh, c, ct = self.p, self.fh, self.catch, self.ct
        if ct is None or _is_ellipsis(p, c) or not c.offset:
            return self._unwind()
        dest = fh.orig + c.offset
        obj = fh.params[1]
        properties = p.mm.read_u32(ct)
        size, copy = struct.unpack("<iI", p.mm.read(ct + 20, 8))
        base = fh.params[3]
        if c.adjectives & HT_REFERENCE:
            p.mm.write_word(dest, _this_of(p, ct, obj))
        elif properties & CT_SIMPLE:
            p.mm.write(dest, p.mm.read(obj, max(size, 0)))
            if size == 8:   # a pointer: to the base class caught
                p.mm.write_word(dest, _this_of(p, ct, p.mm.read_word(dest)))
        elif copy:
            args = [dest, _this_of(p, ct, obj)] + ([1] if properties & CT_VIRTUAL_BASE else [])
            return call_guest(p, self.chain, base + copy, args, lambda _: self._unwind(),
                              lambda: self.caller)
        else:
            p.mm.write(dest, p.mm.read(_this_of(p, ct, obj), max(size, 0)))
        return self._unwind()

    def _unwind(self) -> int:
        """RtlUnwindEx to this frame with a consolidate record, as vcruntime's catch does:
        each frame's handler runs its destructors, this one's down to the try's state."""
        p, fh, t = self.p, self.fh, self.tryblock
        callback._chains(p).remove(self.chain)
        rets = (list(self.catch.continuations) + [0, 0])[:2]
        self.consolidate = p.win32.heap.alloc(seh.RECORD_SIZE)
        params = [fh.d["base"], fh.orig, t.catch_level, t.low, 0, self.catch.handler,
                  fh.record, fh.context, rets[0], rets[1]]
        p.mm.write(self.consolidate, struct.pack("<IIQQII", STATUS_UNWIND_CONSOLIDATE,
                                                 EXCEPTION_NONCONTINUABLE, 0, fh.d["pc"],
                                                 CONSOLIDATE_PARAMS, 0)
                   + struct.pack("<10Q", *params).ljust(120, b"\0"))
        unwind = _CatchUnwind(p, fh.frame, fh.d["pc"], self.consolidate, 0, fh.d["context"],
                              start=self.caller)
        unwind.catch = self
        return unwind.step()

    def enter(self, unwind: "_CatchUnwind", target: Context) -> int:
        """At the target frame: call the catch funclet with the exception current."""
        p, fh, t = self.p, self.fh, self.tryblock
        self.unwind, self.target = unwind, target.copy()
        c = Catching(fh.frame, t.catch_level, t.low, fh.record, fh.context, fh.params[1],
                     fh.params[2], fh.params[3])
        # The funclet's frames unwind into the target frame (seh.through_boundary); the
        # catch is in progress while that boundary stands.
        c.resume = lambda: self.target
        c.key = (unwind.chain.sp - 256) & ~15
        c.alive = lambda: seh._boundaries(p).get(c.key) is c.resume
        self.catching = c
        self.previous = p.mm.read(_current_slot(p), 16)
        _set_current(p, fh.record, fh.context)
        result = call_guest(p, unwind.chain, self.catch.handler,
                            [self.catch.handler, fh.orig, 0x100], self._after, c.resume)
        _catches(p).append(c)
        return result

    def _after(self, result: int) -> int:
        p, c = self.p, self.catching
        rets = self.catch.continuations
        if len(rets) == 2:
            resume_at = rets[result] if result in (0, 1) else rets[0]
        else:
            resume_at = rets[0] if rets else result
        catches = p.win32.cxx_catches
        if c in catches:
            catches.remove(c)
        p.mm.write(_current_slot(p), self.previous)
        # A catch of the same object further out, which outlives this one (the function
        # holding this catch ran inside its catch funclet), destroys it instead.
        still_held = any(o.obj == c.obj and o.key > self.target.rsp for o in _catches(p))
        dtor = p.mm.read_u32(c.throw_info + 4) if c.throw_info else 0
        if dtor and c.obj and not still_held:
            return call_guest(p, self.unwind.chain, c.exc_base + dtor, [c.obj],
                              lambda _: self._land(resume_at), lambda: self.target)
        return self._land(resume_at)

    def _land(self, resume_at: int) -> int:
        self.p.win32.heap.free(self.consolidate)
        return self.unwind._resume_at(self.target.copy(), resume_at)


def _current_slot(p) -> int:
    from .ucrt import sys_vcruntime140___current_exception
    return sys_vcruntime140___current_exception(p)


class _CatchUnwind(seh.Unwind):
    """RtlUnwindEx for a catch: at the target the catch funclet runs (CatchIt.enter)."""
    catch: CatchIt

    def _land(self, ctx: Context) -> int:
        return self.catch.enter(self, ctx)


# --- vcruntime140's entry points ---------------------------------------------------------------

def _frame_handler(p, record, frame, context, dispatcher, reader) -> int:
    if p.sysvec.word_bits != 64:
        return CONTINUE_SEARCH
    try:
        info = reader(p, _dispatcher(p, dispatcher))
        if info is None:
            return CONTINUE_SEARCH
        return FrameHandler(p, record, frame, context, dispatcher, info).run()
    except Fault as fault:
        # Tables (or an exception object) pointing nowhere: the handler takes an access
        # violation, as vcruntime's own would, dispatched from its caller.
        ctx = Context.of_caller(p)
        return seh.raise_in(p, seh.STATUS_ACCESS_VIOLATION, EXCEPTION_NONCONTINUABLE, ctx.rip,
                            [0, fault.address], ctx)


def sys_vcruntime140___CxxFrameHandler3(p, pExcept, pRN, pContext, pDC):
    return _frame_handler(p, pExcept, pRN, pContext, pDC, read_fh3)


def sys_vcruntime140___CxxFrameHandler4(p, pExcept, pRN, pContext, pDC):
    return _frame_handler(p, pExcept, pRN, pContext, pDC, read_fh4)


def sys_vcruntime140__CxxThrowException(p, pExceptionObject, pThrowInfo):
    """throw: raise 0xE06D7363 with the object and its ThrowInfo (both null: `throw;`)."""
    from .kernel32_startup import module_containing
    magic = MAGIC_VC6
    if pThrowInfo and p.mm.read_u32(pThrowInfo) & TI_PURE:
        magic = MAGIC_PURE
    base = module_containing(p, pThrowInfo) if pThrowInfo else 0
    ctx = Context.of_caller(p)
    return seh.raise_in(p, CXX_EXCEPTION, EXCEPTION_NONCONTINUABLE, ctx.rip,
                        [magic, pExceptionObject, pThrowInfo, base], ctx)



def sys_vcruntime140___uncaught_exceptions(p):
    """std::uncaught_exceptions(): C++ exceptions thrown on this thread whose catch has not
    begun (the destructors run while the stack unwinds see 1)."""
    thrown = sum(1 for d in seh._dispatches(p) if getattr(d, "code", 0) == CXX_EXCEPTION)
    return max(0, thrown - len(_catches(p)))


def sys_vcruntime140___uncaught_exception(p):
    return int(sys_vcruntime140___uncaught_exceptions(p) > 0)


def sys_vcruntime140___AdjustPointer(p, pThis, pmd):
    """A base's address from a derived object's and a PMD (mdisp, pdisp, vdisp): pdisp < 0
    is a plain displacement; otherwise the base is virtual, its offset read from the
    virtual base table at pThis + pdisp."""
    mdisp, pdisp, vdisp = struct.unpack("<iii", p.mm.read(pmd, 12))
    mask = (1 << p.sysvec.word_bits) - 1
    result = pThis + mdisp
    if pdisp >= 0:
        vbtable = p.mm.read_word(pThis + pdisp)
        result += struct.unpack("<i", p.mm.read(vbtable + vdisp, 4))[0] + pdisp
    return result & mask
