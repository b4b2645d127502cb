"""The NT personality's services, reached from flat images loaded for the nt_x64 and nt_x86
platforms by a binfmt_misc-style registration (the PE loader builds on the same tables)."""
from __future__ import annotations

import yaml

import pytest

from conftest import make_root, tblc


def manifest(tmp_path, platform: str, bits: int):
    path = tmp_path / "nt.yaml"
    path.write_text(yaml.safe_dump({"binfmts": [
        {"name": "ntraw", "magic": "NTRAW", "platform": platform, "bits": bits,
         "load_address": 0x400000 - 5, "entry": 0x400000}]}))
    return path


@pytest.mark.parametrize("platform,bits,name", [("nt_x64", 64, "nt_write64"),
                                                ("nt_x86", 32, "nt_write32")])
def test_nt_services_through_each_gate(toolchain, tmp_path, platform, bits, name):
    image = toolchain.flat_with_headers(name, bits)
    root = make_root(tmp_path, {"/prog.ntraw": b"NTRAW" + image})
    res = tblc("run", "--trace", "--manifest", manifest(tmp_path, platform, bits),
               "--root", root, "/prog.ntraw")
    assert res.returncode == 7, res.stderr
    assert res.stdout == b"nt hello\n"
    err = res.stderr.decode()
    assert f"exec /prog.ntraw: {platform}" in err
    assert 'NtWriteFile(0x8, 0x0, NULL, NULL, ' in err and '"nt hello\\n", 9, NULL, NULL) = STATUS_SUCCESS' in err
    if bits == 64:
        assert "syscall_0xfff(...) = STATUS_INVALID_SYSTEM_SERVICE" in err
    else:
        assert "= STATUS_ACCESS_VIOLATION" in err


def test_nt_paths_stay_inside_the_root():
    from sysvec.runtime.nt.paths import split_nt_path, win32_to_nt
    from sysvec.runtime.nt.status import NtError

    assert split_nt_path("\\??\\C:\\Dir\\File.txt") == ["Dir", "File.txt"]
    assert split_nt_path("\\\\?\\c:/a/b") == ["a", "b"]
    for bad in ("\\??\\C:\\..\\..\\etc\\passwd", "\\??\\C:\\a\\..\\..", "\\??\\D:\\x"):
        with pytest.raises(NtError):
            split_nt_path(bad)
    assert win32_to_nt("C:\\a\\..\\..\\..\\b.txt") == "\\??\\C:\\b.txt"
    assert win32_to_nt("x\\y", "C:\\work") == "\\??\\C:\\work\\x\\y"
