"""C++ exceptions in the MSVC ABI on x64. Real MSVC-built programs from public wheels: DuckDB's
CLI (MSVC, static CRT: its own __CxxFrameHandler4 over sysvec's RtlUnwindEx, which runs the
consolidating unwind's catch callback) throws and catches on every SQL error; ruff (Rust,
x86_64-pc-windows-msvc) prints its version and finds ProcessPrng. sysvec's own vcruntime140
(_CxxThrowException, __CxxFrameHandler3) runs a program clang builds here for the MSVC ABI
(its FH3 tables, the format Rust's and LLVM's Windows code use), with no headers or libraries
but the import libraries llvm-dlltool makes: clang, not MSVC."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import PROGRAMS, make_root, missing, tblc
from test_msvc import _wheel

DUCKDB, RUFF = "duckdb-cli==1.5.6", "ruff==0.17.6"
IMPORTS = {"msvcrt": ["printf", "puts", "exit", "free", "memcpy", "memset"],
           "VCRUNTIME140": ["_CxxThrowException", "__CxxFrameHandler3", "??_7type_info@@6B@"]}


@pytest.fixture(scope="module")
def duckdb_exe():
    return next(_wheel(DUCKDB, "win_amd64").rglob("duckdb.exe"))


@pytest.fixture(scope="module")
def ruff_exe():
    return next(_wheel(RUFF, "win_amd64").rglob("ruff.exe"))


def _run(tmp_path, exe, *args):
    root = make_root(tmp_path, {f"/bin/{exe.name}": exe})
    return tblc("run", "--root", root, f"/bin/{exe.name}", *args)


def test_duckdb_runs_a_query(duckdb_exe, tmp_path):
    res = _run(tmp_path, duckdb_exe, "-c", "select 6 * 7 as answer")
    assert res.returncode == 0, res.stderr.decode()
    assert "answer" in res.stdout.decode() and "42" in res.stdout.decode()


@pytest.mark.parametrize("sql,message", [
    ("select * from nosuchtable", "Catalog Error: Table with name nosuchtable does not exist"),
    ("select error('boom')", "Invalid Input Error: boom"),
    ("select 1 +", "Parser Error: syntax error at end of input")])
def test_duckdb_catches_its_cxx_exceptions(duckdb_exe, tmp_path, sql, message):
    """Each error is a C++ exception thrown deep in the engine and caught by the shell, which
    prints it and, for -c, exits 1 (as on Windows)."""
    res = _run(tmp_path, duckdb_exe, "-c", sql)
    out = res.stdout.decode(errors="replace") + res.stderr.decode(errors="replace")
    assert message in out
    assert res.returncode == 1
    assert "unhandled exception" not in out


def test_ruff_version(ruff_exe, tmp_path):
    res = _run(tmp_path, ruff_exe, "--version")
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().strip() == "ruff 0.17.6"


def test_ruff_checks_a_file(ruff_exe, tmp_path):
    """Real work of a Rust/MSVC program: its HashMaps seeded from ProcessPrng, worker
    threads, the user's folders (userenv, shell32, combase) looked up for its settings."""
    root = make_root(tmp_path, {"/bin/ruff.exe": ruff_exe})
    (root / "src").mkdir()
    (root / "src" / "a.py").write_text("import os\nx = {1: 2}\nprint(x)\n")
    res = tblc("run", "--root", root, "/bin/ruff.exe", "check", "--no-cache",
               "--select", "F", "C:\\src\\a.py")
    out = res.stdout.decode(errors="replace")
    assert "F401" in out and "`os` imported but unused" in out, res.stderr.decode()
    assert "Found 1 error." in out
    assert res.returncode == 1


def test_ruff_finds_processprng(ruff_exe):
    res = tblc("pe-imports", ruff_exe)
    out = res.stdout.decode()
    assert "bcryptprimitives.dll: 1 of 1 provided" in out


def _clang_msvc(out, source: str, imports: dict, arch: str = "x86_64") -> object:
    """A program clang builds for the MSVC ABI (x64 or i386), linked against import libraries
    of the named DLLs and functions only (no CRT: the source has its own mainCRTStartup)."""
    for tool in ("clang++", "lld-link", "llvm-dlltool"):
        if shutil.which(tool) is None:
            missing(f"{tool} is not installed")
    libs = []
    for dll, names in imports.items():
        (out / f"{dll}.def").write_text(f"LIBRARY {dll}.dll\nEXPORTS\n" + "\n".join(names) + "\n")
        # i386: stdcall names carry @N in the object and none in the DLL (-k)
        machine = ["-m", "i386:x86-64"] if arch == "x86_64" else ["-m", "i386", "-k"]
        subprocess.run(["llvm-dlltool", *machine, "-d", str(out / f"{dll}.def"),
                        "-l", str(out / f"{dll}.lib")], check=True)
        libs.append(str(out / f"{dll}.lib"))
    obj, exe = out / f"{source}.obj", out / f"{source}.exe"
    target = "x86_64-pc-windows-msvc" if arch == "x86_64" else "i686-pc-windows-msvc"
    subprocess.run(["clang++", f"--target={target}", "-O1", "-fexceptions",
                    "-fcxx-exceptions", "-c", str(PROGRAMS / "win" / f"{source}.cpp"),
                    "-o", str(obj)], check=True)
    subprocess.run(["lld-link", "-nodefaultlib", "-entry:mainCRTStartup", "-subsystem:console",
                    f"-out:{exe}", str(obj), *libs], check=True)
    return exe


@pytest.fixture(scope="module", params=["x86_64", "i386"])
def msvcabi_exe(request, tmp_path_factory):
    """x64: FH3 through seh.py's table-based unwinding; i386: FH3 on the fs:[0] chain."""
    imports = IMPORTS
    if request.param == "i386":
        imports = {**IMPORTS, "VCRUNTIME140": ["_CxxThrowException@8", "__CxxFrameHandler3",
                                               "??_7type_info@@6B@"]}
    return _clang_msvc(tmp_path_factory.mktemp(f"msvcabi-{request.param}"), "cxx_msvcabi",
                       imports, request.param)


EXPECTED = """\
~Guard thrower
~Guard try
caught int 42
copy Derived 7
~Guard thrower
~Guard try
caught Derived by value 7 derived
~Derived 7
~Derived 7
~Guard thrower
~Guard try
caught const char* text
copy Derived 8
~Guard thrower
~Guard try
caught Derived by value 8 derived
~Derived 8
~Derived 8
~Guard thrower
~Guard deep
~Guard deep
~Guard deep
caught Base& derived through frames
~Derived 7
inner 9, rethrowing
outer derived
~Derived 9
~Guard in catch
caught double 2.5
~Guard thrower
~Guard nested try
caught derived in a catch of 3
~Derived 7
back in the catch of 3
done
"""


def test_vcruntime_frame_handler3_catches(msvcabi_exe, tmp_path):
    """Catch by value (the copy constructor runs before the unwind), by base-class reference
    through frames (their destructors run), const char *, catch(...) order, `throw;` from a
    catch to an outer try (the object destroyed once, after the outer catch), a new throw
    from inside a catch with a local to destroy, and a try/catch inside a catch block."""
    res = _run(tmp_path, msvcabi_exe)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().replace("\r\n", "\n") == EXPECTED


MSVCP_IMPORTS = {
    "msvcrt": ["printf", "puts", "exit"],
    "KERNEL32": ["CreateThread", "WaitForMultipleObjects"],
    "MSVCP140": ["_Mtx_init_in_situ", "_Mtx_lock", "_Mtx_trylock", "_Mtx_unlock",
                 "_Mtx_current_owns", "_Cnd_init_in_situ", "_Cnd_wait", "_Cnd_signal",
                 "_Cnd_broadcast", "_Thrd_id", "_Query_perf_counter", "_Query_perf_frequency"]}


def test_msvcp140_mutexes_and_condition_variables(tmp_path_factory, tmp_path):
    """std::mutex's and std::condition_variable's calls from 5 threads: a recursive mutex
    guarding a counter, a bounded producer/consumer queue on two condition variables."""
    exe = _clang_msvc(tmp_path_factory.mktemp("msvcp"), "msvcp_threads", MSVCP_IMPORTS)
    res = _run(tmp_path, exe)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().replace("\r\n", "\n") == (
        "counter 4000\nconsumed 1275\ntrylock while held: 3, owns: 1\n"
        "owns after unlock: 0\nclock: ok\nthread id: ok\n")


MSVCP_SUPPORT = [
    "?set_new_handler@std@@YAP6AXXZP6AXXZ@Z", "?get_new_handler@std@@YAP6AXXZXZ",
    "??0_Lockit@std@@QEAA@H@Z", "??1_Lockit@std@@QEAA@XZ", "?_Lockit_ctor@_Lockit@std@@SAXH@Z",
    "?_Lockit_dtor@_Lockit@std@@SAXH@Z", "?_Winerror_map@std@@YAHH@Z",
    "?_Syserror_map@std@@YAPEBDH@Z", "?_Winerror_message@std@@YAKKPEADK@Z",
    "__std_system_error_allocate_message", "__std_system_error_deallocate_message",
    "?_Xbad_alloc@std@@YAXXZ", "?_Xlength_error@std@@YAXPEBD@Z",
    "?_Xout_of_range@std@@YAXPEBD@Z", "?_Xruntime_error@std@@YAXPEBD@Z",
    "?_Xbad_function_call@std@@YAXXZ", "?_Throw_Cpp_error@std@@YAXH@Z"]


I386_THROWERS = ["?_Xbad_alloc@std@@YAXXZ", "?_Xlength_error@std@@YAXPBD@Z",
                 "?_Xout_of_range@std@@YAXPBD@Z", "?_Xruntime_error@std@@YAXPBD@Z",
                 "?_Xbad_function_call@std@@YAXXZ", "?_Throw_Cpp_error@std@@YAXH@Z"]


@pytest.mark.parametrize("arch", ["x86_64", "i386"])
def test_msvcp140_support_code_by_its_cxx_names(tmp_path_factory, tmp_path, arch):
    """The exports with C++ decorated names (a table entry's quoted export name): the new
    handler, _Lockit, the error maps and messages the STL's error categories use (x64), and
    the standard exceptions the _X functions throw, caught by the program's own types (i386
    has them too: an i386 std::vector's length_error stopped the program)."""
    imports = {**IMPORTS, "MSVCP140": MSVCP_SUPPORT}
    if arch == "i386":
        imports = {**IMPORTS, "VCRUNTIME140": ["_CxxThrowException@8", "__CxxFrameHandler3",
                                               "??_7type_info@@6B@"], "MSVCP140": I386_THROWERS}
    exe = _clang_msvc(tmp_path_factory.mktemp("msvcp-support"), "msvcp_support", imports, arch)
    res = _run(tmp_path, exe)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        *(["new handler 1 1 1", "locks taken and released",
           "winerror 2 13 17 107 0",        # ENOENT EACCES EEXIST ECONNREFUSED (MSVC's), none
           "syserror [no such file or directory] [read only file system] [unknown error]",
           "message 17 [Access is denied.] small 0",
           "allocated 42 [The system cannot find the file specified.] none 0 1"]
          if arch == "x86_64" else []),
        "length_error: vector too long", "as logic_error: invalid string position",
        "as exception: runtime", "bad_alloc: bad allocation",
        "bad_function_call: bad function call",
        "system_error 36: resource deadlock would occur: resource deadlock would occur"]


class _MappedImage:
    """An image's memory as the PE loader maps it (pefile's mapped image), at its base."""

    def __init__(self, image: bytes, base: int):
        self.image, self.base = image, base

    def read(self, addr: int, n: int) -> bytes:
        return self.image[addr - self.base:addr - self.base + n]

    def read_u32(self, addr: int) -> int:
        return int.from_bytes(self.read(addr, 4), "little")


def test_fh4_tables_of_msvc_code_decode(duckdb_exe):
    """__CxxFrameHandler4's compressed tables as VS2022 wrote them for DuckDB's 20,000-odd C++
    functions: each decodes, its unwind states chain backwards, its IP-to-state map ascends
    within the states, and each try block's catch state lies beyond its body's."""
    import struct
    from types import SimpleNamespace

    import pefile

    from sysvec.runtime.win32.cxxeh import read_fh4

    pe = pefile.PE(str(duckdb_exe), fast_load=True)
    base = pe.OPTIONAL_HEADER.ImageBase
    image = pe.get_memory_mapped_image()
    p = SimpleNamespace(mm=_MappedImage(image, base))
    pdata = pe.OPTIONAL_HEADER.DATA_DIRECTORY[3]
    by_handler: dict[int, list] = {}
    for at in range(pdata.VirtualAddress, pdata.VirtualAddress + pdata.Size - 11, 12):
        _, _, unwind = struct.unpack_from("<III", image, at)
        flags, count = image[unwind] >> 3, image[unwind + 2]
        if unwind & 1 or not flags & 3 or flags & 4:
            continue
        handler_at = unwind + 4 + 2 * ((count + 1) & ~1)
        handler = struct.unpack_from("<I", image, handler_at)[0]
        by_handler.setdefault(handler, []).append(dict(base=base, entry=base + at,
                                                      data=base + handler_at + 4))
    # The two handlers with most functions are FH4's (and its /GS variant, whose data starts
    # the same way); every one of their functions' tables must decode.
    decoded = 0
    for functions in sorted(by_handler.values(), key=len, reverse=True)[:2]:
        for d in functions:
            info = read_fh4(p, d)
            assert info is not None, hex(d["entry"])
            n = len(info.actions)
            assert all(-1 <= a.prev < i for i, a in enumerate(info.actions))
            assert all(-1 <= s < n for _, s in info.ipmap)
            assert [a for a, _ in info.ipmap] == sorted(a for a, _ in info.ipmap)
            for t in info.tries:
                assert 0 <= t.low <= t.high < t.catch_level <= n
                assert all(base < c.handler < base + len(image) for c in t.catches)
            decoded += 1
    assert decoded > 20000


def test_uncaught_cxx_exception_ends_the_process(tmp_path_factory, tmp_path):
    exe = _clang_msvc(tmp_path_factory.mktemp("uncaught"), "cxx_terminate", IMPORTS)
    res = _run(tmp_path, exe)
    assert res.stdout.decode().replace("\r\n", "\n") == "start\n"
    assert res.returncode == 0xE06D7363 & 0xFF
    assert "unhandled exception 0xe06d7363" in res.stderr.decode()


RTTI_EXPECTED = """\
0: circle yes, named no
1: circle no, named no
2: circle no, named named
up cast: same, kind circle
caught bad_cast: Bad dynamic_cast!
caught: Bad dynamic_cast!
typeid: struct Circle (a Circle)
typeid: struct Square
typeid: struct Labelled
typeid(int): int
raw_name: .?AUCircle@@ .?AULabelled@@
diamond: down same, extra 5, right 3, typeid struct Diamond
void cast of the virtual base: complete object
void cast: complete object
hash_code: consistent
caught bad_typeid: Attempted a typeid of nullptr pointer!
done
"""


@pytest.mark.parametrize("arch", ["x86_64", "i386"])
def test_dynamic_cast_typeid_and_the_runtimes_exceptions(tmp_path_factory, tmp_path, arch):
    """__RTDynamicCast: a downcast that holds and one that does not (NULL), a cross cast
    between two bases (the pointer moves), casts through a diamond's virtual base, and failed
    reference casts: std::bad_cast thrown by the runtime, caught as itself and as
    std::exception, its what() called through the object's vftable. typeid of objects
    (__RTtypeid) with type_info::name(), raw_name() and ==, and of NULL: std::bad_typeid.
    dynamic_cast<void *> (__RTCastToVoid) and hash_code() (__std_type_info_hash), which
    Cloudflare's workerd imports. The same on i386, whose RTTI holds absolute pointers (a
    32-bit MSVC program, z3 among them, stopped at its first dynamic_cast)."""
    throw = "_CxxThrowException" if arch == "x86_64" else "_CxxThrowException@8"
    imports = {**IMPORTS, "VCRUNTIME140": [throw, "__CxxFrameHandler3", "??_7type_info@@6B@",
        "__RTDynamicCast", "__RTtypeid", "__std_type_info_compare", "__std_type_info_name",
        "__std_terminate", "__RTCastToVoid", "__std_type_info_hash"]}
    exe = _clang_msvc(tmp_path_factory.mktemp(f"rtti-{arch}"), "cxx_rtti", imports, arch)
    res = _run(tmp_path, exe)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().replace("\r\n", "\n") == RTTI_EXPECTED


SEH_EXPECTED = ["filter middle: c0000005", "filter outer: c0000005", "inner finally (abnormal 1)",
                "outer handler, finally ran 1", "filter raise: e0000001",
                "raised exception handled", "try body", "normal finally (abnormal 0)"]


@pytest.mark.parametrize("handler", ["_except_handler3", "_except_handler4"])
def test_i386_try_except_finally_through_the_scope_table_handlers(tmp_path, handler):
    """__try/__except/__finally compiled for i686-pc-windows-msvc: a filter that declines, one
    that takes a fault two frames down after the __finally between ran, RaiseException, a
    __finally left normally. clang's frames use msvcrt's _except_handler3; with the
    personality renamed in its IR, the EH4 form every MSVC program's frames use, through
    vcruntime140's _except_handler4_common (which was missing: a 32-bit MSVC program's
    exception ended at the import)."""
    for tool in ("clang", "lld-link", "llvm-dlltool"):
        if shutil.which(tool) is None:
            missing(f"{tool} is not installed")
    eh4 = handler == "_except_handler4"
    imports = {"msvcrt": ["printf", "puts", "exit", "_except_handler3"],
               "kernel32": ["RaiseException@16"], "vcruntime140": ["_except_handler4_common"]}
    libs = []
    for dll, names in imports.items():
        (tmp_path / f"{dll}.def").write_text(f"LIBRARY {dll}.dll\nEXPORTS\n" + "\n".join(names) + "\n")
        subprocess.run(["llvm-dlltool", "-m", "i386", "-k", "-d", str(tmp_path / f"{dll}.def"),
                        "-l", str(tmp_path / f"{dll}.lib")], check=True)
        libs.append(str(tmp_path / f"{dll}.lib"))
    ir, obj, exe = tmp_path / "seh.ll", tmp_path / "seh.obj", tmp_path / "seh.exe"
    cc = ["clang", "--target=i686-pc-windows-msvc", "-O1"]
    subprocess.run([*cc, *(["-DEH4"] if eh4 else []), "-S", "-emit-llvm",
                    str(PROGRAMS / "win" / "seh_scopes.c"), "-o", str(ir)], check=True)
    if eh4:     # clang names only _except_handler3; LLVM lays out EH4 for _except_handler4
        text = ir.read_text().replace("declare dso_local i32 @_except_handler3(...)\n", "")
        text = text.replace("bitcast (i32 (...)* @_except_handler3 to i8*)",     # typed
                            "bitcast (i32 (i8*, i8*, i8*, i8*)* @_except_handler4 to i8*)")
        ir.write_text(text.replace("@_except_handler3", "@_except_handler4"))   # opaque pointers
    subprocess.run([*cc, "-c", str(ir), "-o", str(obj)], check=True)
    subprocess.run(["lld-link", "-nodefaultlib", "-entry:mainCRTStartup", "-subsystem:console",
                    f"-out:{exe}", str(obj), *libs], check=True)
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == SEH_EXPECTED + (["cookies checked: 1"] if eh4 else [])
