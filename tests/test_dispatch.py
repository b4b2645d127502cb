"""The Python side of dispatch (runtime/tables.py and Kernel.python_call): compiled tables as
the runtime loads them, the shadow-table numbers, the invokers' argument conversion, the
errno/NTSTATUS translation, and a handler's failure turned into the table's error result.
Expected values come from the kernels' own definitions (ctypes for C's integer conversions,
ntstatus.h for status codes), not from the code under test."""
from __future__ import annotations

import ctypes
import errno

import pytest

from sysvec.runtime.errors import SysvecError
from sysvec.runtime.nt import status as nt
from sysvec.runtime.tables import Call, SysVec, TableRegistry, load_sysvecs, make_invoker

from conftest import make_root

SIGNED32 = ["int", "fd", "pid", "uid", "gid", "sig"]
SIGNED_WORD = ["long", "ssize", "off"]
UNSIGNED32 = ["uint"]     # unsigned int: 32 bits on every ABI
UNSIGNED = ["ulong", "uint", "size", "ptr", "handle"]
RAW = [0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF, 0x1_0000_0005, 2**63 - 1, 2**63,
       2**64 - 1]


@pytest.fixture(scope="module")
def compiled():
    from sysvec.compiler.build import build, load_module

    result = build()
    return load_module(result), result.meta_path


def fresh(compiled) -> dict[str, SysVec]:
    """The bundled tables, loaded anew (nothing bound yet)."""
    return {sv.name: sv for sv in load_sysvecs(*compiled)}


def number_of(sv: SysVec, name: str) -> int:
    return next(n for n, c in sv.calls.items() if c.name == name)


# --- loading ---------------------------------------------------------------------------------

def test_every_bundled_table_loads_with_its_convention(compiled):
    t = fresh(compiled)
    assert {name: (sv.platform, sv.arch, sv.errors, sv.gates, sv.word_bits) for name, sv in t.items()} == {
        "linux_x86_64": ("linux_x86_64", "x86_64", "errno", ["syscall"], 64),
        "linux_i386": ("linux_i386", "i386", "errno", ["int 0x80"], 32),
        "mysys": ("mysys", "x86_64", "errno", ["int 0x81"], 64),
        "nt_x64": ("nt_x64", "x86_64", "ntstatus", ["syscall"], 64),
        "nt_x86": ("nt_x86", "i386", "ntstatus", ["int 0x2e"], 32),
        "win32_x64": ("win32_x64", "x86_64", "value", ["syscall"], 64),
        "win32_x86": ("win32_x86", "i386", "value", ["int 0x2e"], 32)}
    assert t["nt_x64"].shadow is t["win32_x64"] and t["nt_x86"].shadow is t["win32_x86"]
    assert t["linux_x86_64"].shadow is None and t["win32_x64"].shadow is None
    for sv in t.values():
        assert sv.size == sv.c_table.nsys == max(sv.calls) + 1
        assert compiled[0].ffi.string(sv.c_table.name) == sv.name.encode()
    linux = t["linux_x86_64"]
    write = linux.calls[1]
    assert (write.name, write.handler, write.function, [a["kind"] for a in write.args]) == \
        ("write", "c+py", "sys_write", ["fd", "in", "size"])   # C first, then Python
    assert linux.calls[39].handler == "c" and linux.calls[134].handler is None
    assert t["mysys"].calls[24].function == "sys_sched_yield"


def test_nosys_and_efault_results_are_the_tables_own(compiled):
    t = fresh(compiled)
    assert (t["linux_x86_64"].nosys_result, t["linux_x86_64"].efault_result) == (-38, -14)
    assert (t["nt_x86"].nosys_result, t["nt_x86"].efault_result) == (0xC000001C, 0xC0000005)


# --- the error conventions ------------------------------------------------------------------

# errno -> the NTSTATUS Windows gives for the same failure (ntstatus.h names and values)
NTSTATUS = {
    errno.EFAULT: nt.STATUS_ACCESS_VIOLATION, errno.ENOENT: nt.STATUS_OBJECT_NAME_NOT_FOUND,
    errno.EACCES: nt.STATUS_ACCESS_DENIED, errno.EBADF: nt.STATUS_INVALID_HANDLE,
    errno.EINVAL: nt.STATUS_INVALID_PARAMETER, errno.ENOMEM: nt.STATUS_NO_MEMORY,
    errno.EEXIST: nt.STATUS_OBJECT_NAME_COLLISION, errno.ENOTDIR: nt.STATUS_NOT_A_DIRECTORY,
    errno.EISDIR: nt.STATUS_FILE_IS_A_DIRECTORY, errno.ENOSYS: 0xC000001C,  # INVALID_SYSTEM_SERVICE
    errno.EPIPE: nt.STATUS_PIPE_BROKEN, errno.EMFILE: 0xC000011F,       # TOO_MANY_OPENED_FILES
    errno.ELOOP: nt.STATUS_OBJECT_NAME_NOT_FOUND, errno.ENAMETOOLONG: nt.STATUS_OBJECT_NAME_INVALID,
    errno.ENOTEMPTY: nt.STATUS_DIRECTORY_NOT_EMPTY, errno.EAGAIN: nt.STATUS_NO_MEMORY,
    errno.ENOEXEC: 0xC000007B,                                           # INVALID_IMAGE_FORMAT
    errno.EPERM: nt.STATUS_ACCESS_DENIED,
}


@pytest.mark.parametrize("code", sorted(NTSTATUS), ids=lambda c: errno.errorcode[c])
def test_errors_follow_each_tables_convention(compiled, code):
    t = fresh(compiled)
    assert t["linux_x86_64"].error_result(code) == -code
    assert t["nt_x64"].error_result(code) == NTSTATUS[code]
    assert t["win32_x86"].error_result(code) == 0     # errors "value": the API's failure value


def test_an_errno_without_an_ntstatus_is_status_unsuccessful(compiled):
    nt_x86 = fresh(compiled)["nt_x86"]
    for code in (errno.EXDEV, errno.ESRCH, errno.EIO, errno.ENOSPC):
        assert code not in NTSTATUS and nt_x86.error_result(code) == nt.STATUS_UNSUCCESSFUL


# --- shadow numbers ---------------------------------------------------------------------------

def test_bit_12_selects_the_shadow_table(compiled):
    t = fresh(compiled)
    nt_x64, win32 = t["nt_x64"], t["win32_x64"]
    assert nt_x64.lookup(0x1000) == (win32, 0)
    assert nt_x64.lookup(0x1000 | 33) == (win32, 33)
    assert nt_x64.lookup(0x1FFF) == (win32, 0xFFF)
    assert nt_x64.lookup(0x0FFF) == (nt_x64, 0xFFF)
    assert nt_x64.lookup(0x2000) == (nt_x64, 0x2000)          # bit 13: not a shadow number
    assert nt_x64.lookup(0x3001) == (nt_x64, 0x3001)
    assert t["linux_x86_64"].lookup(0x1001) == (t["linux_x86_64"], 0x1001)


# --- invokers -----------------------------------------------------------------------------------

def expected(kind: str, raw: int, bits: int) -> int:
    """The value C gives a register word of this type: the independent oracle."""
    if kind in SIGNED32:
        return ctypes.c_int32(raw & 0xFFFFFFFF).value
    if kind in UNSIGNED32:
        return ctypes.c_uint32(raw).value
    if kind in SIGNED_WORD:
        return (ctypes.c_int64 if bits == 64 else ctypes.c_int32)(raw).value
    return raw


@pytest.mark.parametrize("bits", [64, 32])
@pytest.mark.parametrize("kind", SIGNED32 + SIGNED_WORD + UNSIGNED)
def test_invoker_converts_each_argument_type_as_c_does(kind, bits):
    seen = []
    invoke = make_invoker(lambda p, x: seen.append((p, x)) or len(seen), [{"kind": kind}], bits)
    words = [r for r in RAW if bits == 64 or r <= 0xFFFFFFFF]   # 32-bit words are zero-extended
    for i, raw in enumerate(words):
        assert invoke("proc", [raw]) == i + 1
    assert seen == [("proc", expected(kind, raw, bits)) for raw in words]


def test_invoker_passes_the_process_and_every_argument_in_order():
    kinds = ["fd", "ptr", "size", "off", "int", "ulong", "sig"]
    invoke = make_invoker(lambda p, *a: (p, a), [{"kind": k} for k in kinds], 64)
    raw = [0xFFFFFFFF, 0x7F0000001000, 9, 2**64 - 2, 5, 2**64 - 1, 0x1_0000_0002]
    assert invoke("proc", raw) == ("proc", (-1, 0x7F0000001000, 9, -2, 5, 2**64 - 1, 2))
    assert make_invoker(lambda p: ("none", p), [], 64)("proc", []) == ("none", "proc")


def test_invokers_sharing_an_argument_pattern_call_their_own_handler():
    a = make_invoker(lambda p, x: ("a", x), [{"kind": "fd"}], 64)
    b = make_invoker(lambda p, x: ("b", x), [{"kind": "fd"}], 64)
    c = make_invoker(lambda p, x: ("c", x), [{"kind": "fd"}], 32)
    assert (a(None, [3]), b(None, [4]), c(None, [0xFFFFFFFF])) == (("a", 3), ("b", 4), ("c", -1))


# --- binding and the registry -----------------------------------------------------------------

def test_bind_makes_one_invoker_per_python_handled_call(compiled):
    from sysvec.runtime import linux as linux_handlers, win32 as win32_handlers

    t = fresh(compiled)
    linux = t["linux_x86_64"]
    assert linux.bind() is linux and linux.bound
    assert len(linux.py_calls) == linux.size
    assert linux.py_calls[1].fn is linux_handlers.sys_write and linux.py_calls[1].number == 1
    assert linux.py_calls[39] is None and linux.py_calls[134] is None   # a C handler, none
    assert sum(c is not None for c in linux.py_calls) == \
        sum(c.handler in ("py", "c+py") for c in linux.calls.values())
    first = linux.py_calls[1].invoke
    assert linux.bind().py_calls[1].invoke is first                      # bound once
    nt_x64 = t["nt_x64"]
    nt_x64.bind()
    named = number_of(t["win32_x64"], "vcruntime140.__CxxFrameHandler")   # a row naming
    assert t["win32_x64"].bound and \
        t["win32_x64"].py_calls[named].fn is win32_handlers.sys_vcruntime140___CxxFrameHandler3


def test_a_missing_python_handler_is_named():
    sv = SysVec("t", "t", "x86_64", 0, "errno", ["syscall"], None, size=8,
                handlers_module="sysvec.runtime.linux")
    sv.calls[7] = Call(7, "nothere", [], {"kind": "int"}, "py", "sys_nothere")
    with pytest.raises(SysvecError, match=r"^table t: handler sysvec.runtime.linux.sys_nothere is missing$"):
        sv.bind()


def test_registry_finds_a_table_through_its_binary_format(compiled):
    t = fresh(compiled)
    reg = TableRegistry()
    reg.add(t["linux_x86_64"])
    reg.add(t["mysys"], platform="custom")
    reg.link("elf64", "linux_x86_64")
    reg.link("raw", "custom")
    assert reg.find("elf64") is t["linux_x86_64"] and t["linux_x86_64"].bound
    assert reg.find("raw") is t["mysys"] and reg.platform("custom") is t["mysys"]
    with pytest.raises(SysvecError, match=r"^binary format 'pe32' is linked to no platform$"):
        reg.find("pe32")
    with pytest.raises(SysvecError, match=r"^no table is registered for platform 'mysys' "
                                          r"\(have: custom, linux_x86_64\)$"):
        reg.platform("mysys")


# --- Kernel.python_call: a handler's outcome becomes the trap's result -----------------------

@pytest.fixture
def linux_process(toolchain, tmp_path):
    from sysvec.runtime.machine import Machine

    m = Machine(root=make_root(tmp_path, {"/hello": toolchain.asm("hello64"),
                                          "/f.txt": b"0123456789"}))
    proc = m.spawn("/hello", stdio=(None, None, None)).pcb
    m.kernel.running = proc
    proc.mm.map(0x70000000, 4096, 3)
    proc.mm.write(0x70000000, b"/f.txt\0")
    return m.kernel, proc


def call(kernel, proc, name: str, *args) -> int:
    ffi = proc.engine.ffi
    words = ffi.new("uint64_t[17]", list(args) + [0] * (17 - len(args)))
    return kernel.python_call(number_of(proc.sysvec, name), words)


def test_python_call_returns_results_and_turns_failures_into_errno(linux_process):
    kernel, proc = linux_process
    assert call(kernel, proc, "open", 0x70000000, 2, 0) == 0        # O_RDWR: the first fd
    assert call(kernel, proc, "lseek", 0, 2**64 - 3, 2) == 7         # offset -3 from the end
    assert call(kernel, proc, "close", 0xFFFFFFFF) == -errno.EBADF  # fd -1: KernelError
    assert call(kernel, proc, "write", 0, 0xdead0000, 5) == -errno.EFAULT   # a Fault
    assert call(kernel, proc, "lseek", 0, 0, 99) == -errno.EINVAL
    assert proc.engine.cpu.stop_request == 0
    assert call(kernel, proc, "sched_yield") == 0
    assert proc.engine.cpu.stop_request == 1                         # yield asks to reschedule


def test_a_signal_a_call_makes_pending_stops_the_guest_after_the_call(linux_process):
    """kill(getpid(), SIGUSR1): the dispatcher asks the C path to stop after this call, so
    the signal is delivered before the guest's next instruction, as on Linux."""
    import signal

    kernel, proc = linux_process
    assert call(kernel, proc, "getppid") == 1 and proc.engine.cpu.stop_request == 0   # init
    assert call(kernel, proc, "kill", proc.pid, signal.SIGUSR1) == 0
    assert proc.pending and proc.engine.cpu.stop_request == 1


def test_python_call_returns_an_nt_handlers_status_and_reaches_the_shadow(mingw, tmp_path):
    from sysvec.runtime.machine import Machine

    m = Machine(root=make_root(tmp_path, {"/k32.exe": mingw("k32", 64, nostdlib=True,
                                                              libs=("-lkernel32",))}))
    proc = m.spawn("/k32.exe", stdio=(None, None, None)).pcb
    m.kernel.running = proc
    assert call(m.kernel, proc, "NtClose", 0xDEAD) == nt.STATUS_INVALID_HANDLE
    win32 = proc.sysvec.shadow
    words = proc.engine.ffi.new("uint64_t[17]")
    assert m.kernel.python_call(0x1000 | number_of(win32, "kernel32.GetCurrentProcessId"),
                                words) == proc.pid
    # Shadow call 0 (0x1000 itself): GetStdHandle(STD_OUTPUT_HANDLE) with no stdout gives
    # INVALID_HANDLE_VALUE, all ones, which the trap returns as the int64 -1.
    assert number_of(win32, "kernel32.GetStdHandle") == 0
    words[0] = 0xFFFFFFF5
    assert m.kernel.python_call(0x1000, words) == -1
    assert proc.win32.last_error == 6                                  # ERROR_INVALID_HANDLE
