"""dbghelp.dll as crash handlers use it (LLVM's stack dump, GHC's RTS, Node's): the symbol
handler's names are the modules' exports (dbghelp_symbols.py); no line for an address
(ERROR_INVALID_ADDRESS), no minidump written. StackWalk64 walks x64 stacks by the images' unwind data. The module an address is in is known (the loaded
images). A crash handler so prints its report without symbols and ends as it would."""
from __future__ import annotations

import struct

from ..nt import abi

ERROR_NOT_SUPPORTED, ERROR_INVALID_ADDRESS = 50, 487


def sys_dbghelp_SymSetOptions(p, SymOptions):
    p.win32.sym_options = SymOptions & 0xFFFFFFFF
    return p.win32.sym_options


def sys_dbghelp_SymGetOptions(p):
    return p.win32.sym_options


def _not_found(p, *args) -> int:
    p.win32.last_error = ERROR_INVALID_ADDRESS
    return 0


sys_dbghelp_SymGetLineFromAddr64 = _not_found       # (symbols: dbghelp_symbols.py)
sys_dbghelp_SymFunctionTableAccess64 = _not_found


IMAGE_FILE_MACHINE_AMD64 = 0x8664
# STACKFRAME64 (x64): AddrPC, AddrReturn, AddrFrame, AddrStack, AddrBStore (ADDRESS64: an
# offset, a segment, a mode), FuncTableEntry, Params[4], Far, Virtual, Reserved[3], KdHelp.
PC, RETURN, FRAME, STACK = 0, 16, 32, 48
WALKED = 128            # Reserved[0]: this walk has reported its first frame
ADDR_MODE_FLAT = 3


def _address(p, frame: int, at: int, value: int) -> None:
    p.mm.write(frame + at, struct.pack("<QHxxI", value, 0, ADDR_MODE_FLAT))


def sys_dbghelp_StackWalk64(p, MachineType, hProcess, hThread, StackFrame, ContextRecord,
                            ReadMemoryRoutine, FunctionTableAccessRoutine,
                            GetModuleBaseRoutine, TranslateAddress):
    """x64: one frame per call, by the image's own unwind data (leaf functions by their
    return address): the context's frame first, then each caller, updating ContextRecord
    as RtlVirtualUnwind does; FALSE at the stack's end or a frame it cannot unwind. Other
    machines walk no frame."""
    from ..errors import Fault
    from .seh import Context, lookup_function_entry, unwind_leaf, virtual_unwind
    if MachineType != IMAGE_FILE_MACHINE_AMD64 or abi.word(p) != 8 or not ContextRecord:
        return 0
    try:
        ctx = Context.read(p, ContextRecord)
        if p.mm.read_word(StackFrame + WALKED):
            found = lookup_function_entry(p, ctx.rip)
            if found is None:
                unwind_leaf(p, ctx)
            else:
                virtual_unwind(p, 0, found[0], ctx.rip, found[1], ctx)
            if ctx.rip < 0x10000 or not ctx.rsp:
                return 0
            ctx.write(p, ContextRecord)
        p.mm.write_word(StackFrame + WALKED, 1)
        following = ctx.copy()
        found = lookup_function_entry(p, following.rip)
        if found is None:
            unwind_leaf(p, following)
        else:
            virtual_unwind(p, 0, found[0], following.rip, found[1], following)
        _address(p, StackFrame, PC, ctx.rip)
        _address(p, StackFrame, RETURN, following.rip)
        _address(p, StackFrame, FRAME, ctx.gpr[5])        # rbp
        _address(p, StackFrame, STACK, ctx.rsp)
        return 1
    except Fault:                        # a frame pointing nowhere: the walk ends
        return 0


def sys_dbghelp_SymGetModuleBase64(p, hProcess, qwAddr):
    from .kernel32_startup import module_containing
    return module_containing(p, qwAddr) or 0


def sys_dbghelp_SymGetModuleBase64_32(p, hProcess, qwAddrLow, qwAddrHigh):
    """i386: the DWORD64 address in two stack words, the DWORD64 result in edx:eax."""
    from unicorn import x86_const as X
    base = sys_dbghelp_SymGetModuleBase64(p, hProcess, qwAddrLow | qwAddrHigh << 32)
    p.engine.uc.reg_write(X.UC_X86_REG_EDX, 0)
    return base


def sys_dbghelp_UnDecorateSymbolName(p, name, outputString, maxStringLength, flags):
    """The name as given (no undecoration here), cut to the buffer."""
    if not name or not outputString or maxStringLength <= 0:
        p.win32.last_error = 87
        return 0
    text = p.mm.read_cstr(name)[:maxStringLength - 1]
    p.mm.write(outputString, text + b"\0")
    return len(text)


def sys_dbghelp_SymGetSearchPathW(p, hProcess, SearchPath, SearchPathLength):
    if SearchPath and SearchPathLength > 0:
        p.mm.write(SearchPath, b"\0\0")
    return 1


def sys_dbghelp_SymSetSearchPathW(p, hProcess, SearchPath):
    return 1


def sys_dbghelp_MiniDumpWriteDump(p, hProcess, ProcessId, hFile, DumpType, ExceptionParam,
                                  UserStreamParam, CallbackParam):
    p.win32.last_error = ERROR_NOT_SUPPORTED
    return 0


def _enumerate_modules(p, callback_fn: int, context: int, wide: bool, stdcall_args: int) -> int:
    """Call back once per loaded module (the program first) with its path, base, size and
    the caller's context, until the callback returns FALSE; TRUE."""
    from ..binfmt.pe import image_size
    from . import callback
    from .kernel32_modules import _modules
    from .kernel32_system import module_file_name
    modules = [(base, module_file_name(p, base) or "", image_size(p, base))
               for base in _modules(p)]
    chain = callback.start(p, stdcall_args)
    pending = list(modules)
    held: list[int] = []

    def next_module(result: int = 1) -> int:
        for block in held:
            p.win32.heap.free(block)
        held.clear()
        if not pending or not result & 0xFFFFFFFF:
            return callback.finish(p, chain, 1)
        base, path, size = pending.pop(0)
        data = (path + "\0").encode("utf-16-le" if wide else "latin-1", "replace")
        name = p.win32.heap.alloc(len(data))
        held.append(name)
        p.mm.write(name, data)
        base_words = [base] if abi.word(p) == 8 else [base & 0xFFFFFFFF, base >> 32]
        return callback.call(p, chain, callback_fn, [name, *base_words, size, context],
                             next_module)
    return next_module()


def sys_dbghelp_EnumerateLoadedModulesW64(p, hProcess, EnumLoadedModulesCallback, UserContext):
    return _enumerate_modules(p, EnumLoadedModulesCallback, UserContext, True, 3)


def sys_dbghelp_EnumerateLoadedModules64(p, hProcess, EnumLoadedModulesCallback, UserContext):
    return _enumerate_modules(p, EnumLoadedModulesCallback, UserContext, False, 3)


def sys_dbghelp_EnumerateLoadedModulesEx(p, hProcess, EnumLoadedModulesCallback, UserContext):
    return _enumerate_modules(p, EnumLoadedModulesCallback, UserContext, True, 3)
