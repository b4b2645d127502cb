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
              "maxprot": 3, "dontdump": True, "growsdown": True, "reserved": True}
    assert set(values) == {f.name for f in dataclasses.fields(Vma)}, "a new field: add it here"
    v = Vma(**values)
    assert v.part(0x2000, 0x3000) == Vma(**dict(values, start=0x2000, end=0x3000))
    assert v.part(0x2000, 0x3000, prot=1) == Vma(**dict(values, start=0x2000, end=0x3000, prot=1))
