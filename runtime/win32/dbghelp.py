"""dbghelp.dll as crash handlers use it (LLVM's stack dump, GHC's RTS, Node's): the symbol
handler starts, and finds nothing: no symbol or line for an address (ERROR_INVALID_ADDRESS),
no frame walked, no minidump written. The module an address is in is known (the loaded
images). A crash handler so prints its report without symbols and ends as it would."""
from __future__ import annotations

ERROR_NOT_SUPPORTED, ERROR_INVALID_ADDRESS = 50, 487


def sys_dbghelp_SymInitialize(p, hProcess, UserSearchPath, fInvadeProcess):
    return 1


def sys_dbghelp_SymCleanup(p, hProcess):
    return 1


def sys_dbghelp_SymSetOptions(p, SymOptions):
    p.win32.sym_options = SymOptions & 0xFFFFFFFF
    return p.win32.sym_options


def sys_dbghelp_SymGetOptions(p):
    return p.win32.sym_options


def _not_found(p, *args) -> int:
    p.win32.last_error = ERROR_INVALID_ADDRESS
    return 0


sys_dbghelp_SymFromAddr = sys_dbghelp_SymGetLineFromAddr64 = _not_found
sys_dbghelp_SymFunctionTableAccess64 = _not_found


def sys_dbghelp_StackWalk64(p, MachineType, hProcess, hThread, StackFrame, ContextRecord,
                            ReadMemoryRoutine, FunctionTableAccessRoutine,
                            GetModuleBaseRoutine, TranslateAddress):
    """No frame is walked: the caller's loop ends at once."""
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
