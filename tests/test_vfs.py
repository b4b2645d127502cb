"""The sandboxed file system, open files, pipes, the descriptor table and the ABI structs, on
real temporary directories. Most tests try to leave the root: each must land inside it, fail,
or create nothing outside."""
from __future__ import annotations

import errno
import os
import stat as S
import struct
from pathlib import Path
from types import SimpleNamespace

import pytest

from sysvec.runtime.abi_structs import (DT_CHR, DT_DIR, DT_LNK, DT_REG, pack_dirent64, pack_stat,
                                 pack_stat64, pack_statx, unpack_dirent64)
from sysvec.runtime.errors import BrokenPipe, KernelError, WouldBlock
from sysvec.runtime.files import (O_APPEND, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, PIPE_BUF, DevNull,
                           FdTable, HostStdio, OpenFile, make_pipe)
from sysvec.runtime.vfs import (O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_PATH, O_TRUNC, R_OK, W_OK,
                         X_OK, FileSystem)


@pytest.fixture
def outside(tmp_path) -> Path:
    """A host directory next to the root, holding what no guest may see or change."""
    d = tmp_path / "outside"
    d.mkdir()
    (d / "secret").write_text("host secret")
    return d


@pytest.fixture
def root(tmp_path, outside) -> Path:
    r = tmp_path / "root"
    for d in ("etc", "bin", "tmp", "home/user/deep/er"):
        (r / d).mkdir(parents=True)
    (r / "etc/hostname").write_text("guest\n")
    (r / "bin/prog").write_bytes(b"\x7fELF program")
    (r / "bin/prog").chmod(0o755)
    return r


@pytest.fixture
def fs(root) -> FileSystem:
    return FileSystem(root)


@pytest.fixture
def ctx():
    """The calling process as /proc sees it: its program and its descriptors."""
    return SimpleNamespace(pid=7, exe="/bin/prog", cwd="/home", fds=FdTable())


def errno_of(fn, *args, **kw) -> int:
    with pytest.raises(KernelError) as info:
        fn(*args, **kw)
    return info.value.errno


def read_all(f: OpenFile) -> bytes:
    out = b""
    while chunk := f.read(4096):
        out += chunk
    return out


def host_tree(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")}


# --- containment ---------------------------------------------------------------------------

@pytest.mark.parametrize("cwd,path", [
    ("/", "/../../../etc/hostname"),
    ("/", "../../etc/hostname"),
    ("/home/user/deep/er", "../../../../../../../../etc/hostname"),
    ("/tmp", "/tmp/../../../../etc/./hostname"),
    ("/", "/..//..///etc//hostname"),
])
def test_dotdot_at_any_depth_stops_at_the_root(fs, root, cwd, path):
    r = fs.resolve(cwd, path)
    assert r.guest == "/etc/hostname" and r.host == str(root / "etc/hostname") and r.exists


def test_relative_paths_start_at_cwd_and_accept_bytes(fs, root):
    assert fs.resolve("/etc", b"hostname").host == str(root / "etc/hostname")
    assert fs.resolve("/home/user", "deep/../deep/er").guest == "/home/user/deep/er"


def test_absolute_symlink_to_etc_passwd_reads_the_guests_file(fs, root):
    os.symlink("/etc/passwd", root / "tmp/pw")
    assert errno_of(fs.open, "/", "/tmp/pw", O_RDONLY, 0) == errno.ENOENT
    (root / "etc/passwd").write_text("root:x:0:0:guest\n")
    assert read_all(fs.open("/", "/tmp/pw", O_RDONLY, 0)) == b"root:x:0:0:guest\n"


def test_absolute_symlink_to_a_host_path_is_read_inside_the_root(fs, root, outside):
    os.symlink(str(outside / "secret"), root / "tmp/s")
    os.symlink(str(outside), root / "tmp/d")
    assert errno_of(fs.open, "/", "/tmp/s", O_RDONLY, 0) == errno.ENOENT
    assert errno_of(fs.stat, "/", "/tmp/d/secret") == errno.ENOENT
    assert errno_of(fs.chdir_target, "/", "/tmp/d") == errno.ENOENT


def test_relative_symlink_chain_climbing_with_dotdots_stays_inside(fs, root, outside):
    os.symlink("../../../../../../outside", root / "home/user/deep/a")
    os.symlink("a/../../../../../../../outside/secret", root / "home/user/deep/b")
    r = fs.resolve("/", "/home/user/deep/a")
    assert r.guest == "/outside" and not r.exists
    assert errno_of(fs.open, "/", "/home/user/deep/b", O_RDONLY, 0) == errno.ENOENT
    (root / "outside").mkdir()
    (root / "outside/secret").write_text("guest copy")
    assert read_all(fs.open("/", "/home/user/deep/b", O_RDONLY, 0)) == b"guest copy"


def test_symlink_loops_are_eloop(fs, root):
    os.symlink("b", root / "tmp/a")
    os.symlink("a", root / "tmp/b")
    os.symlink("self", root / "tmp/self")
    for path in ("/tmp/a", "/tmp/self", "/tmp/a/x"):
        assert errno_of(fs.open, "/", path, O_RDONLY, 0) == errno.ELOOP
    assert errno_of(fs.open, "/", "/tmp/a", O_CREAT | O_WRONLY, 0o644) == errno.ELOOP


def test_forty_symlinks_resolve_and_forty_one_are_eloop(fs, root):
    for i in range(41):
        os.symlink(f"l{i + 1}" if i < 40 else "/etc/hostname", root / f"tmp/l{i}")
    assert fs.resolve("/", "/tmp/l1").guest == "/etc/hostname"
    assert errno_of(fs.resolve, "/", "/tmp/l0") == errno.ELOOP


def test_symlink_to_root_then_dotdot_stays_inside(fs, root):
    os.symlink("/", root / "tmp/top")
    os.symlink("../../../..", root / "tmp/up")
    assert fs.resolve("/", "/tmp/top/..").guest == "/"
    assert fs.resolve("/", "/tmp/top/../../etc/hostname").host == str(root / "etc/hostname")
    assert fs.resolve("/", "/tmp/up/../etc").host == str(root / "etc")
    assert fs.chdir_target("/", "/tmp/top/..") == "/"


def test_open_creat_through_a_dangling_symlink_to_a_host_path_never_creates_it(fs, root,
                                                                              tmp_path):
    host_target = tmp_path / "escaped"
    os.symlink(str(host_target), root / "tmp/dangling")
    assert errno_of(fs.open, "/", "/tmp/dangling", O_CREAT | O_WRONLY, 0o644) == errno.ENOENT
    assert not host_target.exists()
    inside = root / str(tmp_path).lstrip("/")
    inside.mkdir(parents=True)
    fs.open("/", "/tmp/dangling", O_CREAT | O_WRONLY, 0o644).decref()
    assert (inside / "escaped").is_file() and not host_target.exists()


def test_open_creat_through_dangling_symlink_to_tmp_outside(fs, root):
    os.symlink("/tmp/outside", root / "tmp/link")
    f = fs.open("/", "/tmp/link", O_CREAT | O_WRONLY, 0o644)
    f.write(b"made inside")
    f.decref()
    assert (root / "tmp/outside").read_text() == "made inside"


def test_open_creat_through_dangling_symlink_into_a_missing_directory_creates_nothing(fs, root,
                                                                                   tmp_path):
    os.symlink("/nowhere/new", root / "tmp/link")
    before = host_tree(tmp_path)
    assert errno_of(fs.open, "/", "/tmp/link", O_CREAT | O_WRONLY, 0o644) == errno.ENOENT
    assert host_tree(tmp_path) == before


def test_open_creat_through_escaping_relative_dangling_symlink_lands_inside(fs, root, tmp_path):
    os.symlink("../../../../../../../../tmp/made", root / "home/user/l")
    fs.open("/", "/home/user/l", O_CREAT | O_WRONLY, 0o644).decref()
    assert (root / "tmp/made").exists()
    assert not (tmp_path / "made").exists()


def test_o_excl_does_not_follow_a_final_symlink(fs, root):
    os.symlink("/tmp/new", root / "tmp/link")
    assert errno_of(fs.open, "/", "/tmp/link", O_CREAT | O_EXCL | O_WRONLY, 0o644) == errno.EEXIST
    assert not (root / "tmp/new").exists()


def test_o_nofollow_on_a_final_symlink_is_eloop(fs, root):
    os.symlink("/etc/hostname", root / "tmp/link")
    assert errno_of(fs.open, "/", "/tmp/link", O_RDONLY | O_NOFOLLOW, 0) == errno.ELOOP
    os.symlink("/etc", root / "tmp/dir")
    assert read_all(fs.open("/", "/tmp/dir/hostname", O_RDONLY | O_NOFOLLOW, 0)) == b"guest\n"


def test_rename_link_and_symlink_targets_with_dotdots_stay_inside(fs, root, tmp_path):
    (root / "tmp/f").write_text("data")
    before = host_tree(tmp_path)
    fs.rename("/", "/tmp/f", "/", "/../../../../moved")
    assert (root / "moved").read_text() == "data"
    fs.link("/", "/moved", "/tmp", "../../../../../hard")
    assert (root / "hard").read_text() == "data"
    fs.symlink("../../../../../outside/secret", "/", "/../../soft")
    assert os.readlink(root / "soft") == "../../../../../outside/secret"
    assert errno_of(fs.open, "/", "/soft", O_RDONLY, 0) == errno.ENOENT
    assert host_tree(tmp_path) - before == {"root/moved", "root/hard", "root/soft"}


def test_rename_onto_a_dangling_symlink_replaces_the_link_not_its_target(fs, root, outside):
    os.symlink(str(outside / "secret"), root / "tmp/link")
    (root / "tmp/f").write_text("new")
    fs.rename("/", "/tmp/f", "/", "/tmp/link")
    assert (root / "tmp/link").read_text() == "new"
    assert (outside / "secret").read_text() == "host secret"


def test_changes_through_a_symlinked_directory_stay_inside(fs, root, outside):
    os.symlink(str(outside), root / "escape")
    os.symlink("../../../..", root / "tmp/up")
    assert errno_of(fs.mkdir, "/", "/escape/new", 0o755) == errno.ENOENT
    assert errno_of(fs.unlink, "/", "/escape/secret") == errno.ENOENT
    assert errno_of(fs.truncate, "/", "/escape/secret", 0) == errno.ENOENT
    assert errno_of(fs.rename, "/", "/etc/hostname", "/", "/escape/secret") == errno.ENOENT
    fs.mkdir("/", "/tmp/up/made", 0o755)
    assert (root / "made").is_dir()
    assert (outside / "secret").read_text() == "host secret"
    assert sorted(os.listdir(outside)) == ["secret"]


def test_symlink_inside_and_truncate_through_it(fs, root):
    fs.symlink("/etc/hostname", "/", "/tmp/h")
    fs.truncate("/", "/tmp/h", 2)
    assert (root / "etc/hostname").read_text() == "gu"


def test_proc_self_root_and_dotdots_stay_inside(fs, root, ctx):
    assert fs.readlink("/", "/proc/self/root", ctx) == "/"
    r = fs.resolve("/", "/proc/self/root/../../etc/hostname", ctx=ctx)
    assert r.host == str(root / "etc/hostname")
    assert fs.chdir_target("/", "/proc/self/root/../..", ctx) == "/"


def test_chdir_above_the_root_is_the_root(fs, root):
    assert fs.chdir_target("/", "..") == "/"
    assert fs.chdir_target("/home/user", "../../../../..") == "/"
    assert fs.chdir_target("/home", "user/deep/./er/") == "/home/user/deep/er"
    assert errno_of(fs.chdir_target, "/", "/etc/hostname") == errno.ENOTDIR


def test_fifos_inside_the_root_are_machine_pipes_never_opened_on_the_host(fs, root):
    """A FIFO in the root (made by the guest's mkfifo, or planted by the host) is the machine's
    own pipe: the host FIFO is never opened, so no host process can reach the guest through it
    and an open cannot block the whole machine."""
    os.mkfifo(root / "tmp/fifo")
    f = fs.open("/", "/tmp/fifo", O_RDONLY | O_NONBLOCK, 0)
    assert f.kind == "pipe" and f.pipe.readers == 1
    with pytest.raises(OSError) as exc:   # no reader on the host side: the guest never opened it
        os.open(root / "tmp/fifo", os.O_WRONLY | os.O_NONBLOCK)
    assert exc.value.errno == errno.ENXIO
    # O_RDWR (Linux allows it): one description that is a reader and a writer of the pipe
    rw = fs.open("/", "/tmp/fifo", os.O_RDWR, 0)
    assert rw.pipe is f.pipe and f.pipe.readers == 2 and f.pipe.writers == 1
    assert rw.write(b"xy") == 2 and rw.read(5) == b"xy"
    rw.decref()
    f.decref()


# --- lookup errors ---------------------------------------------------------------------------

def test_a_file_in_the_middle_of_a_path_is_enotdir(fs):
    assert errno_of(fs.resolve, "/", "/etc/hostname/x") == errno.ENOTDIR
    assert errno_of(fs.open, "/", "/etc/hostname/", O_RDONLY, 0) == errno.ENOTDIR
    assert errno_of(fs.stat, "/", "/etc/hostname/.") == errno.ENOTDIR


def test_a_missing_directory_is_enoent_and_a_missing_leaf_may_be_created(fs, root):
    assert errno_of(fs.resolve, "/", "/nope/x") == errno.ENOENT
    r = fs.resolve("/", "/etc/new")
    assert not r.exists and r.host == str(root / "etc/new")
    assert errno_of(fs.open, "/", "/etc/new", O_RDONLY, 0) == errno.ENOENT
    assert errno_of(fs.open, "/", "", O_RDONLY, 0) == errno.ENOENT


def test_names_over_255_bytes_and_paths_over_4095_are_enametoolong(fs):
    assert errno_of(fs.resolve, "/", "/tmp/" + "x" * 256) == errno.ENAMETOOLONG
    assert not fs.resolve("/", "/tmp/" + "x" * 255).exists
    assert errno_of(fs.resolve, "/", "/" + "a/" * 2048) == errno.ENAMETOOLONG
    assert errno_of(fs.symlink, "x" * 4096, "/", "/tmp/l") == errno.ENAMETOOLONG


def test_nul_in_a_path_is_einval(fs):
    assert errno_of(fs.resolve, "/", "/etc\0/hostname") == errno.EINVAL


def test_undecodable_byte_names_round_trip(fs, root):
    f = fs.open("/", b"/tmp/\xff\xfe", O_CREAT | O_WRONLY, 0o644)
    f.decref()
    assert os.path.exists(os.fsencode(str(root)) + b"/tmp/\xff\xfe")
    listing = fs.open("/", "/tmp", O_RDONLY, 0).getdents64(4096)
    names = [n for _, _, _, n in unpack_dirent64(listing)]
    assert b"\xff\xfe" in names


# --- open -----------------------------------------------------------------------------------

def test_open_modes_create_truncate_append_and_exclusive(fs, root):
    f = fs.open("/", "/tmp/f", O_CREAT | O_RDWR, 0o600)
    assert f.write(b"hello") == 5 and f.lseek(0, 0) == 0 and f.read(10) == b"hello"
    assert S.S_IMODE(f.fstat().st_mode) & 0o700 == 0o600
    f.decref()
    assert errno_of(fs.open, "/", "/tmp/f", O_CREAT | O_EXCL | O_WRONLY, 0o600) == errno.EEXIST
    a = fs.open("/", "/tmp/f", O_WRONLY | O_APPEND, 0)
    a.lseek(0, 0)
    a.write(b"!")
    assert a.status_flags & O_APPEND
    a.status_flags &= ~O_APPEND          # F_SETFL clears it: writes go where the offset is
    a.lseek(0, 0)
    a.write(b"J")
    a.decref()
    assert (root / "tmp/f").read_bytes() == b"Jello!"
    fs.open("/", "/tmp/f", O_WRONLY | O_TRUNC, 0).decref()
    assert (root / "tmp/f").read_bytes() == b""


def test_access_mode_is_enforced_on_the_description(fs):
    r = fs.open("/", "/etc/hostname", O_RDONLY, 0)
    assert errno_of(r.write, b"x") == errno.EBADF
    w = fs.open("/", "/etc/hostname", O_WRONLY, 0)
    assert errno_of(w.read, 1) == errno.EBADF
    n = fs.open("/", "/tmp/x", O_WRONLY | O_CREAT | O_NONBLOCK, 0o644)
    assert n.status_flags & O_NONBLOCK and n.guest_path == "/tmp/x" and n.kind == "file"


def test_directories_open_read_only_and_o_directory_wants_one(fs):
    d = fs.open("/", "/etc", O_RDONLY | O_DIRECTORY, 0)
    assert d.kind == "dir" and d.guest_path == "/etc"
    assert errno_of(d.read, 10) == errno.EISDIR
    assert errno_of(fs.open, "/", "/etc", O_WRONLY, 0) == errno.EISDIR
    assert errno_of(fs.open, "/", "/etc", O_RDONLY | O_CREAT, 0) == errno.EISDIR
    assert errno_of(fs.open, "/", "/etc/hostname", O_RDONLY | O_DIRECTORY, 0) == errno.ENOTDIR
    assert errno_of(fs.open, "/", "/tmp/newdir/", O_WRONLY | O_CREAT, 0o644) == errno.EISDIR


def test_o_path_names_a_directory_without_io(fs):
    p = fs.open("/", "/home/user", O_PATH, 0)
    assert p.kind == "dir" and p.guest_path == "/home/user" and S.S_ISDIR(p.fstat().st_mode)
    assert errno_of(p.read, 1) == errno.EBADF


# --- stat, access, readlink, tree changes ----------------------------------------------------

def test_stat_follows_and_lstat_does_not(fs, root):
    os.symlink("hostname", root / "etc/link")
    assert S.S_ISREG(fs.stat("/", "/etc/link").st_mode)
    assert S.S_ISLNK(fs.lstat("/", "/etc/link").st_mode)
    os.symlink("/nope", root / "etc/dangling")
    assert errno_of(fs.stat, "/", "/etc/dangling") == errno.ENOENT
    assert S.S_ISLNK(fs.lstat("/", "/etc/dangling").st_mode)


def test_access_as_root_needs_an_x_bit_for_x_ok(fs):
    fs.access("/", "/etc/hostname", R_OK | W_OK)
    fs.access("/", "/bin/prog", X_OK)
    fs.access("/", "/etc", X_OK)
    assert errno_of(fs.access, "/", "/etc/hostname", X_OK) == errno.EACCES
    assert errno_of(fs.access, "/", "/etc/none", 0) == errno.ENOENT
    assert errno_of(fs.access, "/", "/etc", 8) == errno.EINVAL


def test_readlink_returns_the_target_verbatim(fs, root):
    fs.symlink("../../../x//y", "/tmp", "l")
    assert fs.readlink("/", "/tmp/l") == "../../../x//y"
    assert errno_of(fs.readlink, "/", "/etc/hostname") == errno.EINVAL
    assert errno_of(fs.readlink, "/", "/etc/none") == errno.ENOENT
    assert errno_of(fs.symlink, "", "/", "/tmp/empty") == errno.ENOENT


def test_mkdir_unlink_rmdir_errors_follow_linux(fs, root):
    fs.mkdir("/", "/tmp/d", 0o755)
    assert errno_of(fs.mkdir, "/", "/tmp/d", 0o755) == errno.EEXIST
    assert errno_of(fs.unlink, "/", "/tmp/d") == errno.EISDIR
    assert errno_of(fs.rmdir, "/", "/etc/hostname") == errno.ENOTDIR
    assert errno_of(fs.rmdir, "/", "/") == errno.EBUSY
    assert errno_of(fs.rmdir, "/", "/tmp/d/.") == errno.EINVAL
    assert errno_of(fs.rmdir, "/", "/home") == errno.ENOTEMPTY
    fs.rmdir("/", "/tmp/d")
    assert errno_of(fs.unlink, "/", "/tmp/d") == errno.ENOENT
    os.symlink("/etc", root / "tmp/ldir")
    assert errno_of(fs.rmdir, "/", "/tmp/ldir") == errno.ENOTDIR
    fs.unlink("/", "/tmp/ldir")
    assert (root / "etc").is_dir()


def test_rename_and_link_refuse_the_root_and_directories(fs):
    assert errno_of(fs.rename, "/", "/", "/", "/x") == errno.EBUSY
    assert errno_of(fs.rename, "/", "/etc/hostname", "/", "/..") == errno.EBUSY
    assert errno_of(fs.rename, "/", "/etc/hostname", "/", "/tmp/x/") == errno.ENOTDIR
    assert errno_of(fs.link, "/", "/etc", "/", "/etc2") == errno.EPERM
    assert errno_of(fs.link, "/", "/etc/hostname", "/", "/bin/prog") == errno.EEXIST


def test_utimens_sets_times_without_following_a_final_link(fs, root):
    fs.utimens("/", "/etc/hostname", (1_000_000_000, 2_000_000_000))
    assert fs.stat("/", "/etc/hostname").st_mtime_ns == 2_000_000_000


# --- /proc/self and /dev ---------------------------------------------------------------------

def test_proc_self_exe_is_the_program_for_open_stat_and_readlink(fs, root, ctx):
    assert fs.readlink("/", "/proc/self/exe", ctx) == "/bin/prog"
    assert fs.resolve("/", "/proc/self/exe", ctx=ctx).host == str(root / "bin/prog")
    assert read_all(fs.open("/", "/proc/self/exe", O_RDONLY, 0, ctx)) == b"\x7fELF program"
    assert S.S_ISREG(fs.stat("/", "/proc/self/exe", ctx=ctx).st_mode)
    assert S.S_ISLNK(fs.lstat("/", "/proc/self/exe", ctx).st_mode)
    assert fs.readlink("/", "/proc/self", ctx) == "/proc/7"
    assert fs.readlink("/", "/proc/7/cwd", ctx) == "/home"


def test_a_bare_ctx_with_exe_and_fds_is_enough_for_proc_self(fs):
    bare = SimpleNamespace(exe="/bin/prog", fds=FdTable())
    assert fs.readlink("/", "/proc/self/exe", bare) == "/bin/prog"
    assert errno_of(fs.stat, "/", "/proc/meminfo", bare) == errno.ENOENT


def test_proc_self_fd_links_to_the_open_files(fs, ctx):
    r, w = make_pipe()
    assert ctx.fds.install(r) == 0 and ctx.fds.install(w) == 1
    ctx.fds.install(fs.open("/", "/etc/hostname", O_RDONLY, 0))
    assert fs.readlink("/", "/proc/self/fd/2", ctx) == "/etc/hostname"
    assert fs.readlink("/", "/dev/stdin", ctx) == "/proc/self/fd/0"
    assert fs.readlink("/", "/proc/self/fd/0", ctx).startswith("pipe:[")
    out = fs.open("/", "/dev/stdout", O_WRONLY, 0, ctx)       # shares the pipe's write end
    assert out is w and w.refs == 2
    out.write(b"via /dev/stdout")
    assert r.read(100) == b"via /dev/stdout"
    again = fs.open("/", "/proc/self/fd/2", O_RDONLY, 0, ctx)  # a file reopens by its path
    assert again.read(100) == b"guest\n"
    assert S.S_ISFIFO(fs.stat("/", "/dev/stdin", ctx=ctx).st_mode)
    names = {n for _, _, _, n in unpack_dirent64(fs.open("/", "/proc/self/fd", O_RDONLY, 0, ctx)
                                                  .getdents64(4096))}
    assert {b".", b"..", b"0", b"1", b"2"} <= names
    assert errno_of(fs.open, "/", "/proc/self/fd/9", O_RDONLY, 0, ctx) == errno.ENOENT
    assert errno_of(fs.open, "/", "/proc/self/fd/0/x", O_RDONLY, 0, ctx) == errno.ENOTDIR


def test_proc_self_fd_lists_the_descriptors_open_when_it_is_read(fs, ctx):
    """`ls /proc/self/fd` shows the directory's own descriptor, as Linux lists at getdents."""
    ctx.fds.install(fs.open("/", "/etc/hostname", O_RDONLY, 0))
    listing = fs.open("/", "/proc/self/fd", O_RDONLY, 0, ctx)
    fd = ctx.fds.install(listing)
    names = {n for _, _, _, n in unpack_dirent64(listing.getdents64(4096))}
    assert names == {b".", b"..", b"0", str(fd).encode()}


def test_other_pids_and_unknown_proc_names_are_enoent(fs, ctx):
    assert errno_of(fs.stat, "/", "/proc/8/exe", ctx=ctx) == errno.ENOENT
    assert errno_of(fs.stat, "/", "/proc/self/nope", ctx=ctx) == errno.ENOENT
    assert errno_of(fs.mkdir, "/", "/proc/self/new", 0o755, ctx) == errno.EACCES
    assert errno_of(fs.open, "/", "/proc/x", O_CREAT | O_WRONLY, 0o644, ctx) == errno.EACCES


def test_proc_without_a_process_is_the_roots_own(fs, root):
    assert errno_of(fs.stat, "/", "/proc/self/exe") == errno.ENOENT


@pytest.mark.parametrize("with_host_dev", [False, True])
def test_devices_exist_for_every_guest(fs, root, with_host_dev):
    if with_host_dev:
        (root / "dev").mkdir()
        (root / "dev/null").write_text("a plain file that the device shadows")
        (root / "dev/sda").write_text("")
    null = fs.open("/", "/dev/null", O_RDWR, 0)
    assert null.read(10) == b"" and null.write(b"gone") == 4 and null.kind == "chr"
    assert fs.open("/", "/dev/zero", O_RDONLY, 0).read(4) == b"\0\0\0\0"
    assert len(fs.open("/", "/dev/urandom", O_RDONLY, 0).read(16)) == 16
    assert len(fs.open("/", "/dev/random", O_RDONLY, 0).read(8)) == 8
    st = fs.stat("/", "/dev/null")
    assert S.S_ISCHR(st.st_mode) and (os.major(st.st_rdev), os.minor(st.st_rdev)) == (1, 3)
    assert S.S_ISCHR(null.fstat().st_mode)
    assert errno_of(fs.open, "/", "/dev/null/x", O_RDONLY, 0) == errno.ENOTDIR
    d = fs.open("/", "/dev", O_RDONLY, 0)
    listing = {n: t for _, _, t, n in unpack_dirent64(d.getdents64(8192))}
    assert listing[b"null"] == DT_CHR and listing[b"stdout"] == DT_LNK
    assert (b"sda" in listing) == with_host_dev


def test_dev_tty_opens_the_hosts_terminal_or_is_enxio(fs):
    try:
        f = fs.open("/", "/dev/tty", O_RDWR, 0)
    except KernelError as exc:
        assert exc.errno == errno.ENXIO
    else:
        assert f.isatty() and f.kind == "tty"
        f.decref()


# --- open files ------------------------------------------------------------------------------

def test_host_files_seek_and_position_independent_io(fs):
    f = fs.open("/", "/tmp/f", O_CREAT | O_RDWR, 0o644)
    f.write(b"0123456789")
    assert f.pread(3, 2) == b"234" and f.lseek(0, 1) == 10
    assert f.pwrite(b"AB", 0) == 2 and f.lseek(-2, 2) == 8 and f.read(5) == b"89"
    assert errno_of(f.lseek, 0, 9) == errno.EINVAL
    assert errno_of(f.getdents64, 4096, "x86_64") == errno.ENOTDIR
    f.decref()
    assert f.closed and f.fd == -1


def test_devices_check_the_access_mode():
    assert errno_of(DevNull(O_WRONLY).read, 1) == errno.EBADF
    assert errno_of(DevNull(O_RDONLY).write, b"x") == errno.EBADF


def test_host_stdio_never_closes_the_hosts_descriptor_and_reads_would_block():
    rfd, wfd = os.pipe()
    try:
        r, w = HostStdio(rfd, readable=True), HostStdio(wfd)
        assert r.kind == "pipe" and not r.isatty() and r.host_fd == rfd
        assert not r.readable_now()
        with pytest.raises(WouldBlock):
            r.read(10)
        assert w.write(b"x" * 1000) == 1000
        assert r.readable_now() and len(r.read(2000)) == 1000
        assert errno_of(r.lseek, 0, 0) == errno.ESPIPE
        r.decref()
        w.decref()
        os.fstat(rfd)
        os.fstat(wfd)
    finally:
        os.close(rfd)
        os.close(wfd)


def test_getdents64_round_trips_every_name_across_small_buffers(fs, root):
    names = {f"file{i:03d}-{'x' * (i % 17)}" for i in range(60)}
    for n in names:
        (root / "tmp" / n).write_text("")
    os.symlink("x", root / "tmp/zlink")
    (root / "tmp/zdir").mkdir()
    d = fs.open("/", "/tmp", O_RDONLY, 0)
    assert errno_of(d.getdents64, 20, "x86_64") == errno.EINVAL
    seen, offsets = {}, []
    while chunk := d.getdents64(200, "x86_64"):
        assert len(chunk) <= 200
        for ino, off, dtype, name in unpack_dirent64(chunk):
            seen[name.decode()] = dtype
            offsets.append(off)
    assert set(seen) == names | {".", "..", "zlink", "zdir"}
    assert seen["zlink"] == DT_LNK and seen["zdir"] == DT_DIR and seen["file000-"] == DT_REG
    assert seen["."] == DT_DIR and offsets == sorted(offsets)
    assert d.lseek(offsets[9], 0) == offsets[9]       # seekdir to a d_off resumes after it
    assert unpack_dirent64(d.getdents64(4096))[0][1] == offsets[10]
    d.lseek(0, 0)                                     # rewinddir
    assert len(unpack_dirent64(d.getdents64(1 << 16))) == len(seen)
    assert S.S_ISDIR(d.fstat().st_mode)
    d.decref()


def test_getdents64_lists_in_the_host_file_systems_order(fs, root):
    """`find` and `tar` print names in directory order: a chroot's order is the host's, not
    sorted, so a guest's output matches a native run's."""
    for n in ("zeta", "alpha", "Mid", "10", "9", "b_x", "a-y", "sub"):
        (root / "tmp" / n).write_text("")
    d = fs.open("/", "/tmp", O_RDONLY, 0)
    listed = [n.decode() for _, _, _, n in unpack_dirent64(d.getdents64(1 << 16))]
    d.decref()
    assert listed == [".", ".."] + [e.name for e in os.scandir(root / "tmp")]


# --- pipes -----------------------------------------------------------------------------------

def test_pipe_reads_block_while_writers_exist_then_hit_eof():
    r, w = make_pipe()
    assert not r.readable_now()
    with pytest.raises(WouldBlock):
        r.read(10)
    assert r.read(0) == b""
    w.write(b"abc")
    assert r.readable_now() and r.read(2) == b"ab"
    w.decref()
    assert r.read(10) == b"c" and r.read(10) == b"" and r.readable_now()


def test_pipe_write_without_readers_is_broken_pipe():
    r, w = make_pipe()
    r.decref()
    with pytest.raises(BrokenPipe):
        w.write(b"x")
    assert w.writable_now()


def test_pipe_writes_up_to_pipe_buf_are_atomic_larger_ones_partial():
    r, w = make_pipe(capacity=8192)
    assert w.write(b"a" * 5000) == 5000
    assert not w.writable_now()          # less than PIPE_BUF of room
    with pytest.raises(WouldBlock):
        w.write(b"b" * PIPE_BUF)         # atomic: all or nothing
    assert w.write(b"c" * 10000) == 3192  # not atomic: what fits
    with pytest.raises(WouldBlock):
        w.write(b"d")
    assert len(r.read(PIPE_BUF)) == PIPE_BUF and w.writable_now()
    assert w.write(b"e" * PIPE_BUF) == PIPE_BUF


def test_pipe_ends_are_one_way_unseekable_fifos_counted_by_reference():
    r, w = make_pipe()
    assert errno_of(r.write, b"x") == errno.EBADF and errno_of(w.read, 1) == errno.EBADF
    assert errno_of(r.lseek, 0, 0) == errno.ESPIPE and errno_of(w.pread, 1, 0) == errno.ESPIPE
    assert S.S_ISFIFO(r.fstat().st_mode) and r.kind == "pipe"
    assert r.guest_path == w.guest_path and r.guest_path.startswith("pipe:[")
    w.incref()
    w.decref()
    with pytest.raises(WouldBlock):
        r.read(1)                        # one reference left: still a writer
    w.decref()
    w.close()                            # closing again changes nothing
    assert r.pipe.writers == 0 and r.read(1) == b""


# --- the descriptor table --------------------------------------------------------------------

def test_fd_table_installs_at_the_lowest_free_descriptor_up_to_the_limit():
    t = FdTable(limit=4)
    files = [DevNull() for _ in range(4)]
    assert [t.install(f) for f in files[:3]] == [0, 1, 2]
    t.close(1)
    assert t.install(files[3]) == 1
    assert t.install(DevNull(), lowest=3) == 3
    assert errno_of(t.install, DevNull()) == errno.EMFILE
    assert errno_of(t.get, 9) == errno.EBADF and errno_of(t.close, 9) == errno.EBADF
    assert files[1].closed


def test_fd_table_dup_dup2_dup3_share_the_description():
    t = FdTable()
    f = DevNull()
    t.install(f)
    assert t.dup(0) == 1 and t.get(1) is f and f.refs == 2
    assert t.dup(0, lowest=10) == 10
    g = DevNull()
    t.install(g, lowest=5)
    assert t.dup2(0, 5) == 5 and g.closed and t.get(5) is f
    assert t.dup2(5, 5) == 5
    assert errno_of(t.dup3, 5, 5, False) == errno.EINVAL
    assert t.dup3(0, 6, True) == 6 and t.cloexec(6) and not t.cloexec(5)
    assert errno_of(t.dup2, 0, 5000) == errno.EBADF
    assert errno_of(t.dup2, 99, 1) == errno.EBADF
    assert errno_of(t.dup, 0, lowest=5000) == errno.EINVAL
    t.close_all()
    assert f.closed and t.items() == []


def test_fd_table_exec_closes_cloexec_descriptors_only():
    t = FdTable()
    keep, drop = DevNull(), DevNull()
    t.install(keep)
    t.install(drop, cloexec=True)
    t.set_cloexec(0, False)
    t.exec_close()
    assert [fd for fd, _ in t.items()] == [0] and drop.closed and not keep.closed


def test_fork_shares_descriptions_and_the_last_close_releases_them():
    t = FdTable()
    r, w = make_pipe()
    t.install(r)
    t.install(w, cloexec=True)
    child = t.fork()
    assert child.get(0) is r and child.cloexec(1) and r.refs == 2
    t.close_all()
    assert not w.closed and w.pipe.writers == 1
    child.get(1).write(b"from the child")
    assert child.get(0).read(100) == b"from the child"
    child.close(1)
    assert w.closed and child.get(0).read(1) == b""


# --- ABI structs -----------------------------------------------------------------------------

def _host_stat(tmp_path):
    p = tmp_path / "f"
    p.write_bytes(b"x" * 1234)
    os.utime(p, ns=(-5_000_000_001, 1_700_000_000_123_456_789))
    return os.lstat(p)


def test_struct_stat_x86_64_layout(tmp_path):
    st = _host_stat(tmp_path)
    b = pack_stat(st, "x86_64")
    assert len(b) == 144
    dev, ino, nlink, mode, uid, gid = struct.unpack_from("<QQQIII", b, 0)
    assert (dev, ino, nlink, mode) == (st.st_dev, st.st_ino, st.st_nlink, st.st_mode)
    assert (uid, gid) == (0, 0)
    assert struct.unpack_from("<qq", b, 48) == (1234, 4096)
    assert struct.unpack_from("<qQqQ", b, 72) == (-6, 999_999_999, 1_700_000_000, 123_456_789)


def test_struct_stat_i386_and_stat64_layouts(tmp_path):
    st = _host_stat(tmp_path)
    old = pack_stat(st, "i386")
    assert len(old) == 64 and struct.unpack_from("<H", old, 8)[0] == st.st_mode
    assert struct.unpack_from("<I", old, 20)[0] == 1234
    b = pack_stat64(st)
    assert len(b) == 96
    assert struct.unpack_from("<I", b, 16)[0] == st.st_mode
    assert struct.unpack_from("<q", b, 44)[0] == 1234
    assert struct.unpack_from("<II", b, 72) == (1_700_000_000, 123_456_789)
    assert struct.unpack_from("<Q", b, 88)[0] == st.st_ino


def test_struct_statx_layout(tmp_path):
    st = _host_stat(tmp_path)
    b = pack_statx(st, 0xFFF)
    assert len(b) == 256
    mask, blksize = struct.unpack_from("<II", b, 0)
    assert mask & 0x7FF == 0x7FF and not mask & 0x800 and blksize == 4096
    assert struct.unpack_from("<H", b, 28)[0] == st.st_mode
    assert struct.unpack_from("<QQ", b, 32) == (st.st_ino, 1234)
    assert struct.unpack_from("<qI", b, 112) == (1_700_000_000, 123_456_789)
    assert struct.unpack_from("<II", b, 136) == (os.major(st.st_dev), os.minor(st.st_dev))


def test_dirent64_records_are_8_byte_aligned_and_nul_terminated():
    for name in (b"a", b"abcd", b"abcde", b"x" * 255):
        rec = pack_dirent64(42, 7, DT_REG, name)
        assert len(rec) % 8 == 0 and len(rec) >= 19 + len(name) + 1
        assert struct.unpack_from("<QqHB", rec) == (42, 7, len(rec), DT_REG)
        assert rec[19:19 + len(name) + 1] == name + b"\0"
        assert unpack_dirent64(rec) == [(42, 7, DT_REG, name)]


def test_device_stat_packs_as_a_character_device(fs):
    b = pack_stat(fs.stat("/", "/dev/zero"), "x86_64")
    mode, = struct.unpack_from("<I", b, 24)
    rdev, = struct.unpack_from("<Q", b, 40)
    assert S.S_ISCHR(mode) and (os.major(rdev), os.minor(rdev)) == (1, 5)


def test_a_directory_swapped_for_a_symlink_after_resolve_cannot_lead_outside(fs, root, tmp_path):
    """Another process sharing the root swaps a checked directory for a symlink between
    resolve and the host call: opens and changes go component by component, never out."""
    outside = tmp_path / "swapped-to"
    outside.mkdir()
    (outside / "secret").write_text("HOST")
    (root / "tmp/d").mkdir()
    (root / "tmp/d/secret").write_text("guest")
    r = fs.resolve("/", "/tmp/d/secret")
    os.rename(root / "tmp/d", root / "tmp/d.real")
    os.symlink(outside, root / "tmp/d")            # the swap, after resolve
    with pytest.raises(KernelError):
        fs._open_beneath(r.host, os.O_RDONLY)
    with pytest.raises(KernelError):
        fs._at(os.unlink, r.host)
    assert (outside / "secret").read_text() == "HOST"


def test_a_cwd_whose_ancestor_became_a_symlink_to_the_host_stays_inside(fs, root, outside):
    """Relative walks start from the cwd's last walk; renaming an ancestor away and putting a
    symlink to a host directory in its place (an absolute target the host would follow) makes
    that start stale: the next relative lookup walks again, inside the root."""
    (root / "a/b").mkdir(parents=True)
    (outside / "b").mkdir()
    (outside / "b/secret").write_text("host secret")
    assert errno_of(fs.stat, "/a/b", "secret") == errno.ENOENT     # remembers /a/b's walk
    fs.rename("/", "/a", "/", "/x")
    fs.symlink(str(outside), "/", "/a")
    assert errno_of(fs.open, "/a/b", "secret", O_RDONLY, 0) == errno.ENOENT
    assert errno_of(fs.stat, "/a/b", "secret") == errno.ENOENT
    (root / "x/b/mine").write_text("guest")
    assert read_all(fs.open("/x/b", "mine", O_RDONLY, 0)) == b"guest"


def test_relative_lookups_from_a_deep_cwd_see_renames_below_it(fs, root):
    deep = root / "d1/d2/d3/d4"
    deep.mkdir(parents=True)
    (deep / "f").write_text("one")
    assert read_all(fs.open("/d1/d2/d3/d4", "f", O_RDONLY, 0)) == b"one"
    fs.rename("/", "/d1/d2", "/", "/d1/moved")
    assert errno_of(fs.open, "/d1/d2/d3/d4", "f", O_RDONLY, 0) == errno.ENOENT
    assert read_all(fs.open("/d1/moved/d3/d4", "f", O_RDONLY, 0)) == b"one"


def test_a_remembered_cwd_walk_is_the_callers_root_s(fs, root):
    """A cwd that is a symlink to "/" leads to the machine's root for one process and to its
    chroot's for another: a walk remembered for the first must not serve the second (it read
    a file outside the jail)."""
    (root / "cell/d").mkdir(parents=True)
    (root / "secret.txt").write_text("outside the jail")
    fs.rmdir("/", "/cell/d")
    fs.symlink("/", "/", "/cell/d")
    assert fs.resolve("/cell/d", "secret.txt").exists          # unjailed: the machine's /
    jailed = SimpleNamespace(root="/cell")
    r = fs.resolve("/cell/d", "secret.txt", ctx=jailed)
    assert r.guest == "/cell/secret.txt" and not r.exists


def test_a_cwd_ancestor_swapped_for_a_host_symlink_from_outside_is_walked_again(fs, root,
                                                                               outside):
    """Another machine on the same root (or the host) replaces a directory on a remembered
    cwd's way with a symlink the host would follow: the start is checked against the
    directory it names, and the new walk stays inside the root."""
    (root / "a").mkdir()
    (outside / "lnk").symlink_to("/etc/hostname")
    assert errno_of(fs.stat, "/a", "x") == errno.ENOENT          # remembers /a's walk
    (root / "a").rmdir()
    (root / "a").symlink_to(outside)                               # not through the VFS
    assert errno_of(fs.stat, "/a", "secret") == errno.ENOENT
    assert errno_of(fs.readlink, "/a", "lnk") == errno.ENOENT


def test_unlinking_a_symlink_on_a_cwd_s_way_is_seen(fs, root):
    """cwd /j was a symlink to /t when its walk was remembered; removed and made a directory,
    /j is where relative names go."""
    (root / "t").mkdir()
    fs.symlink("/t", "/", "/j")
    assert errno_of(fs.stat, "/j", "y") == errno.ENOENT            # remembers /j -> /t
    fs.unlink("/", "/j")
    fs.mkdir("/", "/j")
    assert fs.resolve("/j", "y").host == str(root / "j" / "y")
