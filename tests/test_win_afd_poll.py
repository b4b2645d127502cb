"""IOCTL_AFD_POLL through a completion port, as Rust's mio (tokio: xh, reqwest, Deno) waits
for a socket, when the peer answers late. A host peer's late answer was a false deadlock (xh
SIGKILLed): the blocked GetQueuedCompletionStatus(Ex) watched the \\Device\\Afd handle's host
descriptors, which are none, instead of the polled socket's."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest

from conftest import make_root, tblc

LIBS = ("-lws2_32",)
DELAY = 0.5         # seconds a host peer waits before it answers


def _line(call: str, bits: int, events: int) -> str:
    """The poll pends (STATUS_PENDING), then one packet: key 7, the poll's context, success,
    the output AFD_POLL_INFO's size, the one socket with the events that hold; "late" read."""
    size = 32 if bits == 64 else 28      # FIELD_OFFSET(AFD_POLL_INFO, Handles[1])
    return (f"{call}: poll 0x103 woke 1 key 7 context 1 status 0x0 bytes {size} handles 1 "
            f"same 1 events {events:#x} recv 4 [late]")


def _both_waits(bits: int) -> list[str]:
    return [_line(call, bits, 0x1)       # AFD_POLL_RECEIVE alone: the peer has not closed
            for call in ("GetQueuedCompletionStatusEx", "GetQueuedCompletionStatus")]


class LateServer:
    """A host server answering each connection after DELAY, then waiting for its close."""

    def __init__(self, connections: int):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, args=(connections,), daemon=True)
        self.thread.start()

    def _serve(self, connections: int) -> None:
        for _ in range(connections):
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return      # closed: the test is over
            with conn:
                time.sleep(DELAY)
                conn.sendall(b"late")
                while conn.recv(16):
                    pass

    def close(self) -> None:
        self.sock.close()


@pytest.mark.parametrize("bits", [64, 32])
def test_an_afd_poll_waits_for_a_host_servers_late_answer(mingw, bits, tmp_path):
    """--allow-connect: the polled socket is bridged to a host connection."""
    root = make_root(tmp_path, {"/bin/afd_poll_wait.exe": mingw("afd_poll_wait", bits, libs=LIBS)})
    server = LateServer(connections=2)
    try:
        res = tblc("run", "--root", root, "--allow-connect", f"127.0.0.1:{server.port}",
                   "/bin/afd_poll_wait.exe", server.port, timeout=120)
    finally:
        server.close()
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == _both_waits(bits)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("bits", [64, 32])
def test_an_afd_poll_waits_for_a_host_client_to_a_published_port(mingw, bits, tmp_path):
    """--publish: the polled listener's connections come from the host (a server's accept)."""
    root = make_root(tmp_path, {"/bin/afd_poll_wait.exe": mingw("afd_poll_wait", bits, libs=LIBS)})
    port = _free_port()
    cmd = [shutil.which("tblc") or sys.executable, *([] if shutil.which("tblc") else
                                                     ["-m", "sysvec.cli"])]
    guest = subprocess.Popen(cmd + ["run", "--root", str(root), "--publish", f"{port}:9000",
                                    "/bin/afd_poll_wait.exe", "accept", "9000"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    client = None
    try:
        assert guest.stdout.readline() == b"listening\n"
        time.sleep(DELAY)                # the guest is blocked in its wait by now
        if guest.poll() is None:         # (not ended by a false deadlock)
            client = socket.create_connection(("127.0.0.1", port), timeout=10)
            client.sendall(b"late")
        out, err = guest.communicate(timeout=60)
    finally:
        if client is not None:
            client.close()
        if guest.poll() is None:
            guest.kill()
            guest.communicate()
    assert guest.returncode == 0, err.decode()
    assert out.decode().splitlines() == [_line("GetQueuedCompletionStatusEx", bits, 0x80)]


@pytest.mark.parametrize("bits", [64, 32])
def test_an_afd_poll_waits_for_a_thread_that_answers_after_a_sleep(mingw, bits, tmp_path):
    """The same on the machine's own loopback: the peer is a thread of the program."""
    root = make_root(tmp_path, {"/bin/afd_poll_wait.exe": mingw("afd_poll_wait", bits, libs=LIBS)})
    res = tblc("run", "--root", root, "/bin/afd_poll_wait.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == _both_waits(bits)


@pytest.mark.parametrize("bits", [64, 32])
def test_libuv_polls_through_a_peer_socket_of_msafds_provider(mingw, bits, tmp_path):
    """libuv's uv_poll (Bun's servers) uses IOCTL_AFD_POLL only for sockets whose provider
    is MSAFD Tcpip, and sends it on a peer socket: the ProviderId was zero, so it fell back
    to a select thread per socket (a stopped Bun server's process then lingered for
    minutes), and IOCTL_AFD_POLL on a socket handle was STATUS_INVALID_DEVICE_REQUEST."""
    root = make_root(tmp_path, {"/peer.exe": mingw("afd_poll_peer", bits, libs=LIBS)})
    res = tblc("run", "--root", root, "/peer.exe", timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "provider is MSAFD's: 1", "poll through a peer socket: 0x103",
        "completed 1, handles 1, accept 1"]
