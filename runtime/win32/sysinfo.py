"""What system monitors ask Windows (psutil's import and its first calls): pdh.dll's counter
queries (the processor queue length psutil's load average samples: always 0 here, nothing
waits for a CPU the way Windows counts it), the process list (EnumProcesses), a process's
handle count, the power status (mains power, no battery), the address printers ntdll exports,
iphlpapi's connection and interface tables (empty: the machine's sockets are not listed
there yet), and the user accounts (netapi32) and logon sessions (secur32)."""
from __future__ import annotations

import ipaddress
import struct
from types import SimpleNamespace

from ..nt import abi
from .kernel32_sync import close_sync_handle, new_handle, object_of
from .wide import read_wstr

ERROR_SUCCESS, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER = 0, 6, 87
ERROR_INSUFFICIENT_BUFFER = 122
PDH_INVALID_HANDLE, PDH_INVALID_ARGUMENT = 0xC0000BBC, 0xC0000BBD
PDH_FMT_LONG, PDH_FMT_DOUBLE, PDH_FMT_LARGE = 0x100, 0x200, 0x400


# --- pdh.dll: performance counters ------------------------------------------------------

def sys_pdh_PdhOpenQueryW(p, szDataSource, dwUserData, phQuery):
    if not phQuery:
        return PDH_INVALID_ARGUMENT
    abi.write_ptr(p, phQuery, new_handle(p, SimpleNamespace(kind="pdh query", counters=[])))
    return ERROR_SUCCESS


# the ANSI forms (the Rust sysinfo crate's): the data source, a log file's name, is not read
sys_pdh_PdhOpenQueryA = sys_pdh_PdhOpenQuery = sys_pdh_PdhOpenQueryW


def _add_counter(p, hQuery, szFullCounterPath, phCounter, wide: bool) -> int:
    from .wide import read_str
    query = object_of(p, hQuery, "pdh query")
    if query is None:
        return PDH_INVALID_HANDLE
    if not szFullCounterPath or not phCounter:
        return PDH_INVALID_ARGUMENT
    counter = SimpleNamespace(kind="pdh counter", path=read_str(p, szFullCounterPath, wide))
    handle = new_handle(p, counter)
    query.counters.append(handle)
    abi.write_ptr(p, phCounter, handle)
    return ERROR_SUCCESS


def sys_pdh_PdhAddEnglishCounterW(p, hQuery, szFullCounterPath, dwUserData, phCounter):
    return _add_counter(p, hQuery, szFullCounterPath, phCounter, True)


def sys_pdh_PdhAddEnglishCounterA(p, hQuery, szFullCounterPath, dwUserData, phCounter):
    return _add_counter(p, hQuery, szFullCounterPath, phCounter, False)


sys_pdh_PdhAddCounterW = sys_pdh_PdhAddEnglishCounterW
sys_pdh_PdhAddCounterA = sys_pdh_PdhAddEnglishCounterA


def sys_pdh_PdhCollectQueryData(p, hQuery):
    return ERROR_SUCCESS if object_of(p, hQuery, "pdh query") else PDH_INVALID_HANDLE


def sys_pdh_PdhCollectQueryDataEx(p, hQuery, dwIntervalTime, hNewDataEvent):
    """A collection every interval seconds that sets the event: the values never change,
    so the event is set once."""
    from .kernel32_sync import sys_kernel32_SetEvent
    if object_of(p, hQuery, "pdh query") is None:
        return PDH_INVALID_HANDLE
    if hNewDataEvent:
        sys_kernel32_SetEvent(p, hNewDataEvent)
    return ERROR_SUCCESS


def sys_pdh_PdhGetFormattedCounterValue(p, hCounter, dwFormat, lpdwType, pValue):
    """PDH_FMT_COUNTERVALUE: a valid status (PDH_CSTATUS_VALID_DATA) and 0 in the form
    asked for."""
    if object_of(p, hCounter, "pdh counter") is None:
        return PDH_INVALID_HANDLE
    if not pValue:
        return PDH_INVALID_ARGUMENT
    if lpdwType:
        p.mm.write_u32(lpdwType, 0)
    p.mm.write(pValue, struct.pack("<I4xq", 0, 0))
    return ERROR_SUCCESS


PDH_MORE_DATA = 0x800007D2
ITEM_SIZE = 24     # PDH_FMT_COUNTERVALUE_ITEM: the name's pointer, then the 8-aligned value


def _instances(p, path: str) -> list[str]:
    """The instances a counter path names: each processor and _Total for Processor(*), each
    process's name for Process(*), else the one in the path (or none)."""
    start, end = path.find("("), path.find(")")
    if start < 0 or end < start:
        return [""]
    instance, obj = path[start + 1:end], path[:start].rsplit("\\", 1)[-1].lower()
    if instance != "*":
        return [instance]
    if obj == "process":
        names = [proc.comm.rsplit(".", 1)[0] for proc in p.kernel.procs.values() if proc.alive]
        return sorted(set(names)) + ["_Total"]
    return ["0", "_Total"]


def _counter_array(p, hCounter, dwFormat, lpdwBufferSize, lpdwItemCount, ItemBuffer,
                   wide: bool) -> int:
    """PdhGetFormattedCounterArray: a PDH_FMT_COUNTERVALUE_ITEM for each instance of a
    wildcard counter, their names after them; PDH_MORE_DATA with the size needed when the
    buffer is short (the first call's size 0 asks for it). The values are 0, as the single
    value's."""
    from .wide import encode
    counter = object_of(p, hCounter, "pdh counter")
    if counter is None:
        return PDH_INVALID_HANDLE
    if not lpdwBufferSize or not lpdwItemCount:
        return PDH_INVALID_ARGUMENT
    names = [encode(name, wide) + (b"\0\0" if wide else b"\0")
             for name in _instances(p, counter.path)]
    need = ITEM_SIZE * len(names) + sum(len(n) for n in names)
    have = p.mm.read_u32(lpdwBufferSize)
    p.mm.write_u32(lpdwItemCount, len(names))
    if have < need or not ItemBuffer:
        p.mm.write_u32(lpdwBufferSize, need)
        return PDH_MORE_DATA
    items, text = bytearray(), bytearray()
    text_at = ItemBuffer + ITEM_SIZE * len(names)
    for name in names:
        items += struct.pack("<Q", text_at + len(text)) if abi.word(p) == 8 else \
            struct.pack("<I4x", text_at + len(text))
        items += struct.pack("<I4xq", 0, 0)           # PDH_CSTATUS_VALID_DATA, 0
        text += name
    p.mm.write(ItemBuffer, bytes(items + text))
    p.mm.write_u32(lpdwBufferSize, need)
    return ERROR_SUCCESS


def sys_pdh_PdhGetFormattedCounterArrayW(p, hCounter, dwFormat, lpdwBufferSize, lpdwItemCount,
                                         ItemBuffer):
    return _counter_array(p, hCounter, dwFormat, lpdwBufferSize, lpdwItemCount, ItemBuffer,
                          True)


def sys_pdh_PdhGetFormattedCounterArrayA(p, hCounter, dwFormat, lpdwBufferSize, lpdwItemCount,
                                         ItemBuffer):
    return _counter_array(p, hCounter, dwFormat, lpdwBufferSize, lpdwItemCount, ItemBuffer,
                          False)


def sys_pdh_PdhRemoveCounter(p, hCounter):
    if object_of(p, hCounter, "pdh counter") is None:
        return PDH_INVALID_HANDLE
    close_sync_handle(p, hCounter)
    return ERROR_SUCCESS


def sys_pdh_PdhCloseQuery(p, hQuery):
    query = object_of(p, hQuery, "pdh query")
    if query is None:
        return PDH_INVALID_HANDLE
    for counter in query.counters:
        if object_of(p, counter, "pdh counter") is not None:
            close_sync_handle(p, counter)
    close_sync_handle(p, hQuery)
    return ERROR_SUCCESS


# --- pdh's object lists: what PdhEnumObjects and PdhEnumObjectItems show (pywin32's
# win32pdh.EnumObjects died on the first). The objects are the ones the counters above are
# asked of (psutil's System queue length, the Rust sysinfo crate's Processor and Process
# times), with Windows' own counter names; Processor and Process have the instances
# PdhGetFormattedCounterArray gives, System and Memory have none.

PDH_CSTATUS_NO_MACHINE, PDH_CSTATUS_NO_OBJECT = 0x800007D0, 0xC0000BB8
PDH_OBJECTS = {
    "Processor": ["% Processor Time", "% User Time", "% Privileged Time", "Interrupts/sec",
                  "% DPC Time", "% Interrupt Time", "DPCs Queued/sec", "DPC Rate",
                  "% Idle Time"],
    "Memory": ["Page Faults/sec", "Available Bytes", "Committed Bytes", "Commit Limit",
               "Pages/sec", "Available KBytes", "Available MBytes"],
    "Process": ["% Processor Time", "% User Time", "% Privileged Time", "Virtual Bytes",
                "Page Faults/sec", "Working Set", "Private Bytes", "Thread Count",
                "Priority Base", "Elapsed Time", "ID Process", "Creating Process ID",
                "Handle Count"],
    "System": ["File Read Operations/sec", "File Write Operations/sec", "Context Switches/sec",
               "System Calls/sec", "System Up Time", "Processor Queue Length", "Processes",
               "Threads"],
}


def local_machine(p, name_at: int) -> bool:
    """No machine name, or this computer's (NAME or \\\\NAME, any case)."""
    from .kernel32_system import host_name
    if not name_at:
        return True
    name = read_wstr(p, name_at).lstrip("\\").upper()
    return name in ("", host_name(p).split(".")[0].upper()[:15])


def _put_list(p, names: list[str], buffer: int, size_at: int) -> bool:
    """A list of wide strings (each with its NUL, one more NUL after them) into a buffer of
    *size_at characters, which is set to the size the list needs (0 for no list); False
    when it does not fit."""
    data = "".join(name + "\0" for name in names).encode("utf-16-le") + b"\0\0" \
        if names else b""
    have = p.mm.read_u32(size_at)
    p.mm.write_u32(size_at, len(data) // 2)
    if have < len(data) // 2 or (data and not buffer):
        return False
    if data:
        p.mm.write(buffer, data)
    return True


def sys_pdh_PdhEnumObjectsW(p, szDataSource, szMachineName, mszObjectList, pcchBufferSize,
                            dwDetailLevel, bRefresh):
    """The objects; PDH_MORE_DATA with the size needed (in characters) when the buffer is
    short or absent."""
    if not pcchBufferSize:
        return PDH_INVALID_ARGUMENT
    if not local_machine(p, szMachineName):
        return PDH_CSTATUS_NO_MACHINE
    if not _put_list(p, list(PDH_OBJECTS), mszObjectList, pcchBufferSize):
        return PDH_MORE_DATA
    return ERROR_SUCCESS


def sys_pdh_PdhEnumObjectItemsW(p, szDataSource, szMachineName, szObjectName, mszCounterList,
                                pcchCounterListLength, mszInstanceList, pcchInstanceListLength,
                                dwDetailLevel, dwFlags):
    """An object's counters and its instances (size 0 for an object that has none);
    PDH_MORE_DATA with both sizes when either list does not fit."""
    if not szObjectName or not pcchCounterListLength or not pcchInstanceListLength:
        return PDH_INVALID_ARGUMENT
    if not local_machine(p, szMachineName):
        return PDH_CSTATUS_NO_MACHINE
    wanted = read_wstr(p, szObjectName).lower()
    name = next((o for o in PDH_OBJECTS if o.lower() == wanted), None)
    if name is None:
        return PDH_CSTATUS_NO_OBJECT
    instances = _instances(p, f"\\{name}(*)\\x") if name in ("Processor", "Process") else []
    counters_fit = _put_list(p, PDH_OBJECTS[name], mszCounterList, pcchCounterListLength)
    instances_fit = _put_list(p, instances, mszInstanceList, pcchInstanceListLength)
    return ERROR_SUCCESS if counters_fit and instances_fit else PDH_MORE_DATA


# --- processes and power ----------------------------------------------------------------------

def sys_kernel32_K32EnumProcesses(p, lpidProcess, cb, lpcbNeeded):
    """The ids of the machine's live processes, as many as fit in cb bytes."""
    pids = sorted(proc.pid for proc in p.kernel.procs.values()
                  if proc.alive and proc.pid == proc.tgid)
    room = (cb & 0xFFFFFFFF) // 4
    taken = pids[:room]
    if lpidProcess and taken:
        p.mm.write(lpidProcess, struct.pack(f"<{len(taken)}I", *taken))
    if lpcbNeeded:
        p.mm.write_u32(lpcbNeeded, 4 * len(taken))
    return 1


def sys_kernel32_GetProcessHandleCount(p, hProcess, pdwHandleCount):
    """The handles the process holds: its kernel32 objects and its descriptors."""
    from .kernel32_process import _process_for
    from .state import Win32Process
    target = _process_for(p, hProcess)
    if target is None or not pdwHandleCount:
        p.win32.last_error = ERROR_INVALID_HANDLE if target is None else ERROR_INVALID_PARAMETER
        return 0
    state = Win32Process.of(target)
    count = len(state.sync) + (len(target.fds.fds) if target.fds is not None else 0)
    p.mm.write_u32(pdwHandleCount, count)
    return 1


def sys_kernel32_GetSystemPowerStatus(p, lpSystemPowerStatus):
    """SYSTEM_POWER_STATUS: on mains power, no system battery (flag 128), unknown life."""
    if not lpSystemPowerStatus:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    p.mm.write(lpSystemPowerStatus, struct.pack("<BBBBII", 1, 128, 255, 0, 0xFFFFFFFF,
                                                0xFFFFFFFF))
    return 1


# --- ntdll's address printers ---------------------------------------------------------------

def sys_ntdll_RtlIpv4AddressToStringA(p, Addr, S):
    """Dotted decimal into S; the address of its terminating NUL."""
    text = str(ipaddress.IPv4Address(p.mm.read(Addr, 4))).encode() + b"\0"
    p.mm.write(S, text)
    return S + len(text) - 1


def sys_ntdll_RtlIpv6AddressToStringA(p, Addr, S):
    """RFC 5952's compressed form (an IPv4-mapped address's tail dotted) into S."""
    address = ipaddress.IPv6Address(p.mm.read(Addr, 16))
    text = (f"::ffff:{address.ipv4_mapped}" if address.ipv4_mapped else str(address))
    data = text.encode() + b"\0"
    p.mm.write(S, data)
    return S + len(data) - 1


def sys_ntdll_RtlNtStatusToDosErrorNoTeb(p, Status):
    from .ntcall import sys_ntdll_RtlNtStatusToDosError
    saved = p.win32.last_error
    error = sys_ntdll_RtlNtStatusToDosError(p, Status)
    p.win32.last_error = saved            # the NoTeb form leaves the thread's state alone
    return error


# --- iphlpapi's tables ------------------------------------------------------------------------

def _empty_table(p, table: int, size_at: int, row_size: int) -> int:
    """A MIB table with no rows: its count, and the size a table of none takes."""
    need = 4 + row_size
    if not size_at:
        return ERROR_INVALID_PARAMETER
    have = p.mm.read_u32(size_at)
    p.mm.write_u32(size_at, need)
    if not table or have < need:
        return ERROR_INSUFFICIENT_BUFFER
    p.mm.write(table, bytes(need))
    return ERROR_SUCCESS


# A table class's row size (IPv4 / IPv6): TCP's basic (0-2) 20/52, owner pid (3-5) 24/56,
# owner module (6-8) 160/192; UDP's basic (0) 8/24, owner pid (1) 12/28, owner module (2)
# 160/176.
AF_INET6 = 23


def sys_iphlpapi_GetExtendedTcpTable(p, pTcpTable, pdwSize, bOrder, ulAf, TableClass, Reserved):
    wide = ulAf == AF_INET6
    row = (192 if wide else 160) if TableClass >= 6 else (56 if wide else 24) \
        if TableClass >= 3 else (52 if wide else 20)
    return _empty_table(p, pTcpTable, pdwSize, row)


def sys_iphlpapi_GetExtendedUdpTable(p, pUdpTable, pdwSize, bOrder, ulAf, TableClass, Reserved):
    wide = ulAf == AF_INET6
    row = (176 if wide else 160) if TableClass >= 2 else (28 if wide else 12) \
        if TableClass >= 1 else (24 if wide else 8)
    return _empty_table(p, pUdpTable, pdwSize, row)


def sys_iphlpapi_GetIfTable(p, pIfTable, pdwSize, bOrder):
    return _empty_table(p, pIfTable, pdwSize, 860)    # MIB_IFROW


# --- accounts, impersonation and services ----------------------------------------------------

SidTypeUser, SidTypeWellKnownGroup, SidTypeAlias = 1, 5, 4
ERROR_NONE_MAPPED, ERROR_SERVICE_DOES_NOT_EXIST = 1332, 1060


def _account_of(p, sid: bytes):
    """(name, domain, SID_NAME_USE) of a SID this machine knows: a user's (by uid), or a
    well-known group."""
    from .kernel32_system import host_name
    from .security import AUTHENTICATED_USERS, EVERYONE, MACHINE, USERS
    from .advapi32 import USER_NAME
    machine = host_name(p).split(".")[0].upper()
    known = {EVERYONE: ("Everyone", "", SidTypeWellKnownGroup),
             AUTHENTICATED_USERS: ("Authenticated Users", "NT AUTHORITY", SidTypeWellKnownGroup),
             USERS: ("Users", "BUILTIN", SidTypeAlias)}
    if sid in known:
        return known[sid]
    head = struct.pack("<BB", 1, 5) + (5).to_bytes(6, "big") + struct.pack("<4I", 21, *MACHINE)
    if sid.startswith(head) and len(sid) == len(head) + 4:
        rid = struct.unpack("<I", sid[-4:])[0]
        return (USER_NAME if rid == 1000 else f"user{rid - 1000}", machine, SidTypeUser)
    return None


def _put_names(p, names: list, wide: bool, others_fit: bool = True) -> bool:
    """The lookup calls' names, each (text, buffer, address of its in/out count): when all
    fit (and the call's other buffers, others_fit), each is written and its count says its
    characters without the NUL; else none is, and every count says the size needed, the NUL
    included, so that a second call with those sizes succeeds."""
    from .wide import encode
    unit = 2 if wide else 1
    datas = [encode(text, wide) + bytes(unit) for text, _, _ in names]
    fits = others_fit and all(
        buffer and size_at and p.mm.read_u32(size_at) >= len(data) // unit
        for data, (_, buffer, size_at) in zip(datas, names))
    for data, (_, buffer, size_at) in zip(datas, names):
        if fits:
            p.mm.write(buffer, data)
        if size_at:
            p.mm.write_u32(size_at, len(data) // unit - (1 if fits else 0))
    return fits


def _lookup_account_sid(p, Sid, Name, cchName, Domain, cchDomain, peUse, wide: bool) -> int:
    from .security import read_sid
    found = _account_of(p, read_sid(p, Sid) or b"") if Sid else None
    if found is None:
        p.win32.last_error = ERROR_NONE_MAPPED
        return 0
    name, domain, use = found
    if not _put_names(p, [(name, Name, cchName), (domain, Domain, cchDomain)], wide):
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    if peUse:
        p.mm.write_u32(peUse, use)
    return 1


def sys_advapi32_LookupAccountSidW(p, lpSystemName, Sid, Name, cchName, ReferencedDomainName,
                                   cchReferencedDomainName, peUse):
    return _lookup_account_sid(p, Sid, Name, cchName, ReferencedDomainName,
                               cchReferencedDomainName, peUse, True)


def sys_advapi32_LookupAccountSidA(p, lpSystemName, Sid, Name, cchName, ReferencedDomainName,
                                   cchReferencedDomainName, peUse):
    return _lookup_account_sid(p, Sid, Name, cchName, ReferencedDomainName,
                               cchReferencedDomainName, peUse, False)


def sys_advapi32_ImpersonateSelf(p, ImpersonationLevel):
    """The thread takes a copy of the process's token: the same user, so nothing changes but
    that OpenThreadToken finds one (AccessCheck's callers get it so)."""
    if not 0 <= ImpersonationLevel <= 3:
        p.win32.last_error = 1346          # ERROR_BAD_IMPERSONATION_LEVEL
        return 0
    p.win32.impersonation = ImpersonationLevel
    return 1


def sys_advapi32_RevertToSelf(p):
    p.win32.impersonation = None
    return 1


def sys_advapi32_OpenSCManagerW(p, lpMachineName, lpDatabaseName, dwDesiredAccess):
    """The service control manager of a machine with no services installed."""
    return new_handle(p, SimpleNamespace(kind="sc manager"))


sys_advapi32_OpenSCManagerA = sys_advapi32_OpenSCManagerW


def sys_advapi32_EnumServicesStatusExW(p, hSCManager, InfoLevel, dwServiceType, dwServiceState,
                                       lpServices, cbBufSize, pcbBytesNeeded, lpServicesReturned,
                                       lpResumeHandle, pszGroupName):
    if object_of(p, hSCManager, "sc manager") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    for at in (pcbBytesNeeded, lpServicesReturned, lpResumeHandle):
        if at:
            p.mm.write_u32(at, 0)
    return 1


def sys_advapi32_EnumServicesStatusW(p, hSCManager, dwServiceType, dwServiceState, lpServices,
                                     cbBufSize, pcbBytesNeeded, lpServicesReturned,
                                     lpResumeHandle):
    """The older listing (ENUM_SERVICE_STATUS): no service, as EnumServicesStatusEx says."""
    return sys_advapi32_EnumServicesStatusExW(p, hSCManager, 0, dwServiceType, dwServiceState,
                                              lpServices, cbBufSize, pcbBytesNeeded,
                                              lpServicesReturned, lpResumeHandle, 0)


sys_advapi32_EnumServicesStatusA = sys_advapi32_EnumServicesStatusW
sys_advapi32_EnumServicesStatusExA = sys_advapi32_EnumServicesStatusExW


def sys_advapi32_OpenServiceW(p, hSCManager, lpServiceName, dwDesiredAccess):
    p.win32.last_error = ERROR_INVALID_HANDLE if object_of(p, hSCManager, "sc manager") is None \
        else ERROR_SERVICE_DOES_NOT_EXIST
    return 0


def sys_advapi32_CloseServiceHandle(p, hSCObject):
    if object_of(p, hSCObject, "sc manager") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    close_sync_handle(p, hSCObject)
    return 1


def _no_service(p, *args) -> int:
    """The calls on a service handle: there is none (OpenService made none)."""
    p.win32.last_error = ERROR_INVALID_HANDLE
    return 0


sys_advapi32_QueryServiceStatusEx = sys_advapi32_QueryServiceConfigW = _no_service
sys_advapi32_QueryServiceConfig2W = sys_advapi32_ControlService = _no_service
sys_advapi32_StartServiceA = sys_advapi32_StartServiceW = _no_service


# --- another process's memory and the heaps ---------------------------------------------------

ERROR_PARTIAL_COPY, ERROR_NO_MORE_FILES, ERROR_NOACCESS = 299, 18, 998
PAGE, COPY_PIECE = 0x1000, 1 << 20


def sys_kernel32_ReadProcessMemory(p, hProcess, lpBaseAddress, lpBuffer, nSize,
                                   lpNumberOfBytesRead):
    """Bytes of a process's memory (its own, or one it holds a handle to, of this machine),
    copied a piece at a time: up to the first page that cannot be read, then
    ERROR_PARTIAL_COPY with the count copied (MmCopyVirtualMemory); a buffer that cannot
    be written is ERROR_NOACCESS."""
    from ..errors import Fault
    from .kernel32_process import _process_for
    target = _process_for(p, hProcess)
    if target is None or target.mm is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    size = nSize & ((1 << abi.word(p) * 8) - 1)
    done, error = 0, 0
    while done < size and not error:
        at = lpBaseAddress + done
        piece = min(size - done, COPY_PIECE - at % COPY_PIECE)
        try:
            data = target.mm.read(at, piece)
        except Fault:         # the readable pages of this piece first
            data = b""
            while len(data) < piece:
                step = min(piece - len(data), PAGE - (at + len(data)) % PAGE)
                try:
                    data += target.mm.read(at + len(data), step)
                except Fault:
                    break
            error = ERROR_PARTIAL_COPY
        try:
            p.mm.write(lpBuffer + done, data)
        except Fault:
            error = ERROR_NOACCESS
            break
        done += len(data)
    if lpNumberOfBytesRead:
        abi.write_ptr(p, lpNumberOfBytesRead, done)
    if error:
        p.win32.last_error = error
        return 0
    return 1


def sys_kernel32_GetProcessHeaps(p, NumberOfHeaps, ProcessHeaps):
    """The process's heaps: its one default heap; the count is returned either way."""
    if NumberOfHeaps and ProcessHeaps:
        abi.write_ptr(p, ProcessHeaps, p.win32.heap.handle)
    return 1


def sys_kernel32_FindFirstVolumeMountPointA(p, lpszRootPathName, lpszVolumeMountPoint,
                                            cchBufferLength):
    """The one volume has no volumes mounted in its folders."""
    p.win32.last_error = ERROR_NO_MORE_FILES
    return (1 << abi.word(p) * 8) - 1


sys_kernel32_FindFirstVolumeMountPointW = sys_kernel32_FindFirstVolumeMountPointA


def sys_kernel32_FindNextVolumeMountPointA(p, hFindVolumeMountPoint, lpszVolumeMountPoint,
                                           cchBufferLength):
    p.win32.last_error = ERROR_NO_MORE_FILES
    return 0


def sys_kernel32_FindVolumeMountPointClose(p, hFindVolumeMountPoint):
    return 1


def _lookup_account_name(p, lpAccountName, Sid, cbSid, Domain, cchDomain, peUse,
                         wide: bool) -> int:
    """An account's SID by name ("DOMAIN\\\\name" or the name alone): the user, or a
    well-known group; its domain and SID_NAME_USE as LookupAccountSid gives them back."""
    from .acl_entries import well_known_names
    from .wide import read_str
    name = read_str(p, lpAccountName, wide) if lpAccountName else ""
    names = well_known_names(p)
    sid = names.get(name.upper()) or names.get(name.split("\\")[-1].upper())
    if sid is None or name.upper() == "CURRENT_USER":
        p.win32.last_error = ERROR_NONE_MAPPED
        return 0
    _, domain, use = _account_of(p, sid) or ("", "", SidTypeWellKnownGroup)
    have = p.mm.read_u32(cbSid) if cbSid else 0
    sid_fits = have >= len(sid) and bool(Sid)
    if cbSid:
        p.mm.write_u32(cbSid, len(sid))
    fits = _put_names(p, [(domain, Domain, cchDomain)], wide, sid_fits)
    if fits:
        p.mm.write(Sid, sid)
    if not fits:
        p.win32.last_error = 122                     # ERROR_INSUFFICIENT_BUFFER
        return 0
    if peUse:
        p.mm.write_u32(peUse, use)
    return 1


def sys_advapi32_LookupAccountNameW(p, lpSystemName, lpAccountName, Sid, cbSid,
                                    ReferencedDomainName, cchReferencedDomainName, peUse):
    return _lookup_account_name(p, lpAccountName, Sid, cbSid, ReferencedDomainName,
                                cchReferencedDomainName, peUse, True)


def sys_advapi32_LookupAccountNameA(p, lpSystemName, lpAccountName, Sid, cbSid,
                                    ReferencedDomainName, cchReferencedDomainName, peUse):
    return _lookup_account_name(p, lpAccountName, Sid, cbSid, ReferencedDomainName,
                                cchReferencedDomainName, peUse, False)


def sys_advapi32_LsaNtStatusToWinError(p, Status):
    from .ntcall import sys_ntdll_RtlNtStatusToDosError
    return sys_ntdll_RtlNtStatusToDosError(p, Status)


def sys_advapi32_ImpersonateAnonymousToken(p, ThreadHandle):
    """The thread would act as the anonymous user; nothing here checks access by token, so
    the thread goes on as before (RevertToSelf ends it)."""
    return 1


def sys_advapi32_DuplicateToken(p, ExistingTokenHandle, ImpersonationLevel,
                                DuplicateTokenHandle):
    """A copy of a token: the same user here."""
    from .kernel32_sync import object_of
    if object_of(p, ExistingTokenHandle, "token") is None:
        p.win32.last_error = 6                       # ERROR_INVALID_HANDLE
        return 0
    abi.write_ptr(p, DuplicateTokenHandle,
                  new_handle(p, SimpleNamespace(kind="token", level=ImpersonationLevel & 3)))
    return 1


# --- netapi32 and secur32: the user accounts and logon sessions -------------------------------
# The Rust sysinfo crate lists users this way (rescript's second build, checking its lock's
# process, died at NetUserEnum): one account, the machine's user, in the Users group; no
# logon session is listed (LSA keeps none here).

NERR_SUCCESS, ERROR_INVALID_LEVEL, NERR_USER_NOT_FOUND = 0, 124, 2221
STATUS_NO_SUCH_LOGON_SESSION, STATUS_INVALID_PARAMETER = 0xC000005F, 0xC000000D


def _users() -> list[str]:
    from .advapi32 import USER_NAME
    return [USER_NAME]


def _names_buffer(p, names: list[str]) -> int:
    """An array of pointers to wide strings (USER_INFO_0, LOCALGROUP_USERS_INFO_0), the
    strings after it, in one block NetApiBufferFree frees."""
    word = p.sysvec.word_bits // 8
    texts = [n.encode("utf-16-le") + b"\0\0" for n in names]
    block = p.win32.heap.alloc(word * len(names) + sum(len(t) for t in texts) or 1, zero=True)
    at = block + word * len(names)
    for i, text in enumerate(texts):
        abi.write_ptr(p, block + word * i, at)
        p.mm.write(at, text)
        at += len(text)
    return block


def _listed(p, names: list[str], bufptr, entriesread, totalentries) -> int:
    if not bufptr or not entriesread or not totalentries:
        return ERROR_INVALID_PARAMETER
    abi.write_ptr(p, bufptr, _names_buffer(p, names))
    p.mm.write_u32(entriesread, len(names))
    p.mm.write_u32(totalentries, len(names))
    return NERR_SUCCESS


def sys_netapi32_NetUserEnum(p, servername, level, filter, bufptr, prefmaxlen, entriesread,
                             totalentries, resume_handle):
    """Level 0 (the names) of the machine's accounts, all at once."""
    if level != 0:
        return ERROR_INVALID_LEVEL
    if resume_handle:
        p.mm.write_u32(resume_handle, 0)
    return _listed(p, _users(), bufptr, entriesread, totalentries)


def _known(p, username) -> bool:
    return bool(username) and read_wstr(p, username).lower() in (u.lower() for u in _users())


def sys_netapi32_NetUserGetInfo(p, servername, username, level, bufptr):
    if not _known(p, username):
        return NERR_USER_NOT_FOUND
    if level != 0:
        return ERROR_INVALID_LEVEL
    abi.write_ptr(p, bufptr, _names_buffer(p, [read_wstr(p, username)]))
    return NERR_SUCCESS


def sys_netapi32_NetUserGetLocalGroups(p, servername, username, level, flags, bufptr,
                                       prefmaxlen, entriesread, totalentries):
    if not _known(p, username):
        return NERR_USER_NOT_FOUND
    if level != 0:
        return ERROR_INVALID_LEVEL
    return _listed(p, ["Users"], bufptr, entriesread, totalentries)


PLATFORM_ID_NT, WORKGROUP, ERROR_BAD_NETPATH = 500, "WORKGROUP", 53


def sys_netapi32_NetWkstaGetInfo(p, servername, level, bufptr):
    """WKSTA_INFO_100, 101 or 102 of this computer, its strings after it in one block
    NetApiBufferFree frees: Windows NT's platform, the NetBIOS name, the workgroup (no domain
    is joined), Windows 10's version; 101's LAN root is empty and 102 counts one logged-on
    user. Another server is not reachable."""
    from .kernel32_startup import WINDOWS_VERSION
    from .kernel32_system import host_name
    if not local_machine(p, servername):
        return ERROR_BAD_NETPATH
    if level not in (100, 101, 102):
        return ERROR_INVALID_LEVEL
    if not bufptr:
        return ERROR_INVALID_PARAMETER
    w = abi.word(p)
    word = "Q" if w == 8 else "I"
    major, minor, _ = WINDOWS_VERSION
    texts = [host_name(p).split(".")[0].upper()[:15], WORKGROUP, ""][:2 + (level > 100)]
    layout = f"<I{'4x' if w == 8 else ''}{word}{word}II" + (word if level > 100 else "") + \
        ("I" if level > 101 else "")
    head = struct.calcsize(layout)
    head += -head % w
    blobs = [t.encode("utf-16-le") + b"\0\0" for t in texts]
    block = p.win32.heap.alloc(head + sum(len(b) for b in blobs), zero=True)
    pointers, at = [], block + head
    for blob in blobs:
        p.mm.write(at, blob)
        pointers.append(at)
        at += len(blob)
    fields = [PLATFORM_ID_NT, pointers[0], pointers[1], major, minor] + pointers[2:] + \
        ([1] if level > 101 else [])
    p.mm.write(block, struct.pack(layout, *fields))
    abi.write_ptr(p, bufptr, block)
    return NERR_SUCCESS


def sys_netapi32_NetApiBufferFree(p, Buffer):
    if Buffer:
        p.win32.heap.free(Buffer)
    return NERR_SUCCESS


def sys_secur32_LsaEnumerateLogonSessions(p, LogonSessionCount, LogonSessionList):
    """No session: an empty list (which LsaFreeReturnBuffer takes back)."""
    if not LogonSessionCount or not LogonSessionList:
        return STATUS_INVALID_PARAMETER
    p.mm.write_u32(LogonSessionCount, 0)
    abi.write_ptr(p, LogonSessionList, p.win32.heap.alloc(8, zero=True))
    return 0


def sys_secur32_LsaGetLogonSessionData(p, LogonId, ppLogonSessionData):
    return STATUS_NO_SUCH_LOGON_SESSION


def sys_secur32_LsaFreeReturnBuffer(p, Buffer):
    if Buffer:
        p.win32.heap.free(Buffer)
    return 0
