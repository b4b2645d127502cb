"""vcruntime140's run-time type information: dynamic_cast (__RTDynamicCast) and typeid
(__RTtypeid) over the RTTI the compiler lays out beside each vftable (CompleteObjectLocator ->
ClassHierarchyDescriptor -> BaseClassArray of BaseClassDescriptors), and the std::exception-
derived objects the runtime itself throws (std::bad_cast): their TypeDescriptors,
CatchableTypes and ThrowInfo built once per process in its heap, the object a std::exception
as vcruntime lays it out (vftable, what, owns-what flag), its vftable's what() a few
instructions of the generated vcruntime140.dll.

Both widths: x64's locator (signature 1) holds RVAs and its own (pSelf), which says where the
image starts; i386's (signature 0) holds absolute pointers, as do its ClassHierarchy- and
BaseClassDescriptors. A TypeDescriptor is two words (vftable, spare) then the name; the word
before a vftable points at its locator."""
from __future__ import annotations

import struct
from dataclasses import dataclass

from ..nt import abi
from . import seh, seh_i386
from .cxxeh import CXX_EXCEPTION, MAGIC_VC6
from .seh import EXCEPTION_NONCONTINUABLE, Context

# The classes the runtime throws, each with its base (std::exception has none); system_error
# alone is larger than std::exception (it adds its error_code: value, category).
STD_BASES = {"exception": None, "bad_cast": "exception", "bad_typeid": "exception",
             "bad_alloc": "exception", "bad_array_new_length": "bad_alloc",
             "bad_function_call": "exception", "logic_error": "exception",
             "length_error": "logic_error", "out_of_range": "logic_error",
             "invalid_argument": "logic_error", "runtime_error": "exception",
             "overflow_error": "runtime_error", "system_error": "runtime_error"}
VFTABLE_EXPORTS = ("__sysvec_exception_dtor", "__sysvec_exception_what")
COL_SIGNATURE_RVA = 1           # CompleteObjectLocator.signature of x64's image-relative form
BCD_NOTVISIBLE, BCD_AMBIGUOUS = 0x1, 0x2
CHD_MULTINH = 0x1


def _object(word: int, name: str, vftable: int, what: int, code: int) -> bytes:
    """The object the runtime throws: a std::exception (vftable, _Data._What, _Data._DoFree,
    a bool padded to a word); a system_error adds its error_code (an int, then the category
    pointer, left null: sysvec has no category objects)."""
    obj = struct.pack("<QQQ" if word == 8 else "<III", vftable, what, 0)
    if name == "system_error":
        obj += struct.pack("<i", code) + bytes(word - 4) + bytes(word)
    return obj


# --- throwing the runtime's own exceptions ----------------------------------------------------

def _std_types(p) -> dict:
    """{class: ThrowInfo address} and the block's base, built once. On x64 the references are
    RVAs from the block (the exception's image base); on i386 they are absolute."""
    types = p.win32.cxx_std
    if types:
        return types
    word = abi.word(p)
    wide = word == 8
    vftable_of_type_info = p.win32.crt["??_7type_info@@6B@"]
    base, exports = p.win32.modules["vcruntime140"]
    block = bytearray()

    def put(data: bytes, align: int = word) -> int:
        block.extend(b"\0" * (-len(block) % align))
        at = len(block)
        block.extend(data)
        return at

    start = p.win32.heap.alloc(4096)
    ref = (lambda at: at) if wide else (lambda at: start + at)
    words = "<QQ" if wide else "<II"
    descriptors, catchables = {}, {}
    for name in STD_BASES:
        descriptors[name] = put(struct.pack(words, vftable_of_type_info, 0) +
                                f".?AV{name}@std@@".encode() + b"\0")
        # CatchableType: a class with no copy constructor to call (copied bytewise)
        size = len(_object(word, name, 0, 0, 0))
        catchables[name] = put(struct.pack("<IIiiiiI", 0, ref(descriptors[name]), 0, -1, 0,
                                           size, 0), 4)
    vftable = put(struct.pack(words, *(base + exports[e] for e in VFTABLE_EXPORTS)))
    throw_infos = {}
    for name in STD_BASES:
        chain, cls = [], name
        while cls:
            chain.append(ref(catchables[cls]))
            cls = STD_BASES[cls]
        array = put(struct.pack(f"<i{len(chain)}I", len(chain), *chain), 4)
        # ThrowInfo: attributes, no destructor to call, no forward-compat handler, the array
        throw_infos[name] = start + put(struct.pack("<IIII", 0, 0, 0, ref(array)), 4)
    p.mm.write(start, bytes(block))
    types.update(throw_infos=throw_infos, base=start, vftable=start + vftable)
    return types


def _raise(p, obj: int, throw_info: int, image: int) -> int:
    """0xE06D7363 from the caller of the current call: x64's record carries the image base
    its ThrowInfo's RVAs are from, i386's three parameters hold absolute pointers (the
    call's arguments stay on the stack: execution does not go on there)."""
    if abi.word(p) == 4:
        ctx = seh_i386._caller(p, 0)
        return seh_i386.Dispatch32(p, CXX_EXCEPTION, EXCEPTION_NONCONTINUABLE, ctx["Eip"],
                                   [MAGIC_VC6, obj, throw_info], ctx).start()
    ctx = Context.of_caller(p)
    return seh.raise_in(p, CXX_EXCEPTION, EXCEPTION_NONCONTINUABLE, ctx.rip,
                        [MAGIC_VC6, obj, throw_info, image], ctx)


def throw_std(p, name: str, what: str, code: int = 0) -> int:
    """Throw std::<name>(what) from the caller of the current call, as vcruntime does (a
    system_error carries code)."""
    if "vcruntime140" not in p.win32.modules or "??_7type_info@@6B@" not in p.win32.crt:
        # no C++ runtime in the process, so no frame handler could catch it: the exception
        # goes unhandled as it would on Windows (0xE06D7363 ends the process)
        return _raise(p, 0, 0, 0)
    types = _std_types(p)
    text = what.encode() + b"\0"
    message = p.win32.heap.alloc(len(text))
    p.mm.write(message, text)
    data = _object(abi.word(p), name, types["vftable"], message, code)
    obj = p.win32.heap.alloc(len(data))
    p.mm.write(obj, data)
    return _raise(p, obj, types["throw_infos"][name], types["base"])


# --- the locator beside a vftable ---------------------------------------------------------------

@dataclass(frozen=True)
class Locator:
    """An object's CompleteObjectLocator, its references made absolute (base: the image its
    RVAs are from on x64, 0 for i386's pointers)."""
    offset: int           # of the subobject whose vftable it is, in the complete object
    cd_offset: int        # where the constructor displacement is, before the subobject
    type_desc: int        # the complete object's TypeDescriptor
    hierarchy: int        # its ClassHierarchyDescriptor
    base: int


def _locator(p, inptr: int) -> Locator:
    at = p.mm.read_word(p.mm.read_word(inptr) - abi.word(p))
    signature, offset, cd_offset, type_desc, hierarchy = struct.unpack("<IIIII", p.mm.read(at, 20))
    base = at - p.mm.read_u32(at + 20) if signature == COL_SIGNATURE_RVA else 0
    return Locator(offset, cd_offset, base + type_desc, base + hierarchy, base)


def _complete(p, inptr: int, loc: Locator) -> int:
    """The complete object inptr is a subobject of (a vtordisp adjusts it in a constructor)."""
    complete = inptr - loc.offset
    if loc.cd_offset:
        complete -= struct.unpack("<i", p.mm.read(inptr - loc.cd_offset, 4))[0]
    return complete


def _mask(p, address: int) -> int:
    return address & ((1 << p.sysvec.word_bits) - 1)


# --- dynamic_cast -------------------------------------------------------------------------------

def _name(p, type_desc: int) -> bytes:
    return p.mm.read_cstr(type_desc + 2 * abi.word(p), 4096)


def _pmd_offset(p, complete: int, mdisp: int, pdisp: int, vdisp: int) -> int:
    offset = mdisp
    if pdisp >= 0:
        vbtable = p.mm.read_word(complete + pdisp)
        offset += pdisp + struct.unpack("<i", p.mm.read(vbtable + vdisp, 4))[0]
    return offset


def sys_vcruntime140___RTDynamicCast(p, inptr, VfDelta, SrcType, TargetType, isReference):
    """The complete object of inptr (from its vftable's locator), then the target type among
    its bases, visible and unambiguous; none: NULL, or std::bad_cast for a reference."""
    if not inptr:
        return 0
    loc = _locator(p, inptr)
    complete = _complete(p, inptr, loc)
    attributes, count, array = struct.unpack("<III", p.mm.read(loc.hierarchy + 4, 12))
    array += loc.base
    target = _name(p, TargetType)
    for i in range(min(count, 4096)):
        bcd = loc.base + p.mm.read_u32(array + 4 * i)
        type_desc, _, mdisp, pdisp, vdisp, bcd_attributes = struct.unpack(
            "<IIiiiI", p.mm.read(bcd, 24))
        if _name(p, loc.base + type_desc) != target:
            continue
        if attributes & CHD_MULTINH and bcd_attributes & (BCD_NOTVISIBLE | BCD_AMBIGUOUS):
            continue
        return _mask(p, complete + _pmd_offset(p, complete, mdisp, pdisp, vdisp))
    if isReference:
        return throw_std(p, "bad_cast", "Bad dynamic_cast!")
    return 0


def sys_vcruntime140___RTCastToVoid(p, inptr):
    """dynamic_cast<void *>: the complete object inptr is part of (its vftable's locator
    says where), NULL for NULL."""
    if not inptr:
        return 0
    return _mask(p, _complete(p, inptr, _locator(p, inptr)))


# --- typeid and type_info ----------------------------------------------------------------------

def sys_vcruntime140___RTtypeid(p, inptr):
    """typeid(*p): the TypeDescriptor (the type_info) of the complete object; NULL p throws
    std::bad_typeid."""
    if not inptr:
        return throw_std(p, "bad_typeid", "Attempted a typeid of nullptr pointer!")
    return _locator(p, inptr).type_desc


def _decorated(p, data: int) -> bytes:
    """__std_type_info_data: the undecorated name's cache (a word), then the decorated name."""
    return p.mm.read_cstr(data + abi.word(p), 4096)


def sys_vcruntime140___std_type_info_hash(p, data):
    """type_info::hash_code(): FNV-1a over the decorated name past its '.', the word's width
    (folded once more on 64 bits), as vcruntime computes it."""
    wide = abi.word(p) == 8
    value, prime, mask = (14695981039346656037, 1099511628211, 2**64 - 1) if wide else \
        (2166136261, 16777619, 2**32 - 1)
    for byte in _decorated(p, data)[1:]:
        value = ((value ^ byte) * prime) & mask
    return value ^ (value >> 32) if wide else value


def sys_vcruntime140___std_type_info_compare(p, lhs, rhs):
    """strcmp of the decorated names past their leading '.' (0: the same type)."""
    a, b = _decorated(p, lhs)[1:], _decorated(p, rhs)[1:]
    return (a > b) - (a < b)


# The undecorated names of the builtin types (the decorated forms after '.').
BUILTIN_NAMES = {b"C": "signed char", b"D": "char", b"E": "unsigned char", b"F": "short",
                 b"G": "unsigned short", b"H": "int", b"I": "unsigned int", b"J": "long",
                 b"K": "unsigned long", b"M": "float", b"N": "double", b"O": "long double",
                 b"X": "void", b"_J": "__int64", b"_K": "unsigned __int64", b"_N": "bool",
                 b"_W": "wchar_t"}
CLASS_KINDS = {b"?AV": "class", b"?AU": "struct", b"?AT": "union", b"?AW4": "enum"}


def undecorate(name: bytes) -> str:
    """type_info::name(): "class ns::Circle", "int"; a form not read here stays decorated."""
    body = name[1:]
    if body in BUILTIN_NAMES:
        return BUILTIN_NAMES[body]
    for prefix, kind in CLASS_KINDS.items():
        if body.startswith(prefix) and body.endswith(b"@@") and b"?" not in body[len(prefix):]:
            parts = body[len(prefix):-2].split(b"@")
            return f"{kind} " + "::".join(part.decode(errors="replace") for part in reversed(parts))
    return body.decode(errors="replace")


def sys_vcruntime140___std_type_info_name(p, data, root):
    """The undecorated name, made once and kept in the type_info's cache word."""
    cached = p.mm.read_word(data)
    if cached:
        return cached
    text = undecorate(_decorated(p, data)).encode() + b"\0"
    block = p.win32.heap.alloc(len(text))
    p.mm.write(block, text)
    p.mm.write_word(data, block)
    return block
