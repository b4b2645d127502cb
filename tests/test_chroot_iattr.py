"""chroot(2) and the inode attributes a guest sets that its host file never carries (owner,
set-id bits, device nodes: runtime/iattr.py), run by busybox through `tblc run`. busybox's
own testsuite (mdev, cpio) needs them; scripts/busybox-testsuite runs it."""
from __future__ import annotations

import os
import stat as S

import pytest

from conftest import make_root, tblc


def _run(root, script: str):
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c", script)
    assert res.returncode == 0, res.stderr
    return res.stdout.decode().splitlines()


def test_chroot_moves_the_root_for_the_process_and_its_children(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/jail/bin/busybox": busybox,
                                "/jail/marker": b"inside\n", "/marker": b"outside\n"})
    (root / "jail/sub").mkdir()
    (root / "jail/sub/abs").symlink_to("/marker")
    out = _run(root, "cd /jail/sub && /bin/busybox chroot /jail /bin/busybox sh -c '"
                     "B=/bin/busybox; $B pwd; $B cat /marker /sub/abs; cd ../../..; $B pwd; "
                     "$B cat marker; ($B cat /../marker)'; "
                     # a relative new root; the caller's own root and cwd stay as they were
                     "cd /jail/sub && /bin/busybox chroot .. /bin/busybox pwd; /bin/busybox pwd")
    assert out == ["/", "inside", "inside", "/", "inside", "inside", "/", "/jail/sub"]


def test_device_nodes_show_their_type_and_number_and_open_as_the_machines_devices(busybox,
                                                                                   tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    (root / "d").mkdir()
    out = _run(root, "cd /d; B=/bin/busybox; $B mknod sda b 8 0; $B mknod nul c 1 3; "
                     "$B mknod big c 300 70000; $B chown 1:2 sda; "
                     "$B stat -c '%A %u %g %t,%T %n' sda nul big; echo gone > nul; $B cat nul; "
                     "$B cat sda 2>&1; $B mv sda sdb; $B ls -ln sdb | $B cut -c1-10")
    assert out == ["brw-r--r-- 1 2 8,0 sda", "crw-r--r-- 0 0 1,3 nul",
                   "crw-r--r-- 0 0 12c,11170 big",
                   "cat: can't open 'sda': No such device or address", "brw-r--r--"]
    # On the host they are plain empty files: no device node is ever made there.
    for name in ("sdb", "nul", "big"):
        st = os.lstat(root / "d" / name)
        assert S.S_ISREG(st.st_mode) and st.st_size == 0


def test_owner_and_set_id_bits_are_seen_by_the_guest_and_kept_off_the_host(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    out = _run(root, "cd /tmp 2>/dev/null || { /bin/busybox mkdir /tmp; cd /tmp; }; "
                     "B=/bin/busybox; $B touch f; $B chmod 6755 f; $B ln -s f l; "
                     "$B chown -h 3:4 l; $B stat -c '%a %u %g %n' f l; "
                     # chown of a non-directory clears set-user-ID, and set-group-ID with
                     # group execute, even for root; a directory keeps them
                     "$B chown 5 f; $B stat -c '%a %u %g %n' f; $B mkdir d; $B chmod 2755 d; "
                     "$B chown 6 d; $B stat -c '%a %u %n' d; "
                     "$B chmod 2745 f; $B chown 7 f; $B stat -c '%a %n' f; "
                     # they follow the inode through rename and go with its last name
                     "$B mv f g; $B stat -c '%a %u %n' g; $B rm g; $B touch g; "
                     "$B stat -c '%a %u %n' g")
    assert out == ["6755 0 0 f", "777 3 4 l", "755 5 0 f", "2755 6 d", "2745 f",
                   "2745 7 g", "644 0 g"]
    st = os.stat(root / "tmp/d")
    assert not st.st_mode & 0o6000 and st.st_uid == os.getuid()


@pytest.mark.parametrize("cc", ["musl-gcc", "gcc", "gcc -m32"])
def test_chroot_getcwd_owner_and_device_nodes_through_the_libc(toolchain, tmp_path, cc):
    cc, *flags = cc.split()
    exe = toolchain.c("chroot_owner", cc, tuple(flags))
    root = make_root(tmp_path, {"/prog": exe})
    res = tblc("run", "--root", root, "/prog")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "cwd /in (4)", "/in/f exists", "cwd (unreachable)/jail", "owner 1000:2000",
        "owner 1000:7", "node chr 1,5 600", "read 4 0"]
    assert (root / "jail/in/f").exists()


def test_an_attribute_file_keeps_what_the_guest_set_across_runs(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/f": b"x", "/g": b"y"})
    attrs = tmp_path / "root.attrs"

    def run(script: str, *extra) -> list[str]:
        res = tblc("run", "--root", root, *extra, "/bin/busybox", "sh", "-c", script)
        assert res.returncode == 0, res.stderr
        return res.stdout.decode().splitlines()

    show = "/bin/busybox stat -c '%A %u %g %t,%T %n' /f /g /n"
    first = run("B=/bin/busybox; $B chmod 4755 /f; $B chown 7:8 /g; $B mknod /n c 1 3; " + show,
                "--attrs", attrs)
    assert first == ["-rwsr-xr-x 0 0 0,0 /f", "-rwxr-xr-x 7 8 0,0 /g",
                     "crw-r--r-- 0 0 1,3 /n"]
    assert run(show, "--attrs", attrs) == first          # a later run starts from them
    assert run(show)[0] == "-rwxr-xr-x 0 0 0,0 /f"         # without the file: the host's view
    assert not S.S_IMODE(os.stat(root / "f").st_mode) & S.S_ISUID   # never on the host
    attrs.write_text("not json")
    res = tblc("run", "--root", root, "--attrs", attrs, "/bin/busybox", "true")
    assert res.returncode == 2 and b"not a sysvec attribute file" in res.stderr
