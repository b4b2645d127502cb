"""Windows file attributes as NTFS keeps them: every file and directory has its attribute
word (hidden, system, archive, temporary, not content indexed ...), set by CreateFile and
NtCreateFile, SetFileAttributes and FileBasicInformation, and read back alike by every query
path (tests/programs/win/file_attributes.c asks ten of them and the CRT's _findfirst).

The expected values are what Windows 10 on NTFS prints, reasoned from the documentation
(CreateFile, SetFileAttributes, MS-FSA 2.1.5.15.2 for FileBasicInformation), from
Microsoft's FastFAT driver source (filesys/fastfat in Windows-driver-samples: create.c,
fileinfo.c, dirsup.c) and from Wine's NtCreateFile tests, which run on Windows. Where
neither says it for NTFS itself, the line follows FastFAT and is marked so below:
  - "overwritten hidden": CREATE_ALWAYS over an existing file ORs the new attributes (and
    ARCHIVE) into the old ones, as FastFAT's FatSupersedeOrOverwriteFile does for
    FILE_OVERWRITE(_IF) (an old CreateFile page said it "clears the existing attributes";
    the NOT_CONTENT_INDEXED kept in 0x2022 is the one bit where the two differ);
  - "renamed": a rename sets ARCHIVE (FastFAT marks the file modified);
  - "new write time": SetFileTime is no change of the data: ARCHIVE stays cleared;
  - TRUNCATE_EXISTING without HIDDEN over a hidden file is refused as CREATE_ALWAYS is
    (both are NT overwrites; FastFAT checks all three overwrite dispositions).
A new file is ARCHIVE (0x20) where sysvec said NORMAL (0x80); hidden and system were
accepted and forgotten."""
from __future__ import annotations

import os

import pytest

from conftest import make_root, tblc

LIBS = ("-lntdll",)

CHANGES = [
    "create f.txt: made error 0",
    "new file: 0x20 crt 0x20",
    "archive|hidden: 0x22 crt 0x22",
    "readonly: 0x1 crt 0x1",
    "hidden: 0x2 crt 0x2",
    "system: 0x4 crt 0x4",
    "normal: 0x80 crt 0x0",                 # the CRT's _A_NORMAL is 0
    "written after clearing: 0x20 crt 0x20",
    "set 0: 0x80 crt 0x0",                  # kernelbase adds NORMAL: 0 clears them all
    "move: 1",
    "renamed: 0x20 crt 0x20",               # (FastFAT's rule)
    "hidden|not indexed: 0x2002 crt 0x2002",
    "create g.txt: refused error 5",        # CREATE_ALWAYS, NORMAL over a hidden file
    "create g.txt: refused error 5",        # TRUNCATE_EXISTING, the same (FastFAT's rule)
    "create g.txt: made error 183",         # CREATE_ALWAYS repeating HIDDEN
    "overwritten hidden: 0x2022 crt 0x2022",  # (FastFAT's rule: the old bits stay)
    "set time: 1",
    "new write time: 0x2 crt 0x2",          # (FastFAT's rule)
    "delete hidden: 1",
    "create h.txt: made error 0",
    "created hidden: 0x22 crt 0x22",
    "copy: 1",
    "copy of hidden: 0x22 crt 0x22",
    "create t.txt: made error 0",
    "created temporary|not indexed: 0x2120 crt 0x2120",
    "write through the read-only file's new handle: 1",
    "created readonly: 0x21 crt 0x21",
    "delete read-only: 0 error 5",
    "create .dotfile: made error 0",
    "dot file: 0x20 crt 0x20",              # a leading dot hides nothing on Windows
    "directory: 0x10 crt 0x10",
    "hidden directory: 0x12 crt 0x12",
    "hidden|system|archive directory: 0x36 crt 0x36",
    "set d 0x100: error 87",                # no temporary directory (MS-FSA)
    "from template: 1",
    "directory made from a template: 0x36 crt 0x36",
    "create d\\in.txt: made error 0",
    "directory written in: 0x10 crt 0x10",  # a directory never gets ARCHIVE by itself
    "set own h.txt 0x12: 0",                # a file is no directory (MS-FSA)
    "NtCreateFile directory: 0x0",
    "NtCreateFile hidden directory: 0x12 crt 0x12",
    "link: 1",
    "link: 0x420 crt 0x420",                # a file link is a file: ARCHIVE, reparse point
    "set own lnk 0x22: 1",
    "hidden link: 0x422 crt 0x422",
    "its target: 0x22 crt 0x22",
]


def _run(root, *args, attrs=None):
    res = tblc("run", *(["--attrs", attrs] if attrs else []), "--root", root, "--cwd", "/w",
               "/w/file_attributes.exe", *args)
    assert res.returncode == 0, res.stderr.decode()
    return res.stdout.decode().splitlines()


@pytest.mark.parametrize("bits", [64, 32])
def test_every_query_path_reports_the_attributes_each_change_leaves(mingw, bits, tmp_path):
    exe = mingw("file_attributes", bits, libs=LIBS)
    root = make_root(tmp_path, {"/w/file_attributes.exe": exe})
    assert _run(root) == CHANGES


@pytest.mark.parametrize("bits", [64])
def test_attributes_last_across_runs_in_the_host_files_and_the_attribute_file(mingw, bits,
                                                                            tmp_path):
    """A file's and a directory's word is the host file's user.DOSATTRIB (Samba's and Wine's
    hex string), so it lasts without --attrs; a link, which the host gives no user
    attribute, keeps its own in the machine's table, which --attrs FILE saves. A file whose
    ARCHIVE a program cleared is to be archived again once anything writes it (the host
    here)."""
    exe = mingw("file_attributes", bits, libs=LIBS)
    root = make_root(tmp_path, {"/w/file_attributes.exe": exe})
    attrs = tmp_path / "attrs.json"
    assert _run(root, "keep", attrs=attrs) == [
        "create keep.txt: made error 0", "create cleared.txt: made error 0",
        "set own keeplink 0x2: 1"]
    assert os.getxattr(root / "w" / "keep.txt", "user.DOSATTRIB") == b"0x26\0"
    assert os.getxattr(root / "w" / "keepdir", "user.DOSATTRIB") == b"0x2\0"
    with open(root / "w" / "cleared.txt", "ab") as f:
        f.write(b"from the host")
    kept = ["kept file: 0x26 crt 0x26", "kept directory: 0x12 crt 0x12",
            "cleared, then written by the host: 0x20 crt 0x20"]
    assert _run(root, "show", attrs=attrs) == kept + ["kept link: 0x402 crt 0x402"]
    assert _run(root, "show") == kept + ["kept link: 0x420 crt 0x420"]
