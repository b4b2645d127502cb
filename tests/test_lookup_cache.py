"""stat, lstat, newfstatat and statx of a path the process looked up before are answered by
the C trap path from the lookup cache (csrc/lookups.c, runtime/lookup_cache.py): never a
stale answer after the guest or the host changed the tree, never a host symlink followed."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from conftest import calls_python_answers, make_root, tblc

# What Linux prints for tests/programs/stat_lookups.c (checked with chroot on the host).
EXPECTED = """\
file d/e/f: 100644 3
statx d/e/f: 100644 3
grown d/e/f: 100644 7
absolute /d/e/f: 100644 7
dotted ./d/./e/f: 100644 7
renamed-away d/e/f: No such file or directory
renamed-to d/x/f: 100644 7
via-link d/e/f: 100644 7
link-itself d/e: 120777 1
link-followed d/e: 40755 4096
relinked d/e: 100644 7
relinked-statx d/e: 100644 7
unlinked d/e: No such file or directory
file-gone d/x/f: No such file or directory
file-back d/x/f: 100600 1
made d/y/g: 100644 2
dir-gone d/y/g: No such file or directory
truncated d/x/f: 100600 1000
in-d x/f: 100600 1000
in-d d/x/f: No such file or directory
back d/x/f: 100600 1000
child f: 100600 1000
child d/x/f: No such file or directory
parent f: No such file or directory
unmounted m/under: 100644 1
mounted m/under: No such file or directory
mounted m/over: 100644 2
unmounted-again m/under: 100644 1
unmounted-again m/over: No such file or directory
root p/secret: 100644 1
user p/secret: Permission denied
user-after-chmod p/secret: 100644 1
root-child p/secret: 100644 1
user-again p/secret: Permission denied
outside /e: No such file or directory
chrooted /x/f: 100600 1000
chrooted /d/x/f: No such file or directory
unchrooted /d/x/f: 100600 1000
via-fd /proc/self/fd/3/x/f: 100600 1000
via-fd-redirected /proc/self/fd/3/x/f: No such file or directory
via-fd-closed /proc/self/fd/3/x/f: No such file or directory
"""


@pytest.mark.parametrize("cc", ["gcc", "musl-gcc"])
def test_every_change_of_the_tree_is_seen(toolchain, tmp_path, cc):
    """Each path is stat'ed three times (the last two may come from the cache) across
    renames, links, unlinks, cwd changes, forks, mounts, chmod, setresuid and chroot."""
    prog = toolchain.c("stat_lookups", cc=cc)
    res = tblc("run", "--root", make_root(tmp_path, {"stat_lookups": prog}), "/stat_lookups")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode() == EXPECTED


def test_repeated_stats_do_not_reach_python(toolchain, tmp_path):
    calls, _ = calls_python_answers(tmp_path, toolchain.c("stat_lookups", cc="gcc"))
    stats = sum(1 for name, _ in calls if name in ("newfstatat", "statx"))
    # 38 paths, 3 stats each: the first of each is the walk's (and those whose answer is
    # an error, or that came after a change); the repeats of found files are C's
    assert stats < 38 * 2, stats


def _guest_run(tmp_path, toolchain):
    root = make_root(tmp_path, {"stat_lookups": toolchain.c("stat_lookups", cc="gcc")})
    proc = subprocess.Popen([sys.executable, "-m", "sysvec.cli", "run", "--root", str(root),
                             "/stat_lookups", "host"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stdout:
        if line == "ready\n":
            break
        lines.append(line)
    return root, proc, lines


def _finish(proc, lines):
    # C looks at a held directory's path again once a tick of the coarse clock (1-10 ms):
    # a change from outside the machine is seen after that at the latest
    time.sleep(0.05)
    proc.stdin.write("x")
    proc.stdin.close()
    lines += proc.stdout.readlines()
    assert proc.wait(timeout=60) == 0
    return "".join(lines)


BEFORE = """\
before h/d/f: 100644 3
before /h/d/f: 100644 3
before h/l/f: 100644 3
"""


def test_a_directory_the_host_replaced_is_walked_again(toolchain, tmp_path):
    """Another machine on the same root (or the host) moves a directory away and makes a
    new one with the name: the cache's directory is not the one the path reaches now."""
    root, proc, lines = _guest_run(tmp_path, toolchain)
    os.rename(root / "h" / "d", root / "h" / "old")
    (root / "h" / "d").mkdir()
    (root / "h" / "d" / "f").write_text("newer")
    assert _finish(proc, lines) == BEFORE + """\
after h/d/f: 100644 5
after /h/d/f: 100644 5
after h/l/f: 100644 5
"""


def test_a_host_symlink_never_leads_outside_the_root(toolchain, tmp_path):
    """The host moves the directory out of the root and puts a symlink to it in its place:
    the same directory, reached through a host symlink, which the guest reads as a path in
    its own root (where there is no such directory)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    root, proc, lines = _guest_run(tmp_path, toolchain)
    os.rename(root / "h" / "d", outside / "d")
    os.symlink(outside / "d", root / "h" / "d")
    (outside / "d" / "f").write_text("host file!")
    assert _finish(proc, lines) == BEFORE + """\
after h/d/f: No such file or directory
after /h/d/f: No such file or directory
after h/l/f: No such file or directory
"""


def test_a_file_the_host_replaced_by_a_symlink_is_walked_again(toolchain, tmp_path):
    """The link's absolute target is a path in the guest's root (the host has no /h)."""
    root, proc, lines = _guest_run(tmp_path, toolchain)
    (root / "h" / "other").write_text("12345678")
    (root / "h" / "d" / "f").unlink()
    os.symlink("/h/other", root / "h" / "d" / "f")
    assert _finish(proc, lines) == BEFORE + """\
after h/d/f: 100644 8
after /h/d/f: 100644 8
after h/l/f: 100644 8
"""


def test_a_link_the_host_retargeted_is_seen_within_a_second(toolchain, tmp_path):
    """A symlink on the way that something outside the machine points elsewhere changes no
    directory C checks: the entry lapses after a second."""
    root, proc, lines = _guest_run(tmp_path, toolchain)
    (root / "h" / "l").unlink()
    os.symlink("e", root / "h" / "l")
    time.sleep(1.2)
    assert _finish(proc, lines) == BEFORE + """\
after h/d/f: 100644 3
after /h/d/f: 100644 3
after h/l/f: 100644 5
"""


def test_without_openat2_the_directory_is_walked_a_component_at_a_time(tmp_path):
    """Where openat2 is refused (an old kernel, a seccomp filter), the directory is opened a
    component at a time with O_NOFOLLOW: the same directory, and a symlink on the way is
    refused all the same (csrc/lookups.c, which lookup_cache.py calls too)."""
    from sysvec.compiler.build import build, load_module
    lib = load_module(build()).lib
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "a")
    for opener in (lib.sv_walk_dir_no_symlinks, lib.sv_open_dir_no_symlinks):
        fd = opener(os.fsencode(tmp_path / "a" / "b"))
        assert fd >= 0
        try:
            assert os.fstat(fd).st_ino == os.stat(tmp_path / "a" / "b").st_ino
        finally:
            os.close(fd)
        assert opener(os.fsencode(tmp_path / "link" / "b")) < 0
