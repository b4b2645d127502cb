"""Warm starts (runtime/warmstart.py, warm_server.py): a run started by a warm server's child behaves as a cold
run does — output, input, exit status, signals both ways — and the server comes and goes as
documented: after the second cold start, never for a terminal, gone when stale."""
from __future__ import annotations

import os
import pty
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


PYTHON_ENTRY = [sys.executable, "-P", "-c", "import sys; from sysvec.cli import main; sys.exit(main())"]


@pytest.fixture(scope="session")
def native_launcher(tmp_path_factory):
    """The native launcher (csrc/launcher/tblc.c) built for this interpreter and tree."""
    from sysvec.runtime import launcher
    target = tmp_path_factory.mktemp("launcher") / "tblc"
    try:
        launcher.build(target)
    except OSError as exc:
        pytest.skip(f"cannot build the native launcher: {exc}")
    return target


@pytest.fixture(params=["python", "native"])
def client(request):
    """The command a user's `tblc` is: pip's console script (Python) or the native launcher."""
    if request.param == "native":
        return [str(request.getfixturevalue("native_launcher"))]
    return PYTHON_ENTRY


@pytest.fixture
def warm(tmp_path, busybox, client):
    """A root with busybox, and an environment with its own server directory; the server (if
    any) is stopped afterwards."""
    root = tmp_path / "root"
    (root / "bin").mkdir(parents=True)
    shutil.copy2(busybox, root / "bin" / "busybox")
    directory = tmp_path / "warm"
    env = dict(os.environ, SYSVEC_WARM="1", SYSVEC_WARM_DIR=str(directory),
               SYSVEC_WARM_IDLE="60")
    command = client

    def run(*args, **kw):
        kw.setdefault("capture_output", True)
        kw.setdefault("timeout", 120)
        if "input" not in kw:
            kw.setdefault("stdin", subprocess.DEVNULL)
        return subprocess.run(command + ["run", "--root", str(root)] + list(args), env=env, **kw)

    run.env, run.command, run.root, run.directory = env, command, root, directory
    yield run
    for pid in servers(directory):
        os.kill(pid, signal.SIGTERM)


def spare(pid: int) -> bool:
    """Whether pid is a server's spare child, forked ahead of the next run (it names itself)."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "sysvec-spare"
    except OSError:
        return False


def servers(directory: Path) -> list[int]:
    """The pids of the servers listening in directory (their command line names it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"warm_server" in cmdline and str(directory).encode() in cmdline:
                found.append(int(entry.name))
    return [pid for pid in found if _parent(pid) not in found]   # not a server's spare


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def children(pid: int) -> list[int]:
    """pid's children that are runs (not its spare)."""
    try:
        pids = [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [child for child in pids if not spare(child)]


def wait_for(predicate, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def started_server(run) -> int:
    """Two cold runs start the server; its pid once it listens."""
    for _ in range(2):
        assert run("/bin/busybox", "true").returncode == 0
    assert wait_for(lambda: list(run.directory.glob("warm-*.sock")), 60)
    pids = wait_for(lambda: servers(run.directory))
    assert len(pids) == 1, pids
    return pids[0]


def test_a_server_starts_at_the_second_cold_run_only(warm):
    assert warm("/bin/busybox", "true").returncode == 0
    time.sleep(1)
    assert servers(warm.directory) == [], "one cold run left a server behind"
    started_server(warm)


def test_a_warm_run_gives_what_a_cold_one_gives(warm):
    started_server(warm)
    script = 'read x; echo "out $x"; echo "err $x" >&2; exit 7'
    cases = [(["/bin/busybox", "sh", "-c", script], b"line\n"),
             (["/bin/busybox", "sh", "-c", "kill -SEGV $$"], None),
             (["/bin/busybox", "sh", "-c", 'echo "$PWD $HOME"; umask'], None),
             (["--bogus-option"], None), (["/no/such/program"], None)]
    for args, data in cases:
        hot = warm(*args, input=data) if data else warm(*args)
        cold_env = dict(warm.env, SYSVEC_WARM="0")
        cold = subprocess.run(warm.command + ["run", "--root", str(warm.root)] + args,
                              input=data, capture_output=True, env=cold_env, timeout=120,
                              **({} if data else {"stdin": subprocess.DEVNULL}))
        assert (hot.returncode, hot.stdout, hot.stderr) == \
            (cold.returncode, cold.stdout, cold.stderr), args
    assert warm("/bin/busybox", "sh", "-c", script, input=b"x\n").returncode == 7


def test_a_warm_run_is_the_servers_child_and_signals_reach_it(warm):
    server = started_server(warm)
    client = subprocess.Popen(warm.command + ["run", "--root", str(warm.root), "/bin/busybox",
                                              "sleep", "30"],
                              env=warm.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    assert wait_for(lambda: children(server)), "the run is not the server's child"
    client.send_signal(signal.SIGTERM)
    assert client.wait(timeout=30) == 128 + signal.SIGTERM
    assert wait_for(lambda: not children(server), 10)


def test_a_killed_client_hangs_its_run_up(warm, tmp_path):
    server = started_server(warm)
    client = subprocess.Popen(warm.command + ["run", "--root", str(warm.root), "/bin/busybox",
                                              "sh", "-c", "sleep 5; echo late > /late"],
                              env=warm.env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert wait_for(lambda: children(server))
    client.kill()
    client.wait()
    assert wait_for(lambda: not children(server), 10), "the run outlived its client"
    time.sleep(6)
    assert not (warm.root / "late").exists()


def test_a_terminal_on_stdio_starts_cold(warm):
    server = started_server(warm)
    master, slave = pty.openpty()
    client = subprocess.Popen(warm.command + ["run", "--root", str(warm.root), "/bin/busybox",
                                              "sleep", "2"],
                              env=warm.env, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    time.sleep(1)
    assert children(server) == []
    assert client.wait(timeout=60) == 0
    os.close(master)


def test_a_stale_server_retires_and_the_next_run_starts_a_new_one(warm, tmp_path):
    """A server declines once a file it imported, or a directory on its path, changed: the
    run starts cold and a new server takes over."""
    path_entry = tmp_path / "pth"
    path_entry.mkdir()
    warm.env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(path_entry), os.environ.get("PYTHONPATH")) if p)
    first = started_server(warm)
    (path_entry / "new_module.py").write_text("")       # the directory changed
    assert warm("/bin/busybox", "echo", "hi").stdout == b"hi\n"
    assert wait_for(lambda: first not in servers(warm.directory), 30), "the stale one stayed"
    assert wait_for(lambda: servers(warm.directory), 60), "no new server"


def test_both_clients_reach_the_same_server(warm, native_launcher):
    """The launcher computes the server's settings key as the Python client does: runs of
    either are children of one server (with variables of each kind the key holds)."""
    warm.env.update(LD_LIBRARY_PATH="/nonexistent", MALLOC_ARENA_MAX="2", LC_ALL="C.UTF-8")
    server = started_server(warm)
    for command in (PYTHON_ENTRY, [str(native_launcher)]):
        client = subprocess.Popen(command + ["run", "--root", str(warm.root), "/bin/busybox",
                                             "sleep", "30"],
                                  env=warm.env, stdin=subprocess.DEVNULL)
        assert wait_for(lambda: children(server)), f"{command[0]}: not the server's child"
        client.send_signal(signal.SIGINT)
        assert client.wait(timeout=30) == 128 + signal.SIGINT
        assert wait_for(lambda: not children(server), 10)
    assert servers(warm.directory) == [server]


def test_the_launcher_hands_other_commands_to_python(native_launcher, tmp_path):
    version = subprocess.run([str(native_launcher), "--version"], capture_output=True,
                             text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("tblc (sysvec)")
    bad = tmp_path / "bad.tbl"
    bad.write_text("table t {\n")
    check = subprocess.run([str(native_launcher), "check", str(bad)], capture_output=True,
                           text=True, timeout=60)
    assert check.returncode == 1 and "bad.tbl:" in check.stderr


def test_a_closed_stdin_starts_cold_and_runs(warm, busybox):
    """A closed descriptor 0 cannot be passed; the run starts cold, where it is reopened on
    /dev/null."""
    started_server(warm)
    done = subprocess.run(warm.command + ["run", "--root", str(warm.root), "/bin/busybox",
                                          "echo", "ok"],
                          env=warm.env, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=120, preexec_fn=lambda: os.close(0))
    assert (done.returncode, done.stdout) == (0, b"ok\n")


def test_requests_are_checked_before_use():
    """A request is read field by field: truncated or padded bytes are refused (ValueError),
    never half-applied."""
    from sysvec.runtime import warmstart
    request = {"key": b"k", "argv": [b"run", b"/bin/true"], "env": {b"A": b"1=2"},
               "cwd": b"/", "umask": 0o22, "limits": {7: (1024, -1)}, "groups": [0],
               "ids": (0, 0, 0, 0)}
    body = warmstart.encode_request(request)
    assert warmstart.decode_request(body) == request
    for cut in range(len(body)):
        with pytest.raises(ValueError):
            warmstart.decode_request(body[:cut])
    with pytest.raises(ValueError):
        warmstart.decode_request(body + b"x")


def test_the_launcher_installs_over_the_console_script_and_back(tmp_path, monkeypatch):
    """install() replaces a console script with a launcher that runs; uninstall() writes the
    script back, and a working one."""
    from sysvec.runtime import launcher
    target = tmp_path / "bin" / "tblc"
    target.parent.mkdir()
    target.write_text(launcher.CONSOLE_SCRIPT.format(python=sys.executable))
    target.chmod(0o755)
    launcher.install(target)
    assert launcher.is_launcher(target)
    (tmp_path / "argparse.py").write_text("raise SystemExit('shadowed')\n")
    for _ in range(2):
        done = subprocess.run([str(target), "--version"], capture_output=True, text=True,
                              timeout=60, cwd=tmp_path)   # a cwd module never shadows
        assert done.returncode == 0 and done.stdout.startswith("tblc (sysvec)"), done.stderr
        launcher.uninstall(target)
        assert not launcher.is_launcher(target)


def test_the_module_watch_sees_a_module_rewritten_in_place_and_ignores_other_files(tmp_path):
    """inotify says that something changed in a watched directory; the stamps say whether it
    was a module: an editor's swap file beside one changes nothing, an in-place rewrite of
    one (same size) does."""
    from sysvec.runtime.warm_watch import ModuleWatch
    module = tmp_path / "pkg" / "mod.py"
    module.parent.mkdir()
    module.write_text("x = 1\n")
    old = time.time() - 100
    os.utime(module, (old, old))

    def take_stamps():
        return {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in (module, tmp_path)}

    watch = ModuleWatch(take_stamps)
    try:
        assert watch.fd is not None, "inotify is missing here"
        assert not watch.changed()
        (module.parent / ".mod.py.swp").write_text("swap")
        assert not watch.changed() and not watch.changed()
        with open(module, "r+") as f:      # the same size, a new mtime
            f.write("x = 2\n")
        assert watch.changed()
    finally:
        watch.close()


def test_a_machine_takes_a_spare_core_and_bound_tables_with_its_own_limits(busybox, tmp_path):
    """What a warm server prepares (runtime/engine.open_spares, tables.bind_ahead) is taken by
    the first machine of its process, with that machine's page limit; later machines make
    their own."""
    from sysvec.compiler.build import build, load_module, table_files
    from sysvec.runtime import engine, tables
    from sysvec.runtime.machine import Machine
    result = build(table_files())
    module = load_module(result)
    engine.open_spares(module)
    tables.bind_ahead(module, result.meta_path)
    spare = engine.SPARE_CORES[module, 64]
    root = tmp_path / "root"
    (root / "bin").mkdir(parents=True)
    shutil.copy2(busybox, root / "bin" / "busybox")
    with Machine(root=str(root), limits={"pool_pages": 4096}) as first:
        assert first.kernel.engine(64).cpu == spare[2]
        assert first.kernel.engine(64).phys.page_limit == 4096
        p = first.spawn("/bin/busybox", ["busybox", "true"])
        first.run()
        assert p.returncode == 0
    with Machine(root=str(root)) as second:
        assert second.kernel.engine(64).cpu != spare[2]
        p = second.spawn("/bin/busybox", ["busybox", "true"])
        second.run()
        assert p.returncode == 0
    engine.SPARE_CORES.clear()       # the 32-bit one, not taken


def test_a_build_kept_ahead_is_the_first_build_of_its_tables_and_names_what_it_depends_on():
    """compiler.build.build_ahead (a warm server's): the next build() of the same tables is
    that result without a look at its inputs, later ones look again; the server watches the
    inputs it returns (tables, C sources, the compiler, the completion mark)."""
    from sysvec.compiler import build as b
    files = b.table_files()
    result, inputs = b.build_ahead(files)
    assert b.build(files) is result
    again = b.build(files)
    assert again is not result and again.directory == result.directory
    names = {Path(p).name for p in inputs}
    assert {f.name for f in files} <= names
    assert {"trap.c", "sysvec.h", "build.py"} <= names
    assert result.directory / b.COMPLETE in inputs


def test_a_signal_before_the_servers_answer_reaches_the_run(warm):
    """The client's handlers are set before it sends its request: a SIGTERM that comes while
    the server has not answered (stopped here) waits for the run's pid, then ends the run."""
    server = started_server(warm)
    os.kill(server, signal.SIGSTOP)
    try:
        client = subprocess.Popen(warm.command + ["run", "--root", str(warm.root),
                                                  "/bin/busybox", "sleep", "30"],
                                  env=warm.env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
        client.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert client.poll() is None, "the signal ended the client, not the run"
    finally:
        os.kill(server, signal.SIGCONT)
    # The run ends by SIGTERM: its status (143), or its death by the signal (before the run
    # set its own handlers, as a cold start would die), mirrored; a shell says 143 for both.
    assert client.wait(timeout=30) in (128 + signal.SIGTERM, -signal.SIGTERM)
    assert wait_for(lambda: not children(server), 10)


def test_the_loaders_and_sanitizers_settings_are_part_of_the_key(monkeypatch):
    """A server's own process took LD_PRELOAD (scripts/sanitize's ASan runtime) at its start:
    a client with other such settings gets another server."""
    from sysvec.runtime import warmstart
    names = ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS", "MALLOC_ARENA_MAX")
    for name in names:
        monkeypatch.delenv(name, raising=False)
    base = warmstart.settings_key()
    for name in names:
        monkeypatch.setenv(name, "x")
        assert warmstart.settings_key() != base, name
        monkeypatch.delenv(name)
    assert warmstart.settings_key() == base
