"""The event log as a program writes to it: RegisterEventSource names a source, ReportEvent
appends a record (its type, category, id, strings and data) to the machine's Application
log, DeregisterEventSource lets the source go; and as one reads it (OpenEventLog,
ReadEventLog: EVENTLOGRECORDs, sequentially or from a record, either way). OpenSSL's libcrypto and node report fatal
errors so when they have no console. The records are the machine's, kept for its life;
with SYSVEC_EVENTLOG set they are also written to tblc's standard error, one line each."""
from __future__ import annotations

import os
import struct
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


# --- reading a log: OpenEventLog, ReadEventLog ---------------------------------------------------
# The Application log holds what ReportEvent wrote; System and Security have nothing here. A
# reader's handle keeps its place for sequential reads.

LOGS = ("application", "system", "security")
EVENTLOG_SEQUENTIAL_READ, EVENTLOG_SEEK_READ = 0x1, 0x2
EVENTLOG_FORWARDS_READ, EVENTLOG_BACKWARDS_READ = 0x4, 0x8
ERROR_HANDLE_EOF, ERROR_INSUFFICIENT_BUFFER = 38, 122
LOG_SIGNATURE = 0x654C664C            # "LfLe"
RECORD_HEAD = struct.Struct("<IIIIIIHHHHIIIIII")


@dataclass
class EventLogReader:
    log: str
    position: int | None = None       # the next record's index for a sequential read
    kind = "event log"


def _records(p, reader: EventLogReader) -> list:
    if reader.log != "application":
        return []
    return p.sysvec.personality.machine(p.kernel).event_log


def _open_log(p, server: int, source: int, wide: bool) -> int:
    host = read_str(p, server, wide) if server else ""
    if host.strip("\\").lower() not in ("", ".", "localhost"):
        p.win32.last_error = RPC_S_SERVER_UNAVAILABLE
        return 0
    name = read_str(p, source, wide) if source else ""
    if not name:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    # a log by its name; a source's name opens the Application log, as Windows does
    log = name.lower() if name.lower() in LOGS else "application"
    return new_handle(p, EventLogReader(log))


def sys_advapi32_OpenEventLogW(p, lpUNCServerName, lpSourceName):
    return _open_log(p, lpUNCServerName, lpSourceName, True)


def sys_advapi32_OpenEventLogA(p, lpUNCServerName, lpSourceName):
    return _open_log(p, lpUNCServerName, lpSourceName, False)


def _reader(p, handle) -> EventLogReader | None:
    reader = object_of(p, handle, "event log")
    if reader is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
    return reader


def sys_advapi32_CloseEventLog(p, hEventLog):
    if _reader(p, hEventLog) is None:
        return 0
    close_sync_handle(p, hEventLog)
    return 1


def sys_advapi32_GetNumberOfEventLogRecords(p, hEventLog, NumberOfRecords):
    reader = _reader(p, hEventLog)
    if reader is None:
        return 0
    p.mm.write_u32(NumberOfRecords, len(_records(p, reader)))
    return 1


def sys_advapi32_GetOldestEventLogRecord(p, hEventLog, OldestRecord):
    """Record numbers start at 1 and none is ever cleared: the oldest is 1 (0: none yet)."""
    reader = _reader(p, hEventLog)
    if reader is None:
        return 0
    p.mm.write_u32(OldestRecord, 1 if _records(p, reader) else 0)
    return 1


def _record_bytes(p, number: int, record: EventRecord, wide: bool) -> bytes:
    """EVENTLOGRECORD: the fixed part, the source and computer names, the strings, the data,
    padding to a DWORD and the length again."""
    from .kernel32_system import host_name
    unit = 2 if wide else 1

    def text(s: str) -> bytes:
        return (s.encode("utf-16-le") if wide else s.encode("cp1252", "replace")) + bytes(unit)
    names = text(record.source) + text(host_name(p).upper())
    names += bytes(-(RECORD_HEAD.size + len(names)) % 4)
    strings_at = RECORD_HEAD.size + len(names)
    strings = b"".join(text(s) for s in record.strings)
    data_at = strings_at + len(strings)
    body = names + strings + record.data
    body += bytes(-(RECORD_HEAD.size + len(body)) % 4)
    length = RECORD_HEAD.size + len(body) + 4
    when = int(record.time)
    head = RECORD_HEAD.pack(length, LOG_SIGNATURE, number, when, when, record.event_id,
                            record.type, len(record.strings), record.category, 0, 0,
                            strings_at, 0, 0, len(record.data), data_at)
    return head + body + struct.pack("<I", length)


def _read_log(p, hEventLog, dwReadFlags, dwRecordOffset, lpBuffer, nNumberOfBytesToRead,
              pnBytesRead, pnMinNumberOfBytesNeeded, wide: bool) -> int:
    """Whole records, as many as fit, from the reader's place (sequential) or from record
    dwRecordOffset (seek), forwards or backwards; ERROR_HANDLE_EOF past the end,
    ERROR_INSUFFICIENT_BUFFER with the size needed when the first does not fit."""
    reader = _reader(p, hEventLog)
    if reader is None:
        return 0
    flags = dwReadFlags & 0xFFFFFFFF
    how, way = flags & 3, flags & 0xC
    if how not in (EVENTLOG_SEQUENTIAL_READ, EVENTLOG_SEEK_READ) or \
            way not in (EVENTLOG_FORWARDS_READ, EVENTLOG_BACKWARDS_READ):
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    records = _records(p, reader)
    step = 1 if way == EVENTLOG_FORWARDS_READ else -1
    if how == EVENTLOG_SEEK_READ:
        index = (dwRecordOffset & 0xFFFFFFFF) - 1
        if not 0 <= index < len(records):
            p.win32.last_error = ERROR_INVALID_PARAMETER
            return 0
    else:
        index = reader.position if reader.position is not None else \
            0 if step == 1 else len(records) - 1
    room, out = nNumberOfBytesToRead & 0xFFFFFFFF, b""
    while 0 <= index < len(records):
        data = _record_bytes(p, index + 1, records[index], wide)
        if len(out) + len(data) > room:
            if not out:
                p.mm.write_u32(pnBytesRead, 0)
                p.mm.write_u32(pnMinNumberOfBytesNeeded, len(data))
                p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
                return 0
            break
        out += data
        index += step
    if not out:
        p.mm.write_u32(pnBytesRead, 0)
        p.mm.write_u32(pnMinNumberOfBytesNeeded, 0)
        p.win32.last_error = ERROR_HANDLE_EOF
        return 0
    reader.position = index
    p.mm.write(lpBuffer, out)
    p.mm.write_u32(pnBytesRead, len(out))
    p.mm.write_u32(pnMinNumberOfBytesNeeded, 0)
    return 1


def sys_advapi32_ReadEventLogW(p, hEventLog, dwReadFlags, dwRecordOffset, lpBuffer,
                               nNumberOfBytesToRead, pnBytesRead, pnMinNumberOfBytesNeeded):
    return _read_log(p, hEventLog, dwReadFlags, dwRecordOffset, lpBuffer, nNumberOfBytesToRead,
                     pnBytesRead, pnMinNumberOfBytesNeeded, True)


def sys_advapi32_ReadEventLogA(p, hEventLog, dwReadFlags, dwRecordOffset, lpBuffer,
                               nNumberOfBytesToRead, pnBytesRead, pnMinNumberOfBytesNeeded):
    return _read_log(p, hEventLog, dwReadFlags, dwRecordOffset, lpBuffer, nNumberOfBytesToRead,
                     pnBytesRead, pnMinNumberOfBytesNeeded, False)
