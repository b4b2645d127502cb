"""The event log as a program writes to it: RegisterEventSource names a source, ReportEvent
appends a record (its type, category, id, strings and data) to the machine's Application
log, DeregisterEventSource lets the source go. OpenSSL's libcrypto and node report fatal
errors so when they have no console. The records are the machine's, kept for its life;
with SYSVEC_EVENTLOG set they are also written to tblc's standard error, one line each."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass

from ..nt import abi
from .kernel32_sync import close_sync_handle, new_handle, object_of
from .wide import read_str

ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, RPC_S_SERVER_UNAVAILABLE = 6, 87, 1722
MAX_STRINGS, MAX_DATA = 256, 1 << 16
TYPES = {0: "success", 1: "error", 2: "warning", 4: "information", 8: "audit success",
         16: "audit failure"}


@dataclass
class EventSource:
    name: str
    kind = "event source"


@dataclass
class EventRecord:
    source: str
    type: int
    category: int
    event_id: int
    strings: list
    data: bytes
    time: float


def _register(p, server: int, source: int, wide: bool) -> int:
    host = read_str(p, server, wide) if server else ""
    if host.strip("\\").lower() not in ("", ".", "localhost"):
        p.win32.last_error = RPC_S_SERVER_UNAVAILABLE      # no other machine is reachable
        return 0
    name = read_str(p, source, wide) if source else ""
    if not name:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return new_handle(p, EventSource(name))


def sys_advapi32_RegisterEventSourceW(p, lpUNCServerName, lpSourceName):
    return _register(p, lpUNCServerName, lpSourceName, True)


def sys_advapi32_RegisterEventSourceA(p, lpUNCServerName, lpSourceName):
    return _register(p, lpUNCServerName, lpSourceName, False)


def _report(p, handle, wType, wCategory, dwEventID, wNumStrings, dwDataSize, lpStrings,
            lpRawData, wide: bool) -> int:
    source = object_of(p, handle, "event source")
    if source is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    count, size = wNumStrings & 0xFFFF, dwDataSize & 0xFFFFFFFF
    if count > MAX_STRINGS or size > MAX_DATA or (count and not lpStrings) or \
            (size and not lpRawData):
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    w = abi.word(p)
    strings = [read_str(p, abi.read_ptr(p, lpStrings + i * w), wide) for i in range(count)]
    record = EventRecord(source.name, wType & 0xFFFF, wCategory & 0xFFFF,
                         dwEventID & 0xFFFFFFFF, strings,
                         p.mm.read(lpRawData, size) if size else b"", time.time())
    p.sysvec.personality.machine(p.kernel).event_log.append(record)
    if os.environ.get("SYSVEC_EVENTLOG"):
        from sysvec.compiler.printable import printable
        line = printable(f"{record.source} {TYPES.get(record.type, record.type)} "
                         f"{record.event_id & 0xFFFF}: {' | '.join(strings)}")
        os.write(2, f"sysvec: event log: {line}\n".encode("utf-8", "replace"))
    return 1


def sys_advapi32_ReportEventW(p, hEventLog, wType, wCategory, dwEventID, lpUserSid,
                              wNumStrings, dwDataSize, lpStrings, lpRawData):
    return _report(p, hEventLog, wType, wCategory, dwEventID, wNumStrings, dwDataSize,
                   lpStrings, lpRawData, True)


def sys_advapi32_ReportEventA(p, hEventLog, wType, wCategory, dwEventID, lpUserSid,
                              wNumStrings, dwDataSize, lpStrings, lpRawData):
    return _report(p, hEventLog, wType, wCategory, dwEventID, wNumStrings, dwDataSize,
                   lpStrings, lpRawData, False)


def sys_advapi32_DeregisterEventSource(p, hEventLog):
    if object_of(p, hEventLog, "event source") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    close_sync_handle(p, hEventLog)
    return 1
