"""vcruntime140's run-time type information on x64: dynamic_cast (__RTDynamicCast) over the
RTTI the compiler lays out beside each vftable (CompleteObjectLocator -> ClassHierarchy
Descriptor -> BaseClassArray of BaseClassDescriptors, RVAs from the locator's image), and
the std::exception-derived objects the runtime itself throws (std::bad_cast): their
TypeDescriptors, CatchableTypes and ThrowInfo built once per process in its heap, the object
a std::exception as vcruntime lays it out (vftable, what, owns-what flag), its vftable's
what() a few instructions of the generated vcruntime140.dll."""
from __future__ import annotations

import struct

from ..nt import abi
from . import seh
from .cxxeh import CXX_EXCEPTION, MAGIC_VC6
from .seh import EXCEPTION_NONCONTINUABLE, Context

# The classes the runtime throws, each with its base (std::exception has none), and the size
# of the ones larger than std::exception (system_error adds its error_code: value, category).
STD_BASES = {"exception": None, "bad_cast": "exception", "bad_typeid": "exception",
             "bad_alloc": "exception", "bad_array_new_length": "bad_alloc",
             "bad_function_call": "exception", "logic_error": "exception",
             "length_error": "logic_error", "out_of_range": "logic_error",
             "invalid_argument": "logic_error", "runtime_error": "exception",
             "overflow_error": "runtime_error", "system_error": "runtime_error"}
EXCEPTION_SIZE = 24                       # vftable, _Data._What, _Data._DoFree (x64)
STD_SIZES = {"system_error": 40}
VFTABLE_EXPORTS = ("__sysvec_exception_dtor", "__sysvec_exception_what")
BCD_NOTVISIBLE, BCD_AMBIGUOUS = 0x1, 0x2
CHD_MULTINH = 0x1


# --- throwing the runtime's own exceptions ----------------------------------------------------

def _std_types(p) -> dict:
    """{class: ThrowInfo address} and the block's base, built once: RVAs are block offsets."""
    types = p.win32.cxx_std
    if types:
        return types
    vftable_of_type_info = p.win32.crt["??_7type_info@@6B@"]
    base, exports = p.win32.modules["vcruntime140"]
    block = bytearray()

    def put(data: bytes, align: int = 8) -> int:
        block.extend(b"\0" * (-len(block) % align))
        at = len(block)
        block.extend(data)
        return at

    start = p.win32.heap.alloc(4096)
    descriptors, catchables = {}, {}
    for name in STD_BASES:
        descriptors[name] = put(struct.pack("<QQ", vftable_of_type_info, 0) +
                                f".?AV{name}@std@@".encode() + b"\0")
        # CatchableType: a class with no copy constructor to call (copied bytewise)
        catchables[name] = put(struct.pack("<IIiiiiI", 0, descriptors[name], 0, -1, 0,
                                           STD_SIZES.get(name, EXCEPTION_SIZE), 0), 4)
    vftable = put(struct.pack("<QQ", *(base + exports[e] for e in VFTABLE_EXPORTS)))
    throw_infos = {}
    for name in STD_BASES:
        chain, cls = [], name
        while cls:
            chain.append(catchables[cls])
            cls = STD_BASES[cls]
        array = put(struct.pack(f"<i{len(chain)}I", len(chain), *chain), 4)
        throw_infos[name] = start + put(struct.pack("<IIII", 0, 0, 0, array), 4)
    p.mm.write(start, bytes(block))
    types.update(throw_infos=throw_infos, base=start, vftable=start + vftable)
    return types


def throw_std(p, name: str, what: str, code: int = 0) -> int:
    """Throw std::<name>(what) from the caller of the current call, as vcruntime does (a
    system_error carries code, its category left null: sysvec has no category objects)."""
    ctx = Context.of_caller(p)
    if "vcruntime140" not in p.win32.modules or "??_7type_info@@6B@" not in p.win32.crt:
        # no C++ runtime in the process, so no frame handler could catch it: the exception
        # goes unhandled as it would on Windows (0xE06D7363 ends the process)
        return seh.raise_in(p, CXX_EXCEPTION, EXCEPTION_NONCONTINUABLE, ctx.rip,
                            [MAGIC_VC6, 0, 0, 0], ctx)
    types = _std_types(p)
    text = what.encode() + b"\0"
    message = p.win32.heap.alloc(len(text))
    p.mm.write(message, text)
    size = STD_SIZES.get(name, EXCEPTION_SIZE)
    obj = p.win32.heap.alloc(size)
    p.mm.write(obj, struct.pack("<QQQ", types["vftable"], message, 0) +
               struct.pack("<iiQ", code, 0, 0)[:size - EXCEPTION_SIZE])
    return seh.raise_in(p, CXX_EXCEPTION, EXCEPTION_NONCONTINUABLE, ctx.rip,
                        [MAGIC_VC6, obj, types["throw_infos"][name], types["base"]], ctx)


# --- dynamic_cast -------------------------------------------------------------------------------

def _name(p, type_desc: int) -> bytes:
    return p.mm.read_cstr(type_desc + 16, 4096)


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
    locator = p.mm.read_word(p.mm.read_word(inptr) - 8)
    _, offset, cd_offset, _, hierarchy, self_rva = struct.unpack("<IIIIII",
                                                                 p.mm.read(locator, 24))
    image = locator - self_rva
    complete = inptr - offset
    if cd_offset:
        complete -= struct.unpack("<i", p.mm.read(inptr - cd_offset, 4))[0]
    attributes, count, array = struct.unpack("<III", p.mm.read(image + hierarchy + 4, 12))
    target = _name(p, TargetType)
    for i in range(min(count, 4096)):
        bcd = image + p.mm.read_u32(image + array + 4 * i)
        type_rva, _, mdisp, pdisp, vdisp, bcd_attributes = struct.unpack(
            "<IIiiiI", p.mm.read(bcd, 24))
        if _name(p, image + type_rva) != target:
            continue
        if attributes & CHD_MULTINH and bcd_attributes & (BCD_NOTVISIBLE | BCD_AMBIGUOUS):
            continue
        return (complete + _pmd_offset(p, complete, mdisp, pdisp, vdisp)) & (2**64 - 1)
    if isReference:
        return throw_std(p, "bad_cast", "Bad dynamic_cast!")
    return 0


def sys_vcruntime140___RTCastToVoid(p, inptr):
    """dynamic_cast<void *>: the complete object inptr is part of (its vftable's locator
    says where), NULL for NULL."""
    if not inptr:
        return 0
    locator = p.mm.read_word(p.mm.read_word(inptr) - 8)
    offset, cd_offset = struct.unpack("<II", p.mm.read(locator + 4, 8))
    complete = inptr - offset
    if cd_offset:
        complete -= struct.unpack("<i", p.mm.read(inptr - cd_offset, 4))[0]
    return complete & (2**64 - 1)


# --- typeid and type_info ----------------------------------------------------------------------

def sys_vcruntime140___RTtypeid(p, inptr):
    """typeid(*p): the TypeDescriptor (the type_info) of the complete object; NULL p throws
    std::bad_typeid."""
    if not inptr:
        return throw_std(p, "bad_typeid", "Attempted a typeid of nullptr pointer!")
    locator = p.mm.read_word(p.mm.read_word(inptr) - 8)
    type_rva, self_rva = p.mm.read_u32(locator + 12), p.mm.read_u32(locator + 20)
    return locator - self_rva + type_rva


def _decorated(p, data: int) -> bytes:
    """__std_type_info_data: the undecorated name's cache, then the decorated name."""
    return p.mm.read_cstr(data + 8, 4096)


def sys_vcruntime140___std_type_info_hash(p, data):
    """type_info::hash_code(): FNV-1a over the decorated name past its '.', the word's width
    (folded once more on 64 bits), as vcruntime computes it."""
    wide = abi.word(p) == 8
    value, prime, mask = (14695981039346656037, 1099511628211, 2**64 - 1) if wide else \
        (2166136261, 16777619, 2**32 - 1)
    for byte in p.mm.read_cstr(data + abi.word(p), 4096)[1:]:
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
