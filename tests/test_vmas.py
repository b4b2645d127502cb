"""The mapping list (runtime/mm.py): neighbouring anonymous mappings of equal protection are
one mapping, as on Linux, so a heap grown by many brk calls stays one line of /proc/self/maps
and every walk of the list stays short; the host runs the same program for the expected output."""
from __future__ import annotations

import subprocess

from conftest import make_root, tblc


def test_heap_and_anonymous_mappings_merge_like_linux(toolchain, tmp_path):
    prog = toolchain.c("vma_merge")
    host = subprocess.run([str(prog)], capture_output=True, timeout=60)
    assert host.returncode == 0, host.stderr
    assert host.stdout == b"grown heap=1 anon=1\nsplit heap=1 anon=3\njoined heap=1 anon=1\n" \
                          b"grown in place=1 kept=1\n"
    root = make_root(tmp_path, {"vma_merge": prog})
    res = tblc("run", "--root", root, "/vma_merge")
    assert res.returncode == 0, res.stderr
    assert res.stdout == host.stdout


def test_a_piece_of_a_mapping_keeps_every_field():
    """Vma.part (splits, merges, fork's copy) carries every field of the mapping, including
    any added later, to the piece."""
    import dataclasses

    from sysvec.runtime.mm import Vma

    values = {"start": 0x1000, "end": 0x9000, "prot": 5, "name": "/lib/x", "shared": True,
              "maxprot": 3, "dontdump": True, "growsdown": True, "reserved": True,
              "offset": 0x4000, "dev": 0xFE00, "inode": 77, "charged": True, "noreserve": True}
    assert set(values) == {f.name for f in dataclasses.fields(Vma)}, "a new field: add it here"
    v = Vma(**values)
    # a file mapping's piece starts further into the file
    assert v.part(0x2000, 0x3000) == Vma(**dict(values, start=0x2000, end=0x3000,
                                                offset=0x5000))
    assert v.part(0x2000, 0x3000, prot=1) == Vma(**dict(values, start=0x2000, end=0x3000,
                                                        prot=1, offset=0x5000))


def test_maps_shows_file_offsets_devices_and_inodes_like_linux(toolchain, tmp_path):
    """/proc/self/maps names each file mapping's offset, device and inode, in Linux's columns:
    the program's segments, a file mapped at an offset, a piece of it after munmap, the rest
    after mremap grows it, and anonymous memory."""
    prog = toolchain.c("maps_files")
    data = tmp_path / "data.bin"
    data.write_bytes(bytes(range(256)) * 64)
    host = subprocess.run([str(prog), str(data), str(prog)], capture_output=True, timeout=60)
    assert host.returncode == 0, host.stderr
    root = make_root(tmp_path, {"maps_files": prog, "data.bin": data})
    res = tblc("run", "--root", root, "/maps_files", "/data.bin", "/maps_files")
    assert res.returncode == 0, res.stderr
    assert res.stdout == host.stdout
    assert b"offset 00003000 same inode 1" in res.stdout


def test_mremap_keeps_a_shared_file_mapping_the_files_pages(toolchain, tmp_path):
    """Grown in place or moved, a shared file mapping stays the file's pages, the grown part
    included."""
    for cc, flags in (("gcc", ()), ("musl-gcc", ()), ("gcc", ("-m32",))):
        prog = toolchain.c("mremap_shared", cc, flags)
        host = subprocess.run([str(prog)], capture_output=True, timeout=60)
        assert host.returncode == 0, host.stderr
        root = make_root(tmp_path, {f"mremap_shared_{cc}{len(flags)}": prog})
        (root / "tmp").mkdir(exist_ok=True)
        res = tblc("run", "--root", root, f"/mremap_shared_{cc}{len(flags)}")
        assert (res.returncode, res.stdout) == (0, host.stdout), res.stderr


def test_mremap_stays_below_the_user_top_and_moves_a_huge_reservation(toolchain, tmp_path):
    """An i386 mremap could move a page over the GDT's (0xFFFFF000), and moving a 1 TiB
    reservation looked at each of its pages (seconds in C, per call)."""
    for cc, flags in (("gcc", ()), ("musl-gcc", ()), ("gcc", ("-m32",))):
        prog = toolchain.c("mremap_bounds", cc, flags)
        host = subprocess.run([str(prog)], capture_output=True, timeout=60)
        assert host.returncode == 0, host.stderr
        res = tblc("run", prog)
        assert (res.returncode, res.stdout) == (0, host.stdout), res.stderr


def test_an_i386_process_can_reserve_nearly_4_gib(toolchain):
    """mmap stopped at the heap's floor: two 1 GiB reservations did not fit."""
    res = tblc("run", toolchain.c("reserve_all", "gcc", ("-m32",)))
    assert (res.returncode, res.stdout) == (0, b"reserved more than 3.9 GiB: 1\n"), res.stderr
