"""What a sweep of real Windows programs found (CPython 3.13 with psutil and pywin32, uv,
PostgreSQL): pdh's object lists, netapi32's workstation, wtsapi32's sessions, advapi32's
transacted keys and cfgmgr32's device ids were missing; psutil's memory_full_info() asked
NtQueryVirtualMemory for the working set; the C runtime's zone names were the host's."""
from __future__ import annotations

import pytest

from conftest import windows_lines


@pytest.mark.parametrize("bits", [64, 32])
def test_pdh_lists_its_objects_their_counters_and_instances(mingw, tmp_path, bits):
    """pywin32's win32pdh.EnumObjects died calling PdhEnumObjectsW. The list's size comes
    first (PDH_MORE_DATA), then the list; an object's counters and instances (none for
    System); PDH_CSTATUS_NO_OBJECT, PDH_CSTATUS_NO_MACHINE for what is not here."""
    assert windows_lines(mingw, tmp_path, "pdh_enum_objects", bits, libs=("-lpdh",)) == [
        "size: 800007d2 33",
        "list: 0 33",
        "objects: [Processor] [Memory] [Process] [System]",
        "short: 800007d2 33",
        "this machine: 0",
        "elsewhere: 800007d0",
        "process sizes: 800007d2 1 1",
        "process: 0",
        "ID Process listed 1",
        "instances: [prog] [_Total]",
        "system sizes: 800007d2 1 0",
        "system: 0 queue listed 1, instances 0",
        "unknown: c0000bb8",
        "queue: 0 0",
        "close 0"]


@pytest.mark.parametrize("bits", [64, 32])
def test_net_wksta_get_info_describes_this_workstation(mingw, tmp_path, bits):
    """pywin32's win32net.NetWkstaGetInfo died calling it: Windows NT's platform (500), the
    computer's name, the workgroup, 10.0; ERROR_INVALID_LEVEL and ERROR_BAD_NETPATH."""
    assert windows_lines(mingw, tmp_path, "net_wksta_info", bits, libs=("-lnetapi32",)) == [
        "100: 0 platform 500 name same 1 group WORKGROUP version 10.0",
        "free 0",
        "101: 0 name same 1 group WORKGROUP lanroot []",
        "102: 0 version 10.0 users 1",
        "by name: 0",
        "level 7: 124",
        "elsewhere: 53"]


@pytest.mark.parametrize("bits", [64, 32])
def test_wts_lists_services_session_and_the_consoles_with_its_user(mingw, tmp_path, bits):
    """psutil's users() and pywin32's win32ts died on the missing wtsapi32.dll. Session 0 is
    services' (disconnected, no user), 1 the console's (active), this process's; WTSINFOW
    is 216 bytes; an unknown session is ERROR_CTX_WINSTATION_NOT_FOUND."""
    assert windows_lines(mingw, tmp_path, "wts_sessions", bits, libs=("-lwtsapi32",)) == [
        "enumerate 1 count 2",
        "session 0 Services state 4",
        "session 1 Console state 0",
        "mine 1",
        "user is GetUserName's 1, bytes 1",
        "session id: 1 (4 bytes)",
        "station: [Console] (16 bytes)",
        "state: 0 (4 bytes)",
        "address: family 0 (24 bytes)",
        "protocol: 0 (2 bytes)",
        "session 0 user: [] (2 bytes)",
        "session 0 state: 4 (4 bytes)",
        "session 7: failed 7022",
        "info 1 bytes 216 state 0 session 1 station Console user same 1 logged on 1",
        "version 2: 0 87"]


@pytest.mark.parametrize("bits", [64, 32])
def test_transacted_key_calls_work_as_the_plain_ones_in_a_live_transaction(mingw, tmp_path,
                                                                           bits):
    """uv imports RegCreateKeyTransactedW and RegOpenKeyTransactedW. With a KTM transaction
    they make and open keys as RegCreateKeyEx/RegOpenKeyEx; a handle that is no transaction
    is ERROR_INVALID_HANDLE, a committed one ERROR_TRANSACTION_NOT_ACTIVE."""
    assert windows_lines(mingw, tmp_path, "reg_transacted", bits,
                         libs=("-lktmw32", "-ladvapi32")) == [
        "transaction 1",
        "create 0 disposition 1",
        "set 0",
        "create again 0 disposition 2",
        "open 0 value 42",
        "open missing 2",
        "reserved given 87",
        "an event 6",
        "no transaction 6",
        "commit 1",
        "commit again 0 6705",
        "after commit 6701",
        "untransacted 0 value 42",
        "close 1",
        "closed 6"]


@pytest.mark.parametrize("bits", [64, 32])
def test_device_id_lists_hold_the_root_alone(mingw, tmp_path, bits):
    """uv died on the missing CM_Get_Device_ID_List_SizeW (it looks for display adapters):
    the tree is HTREE\\ROOT\\0 alone, a class has no devices (size 1: the list's NUL);
    CR_INVALID_DATA, CR_INVALID_FLAG, CR_BUFFER_SMALL, CR_INVALID_POINTER."""
    assert windows_lines(mingw, tmp_path, "cm_device_ids", bits, libs=("-lcfgmgr32",)) == [
        r"all: size 0 14 list 0: [HTREE\ROOT\0]",
        r"HTREE: size 0 14 list 0: [HTREE\ROOT\0]",
        "PCI: size 0 1 list 0:",
        "display: size 0 1 list 0:",
        "bad class: size 1f 0",
        "bad flag: size 4 0",
        "short: 1a",
        "no size: 3"]


@pytest.mark.parametrize("bits", [64, 32])
def test_working_set_holds_the_touched_pages(mingw, tmp_path, bits):
    """psutil's memory_full_info() failed: NtQueryVirtualMemory had no
    MemoryWorkingSetInformation. Touched pages are in the working set, untouched ones not;
    code is shareable execute-read; a short buffer gets the count and ERROR_BAD_LENGTH;
    QueryWorkingSetEx tells a page's validity and protection."""
    assert windows_lines(mingw, tmp_path, "working_set", bits, libs=("-lpsapi",)) == [
        "query 1: touched 3 of 3, untouched 0",
        "touched: protection 4 shared 0 count 0",
        "code: protection 3 shared 1 count 1",
        "short: 0 24 count given 1",
        "nt tiny: c0000004",
        "nt: 0 returned 1 same count 1",
        "psapi: 1 touched in it 1",
        "ex 1",
        "ex touched: valid 1 protection 4 shared 0",
        "ex untouched: valid 0 protection 0 shared 0",
        "ex code: valid 1 protection 20 shared 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_crt_zone_names_are_windows_names(mingw, tmp_path, bits):
    """_tzname, __tzname(), _get_tzname and strftime's %Z give the zone's names as
    GetTimeZoneInformation does ("Coordinated Universal Time"); they were "UTC"."""
    assert windows_lines(mingw, tmp_path, "crt_tzname", bits) == [
        "kernel32: Coordinated Universal Time",
        "msvcrt: [Coordinated Universal Time] [Coordinated Universal Time]",
        "ucrtbase: [Coordinated Universal Time] [Coordinated Universal Time]",
        "_get_tzname size: 0 27",
        "_get_tzname 1: 0 [Coordinated Universal Time]",
        "_get_tzname short: 34",
        "strftime: 2024-01-01 12:30 Coordinated Universal Time|%Z|Coordinated Universal Time"]


@pytest.mark.parametrize("bits", [64, 32])
def test_io_counters_count_reads_and_writes_and_threads_count_switches(mingw, tmp_path, bits):
    """psutil's io_counters() and num_ctx_switches() were all zeros. Three writes and three
    reads (the last at the end, of nothing) are counted with their bytes, alike through
    GetProcessIoCounters and SystemProcessInformation; a thread's context switches are the
    times it was switched in, and sleeping adds to them."""
    assert windows_lines(mingw, tmp_path, "io_counters_switches", bits) == [
        "reads 3 bytes 1000",
        "writes 3 bytes 1000",
        "listed the same 1",
        "switches counted 1, more after sleeping 1",
        "by handle 1 same 1"]
