"""Real PE programs built by mingw-w64 on both architectures: kernel32-only, ntdll called
directly, the default C runtime, files, and Windows and Linux processes on one core."""
from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from conftest import MINGW, WIN, make_root, missing, tblc


@pytest.mark.parametrize("bits", [32, 64])
def test_kernel32_only_program(mingw, bits):
    res = tblc("run", "--trace", mingw("k32", bits, nostdlib=True, libs=("-lkernel32",)))
    assert res.returncode == 7, res.stderr
    assert res.stdout == b"hello from kernel32\n"
    err = res.stderr.decode()
    assert "kernel32.WriteFile(" in err
    assert '  NtWriteFile(0x8, 0x0, NULL, NULL, ' in err   # kernel32 ends in the NT service


@pytest.mark.parametrize("bits,table", [(32, "nt_x86"), (64, "nt_x64")])
def test_program_calling_ntdll_directly(mingw, bits, table):
    res = tblc("run", "--trace", mingw("ntdirect", bits, nostdlib=True, libs=("-lntdll",)))
    assert res.returncode == 5, res.stderr
    assert res.stdout == b"hello from ntdll\n"
    err = res.stderr.decode()
    assert f": {table}" in err
    assert 'NtWriteFile(0x8, 0x0, NULL, NULL, ' in err and \
        '"hello from ntdll\\n", 17, NULL, NULL) = STATUS_SUCCESS' in err


@pytest.mark.parametrize("bits", [32, 64])
def test_default_crt_program(mingw, bits):
    res = tblc("run", mingw("crt", bits), "world", "9")
    assert res.returncode == 9, res.stderr
    assert res.stdout == b"hello world: argc=3 hex=beef char=w neg=-17\n"
    assert res.stderr == b"to stderr 00042\n"


@pytest.mark.parametrize("bits", [32, 64])
def test_files_inside_the_root(mingw, bits, tmp_path):
    root = make_root(tmp_path, {"/files.exe": mingw("files", bits)})
    res = tblc("run", "--trace", "--root", root, "/files.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "read back 19: written by windows", "escape: refused 3", "missing dir: 3"]
    assert (root / "data.txt").read_text() == "written by windows\n"
    assert not (tmp_path / "outside.txt").exists() and not (root.parent / "outside.txt").exists()
    assert "NtCreateFile(" in res.stderr.decode()


def test_linux_process_execs_a_windows_program(mingw, toolchain, tmp_path):
    root = make_root(tmp_path, {"/bin/spawn": toolchain.c("spawn"),
                                "/crt.exe": mingw("crt", 32)})
    res = tblc("run", "--trace", "--root", root, "/bin/spawn", "/crt.exe", "from-linux", "4")
    assert res.returncode == 0, res.stderr
    out = res.stdout.decode()
    assert "hello from-linux: argc=3" in out and "child done: exit 4" in out
    assert "exec /crt.exe: linux_x86_64 -> nt_x86" in res.stderr.decode()


def test_elf_and_pe_interleave_on_one_core(mingw, toolchain, tmp_path, busybox):
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/crt64.exe": mingw("crt", 64),
                                "/crt32.exe": mingw("crt", 32)})
    res = tblc("run", "--trace", "--root", root, "/bin/busybox", "sh", "-c",
               "/crt64.exe a & /crt32.exe b & for i in 1 2 3; do echo linux $i; done; wait")
    assert res.returncode == 0, res.stderr
    out = res.stdout.decode()
    assert "hello a: argc=2" in out and "hello b: argc=2" in out
    assert [l for l in out.splitlines() if l.startswith("linux")] == ["linux 1", "linux 2", "linux 3"]
    err = res.stderr.decode()
    assert "-> nt_x64" in err and "-> nt_x86" in err


def test_malformed_pe_is_enoexec_with_a_reason(tmp_path, mingw):
    good = mingw("crt", 32).read_bytes()
    for name, data, why in [
            ("trunc.exe", good[:300], "truncated PE file: 0 of "),   # then the section count
            ("mz.exe", b"MZ" + b"\0" * 100, "malformed PE file: 'Invalid NT Headers signature.'\n"),
            ("badmachine.exe", good[:0x84] + b"\x00\x02" + good[0x86:],
             "PE for machine 0x200, not x86\n")]:
        path = tmp_path / name
        path.write_bytes(data)
        path.chmod(0o755)
        res = tblc("run", path)
        assert res.returncode == 126, (name, res.stderr)   # ENOEXEC, as a Linux shell reports it
        assert res.stderr.startswith(f"tblc: /{name}: {why}".encode()), res.stderr


@pytest.mark.parametrize("bits", [32, 64])
def test_c_runtime_stdio_strings_and_environment(mingw, bits, tmp_path):
    root = make_root(tmp_path, {"/stdio.exe": mingw("stdio", bits)})
    res = tblc("run", "--env", "SYSVEC_DEMO=yes", "--root", root, "/stdio.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "got: line 1", "got: second two", "snprintf 20 [0003.142|ab   |   42]",
        "strtol 31 rest z", "rand repeats yes, upper Q, digit 1", "env yes", "removed yes"]
    assert not (root / "notes.txt").exists()


@pytest.mark.parametrize("bits", [32, 64])
def test_kernel32_memory_heap_time_and_stdin(mingw, bits):
    res = tblc("run", mingw("k32misc", bits), "xyzzy", input=b"from stdin\n")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "virtual committed=1 protect=1 old=4", "freed=1", "heap zero=1 freed=1", "slept=1",
        "cmdline has arg=1", "read 11: from stdin"]


def test_image_is_relocated_when_its_base_is_taken(mingw, tmp_path):
    import pefile

    from sysvec.runtime.binfmt.pe import map_image
    from sysvec.runtime.machine import Machine
    from sysvec.runtime.mm import AddressSpace

    exe = mingw("crt", 32)
    data = exe.read_bytes()
    pe = pefile.PE(data=data)
    m = Machine(root=tmp_path)
    mm = AddressSpace(m.kernel.engine(32))
    first = map_image(mm, pe, data, "a.exe")
    second = map_image(mm, pe, data, "b.exe")
    assert first == pe.OPTIONAL_HEADER.ImageBase and second != first
    delta = second - first
    block = pe.DIRECTORY_ENTRY_BASERELOC[0]
    fixups = [e.rva for e in block.entries if e.type == 3][:5]
    assert fixups
    for rva in fixups:
        a = int.from_bytes(mm.read(first + rva, 4), "little")
        b = int.from_bytes(mm.read(second + rva, 4), "little")
        assert b - a == delta
    mm.release()


def test_windows_crash_reports_the_nt_exception(mingw):
    res = tblc("run", mingw("crash", 64))
    assert res.returncode == 139
    assert res.stdout == b"before the crash\n"
    assert b"STATUS_ACCESS_VIOLATION (SIGSEGV)" in res.stderr and b"bad read in the page at 0x0" in res.stderr


@pytest.mark.parametrize("bits", [32, 64])
def test_crt_calls_back_into_the_program_and_more_of_the_library(mingw, bits):
    """qsort/bsearch call the comparator and exit runs the atexit functions (last first)
    through guest calls from the handlers; and strtok, scanf (ungetc), time, environment."""
    res = tblc("run", mingw("callbacks", bits), input=b"3 4\n")
    assert res.returncode == 5, res.stderr
    assert res.stdout.decode().splitlines() == [
        "-50 -7 0 3 3 19 42 100 ", "apple banana fig pear", "bsearch 19 absent",
        "[a][b][c][d] spn 3 cspn 4 pbrk -q", "itoa -255 MIXED punct 1 0 print 0",
        "year ok 1, mktime ok 1", "sum 7", "env 5 hello getenv hello", "fseek -3 -> 7",
        "wc2mb 5 wide", "strtol 2147483647 erange 1", "main returns", "atexit 2", "atexit 1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_a_missing_import_is_named_when_called(mingw, bits):
    exe = mingw("missing", bits, libs=("-lole32", "-luuid"))
    res = tblc("run", exe)
    assert (res.returncode, res.stdout, res.stderr) == (3, b"before\nafter\n", b"")
    res = tblc("run", exe, "label")
    assert res.returncode == 128 + 31, res.stderr   # SIGSYS, as a bad system call
    assert res.stdout == b"before\n"
    assert b"called KERNEL32.dll!SetVolumeLabelW, which sysvec does not provide" in res.stderr
    # A DLL sysvec generates is not the program's own, whichever way it was loaded.
    res = tblc("run", exe, "com")
    assert res.returncode == 128 + 31, res.stderr
    assert b"called ole32.dll!CoTreatAsClass, which sysvec does not provide" in res.stderr


@pytest.mark.parametrize("bits", [32, 64])
def test_heap_grows_in_place_and_gives_large_blocks_back(mingw, bits):
    res = tblc("run", mingw("heapgrow", bits))
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"built 300000\nhuge ok\n"


@pytest.mark.parametrize("bits", [32, 64])
def test_functions_returning_a_double(mingw, bits):
    res = tblc("run", mingw("floats", bits))
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"3.25 -1500.0 rest=xyz 0.0 sum=-1496.749\n"


@pytest.mark.parametrize("bits", [32, 64])
def test_cxx_program_with_static_libstdcxx(mingw, bits):
    """libstdc++'s start-up creates and waits on a semaphore (single-threaded sync objects);
    its exception is caught through DWARF tables on i386 and through SEH on x64 (RaiseException,
    the unwind tables, __gxx_personality_seh0 and RtlUnwindEx)."""
    res = tblc("run", mingw("cxx", bits))
    assert (res.returncode, res.stdout) == (0, b"map 3\ncaught boom\n"), res.stderr


@pytest.mark.parametrize("bits", [32, 64])
def test_setjmp_and_longjmp(mingw, bits):
    res = tblc("run", mingw("jumps", bits))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "setjmp returned 0 (tries 0)", "setjmp returned 42 (tries 1)", "setjmp returned 42 (tries 2)"]


@pytest.mark.parametrize("bits", [32, 64])
def test_low_level_io_and_div(mingw, bits):
    res = tblc("run", mingw("lowio", bits))
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"end 13 read 7 [low io] div -3 -2 ldiv 14 2\ndirect\n"


def test_long_command_lines(mingw):
    exe = mingw("cmdline", 64)
    res = tblc("run", exe, "a" * 20000)
    assert res.returncode == 0, res.stderr
    argc, arg_len, line_len = map(int, res.stdout.split())
    assert (argc, arg_len) == (2, 20000) and line_len == 20000 + 1 + len("C:\\" + exe.name)
    res = tblc("run", exe, "b" * 40000)
    assert res.returncode == 126 and b"longer than Windows allows" in res.stderr   # E2BIG


@pytest.mark.parametrize("bits", [32, 64])
def test_arguments_survive_the_command_line(mingw, bits):
    """argv becomes one Windows command line and back (the CRT's split and CommandLineToArgvW
    agree): blanks, empty arguments, quotes, backslashes before a quote and at the end."""
    args = ["x y", "", 'q"uote', "back\\\\", 'a\\"b', "p q\\", 'require("w")']
    res = tblc("run", mingw("args", bits, libs=("-lshell32",)), *args)
    assert res.returncode == 0, res.stderr
    brackets = "".join(f"[{a}]" for a in args)
    assert res.stdout.decode().splitlines() == [brackets, "1" + brackets]


@pytest.mark.parametrize("bits", [32, 64])
def test_single_threaded_sync_objects(mingw, bits):
    res = tblc("run", mingw("sync", bits))
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"event 102 0 0 102 sem 0 102 1(0) 0 mutex 0 1 0 close 1\n"


@pytest.mark.parametrize("bits", [32, 64])
def test_directory_helpers_and_system(mingw, bits):
    res = tblc("run", mingw("dirs", bits))
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"0 -1 0 C:\\sub 0 -1 0 0 system(NULL)=1 system=0\n"


@pytest.mark.parametrize("bits", [32, 64])
def test_wide_classes_nan_wcstombs_and_mktemp(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/crt.exe": mingw("crt_classes", bits)})
    res = tblc("run", "--root", root, "/crt.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        # alpha digit space upper lower punct alnum xdigit, for "aZ5 ,\t\u00e9"
        "10001011 10010010 01000011 00100000 00000100 00100000 10000010 ",
        "isnan 1 0 finite 1 0 0",
        "wcstombs 5 plain 1",
        "mktemp 1 1 1",
    ]
    assert not list(root.glob("tmp*"))


@pytest.mark.parametrize("bits", [32, 64])
def test_commands_through_cmd_exe(mingw, tmp_path, bits):
    """system() and _popen run cmd.exe /c (the generated one in System32): exit codes,
    && || &, redirections (2>&1, >nul, a file), a pipeline into the program, %VAR%, cd, and
    cmd's answer for an unknown command (9009)."""
    root = make_root(tmp_path, {"/shell.exe": mingw("shell", bits)})
    res = tblc("run", "--root", root, "--cwd", "/", "/shell.exe", timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "shell=1",
        "child 7", "status=7",
        "child 0", "and-ran ", "status=0",     # cmd keeps the blank before ||
        "child 3", "or-ran", "status=0",
        "to-file ", "status=0",      # and the one before &
        "level 0", "status=0",            # %ERRORLEVEL% expands when the line is read
        "PIPED WORDS", "status=0",
        "status=9009",
        "read: child 2", "pclose=2",
        "WRITTEN THROUGH A PIPE", "pclose=0",
        "quoted", "status=0",
        "hi there ", "C:\\sub",
    ]
    assert res.stderr == b""
    assert (root / "sub").is_dir() and not (root / "out.txt").exists()


@pytest.mark.parametrize("bits", [32, 64])
def test_file_io_at_an_overlapped_offset(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/offsets.exe": mingw("file_offsets", bits)})
    res = tblc("run", "--root", root, "--cwd", "/", "/offsets.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "pointer=4", "read=10 01abXY6789 pointer=10", "past end ok=0 n=0 err=38"]


@pytest.mark.parametrize("bits", [32, 64])
def test_acls_sids_and_restricted_tokens(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/acl.exe": mingw("acl", bits, libs=("-ladvapi32",))})
    res = tblc("run", "--root", root, "--cwd", "/", "/acl.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "sids 1 len=16 count=2 rid=544 valid=1",
        "acl count=2 used=52 free=204 ace1 flags=1 mask=10000000 admins=1 valid=1",
        "after AddAce count=3",
        "sd present=1 same=1 defaulted=0",
        "restricted 1 default dacl 1 aces=2",
        "set dacl 1",
        "restricted child child",
        "as user 1 exit=5",
    ]


@pytest.mark.parametrize("bits", [32, 64])
def test_a_named_pipe_between_two_processes(mingw, tmp_path, bits):
    """The pipe's name is the machine's: a client process opens what a server process made,
    ending the server's blocking ConnectNamedPipe (PostgreSQL's signal pipe works so)."""
    root = make_root(tmp_path, {"/np.exe": mingw("named_pipe_processes", bits)})
    res = tblc("run", "--root", root, "/np.exe", timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == ["server connected=1 got ping", "client got pong"]


@pytest.mark.parametrize("bits", [32, 64])
def test_critical_sections_under_contention(mingw, tmp_path, bits):
    """Four threads add to one counter in a critical section, yielding while they hold it:
    no two are ever inside, no addition is lost; recursion; TryEnter from another thread
    fails while the section is held and succeeds once it is free (the free and own cases
    run as machine code in the generated kernel32, a waiter through the trap)."""
    root = make_root(tmp_path, {"/cs.exe": mingw("critical_sections", bits)})
    res = tblc("run", "--root", root, "/cs.exe", timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "counter=8000 overlap=0", "held once more: other try=0", "free: other try=1 own try=1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_waiting_for_a_busy_named_pipe(mingw, tmp_path, bits):
    """CallNamedPipe and WaitNamedPipe wait while every instance of the name is busy (the
    server makes its next one later); a name no server has fails at once with
    ERROR_FILE_NOT_FOUND, a wait that outlasts its time with ERROR_SEM_TIMEOUT, and the name
    is gone with its last instance (pg_ctl's signals to its server)."""
    root = make_root(tmp_path, {"/pw.exe": mingw("pipe_wait", bits)})
    res = tblc("run", "--root", root, "/pw.exe", timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "no server: 0 error=2", "call 0: 1 answer=b n=1", "call 1: 1 answer=c n=1",
        "short wait: 0 error=121", "default wait: 1", "long wait: 1", "call 2: 1 answer=d",
        "gone: 0 error=2"]


@pytest.mark.parametrize("bits", [32, 64])
def test_guard_pages_and_version_resources(mingw, tmp_path, bits):
    """A PAGE_GUARD page faults once with STATUS_GUARD_PAGE_VIOLATION and is read-write
    after; in the thread's own stack the fault is STATUS_STACK_OVERFLOW (HotSpot's yellow
    zone); VirtualQuery and VirtualProtect show the guard. GetFileVersionInfo gives a
    generated system DLL Windows' version, and a program without one ERROR_RESOURCE_TYPE_NOT_FOUND."""
    root = make_root(tmp_path, {"/guard.exe": mingw("guard_pages", bits, libs=("-lversion",))})
    res = tblc("run", "--root", root, "/guard.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "guarded protect=0x104 old=0x4", "first touch: 0x80000001 value=x",
        "second touch: 0 protect=0x4", "old of a guarded page=0x102", "stack guard: 0xc00000fd",
        "kernel32 10.0.19045", "company Microsoft Corporation", "own: size=0 error=1813"]


@pytest.mark.parametrize("bits,libs", [(32, ()), (64, ()), (64, ("-lucrt",))])
def test_text_mode_reads_turn_crlf_into_lf(mingw, tmp_path, bits, libs):
    """fopen's "r" (msvcrt and the UCRT): fgets and fread give LF for CRLF, "rb" the bytes;
    a lone CR stays, and the end of the file is where the raw bytes end."""
    root = make_root(tmp_path, {"/tm.exe": mingw("text_mode", bits, libs=libs)})
    res = tblc("run", "--root", root, "--cwd", "/", "/tm.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "text line:one\\n", "text line:two\\n", "text line:lone\\rcr\\n", "text line:last",
        "binary line:one\\r\\n", "text fread 4:one\\n",
        "text fread rest:two\\nlone\\rcr\\nlast", "eof=1", "items=100 last=0 eof=1"]


def test_batch_blocks_loops_and_arithmetic(tmp_path):
    """cmd's blocks in parentheses across lines (and with a redirection), if/else and nested
    ifs, every form of for (files, /d, /l, /r, /f over a file, a string and a command's
    output), delayed expansion, set /a, `call :label` from a loop and ^ continuing a line."""
    root = make_root(tmp_path, {
        "/loops.bat": (WIN / "batch" / "loops.bat").read_bytes(),
        "/sub/one.txt": b"a\n", "/sub/two.txt": b"b\n", "/sub/deep/three.txt": b"c\n",
        "/data.csv": b"name;value\n# comment\nalpha,1,first one\n;skipped\nbeta,2,second\n",
    })
    (root / "loops.bat").chmod(0o755)
    res = tblc("run", "--root", root, "/loops.bat")
    assert res.returncode == 0, res.stderr
    assert res.stderr == b""
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "block one", "block two", "right", "nested if",
        "file one.txt", "file two.txt", "dir sub",
        "n=1", "n=3", "n=5", "n=7", "down=3", "down=2", "down=1",
        "tree one.txt", "tree two.txt", "tree three.txt",
        "[# comment] [] []", "[alpha] [first one] []", "[beta] [second] []",
        "from a string", "from a command: outer", "line: one", "line: two",
        "colour red", "colour green", "  that is green", "colour blue sky",
        "last=a n=1", "last=b n=2", "last=c n=3", "N=3 M=1 K=16", "after endlocal N=.",
        "inside ", "also", "twice 1 is 2", "twice 2 is 4", "done continued"]


def test_batch_parsing_quirks(tmp_path):
    """A for's or an if's body has the line's & and redirections; a loop's values are data
    (a line "a > b" makes no file, "x & del" deletes nothing); ^ escapes survive into a
    block; `@IF ... (` and `) else if ... (` open blocks; a rem line's parentheses do not
    count; set /a 08 is cmd's invalid number, not a crash; for leaves ERRORLEVEL."""
    batch = WIN / "batch"
    root = make_root(tmp_path, {"/quirks.bat": (batch / "quirks.bat").read_bytes(),
                                "/sub/one.txt": b"", "/sub/two.txt": b"", "/gone.txt": b"",
                                "/tricky.txt": b"a > b\nx & del gone.txt\nR&D (1).txt\n"})
    (root / "quirks.bat").chmod(0o755)
    res = tblc("run", "--root", root, "--cwd", "/", "/quirks.bat")
    assert res.returncode == 3, res.stderr
    assert res.stderr == b""
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "one.txt", "two.txt", "1", "x", "2", "x",
        "[a > b]", "[x & del gone.txt]", "[R&D (1).txt]", "gone.txt is still here",
        "invalid number", "<html>", "at-if opened a block", "else-if b",
        "for keeps errorlevel 3"]
    assert not (root / "b").exists() and (root / "gone.txt").exists()


def test_batch_input_and_start(tmp_path):
    """set /p reads a line from a redirected file or standard input (its prompt written as
    it is, blank and all; no line leaves the variable unset, ERRORLEVEL 1); start runs a
    program or batch file, in a directory with /d, and /wait gives its exit code."""
    batch = WIN / "batch"
    root = make_root(tmp_path, {"/input.bat": (batch / "input.bat").read_bytes(),
                                "/inner.bat": (batch / "inner.bat").read_bytes(),
                                "/data.csv": b"name;value\nalpha\n", "/sub/x": b""})
    (root / "input.bat").chmod(0o755)
    res = tblc("run", "--root", root, "/input.bat", input=b"Ada\n")
    assert res.returncode == 6, res.stderr
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "first=[name;value]", "Your name? hello [Ada]", "more=[] 1", "C:\\sub", "waited 4",
        "inner with 6", "after the batch file 6"]


def test_a_batch_file_runs_as_a_program(mingw, tmp_path):
    """`tblc run` of a .bat file (by its path in the root, or its Windows name on drive C:),
    and CreateProcess of one from a Windows program, start
    cmd.exe /c with the file and its arguments, as Windows does; the exit code is the
    batch file's."""
    root = make_root(tmp_path, {
        "/bin/spawn.exe": mingw("spawn", 64),
        "/job.bat": b"@echo off\r\necho job %1 [%~2] %3\r\nexit /b 7\r\n",
    })
    (root / "job.bat").chmod(0o755)
    res = tblc("run", "--root", root, "/job.bat", "one", "two words", "three")
    assert res.returncode == 7, res.stderr
    assert res.stdout.decode().replace("\r\n", "\n") == "job one [two words] three\n"
    res = tblc("run", "--root", root, "C:\\job.bat", "by", "its Windows name")   # drive C:
    assert res.stdout.decode().replace("\r\n", "\n") == "job by [its Windows name] \n"
    res = tblc("run", "--root", root, "/bin/spawn.exe", "C:\\job.bat", "x", '"y z"')
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "job x [y z] ", "exit code 0x7"], res.stderr


@pytest.mark.parametrize("bits", [32, 64])
def test_fscanf_and_scanf_of_the_ucrt(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/fscanf.exe": mingw("fscanf", bits, libs=("-lucrt",))})
    res = tblc("run", "--root", root, "--cwd", "/", "/fscanf.exe", input=b"1\n2\n3 4\n")
    assert res.returncode == 0, res.stderr
    # ftell counts the byte ungetc put back (C11 7.21.7.10): 9, the file's "512 17\n33 x"
    # as sysvec writes text files, without Windows' CR before each LF (there: 10)
    assert res.stdout.decode().splitlines() == ["1 512 17 33 2 9 x 1 -1", "stdin count=4 sum=10"]


def test_batch_files_through_cmd_exe(mingw, tmp_path):
    """A .bat file run by cmd.exe: arguments and their ~ forms, a `call :label` subroutine and
    `exit /b`, another batch file called, if (string, not, exist), shift, goto, setlocal and
    endlocal; with echo on, each line is shown after the prompt."""
    batch = WIN / "batch"
    root = make_root(tmp_path, {"/bin/run.exe": mingw("run_system", 64),
                                "/bin/main.bat": (batch / "main.bat").read_bytes(),
                                "/bin/inner.bat": (batch / "inner.bat").read_bytes(),
                                "/bin/loud.bat": b"echo on-line\r\n"})
    res = tblc("run", "--root", root, "--cwd", "/bin", "/bin/run.exe",
               'main x "b c" d & echo back')
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        'args x [b c] all=x "b c" d', "dir=C:\\bin\\ name=main.bat",
        "in sub one two words", "after sub errorlevel=7",
        "first is x", "first is not y", "inner exists",
        "inner with 5", "inner gave 5", 'shifted "b c"',
        "name now []", "back", "status=0"]
    assert res.stderr == b""
    res = tblc("run", "--root", root, "--cwd", "/bin", "/bin/run.exe", "loud")
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "", "C:\\bin>echo on-line", "on-line", "status=0"]


def test_cmd_finds_commands_by_pathext(mingw, tmp_path):
    """cmd looks for a command in the current directory, then each PATH directory, trying
    every PATHEXT extension in turn: npm's bin directory holds `tool` (a #!/bin/sh script),
    `tool.cmd` and `tool.ps1`, and `tool` runs tool.cmd, from PATH, the current directory or
    a relative path; a .cmd earlier in PATH wins over an .exe later; PATHEXT's order is
    what decides within a directory; a batch file in a pipeline runs in a cmd of its own."""
    root = make_root(tmp_path, {
        "/bin/run.exe": mingw("run_system", 64),
        "/w/bin/tool": b"#!/bin/sh\nexec node tool.js \"$@\"\n",
        "/w/bin/tool.cmd": b"@echo from-tool.cmd %*\r\n",
        "/w/bin/tool.ps1": b"Write-Output ps1\r\n",
        "/w/first/both.cmd": b"@echo both.cmd came first\r\n",
        "/w/second/both.exe": mingw("args", 64), "/bin/lines.exe": mingw("fgets_eof", 64),
        "/w/order/pick.bat": b"@echo pick.bat\r\n", "/w/order/pick.cmd": b"@echo pick.cmd\r\n",
    })
    (root / "w" / "bin" / "tool").chmod(0o755)

    def system(command: str, cwd: str = "/w") -> list[str]:
        res = tblc("run", "--root", root, "--cwd", cwd, "/bin/run.exe", command)
        assert res.returncode == 0, res.stderr
        return res.stdout.decode().replace("\r\n", "\n").splitlines()
    assert system("set PATH=C:\\w\\bin;%PATH% && tool a b") == ["from-tool.cmd a b", "status=0"]
    assert system("tool x", cwd="/w/bin") == ["from-tool.cmd x", "status=0"]
    assert system("bin\\tool y") == ["from-tool.cmd y", "status=0"]
    assert system("set PATH=C:\\w\\first;C:\\w\\second;%PATH% && both") == [
        "both.cmd came first", "status=0"]
    assert system("pick", cwd="/w/order") == ["pick.bat", "status=0"]
    assert system("set PATHEXT=.CMD;.BAT&& pick", cwd="/w/order") == ["pick.cmd", "status=0"]
    assert system("bin\\tool piped | C:\\bin\\lines.exe")[1:] == ["stdin lines=1 eof=1", "status=0"]


def test_cmd_dynamic_variables_call_of_built_ins_and_dir_s(mingw, tmp_path):
    """%DATE%, %TIME% and %RANDOM% are worked out when read (batch files name logs by them);
    `call` runs a built-in after a second expansion; dir /s /b lists full paths folder by
    folder, /a:-d and /a:d keep files or folders, and dir /s totals every folder."""
    import re
    root = make_root(tmp_path, {"/bin/run.exe": mingw("run_system", 64),
                                "/w/pe/top.txt": b"12345", "/w/pe/bin/tool.cmd": b"",
                                "/w/pe/bin/deep/x.txt": b"ab"})

    def system(command: str) -> list[str]:
        res = tblc("run", "--root", root, "--cwd", "/w", "/bin/run.exe", command)
        assert res.returncode == 0, res.stderr
        return res.stdout.decode().replace("\r\n", "\n").splitlines()
    date, clock, number = system("echo %DATE%^|%TIME%^|%RANDOM%")[0].split("|")
    assert re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d/\d\d/\d{4}", date), date
    assert re.fullmatch(r"[ \d]\d:\d\d:\d\d\.\d\d", clock) and 0 <= int(number) < 32768
    assert system("set DATE=mine&& call echo %%DATE%% %%PATHEXT%%")[0] == "mine .COM;.EXE;.BAT;.CMD"
    assert system("dir /s /b pe") == [
        "C:\\w\\pe\\bin", "C:\\w\\pe\\top.txt", "C:\\w\\pe\\bin\\deep",
        "C:\\w\\pe\\bin\\tool.cmd", "C:\\w\\pe\\bin\\deep\\x.txt", "status=0"]
    assert system("dir /s /b pe\\*.txt") == [
        "C:\\w\\pe\\top.txt", "C:\\w\\pe\\bin\\deep\\x.txt", "status=0"]
    assert system("dir /b /a:-d pe && dir /b /ad pe") == ["top.txt", "bin", "status=0"]
    (root / "w" / "ring").mkdir()
    (root / "w" / "ring" / "up").symlink_to("..")       # a link loop is listed, not entered
    assert system("dir /s /b ring") == ["C:\\w\\ring\\up", "status=0"]
    listing = system("dir /s pe")
    assert listing[-4:] == ["     Total Files Listed:", "               3 File(s)              7 bytes",
                            "               8 Dir(s)  100,000,000,000 bytes free", "status=0"]
    assert [line for line in listing if "Directory of" in line] == [
        " Directory of C:\\w\\pe", " Directory of C:\\w\\pe\\bin",
        " Directory of C:\\w\\pe\\bin\\deep"]


def test_system32_console_programs(mingw, tmp_path):
    """where, hostname, whoami, tasklist, sort, find, chcp and timeout are programs in
    System32 as on Windows (scripts and build tools start them by name), with Windows'
    output and exit codes; taskkill /T /F ends a process and the one it started (node's
    tree-kill ending a dev server)."""
    root = make_root(tmp_path, {"/bin/run.exe": mingw("run_system", 64),
                                "/bin/tree.exe": mingw("task_tree", 64),
                                "/bin/fs/a.txt": b"alpha one\r\nBeta two\r\ngamma three\r\n",
                                "/bin/fs/b.txt": b"delta\r\nalphabet\r\n",
                                "/bin/big.txt": "".join(f"line {i}\r\n"
                                                        for i in range(20000)).encode()})

    def system(command: str) -> list[str]:
        res = tblc("run", "--root", root, "--cwd", "/bin", "/bin/run.exe", command)
        return res.stdout.decode().replace("\r\n", "\n").splitlines() + \
            res.stderr.decode().replace("\r\n", "\n").splitlines()
    assert system("where cmd run") == ["C:\\Windows\\System32\\cmd.exe", "C:\\bin\\run.exe",
                                       "status=0"]
    assert system("where nothere") == [
        "status=1", "INFO: Could not find files for the given pattern(s)."]
    assert system("hostname && whoami") == ["sysvec", "sysvec\\user", "status=0"]
    assert system('tasklist /FI "IMAGENAME eq run.exe" /FO CSV') == [
        '"Image Name","PID","Session Name","Session#","Mem Usage"',
        '"run.exe","100","Console","1","' + system("tasklist /FO CSV /NH")[0].split('","')[-1],
        "status=0"]
    assert system("(echo b& echo A& echo c) | sort") == ["A", "b", "c", "status=0"]
    assert system('(echo hello& echo world) | find /N "orl"') == ["[2]world", "status=0"]
    assert system('echo hello | find "absent"') == ["status=1"]
    assert system('findstr "one three" fs\\*.txt') == [
        "fs\\a.txt:alpha one", "fs\\a.txt:gamma three", "status=0"]
    assert system("findstr /i /n beta fs\\a.txt") == ["2:Beta two", "status=0"]
    assert system('findstr /r "^gam.*e$" fs\\a.txt') == ["gamma three", "status=0"]
    assert system('type fs\\a.txt | findstr /v /c:"a t"') == ["alpha one", "status=0"]
    assert system("findstr /m alpha fs\\*.txt") == ["fs\\a.txt", "fs\\b.txt", "status=0"]
    assert system("findstr nothing fs\\a.txt") == ["status=1"]
    assert system("chcp") == ["Active code page: 437", "status=0"]
    # more than a pipe holds, through a built-in, sort and more: nothing is lost
    nines = str(sum("9" in f"line {i}" for i in range(20000)))
    assert system('type big.txt | find /c "9"') == [nines, "status=0"]
    assert system('sort big.txt | more | find /c "line"') == ["20000", "status=0"]
    assert system("timeout /t 1") == [
        "status=1", "ERROR: Input redirection is not supported, exiting the process immediately."]
    assert system("taskkill /PID 9999 /F") == ["status=128", 'ERROR: The process "9999" not found.']
    res = tblc("run", "--root", root, "--cwd", "/bin", "/bin/tree.exe", timeout=60)
    lines = res.stdout.decode().replace("\r\n", "\n").splitlines()
    assert lines[0].startswith("grandchild ") and lines[1].startswith('"tree.exe","101",')
    assert lines[2:] == ["taskkill 0 child ended 1 code 1"]


def test_a_roots_windows_directory_keeps_the_made_up_system32(mingw, tmp_path):
    """Fonts given to programs in the root's C:\\Windows\\Fonts leave System32 (cmd.exe, the
    generated DLLs) in place: system() still finds cmd, and the fonts are there too."""
    root = make_root(tmp_path, {"/bin/run.exe": mingw("run_system", 64),
                                "/Windows/Fonts/sans.txt": b"a font\r\n"})
    res = tblc("run", "--root", root, "--cwd", "/bin", "/bin/run.exe",
               "if exist C:\\Windows\\System32\\kernel32.dll echo dlls && "
               "type C:\\Windows\\Fonts\\sans.txt")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == ["dlls ", "a font", "status=0"]


def test_dpapi_without_room_in_the_heap_fails_cleanly(mingw, tmp_path):
    """A heap with no room for the sealed copy: FALSE and ERROR_NOT_ENOUGH_MEMORY."""
    root = make_root(tmp_path, {"/dp.exe": mingw("dpapi_no_room", 64, libs=("-lcrypt32",))})
    res = tblc("run", "--max-memory", "64M", "--root", root, "/dp.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == ["protect 0 error 8 out 0"]


@pytest.mark.parametrize("bits", [32, 64])
def test_dpapi_protects_and_unprotects(mingw, bits):
    """pywin32's win32crypt imports CryptProtectData (it was missing)."""
    res = tblc("run", mingw("dpapi", bits, libs=("-lcrypt32",)))
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "protect 1, sealed larger 1, not plain 1", "unprotect 1: secret! [my token]",
        "another entropy 0 13", "damaged 0 13"]


def test_cmd_file_commands(mingw, tmp_path):
    """copy, move and ren were unknown (9009: ninja's `cmd /c copy` rules failed), md made no
    folders between, rd /s and del with wildcards did nothing. A copy onto itself keeps the
    file, A+B joins, del /s does not follow a link back up, rd removes a directory link."""
    root = make_root(tmp_path, {"/bin/run.exe": mingw("run_system", 64),
                                "/w/files.bat": (WIN / "batch" / "files.bat").read_bytes()})
    res = tblc("run", "--root", root, "--cwd", "/w", "/bin/run.exe", "files")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "        1 file(s) copied.", "        2 file(s) copied.", "a.txt", "b.txt", "z",
        "        1 file(s) moved.", "c.txt", "files.bat", "x", "z",
        "Hardlink created for hard.txt <<===>> c.txt", "hello",
        "rd of a full folder: 1", "x gone", "        1 file(s) copied.", "one", "two",
        "        0 file(s) copied.", "one",
        "symbolic link created for d\\back <<===>> C:\\w\\d", "link gone", "status=0"]
    assert res.stderr.decode().splitlines() == [
        "The directory is not empty.", "The file cannot be copied onto itself.",
        "Could Not Find C:\\w\\d\\none.txt", "Could Not Find C:\\w\\nothere.txt"]


@pytest.mark.parametrize("bits", [32, 64])
def test_objects_inherited_and_duplicated_into_a_child(mingw, tmp_path, bits):
    """A paging-file section and an event inherited by a child, an event duplicated into the
    running child; a section stays while a second handle to it is open."""
    root = make_root(tmp_path, {"/ha.exe": mingw("handles_across", bits)})
    res = tblc("run", "--root", root, "/ha.exe", timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "child read: written by the parent",
        "duplicated=1 waited=0 reply=hello from the child exit=7",
        "after close: written by the parent"]


@pytest.mark.parametrize("bits", [32, 64])
def test_a_handle_list_limits_what_a_child_inherits(mingw, tmp_path, bits):
    """STARTUPINFOEX's PROC_THREAD_ATTRIBUTE_HANDLE_LIST: of two inheritable pipes and two
    inheritable events the child holds the two listed; without the list, all four."""
    root = make_root(tmp_path, {"/hl.exe": mingw("handle_list", bits)})
    res = tblc("run", "--root", root, "/hl.exe", timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == ["child holds 1 0 1 0", "child holds 1 1 1 1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_what_a_windows_program_makes_gets_the_modes_of_umask_022(mingw, tmp_path, bits):
    """Windows has no mode bits: directories a program makes are 0755 on the host and files
    0644, however made (they were 0777 and 0666: world-writable)."""
    root = make_root(tmp_path, {"/mm.exe": mingw("made_modes", bits)})
    res = tblc("run", "--root", root, "/mm.exe", timeout=60)
    assert res.returncode == 0 and res.stdout == b"made 1\n", res
    modes = {path.name: oct(path.stat().st_mode & 0o7777) for path in root.iterdir()
             if path.name.startswith("by_")}
    assert modes == {"by_create_directory": "0o755", "by_mkdir": "0o755", "by_cmd_md": "0o755",
                     "by_create_file": "0o644", "by_fopen": "0o644",
                     "by_cmd_redirect": "0o644"}, modes


@pytest.mark.parametrize("bits", [32, 64])
def test_named_objects_are_the_machines_and_7zips_other_imports_answer(mingw, tmp_path, bits):
    """\\BaseNamedObjects: a named mutex made twice is one (ERROR_ALREADY_EXISTS), its name
    taken for an event fails (ERROR_INVALID_HANDLE), a child opens the parent's named event
    and mutex ("Global\\" and "Local\\" alike) and signals it, and the name is free again
    once the last handle closes. Then the FAT and local file times, drive strings, CharUpper,
    GlobalMemoryStatus, GetFileSecurity's size query, SetFileApisToOEM and i386 _ftol."""
    root = make_root(tmp_path, {"/named.exe": mingw("named_objects", bits)})
    res = tblc("run", "--root", root, "/named.exe", timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "mutex new 0 again 183 (1) as event 0 6",
        "open missing 0 2",
        "child opened event 1 mutex 1",
        "child set the event: 0",
        "after the last close: new 0",
        "drives 4 [C:\\] next 0",
        "dos 2026-12-05 18:07:42 back 0x5d85 0x90f5",
        "upper STRA 0xdf Q",
        f"memory status {32 if bits == 32 else 56} total>0 1",
        "affinity 1",
        "security 0 122 need>0 1",
        "ansi 0",
        "ftol -7 5000000000000"]


@pytest.mark.parametrize("bits", [32, 64])
def test_the_crts_spawn_and_exec_families(mingw, tmp_path, bits):
    """_spawnv waits (the child's exit code) with the arguments joined unquoted, as the CRT
    joins them; _spawnve gives an environment; _P_NOWAIT then _cwait; a missing program is
    ENOENT; _execv starts the last child and ends the caller with 0."""
    root = make_root(tmp_path, {"/spawn.exe": mingw("crt_spawn", bits)})
    res = tblc("run", "--root", root, "/spawn.exe", timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "child argc 5: [a] [b] [c] var -", "waited: 5",
        "child argc 2: var given", "with env: 2",
        "child argc 2: var -", "nowait then cwait: 1 status 2",
        "missing: -1 errno 2",
        "child argc 3: [exec'd] var -"]


@pytest.mark.parametrize("bits", [32, 64])
def test_a_wmain_program_gets_wide_arguments_and_prints_wide(mingw, tmp_path, bits):
    """mingw's -municode start code calls msvcrt's __wgetmainargs (semgrep-core, OCaml, was
    one such program that ended before main); msvcrt's wide printf family."""
    exe = mingw("wide_main", bits, libs=("-municode",))
    root = make_root(tmp_path, {"/wide.exe": exe})
    res = tblc("run", "--root", root, "--env", "WIDE_VAR=été", "/wide.exe", "x", "ça va",
               timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode("latin-1").splitlines() == [
        "arg 1 [x] 1 chars", "arg 2 [ça va] 5 chars",
        "envp has WIDE_VAR: 1, _wgetenv: été", "snwprintf 3 [abc] cut -1 [abcd] and narrow [bytes]"]
    assert res.stderr == b"to stderr\n"


@pytest.mark.parametrize("bits", [32, 64])
def test_the_newer_calls_unseen_programs_needed(mingw, tmp_path, bits):
    """What Dart's VM (sass), GraalVM native images, GnuTLS, SQLCipher, workerd and Rust's
    command-group (turbo) were found to call: PathCch, file URLs, WSAAddressToString,
    sequential UUIDs, stack limits, Tool Help's threads resuming a suspended child, locked
    pages, ntdll's PE lookups, InitOnceInitialize, CRL enumeration, dbghelp's module walk."""
    exe = mingw("newer_apis", bits, libs=("-lpathcch", "-lshlwapi", "-lws2_32", "-lrpcrt4",
                                          "-lcrypt32", "-ldbghelp", "-lntdll"))
    root = make_root(tmp_path, {"/newer.exe": exe})
    res = tblc("run", "--root", root, "/newer.exe", timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "canonical C:\\a\\c\\", "combined C:\\dart\\lib\\x.dart", "too small 0x8007007a",
        "file spec removed 0 C:\\a", "from a root 1", "allocated \\\\?\\C:\\y",
        "extension .gz", "stripped \\\\server\\share\\f root 1",
        "url 1 file 1 path 0", "from url C:\\Program Files\\x.dart 23",
        "address [::1]:8080", "too small -1 10014 need 10",
        "uuids 1824 1824 version 1 different 1", "stack holds a local 1",
        "the child runs", "resumed through the snapshot 1",
        "lock 1 unlock 1 working set 1", "nt headers 1 imports 1", "init once pending 1",
        "crl 0 error 0x80092004",
        "first instance 1 again 0 error 5, a second instance 1",
        "modules: the program 1, more 1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_what_language_runtimes_ask_of_kernel32(mingw, tmp_path, bits):
    """Thread names, TerminateThread's exit code, the processor number, interrupt time, memory
    resource notifications (.NET's GC), no package identity (APPMODEL_ERROR_NO_PACKAGE),
    preferred UI languages by name and by id, TzSpecificLocalTimeToSystemTime across a leap
    day, SetWaitableTimerEx, and the console's Alloc/Free/Attach rules."""
    root = make_root(tmp_path, {"/rt.exe": mingw("runtime_apis", bits)})
    (root / "Users" / "me").mkdir(parents=True)
    res = tblc("run", "--root", root, "--env", "USERPROFILE=C:\\Users\\me", "/rt.exe",
               timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "description 0 0 [main worker]", "terminated 1 wait 0 code 42", "processor 0.0 hint 1",
        "interrupt time 1 advances 1 precise 1", "memory low 0 high 1, high waits 0",
        "package 15700 15700", "languages 1 1 chars 7 [en-US] small 0 122 id [0409]",
        "utc 2024-02-29 23:30", "timer 1 fired 0", "console alloc 0 5 free 1 attach 1",
        "xtime ticks 1", "temp [C:\\Users\\me\\] [C:\\Users\\me\\]"]


@pytest.mark.parametrize("bits", [32, 64])
def test_security_descriptors_from_sddl(mingw, tmp_path, bits):
    """PyInstaller's one-file bootloader stopped at ConvertStringSecurityDescriptorTo-
    SecurityDescriptorW: the descriptor it builds, read back through the ACL calls."""
    res = tblc("run", mingw("sddl", bits, libs=("-ladvapi32",)), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "converted 1 valid 1 size 1 control 0x9404",    # self-relative, DACL present/protected
        "dacl present 1 aces 3",
        "  ace 0 type 0 flags 0x3 mask 0x1f01ff S-1-5-18",
        "  ace 1 type 0 flags 0 mask 0x1200a9 S-1-5-21-1-2-3-1000",
        "  ace 2 type 1 flags 0 mask 0x40000000 S-1-1-0",
        "owner S-1-5-32-544 group S-1-5-18", "bad ace 0 error 1",
        "bad revision 0 1305",                          # ERROR_UNKNOWN_REVISION
        "string sid 1 S-1-5-32-544 valid 1", "alias 1 S-1-5-32-545",
        "bad sid 0 1337"]                               # ERROR_INVALID_SID


@pytest.mark.parametrize("bits", [32, 64])
def test_the_interface_tables_java_and_dotnet_read(mingw, tmp_path, bits):
    """Java's SecureRandom seeds from NetworkInterface, whose net.dll delay-loads
    GetIfTable2: missing, the JVM died of 0xC06D007F (keytool -genkeypair). Node's DNS
    resolver (c-ares) reads its servers from GetNetworkParams: missing, pnpm failed with
    EADDRGETNETWORKPARAMS."""
    res = tblc("run", mingw("iftable", bits, libs=("-liphlpapi", "-lws2_32")), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "if table 0 entries 1",
        "index 1 type 24 oper 1 alias [Loopback Pseudo-Interface 1] description "
        "[Software Loopback Interface 1] mtu 4294967295",
        "name 0 [loopback_0] same luid 1 index 1",
        "entry 0 same 1, unknown 1168",                 # ERROR_NOT_FOUND
        "unicast 0 entries 2", "  127.0.0.1/8 index 1", "  ::1/128 index 1",
        "mask /20 255.255.240.0",
        "network params 111 0 host 1 dns 127.0.0.1"]    # ERROR_BUFFER_OVERFLOW, then filled


def test_i386_math_entry_points_with_register_conventions(mingw):
    """MSVC's 32-bit compiler calls _CIpow & co. (x87 stack in and out) and
    _libm_sse2_*_precise (xmm0/xmm1) instead of pow: the results, a balanced x87 stack, a
    domain error's NaN. (-msse2 only lets the test's own code name xmm1.)"""
    res = tblc("run", mingw("ci_math", 32, libs=("-msse2",)), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "CIpow 1024 CIatan2 0.785398 CIsqrt 1.5", "x87 stack balanced 1",
        "sse2 pow 81 sqrt 2.5", "CIsqrt(-1) nan 1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_c99_math_the_ucrt_exports(mingw, bits):
    res = tblc("run", mingw("c99_math", bits), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "fdim 2 0 remainder 1", "tgamma 24 lgamma 12.801827", "tgamma(0) inf erange 1",
        "ilogb 10 -4, of 0 1 edom 1", "strtoimax -9000000000"]


@pytest.mark.parametrize("bits", [32, 64])
def test_a_pipe_write_larger_than_the_pipe_waits_for_the_reader(mingw, bits):
    res = tblc("run", mingw("pipe_big", bits), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == ["write 1 300000", "read 300000"]


@pytest.mark.parametrize("bits", [32, 64])
def test_the_c_runtime_raise_calls_the_signal_handler(mingw, bits):
    """CPython's signal.raise_signal ended the process with 3: signal() kept nothing."""
    res = tblc("run", mingw("crt_signal", bits), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "old default 1 raise 0 seen 2", "reset to default 1", "ignored raise 0", "bad signal 1",
        "term seen 15"]


@pytest.mark.parametrize("bits", [32, 64])
def test_message_pipes_keep_their_messages(mingw, bits):
    """Python's multiprocessing talks over message pipes (its Pipe, Queue and Pool): its
    SetNamedPipeHandleState(PIPE_READMODE_MESSAGE) was refused."""
    res = tblc("run", mingw("msg_pipe", bits), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "message mode 1, wrote 13", "read 1 5 [first]",
        "short read 0 1000 more_data 1 left 99000", "rest 1 99000",
        "byte mode 1 [third]", "rest of the message 1 [ message]",
        "empty message 1 0, then 1 [after]", "message reads on a byte pipe 0 87"]


@pytest.mark.parametrize("bits", [32, 64])
def test_an_empty_message_wakes_a_zero_byte_overlapped_read(mingw, bits):
    """Every ProcessPoolExecutor shutdown hung: the empty message never arrived."""
    res = tblc("run", mingw("pipe_wakeup", bits), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "read, then an empty message: read 0 (997), woken 1, result 1 0",
        "an empty message, then read: read 1 (0), woken 1, result 1 0",
        "read of an empty message: 1 0, then 1 [next]"]


def test_a_program_walking_the_whole_drive_sees_only_the_root(mingw, tmp_path):
    """C:\\ shows the root's files, not the Linux personality's /dev and /proc (biome's
    migrate walked into /proc and ended with an internal error there)."""
    root = make_root(tmp_path, {"/walk.exe": mingw("drive_walk", 64)})
    (root / "sub").mkdir()
    (root / "sub" / "f.txt").write_text("x")
    res = tblc("run", "--root", root, "/walk.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "C:\\ holds: sub walk.exe", "walked the drive: 3", "C:\\proc asked for by name: 1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_overlapped_directory_watches_complete_without_a_port(mingw, tmp_path, bits):
    """ReadDirectoryChangesW's completion routine runs in alertable waits (SleepEx,
    WaitForSingleObjectEx: WAIT_IO_COMPLETION) and its OVERLAPPED event is set for a plain
    wait; before, nothing completed it unless a completion port was asked (turbo's daemon
    never saw its cookie file)."""
    root = make_root(tmp_path, {"/dwo.exe": mingw("dir_watch_overlapped", bits)})
    res = tblc("run", "--root", root, "/dwo.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "SleepEx ran the routine 1 bytes 1", "first: action 1 name first.txt",
        "WaitForSingleObjectEx 0xc0 routine 1", "second: action 1 name second.txt",
        "event wait 0 bytes 1", "third: action 1 name third.txt"]


@pytest.mark.parametrize("bits", [32, 64])
def test_fgets_reaches_end_of_file(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/fg.exe": mingw("fgets_eof", bits)})
    res = tblc("run", "--root", root, "--cwd", "/", "/fg.exe", input=b"a\nb\n", timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "lines=3 pos=13 part=on next=e", "stdin lines=2 eof=1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_ntdll_names_files_as_windows(mingw, bits, tmp_path):
    """NtQueryObject's \\Device\\HarddiskVolume1 name and File type, the mount point manager's
    drive letter for that volume (\\\\.\\MountPointManager), a file's name on its volume, attributes
    without opening (by a \\??\\ or a device name), a directory opened with neither directory
    option, and NtLockFile/NtUnlockFile's conflicts: what Zig's realpath and cache ask."""
    exe = mingw("ntobjects", bits, libs=("-lntdll",))
    res = tblc("run", "--root", make_root(tmp_path, {"/ntobjects.exe": exe}), "/ntobjects.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "name status 0 returned 1", "object name: \\Device\\HarddiskVolume1\\objdir\\file.txt",
        "small buffer 80000005", "type: File", "manager open 1",
        "too small: 0 error 234 size 1", "points: 1 2", "dos name: \\DosDevices\\C:",
        "file name: \\objdir\\file.txt", "attributes 0 10", "by device name 0 20",
        "missing c0000034", "directory opened 0", "lock 0", "conflict c0000055",
        "not locked c000007e", "unlock 0", "lock again 0", "LockFileEx conflict 0 33"]


@pytest.mark.parametrize("bits", [32, 64])
def test_the_null_device_by_its_dos_and_nt_names(mingw, bits, tmp_path):
    """NUL, \\\\.\\NUL (Rust's Stdio::null() opens it for every child it starts), NUL in any
    directory, \\??\\NUL and \\Device\\Null: the null device (\\\\.\\NUL was not found)."""
    exe = mingw("nul_device", bits)
    res = tblc("run", "--root", make_root(tmp_path, {"/nul.exe": exe}), "/nul.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "NUL: open 1 write 1 read-eof 1", "\\\\.\\NUL: open 1 write 1 read-eof 1",
        "C:\\some\\dir\\nul: open 1 write 1 read-eof 1", "\\??\\NUL: status 0 write 1",
        "\\Device\\Null: status 0 write 1"]


def test_ntdll_exports_the_unwinder_rust_backtraces_use(mingw, tmp_path):
    """RtlLookupFunctionEntry and RtlVirtualUnwind from ntdll (taplo with RUST_BACKTRACE=1
    ended at the missing import); RtlCaptureContext was there already."""
    exe = mingw("ntdll_unwind", 64)
    res = tblc("run", "--root", make_root(tmp_path, {"/nu.exe": exe}), "/nu.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == ["exported: 1 1", "caller found after 1 frame(s)"]


def test_a_32_bit_windows_process_lives_below_2_gib(mingw, tmp_path):
    """Heap, malloc, VirtualAlloc and both stacks below 0x80000000, and the highest user
    address Windows gives: sccache's 32-bit build (mio) shifts a heap pointer left one bit
    into a completion key, and its pointers came back wrong from 0xB7xxxxxx."""
    exe = mingw("low_memory", 32)
    res = tblc("run", "--root", make_root(tmp_path, {"/low.exe": exe}), "/low.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "heap 1 malloc 1 virtual 1 stack 1 thread stack 1", "highest address 7ffeffff"]


# A self-signed P-256 certificate (serial 01:02:03:04:05, valid 2026-2126), made by openssl.
TEST_CERT = """-----BEGIN CERTIFICATE-----
MIIBfjCCASSgAwIBAgIFAQIDBAUwCgYIKoZIzj0EAwIwGzEZMBcGA1UEAwwQc3lz
dmVjIHRlc3Qgcm9vdDAgFw0yNjEyMDUxMjMyNDZaGA8yMTI2MTExMTEyMzI0Nlow
GzEZMBcGA1UEAwwQc3lzdmVjIHRlc3Qgcm9vdDBZMBMGByqGSM49AgEGCCqGSM49
AwEHA0IABCvRbJvII0SxgnFv8egaekTtMnHsPITaVVN5yNPPLnW3BcrxeRFqb/UE
Yt07vuluHg3H2+kWIy0PicNsSyUHfRajUzBRMB0GA1UdDgQWBBQ2gQ8xnwl0+WBf
Lq96FG1AxblfOzAfBgNVHSMEGDAWgBQ2gQ8xnwl0+WBfLq96FG1AxblfOzAPBgNV
HRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCICmGqtl7MR8KoFnDSTH4xuah
52/X/xrWkdYVasd3h+OVAiEAn39w91T+YNHyQWKEIcIpXG0zBllvbWmYtkiN1Cv1
GcQ=
-----END CERTIFICATE-----
"""


@pytest.mark.parametrize("bits", [32, 64])
def test_crypt32_certificate_stores_and_secur32_without_tls(mingw, bits, tmp_path):
    """PEM to DER, a certificate context and its CERT_INFO, memory and system stores (ROOT is
    the root's CA bundle), time validity, a bad certificate; SSPI without Schannel. crypt32
    and secur32 were missing: Rust programs with native TLS roots ended at CertOpenStore."""
    exe = mingw("certstore", bits, libs=("-lcrypt32", "-lsecur32"))
    root = make_root(tmp_path, {"/cs.exe": exe})
    (root / "cert.pem").write_text(TEST_CERT)
    (root / "etc" / "ssl" / "certs").mkdir(parents=True)
    (root / "etc" / "ssl" / "certs" / "ca-certificates.crt").write_text(TEST_CERT)
    res = tblc("run", "--root", root, "/cs.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "pem: 1 der 386 skip 0 kind 0 first 30", "serial 5: 05 01, version 2",
        "signature 1.2.840.10045.4.3.2 key 1.2.840.10045.2.1 bits 65",
        "valid now 0, until 2126, subject 29 bytes, encoded 386", "memory store: 1",
        "root: 1 my: 0", "not a certificate: 1 8009310b", "schannel: 80090305"]


def test_without_a_ca_bundle_in_the_root_the_root_store_has_the_hosts(mingw, tmp_path):
    """A Windows ROOT store is never empty (semgrep-core refused to start on one): with no
    bundle in the guest's root it holds the host's trust anchors."""
    import ssl
    host = Path(ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt")
    if not host.exists():
        pytest.skip("the host has no CA bundle")
    count = host.read_text(errors="replace").count("-----BEGIN CERTIFICATE-----")
    exe = mingw("certstore", 64, libs=("-lcrypt32", "-lsecur32"))
    root = make_root(tmp_path, {"/cs.exe": exe})
    (root / "cert.pem").write_text(TEST_CERT)
    res = tblc("run", "--root", root, "/cs.exe")
    assert res.returncode == 0, res.stderr
    assert f"root: {count} my: 0" in res.stdout.decode().splitlines(), res.stdout


@pytest.mark.parametrize("bits", [32, 64])
def test_a_thread_woken_by_address_runs_before_its_waker_goes_on(mingw, bits, tmp_path):
    """WakeByAddressSingle's sleeper writes the line handed to it before the waker's
    ExitProcess (taplo lost its last log line so)."""
    exe = mingw("wake_handoff", bits, libs=("-lsynchronization",))
    root = make_root(tmp_path, {"/wh.exe": exe})
    for _ in range(3):
        res = tblc("run", "--root", root, "/wh.exe")
        assert res.returncode == 0, res.stderr
        assert res.stdout == b"last line\n"


@pytest.mark.parametrize("bits", [32, 64])
def test_calls_rust_and_crossterm_programs_import(mingw, bits, tmp_path):
    """CopyFileExW with its progress routine (Rust's fs::copy), one that cancels, attribute
    lists, the thread error mode, QueryDosDevice, a second screen buffer and fma: imports the
    sweep of wheels' programs found missing (a call would have ended the program)."""
    exe = mingw("rust_imports", bits, libs=("-ladvapi32",))
    res = tblc("run", "--root", make_root(tmp_path, {"/ri.exe": exe}), "/ri.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "copy: 1, 12 bytes", "again: 0 error 80", "cancelled: 0 error 1235, exists 0",
        "attribute list: 0 error 122 size>0 1", "init 1 update 1",
        "thread error mode: 1 old 0 now 1", "C: is \\Device\\HarddiskVolume1 (25)",
        "screen buffer 1 active 1", "fma 5.5511151231257827e-17", "credential: 0 error 1168",
        "_wtoi64 -9000000000"]


@pytest.mark.parametrize("bits", [32, 64])
def test_createprocess_runs_an_exe_the_program_just_wrote(mingw, bits, tmp_path):
    """A file made through CreateFile has no execute bit, and CreateProcess runs it (cargo's
    build scripts, a linker's output, a self-updater): it failed with ERROR_FILE_NOT_FOUND."""
    exe = mingw("run_written_exe", bits)
    res = tblc("run", "--root", make_root(tmp_path, {"/selfcopy.exe": exe}), "/selfcopy.exe")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == ["child ran", "child exit 7"]
    assert not (tmp_path / "root" / "made.exe").stat().st_mode & 0o111


def test_a_windows_program_without_an_execute_bit_runs_from_the_command_line(mingw, toolchain,
                                                                              tmp_path):
    """A wheel unzipped gives 0644 files: Windows has no execute bit, so tblc runs a PE as
    it is; an ELF without one is refused as execve (and qemu-user) refuse it."""
    pe = tmp_path / "prog.exe"
    pe.write_bytes(mingw("nul_device", 64).read_bytes())
    pe.chmod(0o644)
    res = tblc("run", pe)
    assert res.returncode == 0 and b"NUL: open 1" in res.stdout, res.stderr
    elf = tmp_path / "prog"
    elf.write_bytes(toolchain.asm("hello64").read_bytes())
    elf.chmod(0o644)
    res = tblc("run", elf)
    assert res.returncode == 126 and b"permission denied" in res.stderr


@pytest.mark.parametrize("bits", [32, 64])
def test_a_missing_variable_import_is_named_when_used(bits, tmp_path):
    """cppcheck read std::cout through a missing data import and crashed reading code
    bytes (SIGSEGV); the variable's own no-access page names it at the first use."""
    cc = MINGW[bits]
    if shutil.which(cc) is None:
        missing(f"{cc} is not installed")
    prefix = cc[:-len("gcc")]
    (tmp_path / "md.def").write_text("LIBRARY msvcp140.dll\nEXPORTS\nQsysvec_missingQQ3HA DATA\n")
    subprocess.run([prefix + "dlltool", "-d", tmp_path / "md.def", "-l", tmp_path / "libmd.a"],
                   check=True)
    exe = tmp_path / "missing_data.exe"
    subprocess.run([cc, "-O1", "-o", exe, WIN / "missing_data.c", "-L", tmp_path, "-lmd"],
                   check=True)
    exe.write_bytes(exe.read_bytes().replace(b"Qsysvec_missingQQ3HA", b"?sysvec_missing@@3HA"))
    res = tblc("run", exe)
    assert (res.returncode, res.stdout, res.stderr) == (3, b"before\nafter\n", b"")
    res = tblc("run", exe, "read")
    assert res.returncode == 128 + 31, res.stderr   # SIGSYS, as for a missing function
    assert res.stdout == b"before\n"
    assert b"used the variable msvcp140.dll!?sysvec_missing@@3HA, which sysvec does not " \
        b"provide" in res.stderr


def test_linux_scheduling_calls_on_a_windows_process(mingw, tmp_path):
    """chrt, ionice and renice pointed at a Windows process of the same machine: it keeps no
    Linux scheduling state, so reading gives the defaults and changing it is refused (the
    handler failed inside and ended the caller with SIGSYS)."""
    for tool in ("chrt", "ionice", "renice"):
        if shutil.which(tool) is None:
            missing(f"no {tool} here (util-linux)")
    exe = tmp_path / "sleeper.exe"
    exe.write_bytes(mingw("sleep_a_while", 64).read_bytes())
    exe.chmod(0o755)                     # a Linux execve wants the bit
    res = subprocess.run(
        [shutil.which("tblc") or "tblc", "run", "--root", "/", "/bin/sh", "-c",
         f"{exe} & sleep 0.3; chrt -p $!; ionice -p $!; ionice -c3 -p $! 2>&1; "
         "renice -n 5 -p $! >/dev/null 2>&1; echo renice $?; wait"],
        capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.decode().splitlines()
    assert lines[0].endswith("current scheduling policy: SCHED_OTHER"), lines
    assert lines[1:] == [lines[1], "none: prio 0",
                         "ionice: ioprio_set failed: Operation not permitted", "renice 1"]


def test_run_takes_windows_paths_for_the_program_and_its_directory(mingw, tmp_path):
    """`tblc run --root R --cwd 'C:\\w' 'C:\\bin\\x.exe'`: both name paths in the root, which
    is drive C: (--cwd said "No such file or directory")."""
    root = make_root(tmp_path, {"/bin/sweep.exe": mingw("sleep_a_while", 64)})
    (root / "w").mkdir()
    res = tblc("run", "--root", root, "--cwd", "C:\\w", "C:\\bin\\sweep.exe", timeout=60)
    assert res.returncode == 0, res.stderr


def test_a_windows_program_from_the_command_line_names_itself_as_windows_does(mingw, tmp_path):
    """PROGRAM and --cwd given as Windows paths match the root's names case-insensitively,
    and the program's argv[0] and command line are Windows paths, as typed (a guest path was
    /prog.exe there)."""
    root = make_root(tmp_path, {"/Tools/show.exe": mingw("args_and_cwd", 64)})
    (root / "Work").mkdir()
    res = tblc("run", "--root", root, "--cwd", "C:\\WORK", "C:\\tools\\SHOW.EXE", "x y",
               timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "argv0=C:\\tools\\SHOW.EXE", 'cmdline=C:\\tools\\SHOW.EXE "x y"', "cwd=C:\\Work"]
    res = tblc("run", "--root", root, "/Tools/show.exe", timeout=60)
    assert res.stdout.decode().splitlines()[:2] == ["argv0=C:\\Tools\\show.exe",
                                                    "cmdline=C:\\Tools\\show.exe"], res


@pytest.mark.parametrize("bits", [32, 64])
def test_a_message_only_window_pumps_posted_messages_and_timers(mingw, tmp_path, bits):
    """user32's windows without a desktop, as run loops use them: WM_NCCREATE/WM_CREATE,
    window data, posted and thread messages, a timer waking MsgWaitForMultipleObjects,
    WM_DESTROY, WM_QUIT (Qt's tools stopped at RegisterClassW)."""
    root = make_root(tmp_path, {"/mw.exe": mingw("message_window", bits)})
    res = tblc("run", "--root", root, "/mw.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "class 1 window 1 created 1", "userdata 0xbeef", "pings 5 result 42 queue now 0",
        "timer woke the wait 0, timers 1",
        "thread message woke the wait 1: msg 0x8002 wparam 7",
        "destroyed 1, a window still 0", "GetMessage 0 quit 1 code 5"]


@pytest.mark.parametrize("bits", [32, 64])
def test_share_modes_and_the_read_only_attribute_as_windows_enforces_them(mingw, bits):
    """os.remove of a read-only file, or of one open without FILE_SHARE_DELETE, succeeded
    (sysvec runs as root on the host; Windows refuses both); _sopen ignored its sharing mode
    and _O_TEMPORARY and CreateFile FILE_FLAG_DELETE_ON_CLOSE (Python's NamedTemporaryFile
    left its files behind)."""
    res = tblc("run", mingw("share_modes", bits), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "second writer error 32", "reader sharing all ok", "reader not sharing write error 32",
        "truncating writer error 32", "attributes only ok", "delete while held error 32",
        "rename while held error 32", "size kept 5", "rename while shared ok",
        "delete while shared ok", "reader of an exclusive file error 32",
        "reader while a duplicate is open error 32", "reader after the last close ok",
        "delete read-only error 5", "rename read-only ok", "delete read-only by handle error 5",
        "delete ignoring read-only ok", "gone 1", "deny write: writer -1 reader 1",
        "temporary 1 there 1", "temporary gone 1", "delete on close 1 then gone 1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_the_volume_by_its_guid_name_and_the_loopback_by_index(mingw, bits):
    """Python's os.listvolumes, os.listmounts and socket.if_indextoname died on missing
    kernel32 and iphlpapi exports."""
    res = tblc("run", mingw("volumes", bits, libs=("-liphlpapi",)), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "first 1 \\\\?\\Volume{5eb1e1c8-0000-0000-0000-100000000000}\\", "next 0 error 18",
        "close 1", "short buffer 0 error 234 needed 5", "mount points 1 [C:\\] then []",
        "unknown volume 0 error 2", "volume of C: 1 same 1", "not a mount point 0",
        "interface 1 loopback_0", "index of it 1", "interface 7 none"]


@pytest.mark.parametrize("bits", [32, 64])
def test_the_user_writes_keys_and_values_under_hkey_current_user(mingw, bits):
    """The registry was read-only: Python's winreg.CreateKeyEx(HKEY_CURRENT_USER, ...) was
    access denied and winreg.CreateKey, DeleteKey and FlushKey were missing exports."""
    res = tblc("run", mingw("registry_writes", bits, libs=("-ladvapi32",)), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "create 0 disposition 1", "again 0 disposition 2", "set 0 0 0 0 0",
        "wide 0 type 1 size 20 [wide text]", "narrow 0 size 5 [ansi]",
        "narrow as wide 0 [ansi]", "qword 1 blob 3 3 [1 2 3]", "multi 7 size 18 [one] [two]",
        "info subkeys 0 values 6", "delete value 0 again 2",
        "child open 0 query 0 value 42",            # the machine's registry, not the process's
        "enum 0 [deep]", "delete with subkeys 5", "delete leaf 0",
        "value of deleted key 1018",                # ERROR_KEY_DELETED
        "tree 0 gone 2",
        "quota: stopped 1 (1 values) error 1450, cleared 0, room again 0",   # NO_SYSTEM_RESOURCES
        "machine hive: set 5 create 5"]   # not elevated


@pytest.mark.parametrize("bits", [32, 64])
def test_names_createfile_refuses_and_the_root_as_current_directory(mingw, bits):
    """CreateFileA of a name past 4096 bytes returned NULL (programs checking for
    INVALID_HANDLE_VALUE went on with handle 0), an empty name opened the root, and
    SetCurrentDirectoryA("\\\\") made the current directory "C:"."""
    res = tblc("run", mingw("path_edges", bits), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "empty invalid 1 null 0 error 3", "40000 chars invalid 1 null 0 error 206",
        "69999 chars invalid 1 null 0 error 206", "root [C:\\] 3", "to a file 0 error 267"]


@pytest.mark.parametrize("bits", [32, 64])
def test_what_pyinstallers_bootloader_asks_of_user32(mingw, bits):
    """Every PyInstaller one-file program died after its child finished: user32!ShowWindow
    (the bootloader hides the window it hears a logoff through) was missing, with
    ShutdownBlockReasonCreate, GetCursorPos, MonitorFromPoint and GetMonitorInfoW."""
    res = tblc("run", mingw("display", bits, libs=("-luser32",)), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "window 1 shown before: 0 0 1", "block reason 1 1", "cursor 1",
        "monitor 1 info 1 primary 1 size 1024x768 [\\\\.\\DISPLAY1]",
        "same monitor for the window 1"]


ENV_SEND = [  # what Windows documents for each call
    "_wgetenv_s size: 0 8", "_wgetenv_s: 0 value-1", "_wgetenv_s small: 1",
    "_wgetenv_s missing: 0 0", "_dupenv_s: 0 value-1 8", "_dupenv_s missing: 0 1 0",
    "_wdupenv_s: 0 value-1 8", "SendMessageW: 42", "SendMessageTimeoutW: 1 3",
    "broadcast: 1 0", "bad window: 0 1400",
]


@pytest.mark.parametrize("bits", [32, 64])
def test_secure_environment_readers_and_sent_messages(mingw, tmp_path, bits):
    """Qt 6 reads every variable with _wgetenv_s; uv and rustup broadcast WM_SETTINGCHANGE
    with SendMessageTimeoutW after writing the user's PATH."""
    root = make_root(tmp_path, {"/es.exe": mingw("env_send", bits, libs=("-lucrt",))})
    res = tblc("run", "--root", root, "/es.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == ENV_SEND


STARTUP_CPU = [  # Windows' documented answers on a one-processor machine, run on pipes
    "console window 0, std handles 1, same stdout 1",
    "core: probe 0 err 122, then 1: [0 groups 1 mask 1]",
    "package: probe 0 err 122, then 1: [3 groups 1 mask 1]",
    "group: probe 0 err 122, then 1: [4 active 1 of 1]",
    "cache: probe 0 err 122, then 1: [2 L1 32768] [2 L1 32768] [2 L2 262144] [2 L3 8388608]",
    "all: probe 0 err 122, then 1: [0 groups 1 mask 1] [1] [2 L1 32768] [2 L1 32768]"
    " [2 L2 262144] [2 L3 8388608] [3 groups 1 mask 1] [4 active 1 of 1]",
    "ssse3 1 sse4.1 1 sse4.2 0",
]


@pytest.mark.parametrize("bits", [32, 64])
def test_startup_info_and_processor_relations(mingw, tmp_path, bits):
    """Qt prints --help to stdout only when the handles were redirected or a console window
    exists; msvcp140 14.50's hardware_concurrency counts the package records' mask bits
    (z3 divided by it)."""
    root = make_root(tmp_path, {"/sc.exe": mingw("startup_cpu", bits)})
    res = tblc("run", "--root", root, "/sc.exe", input=b"")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == STARTUP_CPU


POOL_WAITS = [
    "wait fired 1, event taken 1", "one-shot: fired 1", "timed out 1", "set before: 0",
    "set: 1", "ticks 3, stopped 1", "timeSetEvent: 1, woke 1", "kill: 0, again: 11",
    "event timer set it: 1",
]


@pytest.mark.parametrize("bits", [32, 64])
def test_thread_pool_waits_timers_and_multimedia_timers(mingw, tmp_path, bits):
    """Qt's pipe readers and event notifiers use thread-pool waits, its precise timers
    timeSetEvent."""
    root = make_root(tmp_path, {"/pw.exe": mingw("pool_waits", bits, libs=("-lwinmm",))})
    res = tblc("run", "--root", root, "/pw.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == POOL_WAITS


@pytest.mark.parametrize("bits", [32, 64])
def test_ntdll_address_waits_and_module_base_names(mingw, tmp_path, bits):
    """Zig's threads wait with ntdll's RtlWaitOnAddress and wake with RtlWakeAddress*."""
    root = make_root(tmp_path, {"/wa.exe": mingw("wait_address", bits)})
    res = tblc("run", "--root", root, "/wa.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "found 1 1 1", "timed out: 0x102", "differs: 0x0", "woke 2", "base name wa.exe (6)",
        "ntdll base name ntdll.dll"]


CRT_EXTRAS = [
    "_dsign 1 0, _fdsign 1", "_fdclass -2 -1 2",
    "_chgsign -1, _copysign -3, _hypotf 5, _nextafter up 1", "_get_tzname: 0 Coordinated Universal Time (27)",
    "_flushall: 1", "WSAHtonl 0 04030201, WSAHtons 0 0201", "WSAConnect 0",
    "SignalObjectAndWait: 0, signalled 1", "then times out: 258", "qsort_s 9 4 3 -1",
    "PathIsPrefixW 1 0 1",
]


@pytest.mark.parametrize("bits", [32, 64])
def test_late_ucrt_exports(mingw, bits):
    """matplotlib's Agg backend imports nan: it died at its first draw."""
    res = tblc("run", mingw("ucrt_late", bits))
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "nan 1 1", "wcstod 2500.0 rest xyz, wcstof -0.25", "_recalloc kept ab, zeroed 1",
        "_mkgmtime64 980985600, normalised 2001-02 wday 4", "_difftime64 -19014400",
        "tmpnam into the buffer 1, no such file 1", "lgammal(5) 3.1781",
        "catan(0.5i) 0.0000 0.5493"]


@pytest.mark.parametrize("bits", [32, 64])
def test_small_crt_winsock_and_path_calls_programs_import(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/ce.exe": mingw("crt_extras", bits,
                                                 libs=("-lucrt", "-lws2_32", "-lshlwapi"))})
    res = tblc("run", "--root", root, "/ce.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == CRT_EXTRAS


@pytest.mark.parametrize("bits", [32, 64])
def test_enumerating_a_programs_resources(tmp_path, bits):
    """rcedit, electron-packager and Squirrel walk a program's resources before editing."""
    cc = MINGW[bits]
    windres = cc.replace("-gcc", "-windres")
    if shutil.which(windres) is None:
        missing(f"{windres} is not installed (scripts/setup installs mingw-w64)")
    obj, exe = tmp_path / "res.o", tmp_path / "re.exe"
    subprocess.run([windres, str(WIN / "res_enum.rc"), "-O", "coff", "-o", str(obj)], check=True)
    subprocess.run([cc, "-O1", "-o", str(exe), str(WIN / "res_enum.c"), str(obj)], check=True)
    root = make_root(tmp_path, {"/re.exe": exe})
    res = tblc("run", "--root", root, "/re.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "types: #6 #10 -> 1", "RCDATA names: HELLO #7 #100 -> 1",
        "stopped after one: HELLO -> 0 15106", "languages of #7: 0407 0409 -> 1",
        "no bitmaps: 0 1813"]


@pytest.mark.parametrize("bits", [32, 64])
def test_freopen_redirects_a_stream_and_keeps_the_file_pointer(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/fr.exe": mingw("freopen", bits, libs=("-lucrt",))})
    res = tblc("run", "--root", root, "--cwd", "/", "/fr.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout == b"before\n"
    assert res.stderr.decode() == ("freopen_s 0 same 1 log [into the log 42\n] same stream 1 "
                                   "b.txt [bee] counts 8 5\n")


def _resource_directory_offset(data: bytes) -> int:
    """Where a PE file's resource root directory is in the file."""
    pe, = struct.unpack_from("<I", data, 0x3C)
    nsections, optional_size = struct.unpack_from("<H", data, pe + 6)[0], \
        struct.unpack_from("<H", data, pe + 20)[0]
    optional = pe + 24
    dirs = optional + (112 if struct.unpack_from("<H", data, optional)[0] == 0x20B else 96)
    rva, = struct.unpack_from("<I", data, dirs + 16)
    for i in range(nsections):
        _n, vsize, va, size, raw = struct.unpack_from("<8sIIII", data,
                                                      optional + optional_size + 40 * i)
        if va <= rva < va + max(vsize, size):
            return raw + rva - va
    raise AssertionError("no resource section")


@pytest.mark.parametrize("bits", [32, 64])
def test_updating_another_programs_resources(mingw, tmp_path, bits):
    """rcedit's way: resources read from the file, changed, written back as a section; the
    program still runs and finds them."""
    cc = MINGW[bits]
    windres = cc.replace("-gcc", "-windres")
    if shutil.which(windres) is None:
        missing(f"{windres} is not installed (scripts/setup installs mingw-w64)")
    obj, target = tmp_path / "res.o", tmp_path / "re.exe"
    subprocess.run([windres, str(WIN / "res_enum.rc"), "-O", "coff", "-o", str(obj)], check=True)
    subprocess.run([cc, "-O1", "-o", str(target), str(WIN / "res_enum.c"), str(obj)], check=True)
    data = target.read_bytes()
    pe, = struct.unpack_from("<I", data, 0x3C)
    loops = bytearray(data)      # every type entry of the root names the root again
    root_dir = _resource_directory_offset(data)
    named, ids = struct.unpack_from("<HH", data, root_dir + 12)
    for i in range(named + ids):
        struct.pack_into("<I", loops, root_dir + 20 + 8 * i, 0x80000000)
    no_sections = bytearray(data)
    struct.pack_into("<H", no_sections, pe + 6, 0)
    root = make_root(tmp_path, {"/ru.exe": mingw("res_update", bits), "/re.exe": target,
                                "/loops.exe": bytes(loops), "/nosec.exe": bytes(no_sections)})
    res = tblc("run", "--root", root, "/ru.exe", "C:\\re.exe", "C:\\loops.exe",
               "C:\\nosec.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "begin 1", "updates 1 1 1, end 1", "discarded 1",
        "read back: hello replaced missing seven", "not a program: 0 2",
        "C:\\loops.exe: begin 0 193, end 0 0", "C:\\nosec.exe: begin 1 0, end 0 193",
        "named language entry: 1, 0 languages"]
    res = tblc("run", "--root", root, "/re.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines()[1] == "RCDATA names: GREETING #7 #100 -> 1"


@pytest.mark.parametrize("bits", [32, 64])
def test_change_notification_handles(mingw, tmp_path, bits):
    """A watch goes with FindCloseChangeNotification or its last handle (it stayed, hearing
    every change of the machine's files, after CloseHandle)."""
    from sysvec.runtime.machine import Machine
    root = make_root(tmp_path, {"/cn.exe": mingw("change_notify", bits)})
    out = tmp_path / "out.txt"
    m = Machine(root=root)
    with open(out, "wb") as f:
        p = m.spawn("/cn.exe", ["cn.exe"], stdio=[0, f.fileno(), 2], cwd="/")
        m.run(max_seconds=120)
    assert p.returncode == 0
    assert out.read_text().splitlines() == [
        "handle 1", "nothing yet: 0x102", "after a file was made: 0x0",
        "next: 1, then quiet: 0x102", "after a delete: 0x0", "closed: 1",
        "missing directory: 1 2"]
    assert not m.kernel.fs.change_listeners["ReadDirectoryChangesW"].watches
    m.close()


@pytest.mark.parametrize("bits", [32, 64])
def test_shell_execute_opens_programs_and_knows_no_associations(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/se.exe": mingw("shell_execute", bits)})
    res = tblc("run", "--root", root, "/se.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "child got hello", "started 1, hInstApp above 32 1, exit 7",
        "url: 0 1155 hInstApp 31", "document: 31"]


@pytest.mark.parametrize("bits", [32, 64])
def test_number_and_currency_formats(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/nf.exe": mingw("number_format", bits)})
    res = tblc("run", "--root", root, "/nf.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "[1,234,567.89] 13", "[-0.50] 6", "[-] 87",
        "[1,234,567,890,123,456,789,012,345,678.00] 41", "[12.34.567,3] 12", "[(,3)] 5",
        "[-$1,234.50] 11", "[$1,234.50] 10", "size only 9"]


def test_a_dll_without_relocations_loads_away_from_a_taken_base(mingw, tmp_path):
    """python3.dll has no base relocations (only forwarders) and python312.dll's base: it
    loads anywhere, so every abi3 extension (cryptography, bcrypt, psutil) imports."""
    cc = MINGW[64]
    dll = tmp_path / "forwarder.dll"
    (tmp_path / "empty.c").write_text("int unused;\n")
    subprocess.run([cc, "-shared", "-nostdlib", "-o", str(dll), str(tmp_path / "empty.c"),
                    str(WIN / "forwarder.def"), "-Wl,--image-base=0x140000000",
                    "-Wl,--disable-reloc-section", "-Wl,--dynamicbase",
                    "-Wl,--entry=0"], check=True, capture_output=True)
    root = make_root(tmp_path, {"/use.exe": mingw("forwarder_user", 64), "/forwarder.dll": dll})
    res = tblc("run", "--root", root, "--cwd", "/", "/use.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == ["loaded 1, elsewhere 1", "forwarded call works 1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_connecting_to_this_computers_registry_and_its_time_zone(mingw, tmp_path, bits):
    """Python's winreg.ConnectRegistry(None, HKLM) and the zone dateutil and tzlocal read."""
    root = make_root(tmp_path, {"/rc.exe": mingw("registry_connect", bits)})
    res = tblc("run", "--root", root, "/rc.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "connect: 0", "zone: 0 0 UTC", "UTC key: 0 0 TZI 44 bytes",
        "RegLoadMUIStringW: MUI_Std 2, Std 0 Coordinated Universal Time (54 bytes)",
        "another computer: 53",
        "close: 0"]


@pytest.mark.parametrize("bits", [32, 64])
def test_fenv_complex_and_float_math_the_ucrt_exports(mingw, tmp_path, bits):
    """numpy's extension modules import fetestexcept, the complex family, nextafterf ..."""
    root = make_root(tmp_path, {"/fc.exe": mingw("fenv_complex", bits)})
    res = tblc("run", "--root", root, "/fc.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "fenv: raised 0x4, divbyzero 0, cleared 0, round 0",
        "creal 3 cabs 5 cimagf 0",
        "cexp(i pi) -1.000 0.000, (3+4i)^2 -7.0 24.0, csqrtf(-4) 0.0 2.0",
        "nextafterf 1.00000012 1.4e-45, modff -0.75 -2, _dpcomp 1 2 0, swap 0807060504030201"]


@pytest.mark.parametrize("bits", [32, 64])
def test_what_psutil_asks_windows(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/si.exe": mingw("sysinfo", bits, libs=(
        "-lpsapi", "-lpdh", "-liphlpapi", "-lws2_32", "-ladvapi32"))})
    res = tblc("run", "--root", root, "/si.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "addresses 127.0.0.1 (9) 2001:db8::1 (11)", "EnumProcesses 1, self listed 1",
        "handle count 1", "power: AC 1, battery flag 128", "account: 1 user 1",
        "services: 1 listed 0, open 0 err 1060, close 1", "ReadProcessMemory 1 5eed 4",
        "EnumProcessModulesEx 1, the program first 1", "RoInitialize 0, again 1",
        "partial copy 0 299 4096 x",
        "image by id: 0 \\Device\\HarddiskVolume1\\si.exe",
        "pdh 0 0 0 0 value 0, close 0", "tcp table: 122 size 28"]


@pytest.mark.parametrize("bits", [64, 32])
def test_replacing_a_file_held_open_needs_its_holder_to_share_delete(mingw, tmp_path, bits):
    """MoveFileEx(REPLACE_EXISTING) over a file held open without FILE_SHARE_DELETE fails
    with ERROR_ACCESS_DENIED and leaves it (CPython's os.replace over a file it has open
    succeeded, unlike on Windows); with FILE_SHARE_DELETE the replacement goes through."""
    root = make_root(tmp_path, {"/ro.exe": mingw("replace_open", bits)})
    res = tblc("run", "--root", root, "/ro.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "share 3: moved 0 error 5 old.txt [old]", "share 5: moved 1 error 0 old.txt [new]",
        "own name: renamed 1 error 0"]


@pytest.mark.parametrize("bits", [64, 32])
def test_setlocale_by_category(mingw, tmp_path, bits):
    """"" is the machine's language, English_United States.1252 (CPython's locale.getlocale
    was (None, None) and locale.currency refused the C locale); categories are set apart
    and a mixed state reads back by category; lconv follows LC_NUMERIC and LC_MONETARY; a
    language whose conventions are not here is refused (NULL) and changes nothing."""
    root = make_root(tmp_path, {"/lc.exe": mingw("locale_categories", bits)})
    res = tblc("run", "--root", root, "/lc.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "start C", "C [.][][] frac 127 sign 127",
        "ctype English_United States.1252",
        "mixed LC_COLLATE=C;LC_CTYPE=English_United States.1252;LC_MONETARY=C;LC_NUMERIC=C;"
        "LC_TIME=C", "restored 1 ctype English_United States.1252",
        "all English_United States.1252", "en-US [.][,][$] frac 2 sign 0",
        "numeric C", "numeric C [.][][$] frac 2 sign 0",
        "utf8 English_United States.utf8",
        "german (null) then English_United States.utf8", "per-category names 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_the_peb_has_what_code_reads_from_it(mingw, tmp_path, bits):
    """ProcessHeap, NumberOfProcessors, OSMajor/Minor/BuildNumber and FastPebLock, read from
    the PEB itself (Zig's standard library enters FastPebLock: a NULL one is an access
    violation, as it would be on Windows)."""
    root = make_root(tmp_path, {"/peb.exe": mingw("peb_fields", bits)})
    res = tblc("run", "--root", root, "/peb.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == ["heap 1 procs 1 version 10.0.19045 locked ok"]


@pytest.mark.parametrize("bits", [64, 32])
def test_a_wild_pointer_given_to_a_win32_function_is_an_access_violation(mingw, tmp_path, bits):
    """Win32 functions are DLL code: a wild pointer is an access violation at the call that
    the program's handler sees with the address (it was ERROR_SUCCESS, WAIT_OBJECT_0, S_OK
    with nothing written); an NT service probes and fails with STATUS_ACCESS_VIOLATION;
    unhandled, the process ends with 0xC0000005 as for a fault in its own code."""
    root = make_root(tmp_path, {"/wild.exe": mingw("wild_pointers", bits,
                                                   libs=("-lws2_32", "-ladvapi32"))})
    res = tblc("run", "--root", root, "/wild.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "WaitForMultipleObjects: exception 0xc0000005 at 0x10",
        "WSAStartup: exception 0xc0000005 at 0x20",
        "RegOpenKeyExA: exception 0xc0000005 at 0x30",
        "GetSystemInfo: exception 0xc0000005 at 0x40",
        f"NtQueryPerformanceCounter returned {0xC0000005}", "still running"]


@pytest.mark.parametrize("bits", [64, 32])
def test_a_negative_star_width_or_precision_follows_c(mingw, tmp_path, bits):
    """printf's `*` width below zero is the - flag, a `*` precision below zero is none (bison's
    m4 formats with %*.*s and precision -1: its skeleton's quoting broke)."""
    root = make_root(tmp_path, {"/star.exe": mingw("printf_star", bits)})
    res = tblc("run", "--root", root, "/star.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "ucrt 10 [   YYEOF]", "ucrt 10 [ab      ]", "ucrt 4 [42]", "ucrt 10 [1.500000]",
        "ucrt 7 [7    ]", "msvcrt 10 [   YYEOF]", "msvcrt 10 [ab      ]"]


@pytest.mark.parametrize("bits", [64, 32])
def test_msvcp140_joins_detaches_and_times_out_as_the_stl_asks(mingw, tmp_path, bits):
    """MSVCP140's thread calls behind std::thread::join/detach, this_thread::sleep_for,
    timed_mutex::try_lock_for and condition_variable::wait_until (clangd ended in a missing
    _Thrd_join), with the STL's _Thrd_t by value and xtime deadlines."""
    root = make_root(tmp_path, {"/stl.exe": mingw("stl_threads", bits)})
    res = tblc("run", "--root", root, "/stl.exe", timeout=120)
    assert res.returncode == 0, res
    handle = "0" * (bits // 4)
    assert res.stdout.decode().splitlines() == [
        "join 0 code 7 handle closed 1", "detach 0 ran on 8", "start 0 id matches 1 join 0 code 9",
        f"current: id 1 handle {handle}", "slept >= 90 ms: 1", "timedlock held elsewhere: 2",
        "timedlock after its release: 0", "timedwait unsignalled: 2",
        "timedwait signalled: 0 flag 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_the_crt_stream_lock_keeps_two_threads_lines_whole(mingw, tmp_path, bits):
    """msvcrt's _lock is a recursive lock a thread waits for: mingw-w64's printf holds the
    stream's while it writes a character at a time, so two threads' lines never mix."""
    root = make_root(tmp_path, {"/lock.exe": mingw("stream_lock", bits)})
    res = tblc("run", "--root", root, "/lock.exe", timeout=120)
    assert res.returncode == 0, res
    line = "thread {0} line {1:03d}: the quick brown fox jumps over the lazy dog {0}"
    assert sorted(res.stdout.decode().splitlines()) == sorted(
        line.format(t, i) for t in "ab" for i in range(150))
    assert res.stderr.decode() == "contender took the lock after the last unlock: 1\n"


@pytest.mark.parametrize("bits", [64, 32])
def test_a_named_pipe_instance_serves_client_after_client(mingw, tmp_path, bits):
    """DisconnectNamedPipe makes the same handle an instance the next client opens
    (PostgreSQL's signal pipe: its second pg_ctl signal found the pipe busy forever)."""
    root = make_root(tmp_path, {"/reuse.exe": mingw("pipe_reuse", bits)})
    res = tblc("run", "--root", root, "/reuse.exe", timeout=120)
    assert res.returncode == 0, res
    assert sorted(res.stdout.decode().splitlines()) == sorted(
        [f"client {i}: 1 reply {100 + i}" for i in range(3)]
        + [f"server {i}: connected 1 read 1 disconnected 1" for i in range(3)]
        + ["server done 1", "not a pipe 0 1"])


@pytest.mark.parametrize("bits", [64, 32])
def test_console_control_events(mingw, tmp_path, bits):
    """GenerateConsoleCtrlEvent: Ctrl+Break to a new process group runs the child's handler
    in a thread of its own; a new group ignores Ctrl+C; Ctrl+C to the console's processes
    ends a child without handlers with STATUS_CONTROL_C_EXIT while the caller's handler
    takes it; the CRT's signal(SIGINT) handler is called; SetConsoleCtrlHandler(NULL, TRUE)
    is inherited; GetConsoleProcessList lists the console's processes."""
    root = make_root(tmp_path, {"/ce.exe": mingw("console_events", bits)})
    res = tblc("run", "--root", root, "/ce.exe", timeout=120)
    assert res.returncode == 0, res
    assert [line for line in res.stdout.decode().splitlines() if line != "ready"] == [
        "break: event 1 own-thread 1 slept 1", "sent break 1, exit 0",
        "ignored: event -1 own-thread 0 slept 1", "sent ctrl-c 1, exit 0",
        "attached 1 sent to all 1, exit 0xc000013a, mine 0",
        "crt: event 102 own-thread 0 slept 1", "sent to all 1, exit 0, mine 0",
        "ignored: event -1 own-thread 0 slept 1", "ignoring 1, exit 0, mine -1",
        "bad event 0 87"]


@pytest.mark.parametrize("bits", [64, 32])
def test_c11_threads_and_atomic_waits_of_the_redistributable(tmp_path, bits):
    """vcruntime140_threads.dll (PyTorch's torch_cpu.dll imports it) and
    msvcp140_atomic_wait.dll, which programs take from the machine's Visual C++
    redistributable: C11 threads joined with their results, a mutex four threads share, a
    recursive one, a condition hand-off and a timed wait's timeout, call_once, tss, thrd_t
    passed and returned by value (a hidden pointer on x64, edx:eax on i386), and an atomic
    wait a notify ends."""
    cc = MINGW[bits]
    dlltool = cc.replace("-gcc", "-dlltool")
    if shutil.which(cc) is None or shutil.which(dlltool) is None:
        missing(f"{cc} or {dlltool} is not installed")
    lib = tmp_path / "libvcruntime140_threads.a"
    subprocess.run([dlltool, "-d", str(WIN / "vcruntime140_threads.def"), "-l", str(lib)],
                   check=True)
    exe = tmp_path / "c11.exe"
    subprocess.run([cc, "-O1", "-o", str(exe), str(WIN / "c11_threads.c"), str(lib)], check=True)
    root = make_root(tmp_path, {"/c11.exe": exe})
    res = tblc("run", "--root", root, "/c11.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "counter 200 results 160 once 1 own-slot 1",
        "recursive 0 0 waited 2 other-try 3 unlock-second 0 unlock-unowned 4",
        "box 7 timed 2 relocked-busy 3 self-equal 1 other-equal 0 no-handle 1",
        "woken 1 remaining 1 forever 1 lock 1 stack kept 1"]     # __stdcall on i386


@pytest.mark.parametrize("bits", [64, 32])
def test_the_system_process_list(mingw, tmp_path, bits):
    """NtQuerySystemInformation(SystemProcessInformation): sized first (INFO_LENGTH_MISMATCH),
    then the NextEntryOffset chain with this process, its two threads and its image name;
    SystemPerformanceInformation; a PROCESS_MEMORY_COUNTERS_EX filled to its PrivateUsage
    (psutil's num_threads, status, cpu_stats and memory_info.private)."""
    root = make_root(tmp_path, {"/pl.exe": mingw("process_list", bits, libs=("-lpsapi",))})
    res = tblc("run", "--root", root, "/pl.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "self threads 2 mine 1 other 1 name pl.exe memory 1",
        "list 0xc0000004 0x0 found 1 chain 1 many 1",
        "performance 0x0 344", "interrupts 0x0 24 io priority 0x0 2",
        "counters 1 cb 1 private 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_descriptors_change_form_and_access_is_checked(mingw, tmp_path, bits):
    """jupyter_core's secure_write: MakeAbsoluteSD (sizes first, ERROR_INSUFFICIENT_BUFFER),
    a user-only DACL, MakeSelfRelativeSD and SetFileSecurity; AccessCheck wants an
    impersonation token (ImpersonateSelf, OpenThreadToken) and walks the DACL with generic
    rights mapped; pywin32-ctypes' CredEnumerateW finds nothing (ERROR_NOT_FOUND)."""
    root = make_root(tmp_path, {"/sd.exe": mingw("sd_forms", bits, libs=("-ladvapi32",))})
    res = tblc("run", "--root", root, "/sd.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "get 1 sized 0 122 split 1 owner 1 group 1",
        "packed 0 122 1 length-match 1 self-relative 1 aces 1 set 1",
        "primary 0 1309 opened 1 read 1 status 1 granted-read 1",    # NO_IMPERSONATION_TOKEN
        "execute status 0 granted 0 error 5",
        "maximum status 1 delete 1 execute 0",
        "credentials 0 1168 count 0 null 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_dbghelp_symbols_come_from_the_exports(mingw, tmp_path, bits):
    """SymFromName, SymFromAddr (with its displacement), SymGetModuleInfoW64 in this process
    and SymRefreshModuleList + SymFromName in another (py-spy died at SymInitializeW, which
    was missing; Rust's backtraces printed no frame); no line information."""
    root = make_root(tmp_path, {"/sym.exe": mingw("symbols", bits, libs=("-ldbghelp",))})
    res = tblc("run", "--root", root, "/sym.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "started 1 name 1 same 1 address 1 [GetTickCount] +2",
        "module 1 [kernel32] base 1 symbols 1", "line 0 487",      # ERROR_INVALID_ADDRESS
        "other 1 1 1 same 1", "missing 0 126"]                       # ERROR_MOD_NOT_FOUND


@pytest.mark.parametrize("bits", [64, 32])
def test_positional_printf_arguments(mingw, tmp_path, bits):
    """The UCRT's _p printf entries (austin imports __stdio_common_vfprintf_p): arguments
    named out of order and of mixed widths, narrow and wide."""
    root = make_root(tmp_path, {"/pp.exe": mingw("printf_positional", bits, libs=("-lucrt",))})
    res = tblc("run", "--root", root, "/pp.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == ["26 [third 7 2.50 1099511627776]",
                                                "9 [answer-42]"]


@pytest.mark.parametrize("bits", [64, 32])
def test_another_threads_context_is_read_and_set(mingw, tmp_path, bits):
    """SuspendThread, GetThreadContext (the thread is in its loop), SetThreadContext to a
    function with the stack as after a call, ResumeThread: how Go's runtime preempts a
    goroutine in a tight loop (a loop and a garbage collection waited for each other for
    ever: both calls failed with ERROR_ACCESS_DENIED)."""
    root = make_root(tmp_path, {"/tc.exe": mingw("thread_context", bits)})
    res = tblc("run", "--root", root, "/tc.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "suspended 0 got 1 in loop 1 set 1 ended 1 diverted 1 code 7 own 1"]


def test_a_32_bit_result_leaves_the_upper_half_of_rax_zero(mingw, tmp_path):
    """Go compares all of RAX with 0xFFFFFFFF: a failed bind (SOCKET_ERROR) read as
    0xFFFFFFFFFFFFFFFF, which Go took for success (a second listen on a port "worked",
    and its web servers closed connections whose request was not there yet)."""
    root = make_root(tmp_path, {"/ir.exe": mingw("int_results", 64, libs=("-lws2_32",))})
    res = tblc("run", "--root", root, "/ir.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "bind 0x0 in use 0xffffffff 10048 attributes 0xffffffff"]


def test_a_process_that_does_not_fit_is_error_not_enough_memory(mingw, tmp_path):
    """Children holding 8 MiB images started until the machine is full: the one that does
    not fit fails with ERROR_NOT_ENOUGH_MEMORY (the loader's full page pool read as a bad
    address, and CreateProcess said ERROR_FILE_NOT_FOUND)."""
    root = make_root(tmp_path, {"/suf.exe": mingw("spawn_until_full", 64)})
    res = tblc("run", "--max-total-memory", "96M", "--root", root, "/suf.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == ["some started 1 stopped with 8"]


@pytest.mark.parametrize("bits", [64, 32])
def test_file_views_start_on_the_allocation_granularity(mingw, tmp_path, bits):
    """MapViewOfFile's views were only page-aligned: Rust's memmap2 unmaps at the view's
    address rounded down to 64 KiB, which failed (ERROR_INVALID_ADDRESS) and leaked every
    map (py-spy, ripgrep, uv ...)."""
    root = make_root(tmp_path, {"/va.exe": mingw("view_alignment", bits)})
    res = tblc("run", "--root", root, "/va.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "granularity 0x10000 aligned 1 unmapped 1 first byte a"]


@pytest.mark.parametrize("bits", [64, 32])
def test_windows_own_dlls_load_without_their_functions(mingw, tmp_path, bits):
    """LoadLibrary of a DLL every Windows has that sysvec does not make is a module found in
    System32 (it failed with 126, and ctypes' windll.uxtheme raised), whose functions
    GetProcAddress does not find; one that is nowhere still fails."""
    root = make_root(tmp_path, {"/sdl.exe": mingw("system_dll_load", bits)})
    res = tblc("run", "--root", root, "/sdl.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        f"{name}: module 1 same-again 1 proc 0 127 path C:\\Windows\\System32\\{key}.dll freed 1"
        for name, key in (("shcore.dll", "shcore"), ("uxtheme.dll", "uxtheme"),
                          ("dwmapi", "dwmapi"), ("WININET.DLL", "wininet"))] + ["nowhere 0 126"]


@pytest.mark.parametrize("bits", [64, 32])
def test_known_folders_checksums_and_data_file_loads(mingw, tmp_path, bits):
    """The known folders platformdirs, pip and fontconfig ask for (ProgramData, the desktop,
    System32, Fonts...; Program Files as WOW64 shows it to a 32-bit program, which has no x64
    one), SHGetFolderPath through shfolder.dll loaded by name, imagehlp's PE checksum of the
    program (pefile's value) as PyInstaller computes it, and FreeLibrary of a data-file load."""
    import pefile
    exe = mingw("system_folders", bits, libs=("-lshell32", "-lole32"))
    root = make_root(tmp_path, {"/sf.exe": exe})
    res = tblc("run", "--root", root, "/sf.exe", timeout=120)
    assert res.returncode == 0, res
    program_files = "C:\\Program Files" if bits == 64 else "C:\\Program Files (x86)"
    assert res.stdout.decode().splitlines() == [
        "ProgramData 0x0 C:\\ProgramData", "Desktop 0x0 C:\\Users\\user\\Desktop",
        "Public 0x0 C:\\Users\\Public", "System 0x0 C:\\Windows\\System32",
        "Fonts 0x0 C:\\Windows\\Fonts", "LocalAppDataLow 0x0 C:\\Users\\user\\AppData\\LocalLow",
        "StartMenu 0x0 C:\\Users\\user\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu",
        f"ProgramFiles 0x0 {program_files}",
        "ProgramFilesX64 0x0 C:\\Program Files" if bits == 64 else
        "ProgramFilesX64 0x80070002 (null)",
        "csidl 0x0 C:\\ProgramData", "shfolder 0x0 C:\\Windows",
        f"checksum 0 {pefile.PE(str(exe)).generate_checksum()} same 1 headers 1 missing 1",
        "datafile 1 freed 1 again 0 6"]


@pytest.mark.parametrize("bits", [64, 32])
def test_dos_paths_become_nt_names(mingw, tmp_path, bits):
    """RtlDosPathNameToNtPathName_U(_WithStatus) and RtlFreeUnicodeString, as filelock 4 uses
    them before NtCreateFile: absolute, relative, verbatim and UNC names, the file part, a
    directory's trailing separator, and a name NtCreateFile then creates."""
    root = make_root(tmp_path, {"/names.exe": mingw("dos_nt_names", bits)})
    res = tblc("run", "--root", root, "/names.exe", timeout=120)
    assert res.returncode == 0, res
    freed = "freed 1 0"
    assert res.stdout.decode().splitlines() == [
        "0x0 [\\??\\C:\\data\\a.lock] part [a.lock] max 1", freed,
        "0x0 [\\??\\C:\\data\\b.txt] part [b.txt] max 1", freed,
        "0x0 [\\??\\C:\\v\\x] part [x] max 1", freed,
        "0x0 [\\??\\UNC\\server\\share\\f] part [f] max 1", freed,
        "0x0 [\\??\\C:\\data\\] part [(none)] max 1", freed,
        "0x0 [\\??\\UNC\\server\\share\\g] part [g] max 1", freed,
        "boolean 1", "created 0x0 wrote 4 exists 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_a_threads_process_id_is_its_processs(mingw, tmp_path, bits):
    """From a second thread _getpid, GetCurrentProcessId, GetProcessId(GetCurrentProcess())
    and the basic information name the process (CPython's os.getpid is _getpid: Jupyter drops
    every message a thread sends under another "pid"), and a process that thread creates has
    the process as its parent."""
    root = make_root(tmp_path, {"/pids.exe": mingw("thread_pids", bits)})
    res = tblc("run", "--root", root, "/pids.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "main: current 1 crt 1 handle 1 basic 1 thread-differs 0",
        "thread: current 1 crt 1 handle 1 basic 1 thread-differs 1",
        "child: parent is the process 1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_user_apcs_run_at_alertable_waits(mingw, tmp_path, bits):
    """QueueUserAPC: the routine runs in its thread at an alertable wait only, every queued
    one before the wait returns WAIT_IO_COMPLETION, a signalled object wins over them, and a
    thread already waiting alertably is woken (watcher.node wakes its thread so)."""
    root = make_root(tmp_path, {"/apc.exe": mingw("user_apc", bits)})
    res = tblc("run", "--root", root, "/apc.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "queue: 1", "after a plain Sleep: ''", "SleepEx: 0xc0 ran 'ab'", "again: 0",
        "signalled, not alertable: 0 ran 'ab'", "signalled, alertable: 0 ran 'ab'",
        "unsignalled, alertable: 0xc0 ran 'abc'",
        "other thread: SleepEx 0xc0 ran x in itself 1",
        "other thread: WaitForSingleObjectEx 0xc0 ran xy", "thread ended: 0",
        "bad handle: 0 error 6"]


@pytest.mark.parametrize("bits", [32, 64])
def test_more_kernel32_calls_programs_import(mingw, tmp_path, bits):
    """GetNamedPipeInfo and TransactNamedPipe (a message exchange, ERROR_MORE_DATA with the
    rest left for ReadFile, ERROR_BAD_PIPE in byte-read mode), Module32First/Next over the
    program and its DLLs, TerminateJobObject's exit code, cycle times, group affinity,
    GetTempFileNameA and RegEnumKeyExA: imports of deno, hadolint, zig and OpenCV that
    were missing."""
    root = make_root(tmp_path, {"/k32.exe": mingw("k32_more", bits)})
    (root / "tmp").mkdir()
    res = tblc("run", "--root", root, "/k32.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        'server end: flags 5 out 1024 in 2048 max 4',
        'client end: flags 4 out 1024 in 2048 max 4',
        'byte mode transact: 0 error 230',
        "transact: 1 'answer to q2, a long one'",
        "short buffer: 0 error 234 'answer to '",
        "rest: 1 'q3, a long one'",
        'anonymous read end: flags 1 max 1',
        'anonymous write end: flags 0',
        'modules: many 1, the program 1, kernel32 1, end 18',
        'first (A): the program 1',
        'small entry: 0 error 24',
        'terminate job: 1',
        "member's exit code: 7",
        'bad job: 0',
        'cycles grow: 1, process at least thread: 1',
        'group 0 mask 1',
        'two processors: 0 error 87',
        'processor 0: 1',
        'temp file: made 1 prefix 1 tmp 1',
        'composed: 31 x1F.TMP',
        'RegEnumKeyExA: 0 child 5',
        'small: 234',
        'past the end: 259']


@pytest.mark.parametrize("bits", [32, 64])
def test_more_c_runtime_exports(mingw, tmp_path, bits):
    """mbtowc/wctomb/mblen/mbsinit, fegetenv/fesetenv/feholdexcept/feupdateenv,
    _statusfp/_clearfp, logb/scalbn/remquo/nexttoward with C's errno, and msvcrt's
    _daylight/_timezone/_dstbias/_tzname variables with _tzset (mingw's protoc imports
    them)."""
    root = make_root(tmp_path, {"/crt.exe": mingw("crt_more", bits)})
    res = tblc("run", "--root", root, "/crt.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        'mbtowc: 1 65 0',
        'mbtowc(NULL): 0, mblen: 1',
        "wctomb: 1 'z'",
        'wctomb of a smiley: -1 errno 1',
        'mbsinit: 1',
        'changed: round up 1 inexact 1',
        'restored: nearest 1 inexact 0',
        'held: overflow 0',
        'updated: overflow 1 underflow 1',
        '_statusfp zero divide 1, _clearfp 1, then 0',
        'logb: 3 -1 -133, of 0: -inf errno 1',
        'scalbn: 48 0.75 4.94066e-324',
        'scalbn overflow: inf errno 1',
        'remquo(10, 3): 1 3',
        'remquo(-29, 3): 1 -2',
        'remquof(7.5, 2): -0.5 4',
        'nexttoward: 1 1',
        'tz: daylight 0 timezone 0 dstbias 0 names Coordinated Universal Time '
        'Coordinated Universal Time']


@pytest.mark.parametrize("bits", [32, 64])
def test_more_c_runtime_exports_by_name(mingw, tmp_path, bits):
    """_i64toa/_ui64toa, _rotl/_rotr/_rotl64/_rotr64, tmpfile/tmpfile_s (deleted when
    closed), _strerror/_wcserror/_wperror, _get/_setmaxstdio, _access_s, _mktemp_s, strtold,
    _strftime_l, _ecvt and _fcvt."""
    root = make_root(tmp_path, {"/crt.exe": mingw("crt_more2", bits)})
    (root / "tmp").mkdir()
    res = tblc("run", "--root", root, "/crt.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stderr.decode() == "wide: Invalid argument\n"
    assert res.stdout.decode().splitlines() == [
        '_i64toa: -9000000000 ff',
        'rotations: 0x3 0x10000000 0x18 0x1000000000000000',
        "tmpfile: 'kept 42",
        "'tmpfile_s: 0 1",
        'temporary files left: 0',
        '_strerror: opening: No such file or directory',
        '_wcserror: Permission denied',
        'maxstdio: 512 set 2048: 2048 now 2048 set 9000: -1',
        '_access_s: 0 2',
        '_mktemp_s: 0 1 wrong size: 22',
        'strtold: 2500',
        '_strftime_l: 2024-02-29 13:00 Sunday',
        '_ecvt: 3142 1 0 125 -2 1 000 0',
        '_fcvt: 314 1 123 -2 12346 4 1']


@pytest.mark.parametrize("bits", [32, 64])
def test_a_pseudo_console_runs_a_child_through_two_pipes(mingw, tmp_path, bits):
    """CreatePseudoConsole (ConPTY, as pywinpty and node-pty use it): the child started with
    PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE has a console of the given size, its colours come out
    of the output pipe as VT sequences, keys written into the input pipe are a cooked line
    the console echoes, ClosePseudoConsole ends the output pipe."""
    root = make_root(tmp_path, {"/pc.exe": mingw("pseudo_console", bits)})
    res = tblc("run", "--root", root, "/pc.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "CreatePseudoConsole: 0", "CreateProcess: 1", "child exit: 5", "first line: 1",
        "red in colour: 1", "echoed: 1", "answer: 1", "resize: 0", "after close: 0 109"]


@pytest.mark.parametrize("bits", [32, 64])
def test_keys_typed_ahead_on_a_pseudo_console_echo_when_read(mingw, tmp_path, bits):
    """conhost echoes a cooked line when a read takes it: an answer typed before the child
    starts shows after the child's question, as on Windows (a Unix terminal would echo it
    at once, before the child's output)."""
    root = make_root(tmp_path, {"/pc.exe": mingw("pseudo_console", bits)})
    res = tblc("run", "--root", root, "/pc.exe", "typeahead", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "CreatePseudoConsole: 0", "CreateProcess: 1", "child exit: 5", "first line: 1",
        "red in colour: 1", "echoed: 1", "answer: 1", "resize: 0", "after close: 0 109"]


@pytest.mark.parametrize("bits", [32, 64])
@pytest.mark.parametrize("mode", ["cmd", "cmdahead"])
def test_an_interactive_cmd_on_a_pseudo_console(mingw, tmp_path, bits, mode):
    """cmd.exe on a pseudo console: its banner and prompt, the typed command echoed by the
    console (not again by cmd), its output, and `exit 4`'s code. Typed in one write, the
    second line waits unechoed until cmd's next read takes it, after the prompt."""
    root = make_root(tmp_path, {"/pc.exe": mingw("pseudo_console", bits)})
    res = tblc("run", "--root", root, "/pc.exe", mode, timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines()[2:] == [
        "child exit: 4",
        "Microsoft Windows [Version 10.0.19045.0]\\x0d\\x0a(c) Microsoft Corporation. All "
        "rights reserved.\\x0d\\x0a\\x0d\\x0aC:\\>echo hi there\\x0d\\x0ahi there\\x0d\\x0a"
        "\\x0d\\x0aC:\\>exit 4\\x0d\\x0a"]


def test_cmd_reading_piped_commands_shows_its_banner_and_prompts(mingw, tmp_path):
    """cmd.exe without /c reads commands from standard input as Windows' does: the banner,
    a prompt before each line, the line shown after it (it came from no console), no
    prompts once `@echo off` ran, and `exit N`'s code."""
    root = make_root(tmp_path, {"/sc.exe": mingw("spawn_cmd", 64)})
    res = tblc("run", "--root", root, "/sc.exe",
               input=b"echo hi\r\n@echo off\r\necho quiet\r\nexit 2\r\n", timeout=120)
    assert res.returncode == 2, res
    assert res.stdout == (b"Microsoft Windows [Version 10.0.19045.0]\r\n(c) Microsoft "
                          b"Corporation. All rights reserved.\r\n\r\nC:\\>echo hi\r\nhi\r\n"
                          b"\r\nC:\\>@echo off\r\nquiet\r\n")


@pytest.mark.parametrize("bits", [32, 64])
def test_an_overlapped_read_resets_its_event_as_it_starts(mingw, tmp_path, bits):
    """NT resets the event an overlapped operation names when it starts: a reader reusing one
    manual-reset event waits for its second read, not the first read's stale signal."""
    root = make_root(tmp_path, {"/ovr.exe": mingw("overlapped_reset", bits)})
    res = tblc("run", "--root", root, "/ovr.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "first: 1 3, event set 1", "second pending: 0 997, event reset 1",
        "second done: event set 1 4 'two!'"]


@pytest.mark.parametrize("bits", [32, 64])
def test_wide_and_stream_scanf(mingw, tmp_path, bits):
    """swscanf (wide %s and %[set], %hs narrow, %n, %c), sscanf's %S, fscanf leaving the
    rest of the line, scanf on standard input, and __stdio_common_vswscanf (semgrep-core and
    signtool import swscanf; the JVM's net.dll the UCRT's form)."""
    root = make_root(tmp_path, {"/scan.exe": mingw("scan_wide", bits)})
    res = tblc("run", "--root", root, "/scan.exe", input=b"123 bob\n", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "swscanf: 6 42 3.5 1 world abc 22 1", "sscanf %S: 1 1", "swscanf empty: -1",
        "fscanf: 2 7 8 ' rest", "'", "scanf: 2 123 bob", "__stdio_common_vswscanf: 2 255 1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_kernel32_imports_from_the_export_survey(mingw, tmp_path, bits):
    """MulDiv's rounding and overflow, the ANSI CompareString/GetStringType/LCMapString and
    CopyFile/CreateHardLink, MoveFileWithProgressW, a file's one stream (FindFirstStreamW),
    CreateMutexExW, the NUMA and processor-group counts, IsBadReadPtr/IsBadWritePtr over
    real mappings, IsWow64Process2, a mitigation policy, and SetEventWhenCallbackReturns
    from a thread-pool callback."""
    root = make_root(tmp_path, {"/k32.exe": mingw("k32_more2", bits)})
    res = tblc("run", "--root", root, "/k32.exe", timeout=120)
    assert res.returncode == 0, res
    native = "0x8664" if bits == 64 else "0x14c"
    assert res.stdout.decode().splitlines() == [
        'MulDiv: 8 -8 4 -1 -1',
        'CompareStringA: 2 2',
        'GetStringTypeA: 1 1 1',
        'LCMapStringA: 6 MIXED',
        'CopyFileA: 1 again: 0 80',
        'CreateHardLinkA: 1',
        'MoveFileWithProgressW: 1 1',
        'FindFirstStreamW: 1 4 ::$DATA next 0 38 folder 0 38',
        'CreateMutexExW: 1 owned 1',
        'NUMA mask: 1 1 0',
        'groups 1 max 1 all 1 session 1',
        'debugger 0',
        'execution state: 0x80000000 then 0x80000001',
        'IsBadReadPtr: 1 0 0, IsBadWritePtr: 0 1',
        f"IsWow64Process2: 0 {native}",
        'mitigation: 1 0',
        'callback may run long: 1',
        'event set when the callback returned: 1']


@pytest.mark.parametrize("bits", [32, 64])
def test_c_runtime_exports_from_the_export_survey(mingw, tmp_path, bits):
    """_fpclass, _dtest, Bessel functions (the host's libm), _ui64toa_s, _ultoa_s,
    mbstowcs_s and wcstombs_s, _ctime64_s, _telli64, console output (_cputs, _cprintf,
    __conio_common_vcprintf), _aligned_offset_malloc, _tempnam, __dstbias, _timespec64_get,
    wcsrtombs, strtoumax, _strtof_l, and a set_terminate handler terminate() runs."""
    root = make_root(tmp_path, {"/crt.exe": mingw("crt_survey", bits)})
    (root / "tmp").mkdir()
    res = tblc("run", "--root", root, "/crt.exe", timeout=120)
    assert res.returncode == 7, res
    assert res.stderr.decode() == "to the console\ncprintf 42\nvcprintf ok\n"
    assert res.stdout.decode().splitlines() == [
        '_fpclass: 0x100 0x20 0x80 0x4',
        '_dtest: -1 -2 2',
        'Bessel: 0.765198 -0.932194',
        '_ui64toa_s: 0 ff small 34 _ultoa_s: 0 1z141z3 radix 22',
        'mbstowcs_s: 0 4 abc',
        'wcstombs_s: 0 4 xyz smiley 42',
        '_ctime64_s: 0 Fri Jan  2 00:00:00 1970',
        'short buffer: 34',
        '_telli64: 5',
        'console: 0',
        '_aligned_offset_malloc: 1',
        '_tempnam: 1',
        '__dstbias: 0',
        '_timespec64_get: 1 1 0',
        'wcsrtombs: 2 hi 1',
        'strtoumax: 18446744073709551615, _strtof_l: 2.5',
        'set_terminate: 1',
        'terminate handler ran']


@pytest.mark.parametrize("bits", [32, 64])
def test_acl_entries_event_log_and_com_security(mingw, tmp_path, bits, monkeypatch):
    """SetEntriesInAclW (grant by name, deny by SID, merge, revoke; denials first; an
    unknown name ERROR_NONE_MAPPED), GetSecurityInfo/SetSecurityInfo by handle, the event
    log (a record the machine keeps; SYSVEC_EVENTLOG shows it), CoInitializeSecurity once
    and only after CoInitialize, PropVariantClear."""
    root = make_root(tmp_path, {"/adv.exe": mingw("adv_more", bits, libs=("-ladvapi32",
                                                                          "-lole32"))})
    monkeypatch.setenv("SYSVEC_EVENTLOG", "1")
    res = tblc("run", "--root", root, "/adv.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stderr.decode() == "sysvec: event log: adv_more error 1001: first | second\n"
    assert res.stdout.decode().splitlines() == [
        'SetEntriesInAclW: 0',
        'new: 2 aces: deny/0x40000000/S-1-5-32 allow/0x80000000/S-1-1-0',
        'granted more: 2 aces: deny/0x40000000/S-1-5-32 allow/0xa0000000/S-1-1-0',
        'revoked: 1 aces: allow/0xa0000000/S-1-1-0',
        'unknown name: 1332',
        'GetSecurityInfo: 0 owner 1 null dacl 1',
        'kernel object: 0 owner 1',
        'SetSecurityInfo: 0',
        'event log: 1 1 deregister 1 after: 0 6',
        'remote: 0 1722',
        'CoInitializeSecurity before COM: 0x800401f0',
        'CoInitializeSecurity: 0 then 0x80010119',
        'PropVariantClear: 0 vt 0']


@pytest.mark.parametrize("bits", [32, 64])
def test_registry_change_notifications(mingw, tmp_path, bits):
    """RegNotifyChangeKeyValue: an asynchronous watch signals its event once, only for what
    its filter names (and under the key with bWatchSubtree); a synchronous one waits until
    another thread sets a value."""
    root = make_root(tmp_path, {"/rn.exe": mingw("reg_notify", bits)})
    res = tblc("run", "--root", root, "/rn.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "watch: 0, quiet 1", "a new subkey (not asked for): 1", "value set: 1",
        "once only: 1", "subtree: 1", "synchronous: 0", "bad filter: 87, no event: 87"]


@pytest.mark.parametrize("bits", [32, 64])
def test_ansi_message_window_calls(mingw, tmp_path, bits):
    """RegisterClassExA/RegisterClassA, CreateWindowExA, PostMessageA, GetMessageA,
    PeekMessageA, DispatchMessageA, DefWindowProcA, PostThreadMessageA and UnregisterClassA:
    the wide calls' work with names in the ANSI code page."""
    root = make_root(tmp_path, {"/wa.exe": mingw("window_ansi", bits)})
    res = tblc("run", "--root", root, "/wa.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "class 1 window 1", "got 1 dispatched 7 seen 5", "peeked 1 seen 15, empty 0",
        "quit: 0", "unregister: 1", "RegisterClassA: 1"]


@pytest.mark.parametrize("bits", [32, 64])
def test_more_advapi32_and_ntdll_imports(mingw, tmp_path, bits):
    """RegQueryInfoKeyA and RegEnumValueA, LookupAccountName (a well-known group, the user
    round-tripping through LookupAccountSid, ERROR_NONE_MAPPED), LsaNtStatusToWinError,
    DuplicateToken, AddAccessDeniedAceEx, ImpersonateAnonymousToken, RtlFillMemory."""
    root = make_root(tmp_path, {"/ad2.exe": mingw("adv_more2", bits, libs=("-ladvapi32",))})
    res = tblc("run", "--root", root, "/ad2.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        'RegQueryInfoKeyA: 1 8 6',
        'RegEnumValueA: 0 greeting 8 1 hello',
        "LookupAccountNameA: 1 S-1-1-0 '' 5",
        'the user: 1 round trip 1 use 1',
        'unknown: 0 1332',
        'LsaNtStatusToWinError: 5',
        'DuplicateToken: 1',
        'AddAccessDeniedAceEx: 1 type 1 flags 2',
        'anonymous: 1 revert 1',
        'RtlFillMemory: azzzefg']


@pytest.mark.parametrize("bits", [32, 64])
def test_ntdll_key_and_thread_queries(mingw, tmp_path, bits):
    """NtQueryKey on an HKEY (its \\REGISTRY\\USER\\<SID>\\... name, a short buffer's
    STATUS_BUFFER_OVERFLOW with the size needed, KEY_FULL_INFORMATION's counts) and
    NtQueryInformationThread (the TEB NtCurrentTeb gives, the thread id, STILL_ACTIVE, the
    last-thread class, STATUS_INVALID_INFO_CLASS for others)."""
    root = make_root(tmp_path, {"/ntq.exe": mingw("nt_queries", bits)})
    res = tblc("run", "--root", root, "/ntq.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "name: 0 user hive 1 ends 1", "short: 0x80000005 need 1", "full: 0 values 1",
        "bad handle: 0xc0000008", "thread: 0 teb 1 id 1 status 0x103", "last thread: 0 1",
        "unknown class: 0xc0000003"]


@pytest.mark.parametrize("bits", [32, 64])
def test_winrt_strings_and_small_survey_calls(mingw, tmp_path, bits):
    """combase's HSTRINGs (made, fast-pass references needing their NUL, concatenated,
    compared, duplicated, the empty one), RoGetActivationFactory with no WinRT classes,
    no restricted error info; lstrcpynA, ProcessIdToSessionId, GetProcessVersion,
    PathSkipRootW, PathIsUNCW, StrTrimW, StrStrIA."""
    root = make_root(tmp_path, {"/wrt.exe": mingw("winrt_strings", bits)})
    res = tblc("run", "--root", root, "/wrt.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "strings: 5 'world' 5",
        "concat: 'helloworld'",
        "compare: -1 copy 0 empty 0 ''",
        'reference without NUL: 0x80070057',
        'activation: 0x80040154 1',
        'error info: 0x1 1',
        'lstrcpynA: truncat',
        'session 1 version 1',
        "PathSkipRootW: dir\\file, UNC 1 0, trimmed 1 'spaced', StrStrIA World"]


@pytest.mark.parametrize("bits", [64, 32])
def test_a_write_to_a_pipe_whose_reader_left_is_error_no_data(mingw, bits):
    """WriteFile: ERROR_NO_DATA (232), not ERROR_BROKEN_PIPE (a read's); _write: EINVAL with
    _doserrno 232, as the UCRT maps it (LLVM tools printed "bad file descriptor")."""
    import subprocess
    import sys
    exe = mingw("closed_pipe", bits)
    proc = subprocess.Popen([sys.executable, "-m", "sysvec.cli", "run", str(exe)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline() == b"first\n"
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert err.decode().splitlines()[-2:] == ["WriteFile: error 232",
                                              "_write: -1 errno 22 doserrno 232 last error 232"]


def test_the_run_ends_with_the_windows_program_not_its_background_child(mingw):
    """A Windows child left running (not DETACHED_PROCESS) does not keep `tblc run` waiting
    after the program exits (flow check hung for ever behind its server)."""
    import time
    exe = mingw("bg_child", 64)
    started = time.monotonic()
    res = tblc("run", exe, timeout=50)
    assert res.returncode == 3, res.stderr
    assert res.stdout == b"parent-done\n"
    assert time.monotonic() - started < 30


def test_tblc_runs_system32_programs_by_name(tmp_path):
    """`tblc run --root DIR cmd.exe ...` with no System32 in DIR runs the generated one, as
    a .bat or a CreateProcess found it already (it said "No such file or directory")."""
    root = tmp_path / "root"
    root.mkdir()
    res = tblc("run", "--root", root, "cmd.exe", "/c", "echo", "hi")
    assert res.returncode == 0 and res.stdout == b"hi\r\n", res
    res = tblc("run", "--root", root, "/Windows/System32/where.exe", "cmd")
    assert res.returncode == 0 and res.stdout.strip() == b"C:\\Windows\\System32\\cmd.exe", res
    res = tblc("run", "--root", root, "nosuch.exe")
    assert res.returncode == 127 and b"No such file or directory" in res.stderr
