"""IOCTL_AFD_POLL for a poller without a completion port (libuv-style and hand-written ones;
mio and tokio use a port): NtDeviceIoControlFile's Event is reset when the poll starts and
set when it completes, its ApcRoutine runs as a user APC at the thread's next alertable
wait, the AFD handle itself is signalled, and a finite AFD_POLL_INFO.Timeout completes the
poll with STATUS_TIMEOUT and no socket. The Event and ApcRoutine were dropped: a wait on
the event ran into its timeout, an alertable SleepEx never woke (a false deadlock).

tests/programs/win/afd_events.c polls a loopback socket whose peer, a thread of the program,
sends 200 ms later ("late 1": the wait lasted that long; "in time 1": a 100 ms timeout ended
the wait between 80 ms and 3 s)."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc


@pytest.fixture(scope="module", params=[64, 32])
def run(request, mingw, tmp_path_factory):
    """(bits, the program's lines), one run per width."""
    bits = request.param
    exe = mingw("afd_events", bits, libs=("-lws2_32",))
    root = make_root(tmp_path_factory.mktemp(f"afd{bits}"), {"/bin/afd_events.exe": exe})
    res = tblc("run", "--root", root, "/bin/afd_events.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    return bits, res.stdout.decode().splitlines()


def _size(bits: int) -> int:
    return 32 if bits == 64 else 28      # FIELD_OFFSET(AFD_POLL_INFO, Handles[1])


def _line(run, label: str) -> str:
    return next((line for line in run[1] if line.startswith(label + ":")), f"{label}: missing")


def test_a_polls_event_is_reset_at_its_start_and_set_when_the_socket_is_readable(run):
    bits, _lines = run
    assert _line(run, "event") == (f"event: poll 0x103 wait 0x0 status 0x0 bytes {_size(bits)} "
                                   "handles 1 events 0x1 late 1")
    assert "event reset when the poll started: 1" in run[1]


def test_a_poll_with_a_100_ms_timeout_and_nothing_to_read_completes_with_status_timeout(run):
    assert _line(run, "timeout") == ("timeout: poll 0x103 wait 0x0 status 0x102 bytes 16 "
                                     "handles 0 events 0x0 in time 1")


def test_a_polls_apc_routine_runs_in_an_alertable_sleep(run):
    bits, lines = run
    assert _line(run, "apc") == (f"apc: poll 0x103 wait 0xc0 status 0x0 bytes {_size(bits)} "
                                 "handles 1 events 0x1 late 1")
    assert "apc ran 1 context 0x5150 status block 1" in lines
    assert _line(run, "apc timeout") == ("apc timeout: poll 0x103 wait 0xc0 status 0x102 "
                                         "bytes 16 handles 0 events 0x0 in time 1")
    assert "apc ran 1 context 0x5151" in lines


def test_a_wait_on_the_afd_handle_ends_when_its_poll_completes(run):
    bits, lines = run
    assert _line(run, "handle") == (f"handle: poll 0x103 wait 0x0 status 0x0 "
                                    f"bytes {_size(bits)} handles 1 events 0x1 late 1")
    assert "handle unsignalled while pending: 1" in lines


def test_a_poll_ready_at_once_sets_its_event(run):
    assert _line(run, "ready at once") == ("ready at once: poll 0x0 event set 1 status 0x0 "
                                           "handles 1 events 0x1")


def test_device_io_control_with_an_overlapped_pends_and_completes_it(run):
    """kernelbase's DeviceIoControl: the OVERLAPPED is the status block, its hEvent the
    Event; FALSE with ERROR_IO_PENDING, then GetOverlappedResult waits for it."""
    bits, _lines = run
    assert _line(run, "DeviceIoControl") == (f"DeviceIoControl: 0 error 997 result 1 bytes "
                                             f"{_size(bits)} handles 1 events 0x1 late 1")
