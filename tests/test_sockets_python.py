"""Debian's python3 (dynamically linked) on the machine's network: the interpreter, the
libraries `ldd` lists and the standard library are copied into a root, then socketpair,
an asyncio TCP echo, http.server fetched with urllib, and multiprocessing.shared_memory."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import tblc

HOST_PYTHON = Path("/usr/bin/python3")


@pytest.fixture(scope="module")
def python_root(tmp_path_factory) -> Path:
    """A root holding the host's Debian python3, its shared libraries and its stdlib."""
    if not HOST_PYTHON.exists():
        pytest.skip("Debian's python3 is not installed")
    exe = HOST_PYTHON.resolve()
    version = re.sub(r"^python", "", exe.name)
    stdlib = Path(f"/usr/lib/python{version}")
    if not stdlib.is_dir():
        pytest.skip(f"{stdlib} is missing")
    root = tmp_path_factory.mktemp("pyroot")
    (root / "usr/bin").mkdir(parents=True)
    shutil.copy2(exe, root / "usr/bin/python3")
    ldd = subprocess.run(["ldd", str(exe)], capture_output=True, text=True).stdout
    for lib in re.findall(r"(/\S+) \(0x", ldd):
        dest = root / lib.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(lib).resolve(), dest)
    shutil.copytree(stdlib, root / stdlib.relative_to("/"), symlinks=True)
    (root / "tmp").mkdir()
    return root


def run_python(root: Path, code: str, timeout: int = 180):
    res = tblc("run", "--timeout", str(timeout), "--root", root, "/usr/bin/python3", "-c", code,
               timeout=timeout + 20)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()
    return res.stdout.decode()


def test_python_socketpair(python_root):
    out = run_python(python_root, "import socket\n"
                     "a, b = socket.socketpair()\n"
                     "a.sendall(b'over the pair'); a.shutdown(socket.SHUT_WR)\n"
                     "print(b.recv(100).decode(), b.recv(100))")
    assert out == "over the pair b''\n"


def test_a_datagram_from_a_wildcard_socket_comes_from_the_routed_address(python_root):
    """A UDP socket bound to 0.0.0.0 sends from 127.0.0.1 (the loopback route's source), and
    an IPv6 socket hears it as ::ffff:127.0.0.1, as on the host."""
    out = run_python(python_root, "import socket\n"
                     "a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(('127.0.0.1', 0))\n"
                     "b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(('0.0.0.0', 0))\n"
                     "b.sendto(b'x', a.getsockname()); print(a.recvfrom(10)[1][0])\n"
                     "c = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); c.bind(('::', 0))\n"
                     "b.sendto(b'y', ('127.0.0.1', c.getsockname()[1])); print(c.recvfrom(10)[1][0])")
    assert out == "127.0.0.1\n::ffff:127.0.0.1\n"


def test_python_asyncio_tcp_echo(python_root):
    code = '''
import asyncio

async def handle(reader, writer):
    while data := await reader.read(100):
        writer.write(data.upper())
        await writer.drain()
    writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async def client(i):
        r, w = await asyncio.open_connection("localhost", port)
        w.write(f"client {i}".encode())
        await w.drain()
        got = await r.read(100)
        w.close()
        await w.wait_closed()
        return got.decode()
    print(sorted(await asyncio.gather(*(client(i) for i in range(5)))))
    server.close()
    await server.wait_closed()

asyncio.run(main())
'''
    assert run_python(python_root, code) == \
        "['CLIENT 0', 'CLIENT 1', 'CLIENT 2', 'CLIENT 3', 'CLIENT 4']\n"


def test_python_http_server_fetched_with_urllib(python_root):
    code = '''
import http.server, os, threading, urllib.request
os.makedirs("/srv", exist_ok=True)
with open("/srv/page.txt", "w") as f:
    f.write("served by http.server\\n")
os.chdir("/srv")
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), Quiet)
threading.Thread(target=srv.serve_forever, daemon=True).start()
url = f"http://localhost:{srv.server_address[1]}/page.txt"
print(urllib.request.urlopen(url).read().decode(), end="")
srv.shutdown()
'''
    assert run_python(python_root, code) == "served by http.server\n"


def test_python_shared_memory_between_processes(python_root):
    code = '''
import os
from multiprocessing import shared_memory
shm = shared_memory.SharedMemory(create=True, size=4096)
pid = os.fork()
if pid == 0:
    other = shared_memory.SharedMemory(name=shm.name)
    other.buf[:5] = b"child"
    other.close()
    os._exit(0)
os.waitpid(pid, 0)
print(bytes(shm.buf[:5]).decode())
shm.close()
shm.unlink()
'''
    assert run_python(python_root, code) == "child\n"


def test_fioasync_arms_sigio_as_o_async_does(python_root):
    """ioctl(FIOASYNC) is F_SETFL's O_ASYNC for any file: nginx's master sets it on the
    socketpair to each worker, and started none when it failed (ENOTTY)."""
    code = ("import fcntl, os, signal, socket, struct\n"
            "got = []\n"
            "signal.signal(signal.SIGIO, lambda s, f: got.append(s))\n"
            "a, b = socket.socketpair()\n"
            "fcntl.fcntl(a.fileno(), fcntl.F_SETOWN, os.getpid())\n"
            "fcntl.ioctl(a.fileno(), 0x5452, struct.pack('i', 1))\n"
            "print('O_ASYNC', bool(fcntl.fcntl(a.fileno(), fcntl.F_GETFL) & 0o20000))\n"
            "b.send(b'x')\n"
            "print('SIGIO', got == [signal.SIGIO])\n"
            "fcntl.ioctl(a.fileno(), 0x5452, struct.pack('i', 0))\n"
            "print('off', bool(fcntl.fcntl(a.fileno(), fcntl.F_GETFL) & 0o20000))\n"
            "got.clear()\n"
            "srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)\n"
            "c = socket.socket()\n"
            "fcntl.fcntl(c.fileno(), fcntl.F_SETOWN, os.getpid())\n"
            "fcntl.ioctl(c.fileno(), 0x5452, struct.pack('i', 1))\n"
            "c.connect(srv.getsockname()); srv.accept()[0].send(b'x')\n"
            "print('before connecting', signal.SIGIO in got)\n")
    out = run_python(python_root, code)
    assert out.splitlines() == ["O_ASYNC True", "SIGIO True", "off False",
                                "before connecting True"], out


def test_reuseport_listeners_share_the_connections(python_root):
    """Listeners bound to one port with SO_REUSEPORT split its connections (the first one
    took them all: nginx's reuseport workers, one served everything); a regular file's
    FIONREAD is what is left to read."""
    code = ("import array, fcntl, socket, termios\n"
            "ls = []\n"
            "for i in range(2):\n"
            "    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)\n"
            "    s.bind(('127.0.0.1', 18555)); s.listen(64); s.setblocking(False); ls.append(s)\n"
            "cs = [socket.create_connection(('127.0.0.1', 18555)) for i in range(40)]\n"
            "counts = []\n"
            "for s in ls:\n"
            "    n = 0\n"
            "    while True:\n"
            "        try: s.accept()[0].close(); n += 1\n"
            "        except BlockingIOError: break\n"
            "    counts.append(n)\n"
            "print('spread', sum(counts), min(counts) >= 10)\n"
            "open('/tmp/f', 'wb').write(b'x' * 1000)\n"
            "with open('/tmp/f', 'rb', buffering=0) as f:\n"
            "    f.read(100); left = array.array('i', [0])\n"
            "    fcntl.ioctl(f.fileno(), termios.FIONREAD, left); print('left', left[0])\n")
    out = run_python(python_root, code)
    assert out.splitlines() == ["spread 40 True", "left 900"], out


def test_socket_options_a_server_reads(python_root):
    """Options Linux answers that failed with ENOPROTOOPT (sshd logged an error for
    SO_BINDTODEVICE on every connection), and an unconnected socket's default MSS."""
    code = ("import socket\n"
            "s = socket.socket()\n"
            "print(repr(s.getsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, 16)),\n"
            "      s.getsockopt(socket.SOL_SOCKET, 49), s.getsockopt(socket.SOL_SOCKET, 42),\n"
            "      len(s.getsockopt(socket.SOL_SOCKET, 57, 8)),\n"
            "      s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b'\\0'),\n"
            "      s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG))\n")
    out = run_python(python_root, code)
    assert out.split() == ["b''", "-1", "-1", "8", "b'cubic'", "536"], out
