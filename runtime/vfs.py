"""The guest's file system: a directory of the host taken as the guest's root (as chroot).
Every path is resolved here, component by component, with os.lstat and os.readlink only:
absolute symlink targets restart at the root, `..` never climbs above it, and the final
component is opened with O_NOFOLLOW, so no route reaches or creates a host file outside the
root. The /dev nodes every guest needs and /proc (see procfs) are synthesised."""
from __future__ import annotations

import errno
import os
import weakref
from array import array
import stat as S
from collections import deque
from dataclasses import dataclass
from types import SimpleNamespace

from . import perm
from . import loop
from .abi_structs import DT_BLK, DT_CHR, DT_DIR, DT_LNK, DT_REG
from .errors import KernelError
from .iattr import FS_APPEND_FL, FS_IMMUTABLE_FL, InodeAttrs
from .lookup_cache import LookupCache
from .mounts import MountTable, check_readonly
from .files import (DEVICE_NUMBERS, O_ACCMODE, O_RDONLY, BytesFile, DevFull, DevNull, DevRandom,
                    DevZero, Directory, HostFile, HostStdio, OpenFile, PathFile, Pipe, PipeRdWrEnd,
                    PipeReadEnd, PipeWriteEnd, ProgramBytes, SyntheticDirectory, TunableFile,
                    SYNTHETIC_DEV, device_stat, synthetic_ino, synthetic_stat)

MAX_SYMLINKS = 40
# openat2's resolve flags (include/uapi/linux/openat2.h)
RESOLVE_NO_XDEV, RESOLVE_NO_MAGICLINKS, RESOLVE_NO_SYMLINKS = 0x01, 0x02, 0x04
RESOLVE_BENEATH, RESOLVE_IN_ROOT, RESOLVE_CACHED = 0x08, 0x10, 0x20
RESOLVE_ALL = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | \
    RESOLVE_IN_ROOT | RESOLVE_CACHED
NAME_MAX, PATH_MAX = 255, 4096
O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC = 0o100, 0o200, 0o400, 0o1000
O_APPEND, O_NONBLOCK, O_NOATIME = 0o2000, 0o4000, 0o1000000
O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_PATH = 0o200000, 0o400000, 0o2000000, 0o10000000
O_TMPFILE_BIT = 0o20000000     # __O_TMPFILE: O_TMPFILE is it with O_DIRECTORY
O_TMPFILE = O_TMPFILE_BIT | O_DIRECTORY
F_OK, R_OK, W_OK, X_OK = 0, 4, 2, 1

DEVICES = {"null": DevNull, "zero": DevZero, "full": DevFull, "urandom": DevRandom,
           "random": lambda flags: DevRandom(flags, "random")}
DEV_LINKS = {"stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1",
             "stderr": "/proc/self/fd/2", "fd": "/proc/self/fd"}
TERMINAL_DEVICES = ("tty", "ptmx")     # runtime/tty opens these, and /dev/pts/N
DEV_NAMES = {**{name: DT_CHR for name in [*DEVICES, *TERMINAL_DEVICES]},
             **{name: DT_BLK if loop.device_number(name)[0] == S.S_IFBLK else DT_CHR
                for name in loop.names()},
             **{name: DT_LNK for name in DEV_LINKS}, "pts": DT_DIR}


@dataclass
class Resolved:
    """Where a guest path leads. `synthetic` is the node for paths with no host file:
    ('dev', name) ('link', target) ('dir', {name: d_type}) ('fd', n, path) ('file', bytes),
    ('file', bytes, store) a tunable root writes, ('file', bytes, store, proc) a file of proc's
    its owner writes (files.TunableFile)."""
    host: str                   # host path inside the root (meaningless for synthetic nodes)
    guest: str                  # the normalised guest path
    exists: bool
    synthetic: tuple | None = None
    dir_expected: bool = False  # the path ended in '/' (or '/.', '/..'): it must be a directory
    in_synthetic: bool = False  # the parent is a synthetic directory: nothing can be made there
    st: os.stat_result | None = None    # the walk's lstat of the host file it ended on
    via_synthetic: bool = False  # a synthetic node on the way (/proc/self/fd/N/...): the walk
                                 # holds only for this process, now


def guest_str(path) -> str:
    """A guest path as str: bytes decode with surrogateescape so every name round-trips."""
    if isinstance(path, (bytes, bytearray)):
        path = os.fsdecode(bytes(path))
    if "\0" in path:
        raise KernelError(errno.EINVAL)
    return path


RENAME_EXCHANGE = 2


def _rename_exchange(src_fd: int, src: str, dst_fd: int, dst: str) -> None:
    """renameat2(RENAME_EXCHANGE) on the host (Python's os has no renameat2)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.renameat2(src_fd, os.fsencode(src), dst_fd, os.fsencode(dst), RENAME_EXCHANGE):
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def fd_inode_path(fd: int) -> str:
    """The inode a host descriptor names, as a path the chmod and utime family follow to it:
    what an O_PATH descriptor (host_inode_fd) cannot be given directly (EBADF)."""
    return f"/proc/self/fd/{fd}"


def _lstat_seen(host: str, seen: dict | None) -> os.stat_result:
    """os.lstat, remembered in seen (the error too) so one walk asks the host once."""
    if seen is None:
        return os.lstat(host)
    found = seen.get(host)
    if found is None:
        try:
            found = seen[host] = os.lstat(host)
        except OSError as exc:
            found = seen[host] = exc
    if isinstance(found, OSError):
        raise found
    return found


CWD_STARTS = 256         # cwd walks remembered (_cwd_start)


class _HeldInode:
    """A host descriptor that holds a directory's inode (O_PATH): while it is open the inode
    cannot be freed, so its number is never another directory's."""

    def __init__(self, fd: int):
        self.fd = fd

    def __del__(self):
        try:
            os.close(self.fd)
        except Exception:      # (at interpreter exit os may be gone)
            pass


class DirRef(str):
    """A directory held by reference, as Linux holds a cwd (a struct path, not a name): the
    guest path it is known by, kept current across renames (renames.py), and its inode,
    held open. Once the directory is removed, or another takes its name by a rename, a
    walk from it finds no names (ENOENT, as in a deleted directory) instead of walking the
    path into whatever has the name now; `..` still leads to the parent."""

    held: _HeldInode           # (or an open Directory: anything whose .fd is the inode)
    ident: tuple

    def __new__(cls, path: str, held, ident: tuple):
        ref = super().__new__(cls, path)
        ref.held, ref.ident = held, ident
        return ref

    @classmethod
    def of_open(cls, path: str, opened, own: bool = False) -> "DirRef":
        """The directory an open host directory (opened.fd) is, known as path; own: hold a
        duplicate of its descriptor (a cwd outlives the descriptor fchdir was given)."""
        held = _HeldInode(os.dup(opened.fd)) if own else opened
        st = os.fstat(held.fd)
        return cls(path, held, (st.st_dev, st.st_ino))

    def moved(self, path: str) -> "DirRef":
        """The same directory under the name a rename gave it."""
        return DirRef(path, self.held, self.ident)

    def unlinked(self, now_named) -> bool:
        """d_unlinked: its name leads to no directory now, or to another inode (now_named:
        the (st_dev, st_ino) the path walks to, or None). The held inode cannot be freed, so
        no directory made later has its number."""
        return now_named != self.ident


def _components(path: str) -> list[str]:
    return [c for c in path.split("/") if c not in ("", ".")]


def _last_component(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def _guest(parts: list[str]) -> str:
    return "/" + "/".join(parts)


def _procfs_ctx(ctx):
    """procfs finds processes in ctx.kernel.procs; a bare ctx (exe, fds, and optionally pid and
    cwd) is taken as the one process of its machine."""
    if getattr(ctx, "kernel", None) is not None:
        return ctx
    pid = getattr(ctx, "pid", 1)
    proc = SimpleNamespace(pid=pid, exe=getattr(ctx, "exe", ""), cwd=getattr(ctx, "cwd", "/"),
                           fds=ctx.fds, alive=True)
    proc.kernel = SimpleNamespace(procs={pid: proc})
    return proc


class FileSystem:
    """One guest root. Every operation takes the caller's working directory (a normalised
    guest path: the cwd, or the directory a dirfd names) and a guest path; `ctx` is the
    calling process (pid, exe, cwd, fds, kernel), needed for /proc, or None."""

    def __init__(self, root):
        self.root = os.path.realpath(root)
        self.fifos: dict[tuple[int, int], Pipe] = {}   # named pipes by host (dev, inode)
        self.iattrs = InodeAttrs()     # owners, set-id bits and device nodes the guest set
        # Walks the C trap path may answer again (stat of a path: runtime/lookup_cache.py);
        # any change of names, mounts or attributes makes them stale.
        self.lookups = LookupCache()
        self.iattrs.on_change = self.lookups.invalidate
        self.etc_files: dict[str, bytes] = {}           # /etc/NAME made up if the root lacks it
        self.mounts = MountTable()     # tmpfs mounted over the root's directories
        self.resolve_flags = 0          # openat2's RESOLVE_* for the walk under way
        self.mounts.on_change = self.lookups.invalidate
        self.loops = loop.LoopDevices()   # /dev/loop-control and /dev/loopN
        # [0]: non-zero while every write to a file must be Python's (RLIMIT_FSIZE's short
        # writes and SIGXFSZ, the watchers below): else C writes straight to the host file
        # (csrc/files.c). Set for good once either appears; linux/resource.py sets it too.
        # [1]: the files with shared mappings (their page cache answers reads and takes
        # writes: files.py's shared_pages): while there are any, every file read and write
        # is Python's.
        self.file_rules = array("q", [0, 0])
        # Told of every change to the tree once someone watches (Linux's dnotify and inotify,
        # Windows' ReadDirectoryChangesW), by name: listener(events, host directory, the
        # changed directory itself or None, the changed entry's name). events: "create",
        # "delete", "modify", "attrib", and the uses "open", "close_write", "close_nowrite"
        # (the Linux personality's); "rename" (a move within the directory), "moved" (both
        # halves of a rename) and "isdir" (a directory deleted or moved) qualify them.
        self.change_listeners: dict = {}
        # Called with [(old guest path, new guest path)] after each rename: the kernel moves
        # the working directories and open files' names that were under it (they follow the
        # inode, as Linux's dentries do).
        self.rename_followers: list = []
        # Relative walks start from the cwd's last walk (_cwd_start) while no name changed.
        self._cwd_starts: dict[tuple, tuple] = {}   # (root, cwd) -> (generation, components,
                                                    # host path, (st_dev, st_ino))
        self.names_generation = 0
        # The directories held as working directories (DirRef), by (st_dev, st_ino): while
        # one is held its inode number cannot be reused, so holders of it share one.
        self._held_inodes: weakref.WeakValueDictionary = weakref.WeakValueDictionary()

    @property
    def on_change(self):
        """What reports a change to every listener; None while nobody listens."""
        return self._tell_listeners if self.change_listeners else None

    def listen_changes(self, name: str, listener) -> None:
        self.change_listeners[name] = listener
        self.file_rules[0] = 1

    def _tell_listeners(self, events, directory: str, itself=None, name: str = "") -> None:
        for listener in list(self.change_listeners.values()):
            listener(events, directory, itself, name)

    def close(self) -> None:
        self.mounts.close()
        self.loops.close()
        self.lookups.close()

    def _host(self, parts: list[str]) -> str:
        return self.mounts.host_path(self.root, parts)

    def mount_of(self, guest: str):
        """The mount a guest path is on (None: the root's file system)."""
        return self.mounts.covering(_components(guest))

    def _want_write(self, r: Resolved, parent: bool = False) -> None:
        """mnt_want_write: EROFS for a change on a read-only mount: the file's own, or for
        a name made, removed or renamed, its directory's (a mountpoint's name is the
        mounted-on file system's)."""
        check_readonly(self.mount_of(self._dir_of(r) if parent else r.guest))

    @staticmethod
    def _dir_of(r: Resolved) -> str:
        return r.guest.rsplit("/", 1)[0] or "/"

    def _same_mount(self, a: Resolved, b: Resolved, a_parent: bool = True) -> None:
        """rename (between directories) and link (a file to a directory) stay on one mount
        (EXDEV)."""
        if self.mount_of(self._dir_of(a) if a_parent else a.guest) is not \
                self.mount_of(self._dir_of(b)):
            raise KernelError(errno.EXDEV)

    def _changed(self, r: Resolved, *events: str, itself: bool = False) -> None:
        """Report a change of the name r (in its directory; with itself, also on r)."""
        if self.change_listeners:
            self._tell_listeners(events, os.path.dirname(r.host), r.host if itself else None,
                                 os.path.basename(r.host))

    def changed_path(self, guest: str, *events: str, ctx=None) -> None:
        """Report a change to the file a descriptor opened as guest (its data or its
        attributes), for the calls that act through a descriptor."""
        if self.on_change is None or not guest.startswith("/"):
            return
        try:
            r = self.resolve("/", guest, False, ctx)
        except KernelError:
            return
        self._changed(r, *events, itself="attrib" in events and os.path.isdir(r.host))

    def _not_mountpoint(self, r: Resolved) -> None:
        if self.mounts.at(_components(r.guest)) is not None:
            raise KernelError(errno.EBUSY)

    # --- synthetic nodes -------------------------------------------------------------------

    def _synthetic(self, parts: list[str], ctx, seen: dict | None = None) -> tuple | None:
        """The synthetic node at the resolved path `parts`, or None for a host path. seen:
        the host lstats this walk made (a fallback node looks at the host file first)."""
        if not parts:
            return None
        if parts[0] == "dev":
            if len(parts) == 2 and parts[1] in DEV_LINKS:
                return ("link", DEV_LINKS[parts[1]])
            if len(parts) >= 2 and parts[1] == "pts":
                from .tty.devices import devpts_node
                return devpts_node(parts[2:], ctx)
            if len(parts) == 2 and parts[1] in DEV_NAMES:
                return ("dev", parts[1])
            if parts[1:] == ["shm"] and not self._is_shared_dir(parts, seen):
                # POSIX shm objects (shm_open, sem_open) live in the root's /tmp, unless the
                # root has a /dev/shm everyone may write, as the 1777 tmpfs Linux mounts there
                return ("link", "/tmp")
            if len(parts) == 1 and not self._is_host_dir(["dev"], seen):
                return ("dir", dict(DEV_NAMES))
            return None
        if parts[0] == "etc" and len(parts) <= 2 and self.etc_files:
            return self._etc_node(parts, seen)
        if parts[0] == "sys":
            return self._sys_node(parts, seen)
        if parts[0][:1] in ("W", "w") and ctx is not None:
            personality = getattr(getattr(ctx, "sysvec", None), "personality", None)
            return None if personality is None else personality.synthetic_node(self, parts, ctx)
        if parts[0] != "proc" or ctx is None:
            return None
        view = _procfs_ctx(ctx)
        if view is not ctx and len(parts) > 1 and parts[1] not in ("self", str(view.pid)):
            return None     # a bare ctx has no machine-wide /proc files
        from .procfs import node
        return node(parts, view)

    def _etc_node(self, parts: list[str], seen: dict | None) -> tuple | None:
        """/etc/hosts, /etc/resolv.conf ... synthesised where the root has none."""
        if len(parts) == 1:
            return None if self._is_host_dir(parts, seen) else \
                ("dir", {name: DT_REG for name in self.etc_files})
        if parts[1] not in self.etc_files:
            return None
        try:
            _lstat_seen(self._host(parts), seen)
            return None
        except OSError:
            return ("file", self.etc_files[parts[1]])

    def _sys_node(self, parts: list[str], seen: dict | None) -> tuple | None:
        """/sys/devices/system/cpu where the root has no such path (runtime/sysfs.py)."""
        from .sysfs import node
        found = node(parts)
        if found is None:
            return None
        try:
            st = _lstat_seen(self._host(parts), seen)
        except OSError:
            return found
        # the root's own, unless it is the host's live sysfs (a root of /): that counts the
        # host's processors, where the machine has one (nproc and os.cpu_count disagreed)
        cpus = parts[1:4] == ["devices", "system", "cpu"]
        return found if cpus and st.st_dev == _host_sysfs_dev() else None

    def _is_shared_dir(self, parts: list[str], seen: dict | None = None) -> bool:
        """A host directory anyone may make files in (mode 1777, as /tmp)."""
        try:
            mode = _lstat_seen(self._host(parts), seen).st_mode
        except OSError:
            return False
        return S.S_ISDIR(mode) and mode & 0o1777 == 0o1777

    def _is_host_dir(self, parts: list[str], seen: dict | None = None) -> bool:
        try:
            return S.S_ISDIR(_lstat_seen(self._host(parts), seen).st_mode)
        except OSError:
            return False

    # --- permissions (runtime/perm.py) ---------------------------------------------------------

    def _view(self, host: str):
        """A host inode as the guest sees it: its owner and set-id bits from iattrs."""
        try:
            return self.iattrs.apply(os.lstat(host))
        except OSError as exc:
            raise KernelError(exc.errno or errno.ENOENT) from None

    def frozen(self, st, append_too: bool = True) -> None:
        """EPERM for a change to an immutable inode (or an append-only one, unless the
        change only appends): inode flags hold even for root."""
        flags = self.iattrs.iflags(st)
        if flags & FS_IMMUTABLE_FL or append_too and flags & FS_APPEND_FL:
            raise KernelError(errno.EPERM)

    def _may_create(self, r: Resolved, ctx) -> None:
        cred = perm.cred_of(ctx)
        self.frozen(self._view(os.path.dirname(r.host)), append_too=False)
        if not perm.unchecked(cred):
            perm.check(cred, self._view(os.path.dirname(r.host)), perm.MAY_WRITE | perm.MAY_EXEC)

    def _may_delete(self, r: Resolved, st, ctx) -> None:
        cred = perm.cred_of(ctx)
        directory = self._view(os.path.dirname(r.host))
        self.frozen(directory, append_too=False)
        if cred is not None:
            perm.check_delete(cred, directory, self.iattrs.apply(st))
        self.frozen(directory)      # an append-only directory keeps its names
        self.frozen(st)

    def _exact_mode(self, host: str, mode: int) -> None:
        """A new file's permission bits are the ones asked (the caller applied the guest's
        umask), whatever the host process's own umask took away."""
        fd = self.host_inode_fd(host)      # (a socket cannot be opened)
        try:
            os.chmod(fd_inode_path(fd), mode & 0o1777)
        finally:
            os.close(fd)

    def _own_new(self, host: str, ctx) -> None:
        """Give a file just made the creator's fs ids (root's need no entry)."""
        dir_st = self._view(os.path.dirname(host))
        uid, gid = perm.new_owner(perm.cred_of(ctx), dir_st)
        try:
            st = os.lstat(host)
        except OSError:
            return
        setgid = S.S_ISDIR(st.st_mode) and bool(dir_st.st_mode & S.S_ISGID)
        if (uid, gid) != (0, 0) or setgid:
            self.iattrs.own(st, uid, gid, setgid)

    def _fd_file(self, r: Resolved, ctx) -> OpenFile:
        """The description behind a /proc/<pid>/fd/<n> (or .../task/<tid>/fd/<n>) node."""
        *_, pid, _, n = r.guest.split("/")
        proc = _procfs_ctx(ctx).kernel.procs.get(int(pid))
        if proc is None:
            raise KernelError(errno.ENOENT)
        return proc.fds.get(int(n))

    # --- resolution ------------------------------------------------------------------------

    def list_names(self, cwd: str, path, ctx=None) -> list[str]:
        """The names in a directory (not . and ..), host and synthetic, as getdents sees it."""
        f = self.open(cwd, path, O_RDONLY | O_DIRECTORY, 0, ctx)
        try:
            return f.names()
        finally:
            f.decref()

    def resolve(self, cwd: str, path, follow: bool = True, ctx=None) -> Resolved:
        """Walk path inside the root. A missing final component is not an error (exists is
        False: the caller may create it); a missing directory on the way is ENOENT."""
        path = guest_str(path)
        if not path:
            raise KernelError(errno.ENOENT)
        if len(os.fsencode(path)) >= PATH_MAX:
            raise KernelError(errno.ENAMETOOLONG)
        dir_expected = path.endswith("/") or _last_component(path) in (".", "..")
        # The caller's root directory (chroot): absolute paths and absolute symlinks start
        # there and `..` stops there; a cwd left outside it by chroot still works, as on Linux.
        top = _components(getattr(ctx, "root", "/"))
        if self.resolve_flags & (RESOLVE_BENEATH | RESOLVE_IN_ROOT):
            return self._walk_below(cwd, path, top, follow, dir_expected, ctx)
        if path.startswith("/"):
            todo = deque(_components(path))
            stack, made_up = list(top), [False] * len(top)
        else:
            held = cwd if isinstance(cwd, DirRef) else None
            cwd = str(guest_str(cwd))    # (a plain str: the walk cache must not hold the inode)
            start = self._cwd_start(cwd, top, ctx)
            if held is not None and held.unlinked(start[2] if start is not None else None):
                # a removed directory has no names; its parent stays where it was
                todo = deque(_components(path))
                if not todo or todo[0] != "..":
                    raise KernelError(errno.ENOENT)
                names = _components(cwd)
                start = (names, [False] * len(names), None)
            if start is not None:
                todo, (stack, made_up) = deque(_components(path)), start[:2]
            else:
                todo = deque(_components(f"{cwd}/{path}"))
                stack, made_up = [], []     # resolved components below the root, synthetic?
        return self._walk(todo, stack, made_up, top, follow, dir_expected, ctx)

    def _walk_below(self, cwd, path: str, top: list[str], follow: bool, dir_expected: bool,
                    ctx) -> Resolved:
        """openat2's RESOLVE_BENEATH and RESOLVE_IN_ROOT: the walk starts at cwd (the dirfd's
        directory), which is its root: IN_ROOT's absolute paths and links start there and
        `..` stops there; BENEATH refuses all three with EXDEV."""
        if path.startswith("/") and self.resolve_flags & RESOLVE_BENEATH:
            raise KernelError(errno.EXDEV)
        start = self._cwd_start(str(guest_str(cwd)), top, ctx)
        names = list(start[0]) if start is not None else _components(str(guest_str(cwd)))
        return self._walk(deque(_components(path)), list(names), [False] * len(names),
                          list(names), follow, dir_expected, ctx)

    def _cwd_start(self, cwd: str, top: list[str], ctx):
        """Where a relative walk starts: the components of the directory cwd names, from a
        walk of it made since the tree's names last changed (as Linux starts at the cwd's
        dentry instead of walking its path again: that made each relative lookup cost the
        cwd's depth, and a deep tree's walk quadratic). None when cwd is not a directory of
        the host tree (a synthetic one, or gone): the caller walks it with the path."""
        generation = (self.names_generation, self.mounts.generation)
        root = tuple(top)          # where `..` stops and absolute links lead: the caller's
        cached = self._current_start(root, cwd, generation)
        if cached is None:
            # Walk from the nearest directory above cwd that has a current start (chdir
            # into a subdirectory walks one name), else from the root.
            names, above = _components(cwd), None
            for depth in range(len(names) - 1, 0, -1):
                found = self._current_start(root, _guest(names[:depth]), generation)
                if found is not None:
                    above = (list(found[1]), depth)
                    break
            start, rest = (above[0], names[above[1]:]) if above else ([], names)
            resolve, self.resolve_flags = self.resolve_flags, 0   # (openat2's restrict the
            try:                                                 # path, not its start)
                r = self._walk(deque(rest), start, [False] * len(start), top, True, True, ctx)
            except KernelError:
                return None
            finally:
                self.resolve_flags = resolve
            if not r.exists or r.synthetic is not None or r.in_synthetic:
                return None
            try:
                st = r.st if r.st is not None else os.stat(r.host)
            except OSError:
                return None
            if len(self._cwd_starts) >= CWD_STARTS:
                self._cwd_starts.clear()
            cached = self._cwd_starts[root, cwd] = (generation, tuple(_components(r.guest)),
                                                     r.host, (st.st_dev, st.st_ino))
        return list(cached[1]), [False] * len(cached[1]), cached[3]

    def held_gone(self, ref, ctx=None) -> bool:
        """Whether a directory held by reference (DirRef) was removed or replaced since it
        was taken (getcwd's ENOENT); False for a plain path."""
        if not isinstance(ref, DirRef):
            return False
        start = self._cwd_start(str(ref), _components(getattr(ctx, "root", "/")), ctx)
        return ref.unlinked(start[2] if start is not None else None)

    def hold_dir(self, guest: str, ctx=None) -> str:
        """The directory guest (a normalised path, as chdir_target gives) held by reference:
        a DirRef for a host directory other than the root, else the path itself."""
        if isinstance(guest, DirRef) or guest == "/":
            return guest
        try:
            r = self.resolve(guest, ".", True, ctx)
            if not r.exists or r.synthetic is not None or r.in_synthetic:
                return guest
            fd = self.host_inode_fd(r.host)
        except KernelError:
            return guest
        st = os.fstat(fd)
        ident = (st.st_dev, st.st_ino)
        held = self._held_inodes.get(ident)     # one descriptor for every holder of it
        if held is None:
            held = self._held_inodes[ident] = _HeldInode(fd)
        else:
            os.close(fd)
        return DirRef(guest, held, ident)

    def _current_start(self, root: tuple, cwd: str, generation) -> tuple | None:
        """The remembered walk of cwd, if no name changed since and its directory is still
        the one the host path reaches (a second machine on the same root, or the host, may
        have swapped a directory on the way for a symlink the host would follow)."""
        cached = self._cwd_starts.get((root, cwd))
        if cached is None or cached[0] != generation:
            return None
        try:
            st = os.stat(cached[2])
        except OSError:
            return None
        return cached if (st.st_dev, st.st_ino) == cached[3] else None

    def _names_changed(self) -> None:
        """A name was removed, renamed or made a symbolic link: walks cached from before may
        lead elsewhere now."""
        self.names_generation += 1
        self.lookups.invalidate()

    def _walk(self, todo: deque, stack: list, made_up: list, top: list, follow: bool,
              dir_expected: bool, ctx) -> Resolved:
        """resolve's walk of the components in todo from stack (made_up: which of its
        components are synthetic)."""
        links = 0
        via_synthetic = False
        seen: dict = {}     # host path -> its lstat (or the error), made once per walk
        cred = perm.cred_of(ctx)
        checking = not perm.unchecked(cred)
        resolve = self.resolve_flags
        while todo:
            comp = todo.popleft()
            if comp == "..":
                if stack and stack != top:
                    if resolve & RESOLVE_NO_XDEV and self.mounts.covering(stack) is not \
                            self.mounts.covering(stack[:-1]):
                        raise KernelError(errno.EXDEV)
                    stack.pop()
                    made_up.pop()
                elif resolve & RESOLVE_BENEATH:
                    raise KernelError(errno.EXDEV)
                continue
            if len(os.fsencode(comp)) > NAME_MAX:
                raise KernelError(errno.ENAMETOOLONG)
            final = not todo
            parts = stack + [comp]
            if resolve & RESOLVE_NO_XDEV and self.mounts.covering(parts) is not \
                    self.mounts.covering(stack):
                raise KernelError(errno.EXDEV)
            node = self._synthetic(parts, ctx, seen)
            if node is not None:
                via_synthetic = True
                target = self._synthetic_target(node, final, follow or dir_expected)
                if target is None:
                    if not final and node[0] != "dir":
                        raise KernelError(errno.ENOTDIR)
                    stack.append(comp)
                    made_up.append(True)
                    if final:
                        if dir_expected and node[0] not in ("dir", "fd"):
                            raise KernelError(errno.ENOTDIR)
                        return Resolved(self._host(stack), _guest(stack), True, node, dir_expected)
                    continue
            elif made_up and made_up[-1]:
                if final:       # no such name in a synthetic directory
                    return Resolved(self._host(parts), _guest(parts), False, None, dir_expected,
                                    in_synthetic=True)
                raise KernelError(errno.ENOENT)
            else:
                if checking:       # looking a name up needs search permission on its directory
                    perm.check(cred, self._view(self._host(stack)), perm.MAY_EXEC)
                host = self._host(parts)
                try:
                    st = _lstat_seen(host, seen)
                except FileNotFoundError:
                    if final:
                        return Resolved(host, _guest(parts), False, None, dir_expected)
                    raise KernelError(errno.ENOENT) from None
                except OSError as exc:
                    raise KernelError(exc.errno or errno.EACCES) from None
                if S.S_ISLNK(st.st_mode) and (not final or follow or dir_expected):
                    target = self._readlink_host(host)
                else:
                    if not S.S_ISDIR(st.st_mode) and (not final or dir_expected):
                        raise KernelError(errno.ENOTDIR)
                    stack.append(comp)
                    made_up.append(False)
                    if final:
                        return Resolved(host, _guest(stack), True, None, dir_expected, st=st,
                                        via_synthetic=via_synthetic)
                    continue
            if resolve & RESOLVE_NO_SYMLINKS or (resolve & RESOLVE_NO_MAGICLINKS and
                                                 node is not None and node[0] == "fd"):
                raise KernelError(errno.ELOOP)
            links += 1
            if links > MAX_SYMLINKS:
                raise KernelError(errno.ELOOP)
            if not target:
                raise KernelError(errno.ENOENT)
            if target.startswith("/"):
                if resolve & RESOLVE_BENEATH:
                    raise KernelError(errno.EXDEV)
                stack, made_up = list(top), [False] * len(top)
            todo.extendleft(reversed(_components(target)))
        # Ended on the root, a `..`, or a symlink to a directory: all of stack was checked.
        node = self._synthetic(stack, ctx) if made_up and made_up[-1] else None
        return Resolved(self._host(stack), _guest(stack), True, node, dir_expected)

    @staticmethod
    def _synthetic_target(node: tuple, final: bool, follow: bool) -> str | None:
        """Where a synthetic link leads, or None to stop at the node itself. An fd link is
        followed by its path when it has one (a file or directory); pipes and host stdio
        have none, so opening /proc/self/fd/N shares their description."""
        if final and not follow:
            return None
        if node[0] == "link":
            return node[1]
        if node[0] == "fd":
            if node[2].startswith("/"):
                return node[2]
            if not final:
                raise KernelError(errno.ENOTDIR)
        return None

    @staticmethod
    def _readlink_host(host: str) -> str:
        try:
            return os.readlink(host)
        except OSError as exc:
            raise KernelError(exc.errno or errno.EIO) from None

    # --- stat ------------------------------------------------------------------------------

    def _stat_resolved(self, r: Resolved, ctx, follow: bool = True):
        if r.synthetic is None:
            if not r.exists:
                raise KernelError(errno.ENOENT)
            if r.st is not None:
                return r.st
            try:
                return os.lstat(r.host)
            except OSError as exc:
                raise KernelError(exc.errno or errno.ENOENT) from None
        kind = r.synthetic[0]
        if kind == "fd" and follow:
            return self._fd_file(r, ctx).fstat()
        if kind == "dev":
            if r.synthetic[1].startswith("pts/"):
                from .tty.pty import ptys, slave_stat
                index = int(r.synthetic[1][4:])
                kernel = getattr(ctx, "kernel", None)
                pty = ptys(kernel).get(index) if kernel is not None else None
                return slave_stat(index, pty.owner) if pty is not None else slave_stat(index)
            if r.synthetic[1] in DEVICE_NUMBERS:
                return device_stat(DEVICE_NUMBERS[r.synthetic[1]])
            devtype, rdev = loop.device_number(r.synthetic[1])
            return synthetic_stat(devtype | 0o660, rdev, ino=rdev)
        st = self._node_stat(r, ctx, kind)
        st.st_dev = self._pseudo_dev(r.guest)
        if r.guest.startswith("/proc/"):
            from .procfs import owned_stat
            st = owned_stat(r.guest, getattr(ctx, "kernel", None), st)
        return st

    def _pseudo_dev(self, guest: str) -> int:
        """st_dev of a synthetic node: the pseudo file system /proc/mounts lists it on."""
        from .procfs import pseudo_dev
        return pseudo_dev(self, guest)

    def _on_pseudo_fs(self, f: OpenFile, guest: str) -> OpenFile:
        """An open synthetic node's fstat reports the st_dev stat of its path does (fts,
        as find and du use it, compares the two)."""
        dev = self._pseudo_dev(guest)
        if dev != SYNTHETIC_DEV:
            plain = f.fstat

            def fstat():
                st = plain()
                st.st_dev = dev
                return st
            f.fstat = fstat
        return f

    def _node_stat(self, r: Resolved, ctx, kind: str):
        """stat of a synthetic node that is no device: a link, directory or file."""
        ino = synthetic_ino(r.guest)
        if kind == "link":      # procfs's links (exe, cwd, root, self) have no size; /dev's do
            size = 0 if r.guest.startswith("/proc/") else len(r.synthetic[1])
            return synthetic_stat(S.S_IFLNK | 0o777, ino=ino, size=size)
        if kind == "fd":        # proc_fd_link: r-x for reading, -wx for writing, the owner's
            access = self._fd_file(r, ctx).status_flags & O_ACCMODE
            mode = (0o500 if access != os.O_WRONLY else 0) | (0o300 if access != O_RDONLY else 0)
            return synthetic_stat(S.S_IFLNK | mode, ino=ino, size=64)    # as proc_fd_link's
        if kind == "dir":
            return synthetic_stat(S.S_IFDIR | 0o555, ino=ino)
        if kind == "special":       # a file read on demand (/proc/PID/pagemap): root's
            return synthetic_stat(S.S_IFREG | 0o400, ino=ino)
        if kind == "program":       # a program the runtime provides (Windows' cmd.exe)
            return synthetic_stat(S.S_IFREG | 0o555, ino=ino, size=len(r.synthetic[1]))
        mode = 0o644 if len(r.synthetic) > 2 else 0o444      # tunables are root-writable
        return synthetic_stat(S.S_IFREG | mode, ino=ino, size=len(r.synthetic[1]))

    def stat(self, cwd: str, path, follow: bool = True, ctx=None, remember: int = 0):
        """stat (follow) or lstat: an os.stat_result, or a namespace with the same fields.
        remember: the caller's lookup context, for path as the guest gave it (relative to
        cwd, the caller's working directory): the C trap path may answer it next time."""
        r = self.resolve(cwd, path, follow, ctx)
        st = self._stat_resolved(r, ctx, follow)
        if remember:
            self.lookups.remember(remember, path, follow, r)
        return st

    def lstat(self, cwd: str, path, ctx=None):
        return self.stat(cwd, path, False, ctx)

    def access(self, cwd: str, path, mode: int, ctx=None, cred=None) -> None:
        """access(2): existence, then the mode bits against cred (access's real ids; the
        caller's own credentials when None)."""
        if mode & ~(R_OK | W_OK | X_OK):
            raise KernelError(errno.EINVAL)
        r = self.resolve(cwd, path, True, ctx)
        st = self._stat_resolved(r, ctx, True)
        if mode & W_OK and (S.S_ISREG(st.st_mode) or S.S_ISDIR(st.st_mode)):
            self._want_write(r)         # sb_permission: a read-only mount, before the bits
        if mode:
            perm.check(cred if cred is not None else perm.cred_of(ctx),
                       self.iattrs.apply(st), mode)

    def readlink(self, cwd: str, path, ctx=None) -> str:
        r = self.resolve(cwd, path, False, ctx)
        if r.synthetic is not None:
            if r.guest.startswith("/proc/"):
                from .procfs import check_inspect
                check_inspect(r.guest, ctx)  # another user's cwd, root, exe, fd links
            if r.synthetic[0] == "link":
                return r.synthetic[1]
            if r.synthetic[0] == "fd":
                return r.synthetic[2]
            raise KernelError(errno.EINVAL)
        if not r.exists:
            raise KernelError(errno.ENOENT)
        if not S.S_ISLNK(self._stat_resolved(r, ctx).st_mode):
            raise KernelError(errno.EINVAL)
        return self._readlink_host(r.host)

    def statfs(self, cwd: str, path, ctx=None):
        """(the host's statvfs of the file system holding path, its Mount or None for the
        root's, the resolved guest path)."""
        r = self.resolve(cwd, path, True, ctx)
        self._stat_resolved(r, ctx, True)
        m = None if r.synthetic is not None else self.mount_of(r.guest)
        return os.statvfs(m.host if m is not None else self.root), m, r.guest

    # --- open ------------------------------------------------------------------------------

    def open(self, cwd: str, path, flags: int, mode: int = 0o666, ctx=None) -> OpenFile:
        """open(2). The caller applies the umask and keeps O_CLOEXEC as a descriptor flag."""
        if flags & O_PATH:
            return self._open_path(cwd, path, flags, ctx)
        if flags & O_TMPFILE == O_TMPFILE:
            return self._open_tmpfile(cwd, path, flags, mode, ctx)
        creat, excl = flags & O_CREAT, flags & O_EXCL
        follow = not (flags & O_NOFOLLOW or (creat and excl))
        r = self.resolve(cwd, path, bool(follow), ctx)
        if r.synthetic is not None:
            return self._open_synthetic(r, flags, ctx)
        access = flags & O_ACCMODE
        if r.exists:
            if creat and excl:
                raise KernelError(errno.EEXIST)
            st = self._stat_resolved(r, ctx)
            if S.S_ISLNK(st.st_mode):
                raise KernelError(errno.ELOOP)
            if S.S_ISREG(st.st_mode) and (access != O_RDONLY or flags & O_TRUNC):
                self._want_write(r)
                self.frozen(st, append_too=False)
            if not S.S_ISDIR(st.st_mode) or access == O_RDONLY and not creat:
                want = {O_RDONLY: perm.MAY_READ, os.O_WRONLY: perm.MAY_WRITE}.get(
                    access, perm.MAY_READ | perm.MAY_WRITE)
                if flags & O_TRUNC:
                    want |= perm.MAY_WRITE
                cred = perm.cred_of(ctx)
                perm.check(cred, self.iattrs.apply(st), want)
                if self.iattrs.iflags(st) & FS_APPEND_FL and (
                        access != O_RDONLY and not flags & O_APPEND or flags & O_TRUNC):
                    raise KernelError(errno.EPERM)      # append-only: O_APPEND writes only
                if flags & O_NOATIME and not perm.owner_or_capable(cred, self.iattrs.apply(st)):
                    raise KernelError(errno.EPERM)
            if S.S_ISDIR(st.st_mode):
                if access != O_RDONLY or creat:
                    raise KernelError(errno.EISDIR)
                extra = self._dev_entries() if r.guest == "/dev" else \
                    self._root_entries() if r.guest == "/" else None
                return Directory(r.host, r.guest, extra)
            if flags & O_DIRECTORY:
                raise KernelError(errno.ENOTDIR)
            node = self.iattrs.device(st)
            if node is not None:
                return self._open_node(*node, access, flags, ctx)
            if S.S_ISFIFO(st.st_mode):
                return self._open_fifo(r, st, flags)
            if not S.S_ISREG(st.st_mode):
                raise KernelError(errno.EACCES)  # host devices and sockets stay out of reach
        elif not creat:
            raise KernelError(errno.ENOENT)
        elif r.in_synthetic:
            raise KernelError(errno.EACCES)
        elif flags & O_DIRECTORY:
            raise KernelError(errno.EINVAL)
        elif r.dir_expected:
            raise KernelError(errno.EISDIR)
        else:
            self._want_write(r, parent=True)
            self._may_create(r, ctx)
        host_flags = access | (flags & O_TRUNC) | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NOCTTY
        if creat:
            host_flags |= os.O_CREAT | (os.O_EXCL if excl else 0)
        try:
            fd = self._open_beneath(r.host, host_flags | self._noatime(r, flags), mode & 0o1777)
        except OSError as exc:
            raise KernelError(exc.errno or errno.EACCES) from None
        if not r.exists:
            os.fchmod(fd, mode & 0o1777)       # the host's umask is not the guest's
            self._own_new(r.host, ctx)
            self._changed(r, "create")
        return HostFile(fd, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), r.guest)

    def _noatime(self, r: Resolved, flags: int) -> int:
        """O_NOATIME (allowed by the guest's check above) on the host too, so reads leave
        the access time alone; only where the host lets this process (it owns the file)."""
        if not flags & O_NOATIME or not r.exists:
            return 0
        try:
            return os.O_NOATIME if os.lstat(r.host).st_uid == os.geteuid() or \
                os.geteuid() == 0 else 0
        except OSError:
            return 0

    def _open_tmpfile(self, cwd: str, path, flags: int, mode: int, ctx) -> OpenFile:
        """O_TMPFILE: an unnamed regular file in the directory path names, which linkat may
        give a name later (unless O_EXCL)."""
        if flags & O_ACCMODE == O_RDONLY:
            raise KernelError(errno.EINVAL)
        r = self.resolve(cwd, path, True, ctx)
        st = self._stat_resolved(r, ctx)
        if not S.S_ISDIR(st.st_mode):
            raise KernelError(errno.ENOTDIR)
        if r.synthetic is not None:
            raise KernelError(errno.EOPNOTSUPP)
        self._want_write(r)
        perm.check(perm.cred_of(ctx), self.iattrs.apply(st), perm.MAY_WRITE | perm.MAY_EXEC)
        dirfd = self.open_host_fd(r.host, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fd = self._host_call(os.open, ".", os.O_TMPFILE | (flags & O_ACCMODE) |
                                 os.O_CLOEXEC, 0o600, dir_fd=dirfd)
        finally:
            os.close(dirfd)
        os.fchmod(fd, mode & 0o1777)
        new = os.fstat(fd)
        self.iattrs.chmod(new, mode)          # set-id bits: the guest's view only
        uid, gid = perm.new_owner(perm.cred_of(ctx), self.iattrs.apply(st))
        if (uid, gid) != (0, 0):
            self.iattrs.own(new, uid, gid)
        f = HostFile(fd, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK),
                     f"{r.guest.rstrip('/')}/#{os.fstat(fd).st_ino} (deleted)")
        f.linkable = not flags & O_EXCL
        return f

    def link_file(self, f: OpenFile, cwd: str, new, ctx=None) -> None:
        """linkat(fd, "", ..., AT_EMPTY_PATH) or of /proc/self/fd/N with AT_SYMLINK_FOLLOW:
        a name for the file a descriptor holds (an O_TMPFILE file among them)."""
        if not isinstance(f, HostFile) or not getattr(f, "linkable", True):
            raise KernelError(errno.ENOENT)
        b = self.resolve(cwd, new, False, ctx)
        if b.synthetic is not None or b.in_synthetic:
            raise KernelError(errno.EXDEV if not b.exists else errno.EEXIST)
        self._creatable(b)
        self._want_write(b, parent=True)
        self._may_create(b, ctx)
        dst_fd, dst = self._parent_beneath(b.host)
        try:
            # The host's own /proc/self/fd link of our descriptor: it names no path.
            self._host_call(os.link, f"/proc/self/fd/{f.fd}", dst, dst_dir_fd=dst_fd,
                            follow_symlinks=True)
        finally:
            os.close(dst_fd)
        f.guest_path = b.guest

    def _parent_beneath(self, host: str) -> tuple[int, str]:
        """The directory holding a resolved host path, opened component by component from
        the root with O_NOFOLLOW, and the last name: *at() calls on them cannot be led
        outside the root by a directory swapped for a symlink after resolve checked it."""
        base = self.mounts.base_of(host) or self.root   # a mount's scratch directory
        parts = os.path.relpath(host, base).split(os.sep)
        if parts == ["."] or ".." in parts:
            raise KernelError(errno.EACCES)
        dirfd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            for comp in parts[:-1]:
                nxt = os.open(comp, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                              dir_fd=dirfd)
                os.close(dirfd)
                dirfd = nxt
        except OSError as exc:
            os.close(dirfd)
            raise KernelError(exc.errno or errno.EIO) from None
        return dirfd, parts[-1]

    def _at(self, fn, host: str, *args, **kw):
        """fn(name, *args, dir_fd=parent, **kw) on a resolved host path, race-free."""
        dirfd, name = self._parent_beneath(host)
        try:
            return fn(name, *args, dir_fd=dirfd, **kw)
        except OSError as exc:
            raise KernelError(exc.errno or errno.EIO) from None
        finally:
            os.close(dirfd)

    def _open_beneath(self, host: str, flags: int, mode: int = 0) -> int:
        """Open a resolved host path without following a symlink anywhere on the way."""
        dirfd, name = self._parent_beneath(host)
        try:
            return os.open(name, flags | os.O_NOFOLLOW, mode, dir_fd=dirfd)
        finally:
            os.close(dirfd)

    def open_host_fd(self, host: str, flags: int = os.O_RDONLY) -> int:
        """A host descriptor for a resolved path, reached race-free (as _open_beneath), that
        never blocks (FIFOs) nor becomes a terminal: for calls that act on the file itself."""
        return self._host_call(self._open_beneath, host,
                               flags | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)

    def host_inode_fd(self, host: str) -> int:
        """An O_PATH descriptor for a resolved path, reached race-free (as _open_beneath): it
        names the inode whatever its type (a socket cannot be opened: ENXIO), for calls that
        change the inode itself (chmod, utimes) through fd_inode_path."""
        return self._host_call(self._open_beneath, host, os.O_PATH | os.O_CLOEXEC)

    def _open_fifo(self, r: Resolved, st, flags: int) -> OpenFile:
        """A named pipe is a pipe of the machine's own, found by the FIFO's inode: it is never
        opened on the host (a host open would block the whole machine). The caller waits for
        the other end (see linux/fs.py do_open)."""
        key = (st.st_dev, st.st_ino)
        pipe = self.fifos.get(key)
        if pipe is None or (pipe.readers == 0 and pipe.writers == 0):
            pipe = self.fifos[key] = Pipe(65536)   # data does not outlive the last opener
        access = flags & O_ACCMODE
        if access == O_RDONLY:
            end = PipeReadEnd(pipe)
        elif access == os.O_WRONLY:
            if flags & os.O_NONBLOCK and pipe.readers == 0:
                raise KernelError(errno.ENXIO)
            end = PipeWriteEnd(pipe)
        else:
            end = PipeRdWrEnd(pipe)
        end.status_flags |= flags & os.O_NONBLOCK
        end.guest_path, end.fifo = r.guest, True
        end.inode_fd = self.host_inode_fd(r.host)
        return end

    def mkfifo(self, cwd: str, path, mode: int = 0o666, ctx=None) -> None:
        r = self.resolve(cwd, path, False, ctx)
        self._creatable(r)
        self._want_write(r, parent=True)
        self._may_create(r, ctx)
        self._at(os.mkfifo, r.host, mode & 0o1777)
        self._exact_mode(r.host, mode)
        self._own_new(r.host, ctx)
        self._changed(r, "create")

    def mksock(self, cwd: str, path, mode: int = 0o777, ctx=None,
               exists_errno: int = errno.EADDRINUSE) -> os.stat_result:
        """The inode a unix socket is bound to: a socket node in the root (mknod S_IFSOCK,
        no host socket listens on it; bind's EADDRINUSE where mknod says EEXIST). Returns
        its stat, whose (dev, ino) names the binding."""
        r = self.resolve(cwd, path, False, ctx)
        if r.exists:
            raise KernelError(exists_errno)
        self._creatable(r)
        self._want_write(r, parent=True)
        self._may_create(r, ctx)
        self._at(os.mknod, r.host, S.S_IFSOCK | (mode & 0o777))
        self._exact_mode(r.host, mode & 0o777)
        self._own_new(r.host, ctx)
        self._changed(r, "create")
        return os.lstat(r.host)

    def _open_synthetic(self, r: Resolved, flags: int, ctx) -> OpenFile:
        kind, access = r.synthetic[0], flags & O_ACCMODE
        if r.guest.startswith("/proc/"):
            from .procfs import check_inspect
            check_inspect(r.guest, ctx)      # another user's environ, maps, fd: EACCES
        if flags & O_CREAT and flags & O_EXCL:
            raise KernelError(errno.EEXIST)
        if kind in ("link", "fd") and flags & O_NOFOLLOW:
            raise KernelError(errno.ELOOP)
        if kind == "fd":
            f = self._fd_file(r, ctx)
            if flags & O_DIRECTORY and f.kind != "dir":
                raise KernelError(errno.ENOTDIR)
            again = f.reopened(flags) if isinstance(f, HostStdio) else None
            return again if again is not None else f.incref()
        if kind == "dir":
            if access != O_RDONLY or flags & O_CREAT:
                raise KernelError(errno.EISDIR)
            return self._on_pseudo_fs(SyntheticDirectory(r.guest, r.synthetic[1]), r.guest)
        if flags & O_DIRECTORY:
            raise KernelError(errno.ENOTDIR)
        if kind == "dev":
            return self._open_device(r.synthetic[1], access, flags, ctx)
        if kind == "special":
            f = r.synthetic[1](r.guest)
            if access != O_RDONLY:
                if not getattr(f, "writable", False):     # (/proc/PID/mem is)
                    raise KernelError(errno.EACCES)
                f.status_flags = f.status_flags & ~O_ACCMODE | access
            return self._on_pseudo_fs(f, r.guest)
        if kind == "program":
            if access != O_RDONLY:
                raise KernelError(errno.EACCES)
            return ProgramBytes(r.synthetic[1], r.guest)
        if kind == "file":
            if access != O_RDONLY and len(r.synthetic) > 2:    # a tunable: root writes it
                owner = r.synthetic[3] if len(r.synthetic) > 3 else None    # a process's
                cred, owner_cred = perm.cred_of(ctx), perm.cred_of(owner)
                owner_uid = owner_cred.euid if owner_cred is not None else 0
                if cred is not None and cred.fsuid != owner_uid and \
                        not cred.capable(perm.CAP_DAC_OVERRIDE):
                    raise KernelError(errno.EACCES)
                return self._on_pseudo_fs(TunableFile(r.synthetic[2], access, r.guest,
                                      writer=ctx if owner is not None else None), r.guest)
            if access != O_RDONLY:
                raise KernelError(errno.EACCES)
            return self._on_pseudo_fs(BytesFile(r.synthetic[1], r.guest), r.guest)
        raise KernelError(errno.ELOOP)     # a synthetic link not followed

    def _open_device(self, name: str, access: int, flags: int = 0, ctx=None) -> OpenFile:
        if name in TERMINAL_DEVICES or name.startswith("pts/"):
            from .tty.devices import open_terminal
            return open_terminal(name, flags, ctx)
        if name not in DEVICES:
            return self.loops.open(name, access)
        return DEVICES[name](access)

    def _open_node(self, devtype: int, rdev: int, access: int, flags: int = 0,
                   ctx=None) -> OpenFile:
        """A device node mknod made: the machine's own character device of that number, else
        ENXIO, as Linux answers for a number no driver has."""
        for name, number in DEVICE_NUMBERS.items():
            if devtype == S.S_IFCHR and number == rdev:
                return self._open_device(name, access, flags, ctx)
        raise KernelError(errno.ENXIO)

    def _open_path(self, cwd: str, path, flags: int, ctx) -> OpenFile:
        """O_PATH: a descriptor that only names the file (a dirfd, fstat, fchdir)."""
        r = self.resolve(cwd, path, not flags & O_NOFOLLOW, ctx)
        st = self._stat_resolved(r, ctx, not flags & O_NOFOLLOW)
        if flags & O_DIRECTORY and not S.S_ISDIR(st.st_mode):
            raise KernelError(errno.ENOTDIR)
        return PathFile(None if r.synthetic is not None else r.host, r.guest, st)

    def _root_entries(self) -> dict:
        """/dev and /proc exist in every root (synthesised): list them like the others."""
        return {b"dev": (synthetic_ino("/dev"), 4), b"proc": (synthetic_ino("/proc"), 4)}

    def _dev_entries(self) -> dict:
        """The device names added to the listing of a host /dev."""
        return {os.fsencode(n): (DEVICE_NUMBERS.get(n, 0x10000 + i), t)
                for i, (n, t) in enumerate(DEV_NAMES.items())}

    # --- changing the tree -----------------------------------------------------------------

    def _creatable(self, r: Resolved) -> None:
        """A new name may be made at r: it is missing and its directory is a host one."""
        if r.exists:
            raise KernelError(errno.EEXIST)
        if r.in_synthetic:
            raise KernelError(errno.EACCES)

    def _existing_host(self, r: Resolved, synthetic_errno: int) -> os.stat_result:
        if not r.exists:
            raise KernelError(errno.ENOENT)
        if r.synthetic is not None:
            raise KernelError(synthetic_errno)
        return self._stat_resolved(r, None, False)

    @staticmethod
    def _host_call(fn, *args, **kw):
        try:
            return fn(*args, **kw)
        except OSError as exc:
            raise KernelError(exc.errno or errno.EIO) from None

    def mkdir(self, cwd: str, path, mode: int = 0o777, ctx=None) -> None:
        r = self.resolve(cwd, path, False, ctx)
        self._creatable(r)
        self._want_write(r, parent=True)
        self._may_create(r, ctx)
        self._at(os.mkdir, r.host, mode & 0o1777)
        self._exact_mode(r.host, mode)
        self._own_new(r.host, ctx)
        self._changed(r, "create")

    def unlink(self, cwd: str, path, ctx=None) -> None:
        r = self.resolve(cwd, path, False, ctx)
        if r.synthetic is None:
            self._want_write(r, parent=True)
        st = self._existing_host(r, errno.EACCES)
        if S.S_ISDIR(st.st_mode):
            raise KernelError(errno.EISDIR)
        self._may_delete(r, st, ctx)
        self._at(os.unlink, r.host)
        self._names_changed()            # (a symlink on a remembered cwd's way may be gone)
        self.iattrs.unlinked(st)
        self._changed(r, "delete")

    def rmdir(self, cwd: str, path, ctx=None) -> None:
        last = _last_component(guest_str(path))
        if last == ".":
            raise KernelError(errno.EINVAL)
        if last == "..":
            raise KernelError(errno.ENOTEMPTY)
        r = self.resolve(cwd, path, False, ctx)
        if r.synthetic is None:
            self._want_write(r, parent=True)
        if r.exists and r.guest == "/":
            raise KernelError(errno.EBUSY)
        self._not_mountpoint(r)
        st = self._existing_host(r, errno.EBUSY)
        if not S.S_ISDIR(st.st_mode):
            raise KernelError(errno.ENOTDIR)
        self._may_delete(r, st, ctx)
        self._at(os.rmdir, r.host)
        self._names_changed()
        self.iattrs.unlinked(st)
        self._changed(r, "delete", "isdir")

    def rename(self, cwd: str, old, cwd2: str, new, ctx=None, exchange: bool = False) -> None:
        """rename(2) within the root; neither name's final symlink is followed. exchange:
        renameat2's RENAME_EXCHANGE, the two names swap their files (both must exist)."""
        if _last_component(guest_str(old)) in (".", "..") or \
                _last_component(guest_str(new)) in (".", ".."):
            raise KernelError(errno.EBUSY)
        a = self.resolve(cwd, old, False, ctx)
        b = self.resolve(cwd2, new, False, ctx)
        if a.exists and a.synthetic is None and (b.synthetic is not None or b.in_synthetic):
            raise KernelError(errno.EXDEV)
        if a.synthetic is None and b.synthetic is None:
            self._same_mount(a, b)
            self._want_write(a, parent=True)
        st = self._existing_host(a, errno.EXDEV)
        if a.guest == "/" or b.guest == "/":
            raise KernelError(errno.EBUSY)
        self._not_mountpoint(a)
        self._not_mountpoint(b)
        if exchange and (not b.exists or b.synthetic is not None):
            raise KernelError(errno.ENOENT if not b.exists else errno.EXDEV)
        if b.dir_expected and not S.S_ISDIR(st.st_mode) and not exchange:
            raise KernelError(errno.ENOTDIR)
        replaced = self._stat_resolved(b, None, False) if b.exists and b.synthetic is None \
            else None
        self._may_delete(a, st, ctx)
        if replaced is not None:
            self._may_delete(b, replaced, ctx)
        else:
            self._may_create(b, ctx)
        src_fd, src = self._parent_beneath(a.host)
        try:
            dst_fd, dst = self._parent_beneath(b.host)
            try:
                if exchange:
                    self._host_call(_rename_exchange, src_fd, src, dst_fd, dst)
                else:
                    self._host_call(os.rename, src, dst, src_dir_fd=src_fd, dst_dir_fd=dst_fd)
            finally:
                os.close(dst_fd)
        finally:
            os.close(src_fd)
        self._names_changed()
        for follow in self.rename_followers:
            follow([(a.guest, b.guest), (b.guest, a.guest)] if exchange else [(a.guest, b.guest)])
        if exchange:        # each file moved to the other's name
            self._moved(a, b, st)
            self._moved(b, a, replaced)
            return
        if replaced is not None and (replaced.st_dev, replaced.st_ino) != (st.st_dev, st.st_ino):
            self.iattrs.unlinked(replaced)
        self._moved(a, b, st)

    def _moved(self, a: Resolved, b: Resolved, st) -> None:
        """fsnotify_move: the file st moved from name a (a rename too when it stays in its
        directory) to name b."""
        same = os.path.dirname(a.host) == os.path.dirname(b.host)
        self._changed(a, "delete", "moved", *(("rename",) if same else ()),
                      *(("isdir",) if S.S_ISDIR(st.st_mode) else ()))
        self._changed(b, "create", "moved")

    def link(self, cwd: str, old, cwd2: str, new, ctx=None, follow: bool = False) -> None:
        """link(2)/linkat: a new name for a file; follow is AT_SYMLINK_FOLLOW."""
        a = self.resolve(cwd, old, follow, ctx)
        b = self.resolve(cwd2, new, False, ctx)
        st = self._existing_host(a, errno.EXDEV)
        if b.synthetic is not None or b.in_synthetic:
            raise KernelError(errno.EXDEV if not b.exists else errno.EEXIST)
        self._creatable(b)
        self._want_write(b, parent=True)
        if a.synthetic is None:
            self._same_mount(a, b, a_parent=False)
        if S.S_ISDIR(st.st_mode):
            raise KernelError(errno.EPERM)
        self._may_create(b, ctx)
        self.frozen(st)
        src_fd, src = self._parent_beneath(a.host)
        try:
            dst_fd, dst = self._parent_beneath(b.host)
            try:
                self._host_call(os.link, src, dst, src_dir_fd=src_fd, dst_dir_fd=dst_fd,
                                follow_symlinks=False)
            finally:
                os.close(dst_fd)
        finally:
            os.close(src_fd)
        self._changed(b, "create")

    def symlink(self, target, cwd: str, linkpath, ctx=None) -> None:
        """symlink(2): the target is stored verbatim; our resolver reads it inside the root."""
        target = guest_str(target)
        if not target:
            raise KernelError(errno.ENOENT)
        if len(os.fsencode(target)) >= PATH_MAX:
            raise KernelError(errno.ENAMETOOLONG)
        r = self.resolve(cwd, linkpath, False, ctx)
        self._creatable(r)
        self._want_write(r, parent=True)
        self._may_create(r, ctx)
        self._at(lambda name, dir_fd: os.symlink(target, name, dir_fd=dir_fd), r.host)
        self._names_changed()
        self._own_new(r.host, ctx)
        self._changed(r, "create")

    def chdir_target(self, cwd: str, path, ctx=None) -> str:
        """The normalised guest path chdir(path) moves to (ENOTDIR unless a directory)."""
        r = self.resolve(cwd, path, True, ctx)
        st = self._stat_resolved(r, ctx, True)
        if not S.S_ISDIR(st.st_mode):
            raise KernelError(errno.ENOTDIR)
        perm.check(perm.cred_of(ctx), self.iattrs.apply(st), perm.MAY_EXEC)
        return r.guest

    def truncate(self, cwd: str, path, length: int, ctx=None, size_ok=None) -> None:
        """truncate(2); size_ok(length), when given, refuses a size past a limit once the
        path and the permissions have been checked."""
        if length < 0:
            raise KernelError(errno.EINVAL)
        r = self.resolve(cwd, path, True, ctx)
        mode = self._existing_host(r, errno.EACCES).st_mode
        if S.S_ISDIR(mode):
            raise KernelError(errno.EISDIR)
        if not S.S_ISREG(mode):
            raise KernelError(errno.EINVAL)
        self._want_write(r)
        self.frozen(self._view(r.host), append_too=False)
        perm.check(perm.cred_of(ctx), self._view(r.host), perm.MAY_WRITE)
        self.frozen(self._view(r.host))
        if size_ok is not None:
            size_ok(length)
        fd = self.open_host_fd(r.host, os.O_WRONLY)
        try:
            self._host_call(os.ftruncate, fd, length)
            if self.iattrs.entries[1] and ctx is not None:    # an unprivileged truncate
                self.iattrs.kill_privs(os.fstat(fd), perm.cred_of(ctx))   # drops set-id bits
        finally:
            os.close(fd)
        self._changed(r, "modify")

    def utimens(self, cwd: str, path, ns: tuple[int, int] | None, follow: bool = True,
                ctx=None) -> None:
        """Set (atime, mtime) in nanoseconds, or both to now; synthetic nodes ignore it."""
        r = self.resolve(cwd, path, follow, ctx)
        if r.synthetic is not None:
            return
        st = self.iattrs.apply(self._existing_host(r, errno.EACCES))
        self._want_write(r)
        self.frozen(st, append_too=ns is not None)
        cred = perm.cred_of(ctx)
        if not perm.owner_or_capable(cred, st):
            if ns is not None:          # explicit times: only the owner (or CAP_FOWNER)
                raise KernelError(errno.EPERM)
            perm.check(cred, st, perm.MAY_WRITE)
        if ns is None:
            self._host_call(os.utime, r.host, follow_symlinks=False)
        else:
            self._host_call(os.utime, r.host, ns=ns, follow_symlinks=False)
        self._changed(r, "attrib", itself=S.S_ISDIR(st.st_mode))


_SYSFS_DEV: list = []


def _host_sysfs_dev() -> int | None:
    """The device number of the host's sysfs, found once (None where /sys is no sysfs)."""
    if not _SYSFS_DEV:
        try:
            with open("/proc/self/mounts") as mounts:
                live = any(line.split()[1:3] == ["/sys", "sysfs"] for line in mounts)
            _SYSFS_DEV.append(os.stat("/sys/devices/system/cpu").st_dev if live else None)
        except OSError:
            _SYSFS_DEV.append(None)
    return _SYSFS_DEV[0]

