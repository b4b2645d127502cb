"""What a sweep of Windows programs from PyPI wheels found (stop 38): Zig's start code and
wabt call ntdll's vectored-handler functions, a WebAssembly runtime resumes a context with
RtlRestoreContext, mingw programs link Winsock 1.1's wsock32, and MSVC code calls the
UCRT's unlocked stream functions, lldiv and _Exit."""
from __future__ import annotations

import pytest

from conftest import windows_lines


@pytest.mark.parametrize("bits", [64, 32])
def test_ntdll_vectored_handlers_and_restoring_a_context(mingw, tmp_path, bits):
    assert windows_lines(mingw, tmp_path, "ntdll_veh_restore", bits, ("-lntdll",)) == [
        "handler saw 1, continue handler 1", "removed 1 1, again 0",
        *(["restored the context 2 times", "setjmp returned 5"] if bits == 64 else [])]


@pytest.mark.parametrize("bits", [64, 32])
def test_a_winsock_1_program_reaches_ws2_32_through_wsock32(mingw, tmp_path, bits):
    assert windows_lines(mingw, tmp_path, "wsock11", bits, ("-lwsock32",)) == [
        "WSAStartup 0 version 1.1", "socket made, bind 0, a port given", "WSACleanup 0"]


@pytest.mark.parametrize("bits", [64, 32])
def test_ucrt_unlocked_stream_calls_lldiv_and_exit(mingw, tmp_path, bits):
    assert windows_lines(mingw, tmp_path, "ucrt_nolock", bits, ("-lucrt",), status=3) == [
        "wrote 12, tell 13", "read 6 'nolock', next '!', at 12", "closed 0",
        "lldiv -10000000000 -7"]


@pytest.mark.parametrize("bits", [64, 32])
def test_ncrypt_and_tbs_exist_without_a_key_provider_or_tpm(mingw, tmp_path, bits):
    """caddy panicked at start-up: go-attestation finds every ncrypt function or panics."""
    assert windows_lines(mingw, tmp_path, "ncrypt_tbs", bits) == [
        "found 24 of 24", "open provider 0x8009001e, handle 0", "free object 0x80090026",
        "providers 0: 0 NULL", "TPM device info 0x8028400f"]


@pytest.mark.parametrize("bits", [64, 32])
def test_udp_sockets_take_dont_fragment_and_packet_info(mingw, tmp_path, bits):
    """caddy's HTTP/3 listener gave up: "setting DF failed for both IPv4 and IPv6"."""
    assert windows_lines(mingw, tmp_path, "udp_options", bits, ("-lws2_32",)) == [
        f"{name}: set 0 read 0 1" for name in
        ("IP_DONTFRAGMENT", "IPV6_DONTFRAG", "IP_PKTINFO", "IPV6_PKTINFO", "IPV6_RECVECN")]


@pytest.mark.parametrize("bits", [64, 32])
def test_spawn_l_forms_and_filelength(mingw, tmp_path, bits):
    assert windows_lines(mingw, tmp_path, "spawn_listed", bits) == [
        "child: 3 args: [one] [two] SPAWN_X=(unset)", "_spawnl: 3",
        "child: 2 args: [e] SPAWN_X=42", "_spawnle: 2",
        "child: 2 args: [w\u00e9] SPAWN_X=(unset)", "_wspawnl: 2",
        "child: 4 args: [a] [b] [c] SPAWN_X=\u00e9t\u00e9", "_wspawnlpe: 4",
        "_filelength 12, bad -1"]
