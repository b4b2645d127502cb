"""Linux process calls: fork/vfork/clone, execve, exit, wait4, ids, limits, uname."""
from __future__ import annotations

import errno
from array import array
import struct

from unicorn import x86_const as X

from ..errors import ExecError, KernelError
from ..files import O_NONBLOCK, PathFile
from ..mm import MAX_ARG_BYTES
from ..kernel import Block
from .auxv import set_credentials
from .cred import CAP_KILL, CAP_SYS_ADMIN, CAP_SYS_RESOURCE, cred_of, exec_cred, secure_exec
from .mm import wipe_on_fork
from .personality import LinuxProcess
from .ptrace import exec_stop, exit_event, fork_event, reported_exit, traced_elsewhere
from .resource import INIT_PID, PER_LINUX32, PER_MASK, RLIMIT_NPROC, inherit, rlimit
from ..pcb import PCB, State
from .. import signals

CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND = 0x100, 0x200, 0x400, 0x800
CLONE_VFORK, CLONE_PARENT, CLONE_THREAD, CLONE_SETTLS = 0x4000, 0x8000, 0x10000, 0x80000
CLONE_PARENT_SETTID, CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID = 0x100000, 0x200000, 0x1000000
CLONE_SYSVSEM, CLONE_NEWTIME = 0x40000, 0x80
CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC = 0x20000, 0x2000000, 0x4000000, 0x8000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
# the namespaces clone makes (CLONE_NEWTIME's bit is clone's exit signal: unshare's only)
CLONE_NEW = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | \
    CLONE_NEWPID | CLONE_NEWNET
WNOHANG, WUNTRACED, WCONTINUED = 1, 2, 8
ARCH_SET_GS, ARCH_SET_FS, ARCH_GET_FS, ARCH_GET_GS = 0x1001, 0x1002, 0x1003, 0x1004
RLIM_INFINITY = (1 << 64) - 1


CSIGNAL = 0xFF


def check_nproc(p: PCB) -> None:
    """copy_process: a user with RLIMIT_NPROC tasks (threads count) makes no more, EAGAIN;
    root, CAP_SYS_RESOURCE and CAP_SYS_ADMIN may. Counted only when the limit is below the
    machine's own process limit, the one that otherwise holds."""
    limit = rlimit(p, RLIMIT_NPROC)[0]
    if limit >= p.kernel.limits.max_processes:
        return
    cred = cred_of(p)
    if cred is None or cred.uid == 0 or cred.capable(CAP_SYS_RESOURCE) or \
            cred.capable(CAP_SYS_ADMIN):
        return
    tasks = sum(1 for t in p.kernel.procs.values()
                if t.alive and getattr(cred_of(t), "uid", None) == cred.uid)
    if tasks >= limit:
        raise KernelError(errno.EAGAIN)


def do_fork(p: PCB, flags: int, child_stack: int = 0, parent_tid: int = 0, child_tid: int = 0,
            tls: int = 0) -> int:
    k = p.kernel
    check_namespace_flags(flags)
    check_nproc(p)
    if flags & CLONE_NEW:
        raise KernelError(errno.EPERM)      # copy_namespaces: see sys_unshare
    if flags & CLONE_THREAD:
        return do_thread(p, flags, child_stack, parent_tid, child_tid, tls)
    # copy_process's check: shared signal actions need shared memory (the legacy call takes
    # any exit signal byte, as Linux's does)
    if flags & CLONE_SIGHAND and not flags & CLONE_VM:
        raise KernelError(errno.EINVAL)
    tls = new_tls(p, flags, tls)
    pid = k.alloc_pid()
    if flags & CLONE_VM:
        # A process of its own in the same memory (vfork, posix_spawn's child, LSan's
        # tracer): what either stores the other sees, as the exec error posix_spawn's child
        # leaves for its parent.
        mm = p.mm.share()
    else:
        mm = p.mm.fork()
        wipe_on_fork(p.mm, mm)
    # CLONE_PARENT: a sibling of the caller's process, whose parent gets its exit signal (the
    # machine's init, which is no process here, for an orphan: nobody waits, it is reaped)
    leader = p.group_leader()
    parent = leader.parent if flags & CLONE_PARENT else p
    exit_signal = leader.exit_signal if flags & CLONE_PARENT else flags & CSIGNAL
    child = PCB(pid=pid, ppid=leader.ppid if flags & CLONE_PARENT else p.tgid, kernel=k,
                engine=p.engine, sysvec=p.sysvec, mm=mm,
                fds=p.fds if flags & CLONE_FILES else p.fds.fork(), cwd=p.cwd, root=p.root,
                exe=p.exe, comm=p.comm, argv=list(p.argv),
                environ=list(p.environ), altstack=None if flags & CLONE_VM else p.altstack,
                parent=parent, pgid=p.pgid, sid=p.sid, signal_words=array("Q", [p.sigmask, 0]),
                sigactions=p.sigactions if flags & CLONE_SIGHAND else p.sigactions.copy(),
                tls=dict(p.tls), state=State.BLOCKED, cred=p.cred, exit_signal=exit_signal)
    p.sysvec.personality.on_fork(p, child)   # the umask, limits, and what else Linux keeps
    inherit(p, child)
    if flags & CLONE_FS:
        p.share_fs_with(child)
    apply_clone_ids(p, child, mm, flags, parent_tid, child_tid)

    def start_child() -> None:
        start_from_parent(p, child, flags, child_stack, tls)
        if parent is not None:
            parent.children.append(child)
        if flags & CLONE_VFORK:
            child.vfork_parent = p
            p.state = State.BLOCKED
            p.wait = Block(lambda: child.vfork_parent is None)
        if p.ptrace is not None:
            fork_event(p, child, flags)

    p.after_trap.append(start_child)
    return pid


def check_namespace_flags(flags: int) -> None:
    """copy_process's checks of the namespace flags, made before anything else: a new
    mount or user namespace cannot share the fs_struct, nor a thread be in a new user or
    pid namespace (EINVAL)."""
    if flags & CLONE_FS and flags & (CLONE_NEWNS | CLONE_NEWUSER) or \
            flags & CLONE_THREAD and flags & (CLONE_NEWUSER | CLONE_NEWPID):
        raise KernelError(errno.EINVAL)


def apply_clone_ids(p: PCB, child: PCB, mm, flags: int, parent_tid: int, child_tid: int) -> None:
    """CLONE_PARENT_SETTID, CLONE_CHILD_SETTID (in the child's memory), CLONE_CHILD_CLEARTID.
    A store that faults is ignored, as Linux's put_user there: the child is made anyway."""
    for wanted, at, space in ((CLONE_PARENT_SETTID, parent_tid, p.mm),
                              (CLONE_CHILD_SETTID, child_tid, mm)):
        if flags & wanted and at:
            try:
                space.write_u32(at, child.pid)
            except KernelError:
                pass
    if flags & CLONE_CHILD_CLEARTID:
        child.clear_child_tid = child_tid


def new_tls(p: PCB, flags: int, tls: int):
    """What CLONE_SETTLS gives the child, read and checked by the call, as Linux's
    copy_thread does before the child exists (set_new_tls): on i386 the struct user_desc
    tls points at (an entry of its own, never -1; EFAULT, EINVAL fail the clone), on x86-64
    an fs base below the top of user space (EPERM). A descriptor read when the child first
    ran failed outside any call: the machine ended with an internal error."""
    if not flags & CLONE_SETTLS:
        return tls
    if p.engine.bits == 32:
        from ..gdt import read_user_desc
        return read_user_desc(p, tls, can_allocate=False)
    if tls >= TASK_SIZE_MAX:
        raise KernelError(errno.EPERM)
    return tls


def start_from_parent(p: PCB, child: PCB, flags: int, child_stack: int, tls) -> None:
    """After the trap: the child starts from the parent's saved registers with 0 in the result
    register, on its own stack and TLS if clone gave them, and becomes runnable."""
    engine, k = p.engine, p.kernel
    child.context = engine.new_context()
    engine.ffi.memmove(child.context, p.context, engine.lib.uc_context_size(engine.handle))
    regs = {engine.ret_reg: 0}
    if child_stack:
        regs[engine.sp_reg] = child_stack
    if flags & CLONE_SETTLS and engine.bits == 64:
        regs[X.UC_X86_REG_FS_BASE] = tls
    k.set_context_regs(child, regs)
    if flags & CLONE_SETTLS and engine.bits == 32:
        load_tls_segment(child, tls)
    child.state = State.RUNNABLE
    k.procs[child.pid] = child


def load_tls_segment(t: PCB, tls: tuple) -> None:
    """i386 CLONE_SETTLS: install the thread's TLS descriptor (new_tls's entry and
    descriptor) when the thread first runs (the GDT page is shared by the group, so it is
    rewritten then). The thread keeps its parent's %gs selector, as on Linux; when that
    selector names the entry (glibc's and musl's threads), %gs is reloaded so its base is the
    new one, and an entry cleared under it leaves %gs null, as Linux's loadsegment does."""
    from unicorn import UcError

    from ..gdt import install_tls

    entry, desc = tls
    install_tls(t, entry, desc)

    def load() -> None:
        install_tls(t, entry, desc)
        uc = t.engine.uc
        selector = uc.reg_read(X.UC_X86_REG_GS)
        if selector >> 3 == entry:
            try:
                uc.reg_write(X.UC_X86_REG_GS, selector)
            except UcError:
                uc.reg_write(X.UC_X86_REG_GS, 0)
    t.on_switch_in.append(load)


def do_thread(p: PCB, flags: int, child_stack: int, parent_tid: int, child_tid: int,
              tls: int) -> int:
    """A new thread of p's group: same address space, descriptors and signal actions."""
    k = p.kernel
    if not flags & CLONE_VM or not flags & CLONE_SIGHAND:
        raise KernelError(errno.EINVAL)
    tls = new_tls(p, flags, tls)
    tid = k.alloc_pid()
    t = PCB(pid=tid, ppid=p.ppid, kernel=k, engine=p.engine, sysvec=p.sysvec, mm=p.mm,
            fds=p.fds, cwd=p.cwd, root=p.root, exe=p.exe, comm=p.comm, argv=p.argv, parent=p.parent,
            pgid=p.pgid, sid=p.sid, signal_words=array("Q", [p.sigmask, 0]), sigactions=p.sigactions,
            tls=dict(p.tls), state=State.BLOCKED, tgid=p.tgid, group=p.group, cred=p.cred,
            timers=p.timers)
    p.group.append(t)
    p.sysvec.personality.on_fork(p, t)
    t.linux.rlimits = p.linux.rlimits        # a process's limits, whichever thread sets them
    t.linux.oom = p.linux.oom                # and its oom_score_adj
    if flags & CLONE_FS:
        p.share_fs_with(t)
    apply_clone_ids(p, t, p.mm, flags, parent_tid, child_tid)

    def start_thread() -> None:
        start_from_parent(p, t, flags, child_stack, tls)
        if p.ptrace is not None:
            fork_event(p, t, flags)

    p.after_trap.append(start_thread)
    return tid


def sys_fork(p):
    return do_fork(p, signals.SIGCHLD)


def sys_vfork(p):
    return do_fork(p, CLONE_VM | CLONE_VFORK | signals.SIGCHLD)


def sys_clone(p, flags, newsp, parent_tid, a4, a5):
    # i386 passes (flags, newsp, parent_tid, tls, child_tid); x86-64 swaps the last two.
    child_tid, tls = (a5, a4) if p.sysvec.arch == "i386" else (a4, a5)
    return do_fork(p, flags, newsp, parent_tid, child_tid, tls)


def sys_execve(p, path, argv, envp):
    return _execve(p, p.mm.read_cstr(path).decode(errors="surrogateescape"), argv, envp)


AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH = 0x100, 0x1000


def sys_execveat(p, dirfd, path, argv, envp, flags):
    """execve of a path relative to the directory dirfd names, or (AT_EMPTY_PATH with an
    empty path) of the file dirfd is open on: fexecve, a memfd's program included.
    AT_SYMLINK_NOFOLLOW refuses a symbolic link (ELOOP)."""
    from .fs import AT_FDCWD, _base
    name = p.mm.read_cstr(path).decode(errors="surrogateescape")
    if not name and not flags & AT_EMPTY_PATH:
        raise KernelError(errno.ENOENT)       # (the name is looked at before the flags)
    if flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW):
        raise KernelError(errno.EINVAL)
    opened = None
    if not name:
        opened = p.fds.get(dirfd)
        name = f"/dev/fd/{dirfd}"                  # the name Linux gives the program
        if isinstance(opened, PathFile):           # O_PATH: the file its path names
            name, opened = opened.guest_path, None
    elif not name.startswith("/") and dirfd != AT_FDCWD:
        name = _base(p, dirfd, name).rstrip("/") + "/" + name
    if flags & AT_SYMLINK_NOFOLLOW and opened is None:
        import stat as S
        if S.S_ISLNK(p.kernel.fs.stat(p.cwd, name, False, p).st_mode):
            raise KernelError(errno.ELOOP)
    return _execve(p, name, argv, envp, opened)


def _execve(p, name: str, argv, envp, opened=None):
    k = p.kernel
    args = p.mm.read_strv(argv)
    used = sum(len(a) + 1 for a in args) + len(args) * p.mm.bits // 8
    env = p.mm.read_strv(envp, budget=MAX_ARG_BYTES - used)
    try:
        image, sysvec, bprm = k.load_program(p, name, args, env, opened=opened)
    except ExecError as exc:
        raise KernelError(exc.errno) from None

    def switch_image() -> None:
        # exec ends every other thread of the group; from a thread that is not the leader,
        # that thread becomes the process (pid, parent, ...), a subreaper still
        leader = p.group_leader()
        old_pid = p.pid
        p.linux.child_subreaper = leader.linux.child_subreaper
        k.de_thread(p)
        k.unshare_for_exec(p)
        p.fds.exec_close()
        old = cred_of(p)
        p.cred = exec_cred(old, bprm.inode, p.linux.no_new_privs)
        if image.start is not None and image.start.phnum:     # an ELF program's auxv
            set_credentials(image.mm, image.sp, p.cred, secure_exec(old, p.cred))
        # A set-id exec is not dumpable (suid_dumpable 0); any other exec is again.
        p.linux.dumpable = 0 if (p.cred.euid, p.cred.egid) != (old.euid, old.egid) else 1
        k.install_image(p, image, sysvec, bprm)
        if p.vfork_parent is not None:
            k.release_vfork(p)
        if p.ptrace is not None:
            exec_stop(p, old_pid)

    p.after_trap.append(switch_image)
    return 0


def sys_exit(p, status):
    """The calling thread ends; the last thread's exit ends the process."""
    if p.ptrace is not None and exit_event(p, status):
        return 0
    if not p.live_siblings():
        p.kernel.exit_process(p, status)
    elif p.pid == p.tgid:
        # The leader's record stays for wait4 until the group ends: wait for the others,
        # then this call runs again and ends the process.
        from ..kernel import Block
        raise Block(lambda: not p.live_siblings(), restartable=False)
    else:
        p.kernel.exit_thread(p)
    return 0


def sys_exit_group(p, status):
    if p.ptrace is not None and exit_event(p, status):
        return 0
    p.kernel.exit_group(p, status)
    return 0


def _matches(child: PCB, pid: int, parent: PCB) -> bool:
    if pid > 0:
        return child.pid == pid
    if pid == 0:
        return child.pgid == parent.pgid
    if pid < -1:
        return child.pgid == -pid
    return True


WNOTHREAD, WALL, WCLONE = 0x20000000, 0x40000000, 0x80000000
WAIT4_OPTIONS = WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE


def _waitable(p, pid: int, options: int) -> list:
    """The children a wait may take: those of every thread in the caller's group, as
    do_wait walks the thread group (asyncio's child watcher waits in a thread of its own);
    with __WNOTHREAD only the caller's."""
    threads = [p] if options & WNOTHREAD or not p.group else p.group
    children = [c for t in threads for c in t.children if _matches(c, pid, p) and
                _kind_waited(c, options)]
    # and the threads they trace, clone children or not (eligible_child's ptrace case)
    return children + [c for t in threads for c in t.ptraced
                       if c not in children and _matches(c, pid, p)]


def _kind_waited(child, options: int) -> bool:
    """eligible_child: a "clone child" (one whose exit signal is not SIGCHLD) only for
    __WCLONE, any other only without it; __WALL takes both."""
    return bool(options & WALL) or \
        (child.exit_signal != signals.SIGCHLD) == bool(options & WCLONE)


def _reaped(p, child) -> None:
    """A zombie child waited for: it leaves the process table and its parent's children."""
    _add_child_times(p, child)
    p.kernel.reap(child)
    owner = child.parent if child.parent is not None else p
    if child in owner.children:
        owner.children.remove(child)


def _gone(c) -> bool:
    """A wait's candidate that ended, or was waited for by another thread."""
    return c.state in (State.ZOMBIE, State.DEAD)


def sys_wait4(p, pid, wstatus, options, rusage):
    if options & ~WAIT4_OPTIONS & 0xFFFFFFFF:
        raise KernelError(errno.EINVAL)
    if pid == -(1 << 31):
        raise KernelError(errno.ESRCH)      # its negation names no process group
    candidates = _waitable(p, pid, options)
    if not candidates:
        raise KernelError(errno.ECHILD)
    for child in candidates:
        if child.ptrace_report and child.ptracer in (p.group or [p]):
            if wstatus:      # a ptrace stop: reported to the tracer, without WUNTRACED
                p.mm.write_u32(wstatus, child.ptrace_report)
            child.ptrace_report = 0
            return child.pid
        if child.state == State.ZOMBIE and traced_elsewhere(p, child):
            continue         # its tracer hears of its end first
        if child.state == State.ZOMBIE and child.ptracer is not None and \
                child not in [c for t in (p.group or [p]) for c in t.children]:
            if wstatus:      # a tracee not the tracer's child: its exit, once
                p.mm.write_u32(wstatus, child.exit_status)
            reported_exit(child)
            return child.pid
        if child.state == State.ZOMBIE:
            if wstatus:
                p.mm.write_u32(wstatus, child.exit_status)
            if rusage:
                p.mm.write(rusage, _rusage(p, *_reaped_times(child), _reaped_maxrss(child)))
            _reaped(p, child)
            return child.pid
        report = _stop_or_continue(child, options)
        if report is not None:
            if wstatus:
                p.mm.write_u32(wstatus, report)
            return child.pid
    if options & WNOHANG:
        return 0
    raise Block(lambda: any(_gone(c) and not traced_elsewhere(p, c) or c.ptrace_report or
                            c.ptracer is None and c.parent not in (p.group or [p]) or
                            (options & WUNTRACED and c.stop_report) or
                            (options & WCONTINUED and c.cont_report) for c in candidates))


def _stop_or_continue(child, options) -> int | None:
    """A stop (WUNTRACED) or continue (WCONTINUED) not yet reported, as a wait status."""
    if options & WUNTRACED and child.stop_report:
        sig, child.stop_report = child.stop_report, 0
        return sig << 8 | 0x7F
    if options & WCONTINUED and child.cont_report:
        child.cont_report = False
        return 0xFFFF
    return None


P_ALL, P_PID, P_PGID, P_PIDFD = 0, 1, 2, 3
WSTOPPED, WEXITED, WNOWAIT = 2, 4, 0x01000000
CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_TRAPPED, CLD_STOPPED, CLD_CONTINUED = 1, 2, 3, 4, 5, 6


def sys_waitid(p, which, upid, infop, options, ru):
    """waitid: like wait4, the result in a siginfo; WNOWAIT leaves the child waitable."""
    if which not in (P_ALL, P_PID, P_PGID, P_PIDFD) or \
            not options & (WEXITED | WSTOPPED | WCONTINUED):
        raise KernelError(errno.EINVAL)
    nonblock = False
    if which == P_PIDFD:     # the process a pidfd names (linux/pidfd.py)
        from .pidfd import pidfd_of
        f = pidfd_of(p, upid)
        pid, nonblock = f.target.tgid, bool(f.status_flags & O_NONBLOCK)
    else:
        pid = -1 if which == P_ALL else upid if which == P_PID else -upid
    candidates = _waitable(p, pid, options)
    if not candidates:
        raise KernelError(errno.ECHILD)

    def report(child, code: int, status: int) -> int:
        if infop:
            layout = "<iii4xiii" if p.sysvec.word_bits == 64 else "<iiiiii"   # i386: no pad
            p.mm.write(infop, struct.pack(layout, signals.SIGCHLD, 0, code, child.pid, 0,
                                          status).ljust(128, b"\0"))
        return 0

    for child in candidates:
        if child.ptrace_report and child.ptracer in (p.group or [p]):
            sig = child.ptrace_report >> 8 & 0xFF
            if not options & WNOWAIT:
                child.ptrace_report = 0
            return report(child, CLD_TRAPPED, sig)
        if child.state == State.ZOMBIE and traced_elsewhere(p, child):
            continue         # its tracer hears of its end first
        if child.state == State.ZOMBIE and options & WEXITED:
            st = child.exit_status
            code, status = (CLD_DUMPED if st & 0x80 else CLD_KILLED, st & 0x7F) if st & 0x7F \
                else (CLD_EXITED, st >> 8 & 0xFF)
            if ru:
                p.mm.write(ru, _rusage(p, *_reaped_times(child), _reaped_maxrss(child)))
            if not options & WNOWAIT:
                if child.ptracer is not None:
                    reported_exit(child)     # a tracee not the tracer's child
                else:
                    _reaped(p, child)
            return report(child, code, status)
        if options & WSTOPPED and child.stop_report:
            sig = child.stop_report
            if not options & WNOWAIT:
                child.stop_report = 0
            return report(child, CLD_STOPPED, sig)
        if options & WCONTINUED and child.cont_report:
            if not options & WNOWAIT:
                child.cont_report = False
            return report(child, CLD_CONTINUED, signals.SIGCONT)
    if options & WNOHANG:
        if infop:
            p.mm.write(infop, b"\0" * 128)   # si_pid 0: nothing yet
        return 0
    if nonblock:
        raise KernelError(errno.EAGAIN)      # a non-blocking pidfd does not wait
    raise Block(lambda: any(_gone(c) and not traced_elsewhere(p, c) or c.ptrace_report or
                            c.ptracer is None and c.parent not in (p.group or [p]) or
                            (options & WSTOPPED and c.stop_report) or
                            (options & WCONTINUED and c.cont_report) for c in candidates))


def sys_waitpid(p, pid, wstatus, options):
    return sys_wait4(p, pid, wstatus, options, 0)


def sys_getpid(p):
    return p.tgid


def sys_getppid(p):
    return p.parent.tgid if p.parent is not None and p.parent.alive else 1


def sys_gettid(p):
    return p.pid


def sys_set_tid_address(p, tidptr):
    p.clear_child_tid = tidptr
    return p.pid


TASK_SIZE_MAX = (1 << 47) - 4096       # x86-64's user address space ends below it


def sys_arch_prctl(p, code, addr):
    uc = p.engine.uc
    if p.engine.bits != 64:
        raise KernelError(errno.EINVAL)
    if code in (ARCH_SET_FS, ARCH_SET_GS) and addr >= TASK_SIZE_MAX:
        raise KernelError(errno.EPERM)     # a base in the kernel half (do_arch_prctl_64)
    if code == ARCH_SET_FS:
        uc.reg_write(X.UC_X86_REG_FS_BASE, addr)
    elif code == ARCH_SET_GS:
        uc.reg_write(X.UC_X86_REG_GS_BASE, addr)
    elif code == ARCH_GET_FS:
        p.mm.write_word(addr, uc.reg_read(X.UC_X86_REG_FS_BASE))
    elif code == ARCH_GET_GS:
        p.mm.write_word(addr, uc.reg_read(X.UC_X86_REG_GS_BASE))
    else:
        raise KernelError(errno.EINVAL)
    return 0


def sys_set_thread_area(p, u_info):
    from ..gdt import set_thread_area
    if p.engine.bits != 32:
        raise KernelError(errno.ENOSYS)
    return set_thread_area(p, u_info)


def sys_get_thread_area(p, u_info):
    raise KernelError(errno.ENOSYS)


def sys_uname(p, buf):
    # A 64-bit kernel says x86_64 to 32-bit programs too; PER_LINUX32 (setarch i386,
    # linux32) makes it say i686, as Linux's override_architecture does for the build
    # scripts that run under it.
    linux32 = p.linux.exec_domain & PER_MASK == PER_LINUX32
    machine = b"i686" if linux32 else b"x86_64"
    from ..net import uts_names
    node, domain = (name.encode()[:64] for name in uts_names(p.kernel))
    fields = [b"Linux", node, b"6.1.0-sysvec", b"#1 SMP sysvec", machine, domain]
    p.mm.write(buf, b"".join(f.ljust(65, b"\0") for f in fields))
    return 0


def sys_sched_yield(p):
    p.engine.need_resched()
    return 0


def sys_kill(p, pid, sig):
    k = p.kernel
    if not 0 <= sig <= signals.NSIG:
        raise KernelError(errno.EINVAL)
    if pid > 0:
        # a process id names its thread group: the signal goes to its first live thread
        targets = [t for t in k.procs.values() if t.pid == pid and t.alive]
        if not targets:
            targets = [t for t in k.procs.values() if t.tgid == pid and t.alive][:1]
    elif pid == 0:
        targets = [t for t in k.procs.values() if t.pgid == p.pgid and t.alive and t.pid == t.tgid]
    elif pid == -1:
        targets = [t for t in k.procs.values() if t.alive and t.tgid != p.tgid and t.pid == t.tgid]
    else:
        targets = [t for t in k.procs.values() if t.pgid == -pid and t.alive and t.pid == t.tgid]
    if not targets and pid == INIT_PID and INIT_PID not in k.procs:
        # The machine's init, as a container's: root may signal it (it ignores what it has
        # no handler for), others may not.
        if not cred_of(p).capable(CAP_KILL) and 0 not in (cred_of(p).uid, cred_of(p).euid):
            raise KernelError(errno.EPERM)
        return 0
    if not targets:
        raise KernelError(errno.ESRCH)
    targets = [t for t in targets if may_signal(p, t, sig)]
    if not targets:
        raise KernelError(errno.EPERM)
    if sig:
        for t in targets:
            signals.send_process(t, sig, _sender(p, signals.SI_USER))
    return 0


def _sender(p, code: int):
    """The siginfo of a signal a process sends: its tgid and real uid."""
    cred = cred_of(p)
    return signals.SigInfo(code, p.tgid, cred.uid if cred is not None else 0)


def may_signal(p, target, sig: int) -> bool:
    """check_kill_permission: the sender's real or effective uid is the target's real or
    saved uid, or it has CAP_KILL; SIGCONT within a session is always allowed."""
    c, t = cred_of(p), cred_of(target)
    return c.capable(CAP_KILL) or sig == signals.SIGCONT and p.sid == target.sid or \
        bool({c.uid, c.euid} & {t.uid, t.suid})


def _queued_info(p, target_pid: int, uinfo: int, sig: int | None = None) -> "signals.SigInfo":
    """The siginfo a caller supplies to rt_sigqueueinfo: its code, pid, uid and value. Only
    a process signalling itself may claim the kernel's or kill's codes (si_code >= 0 or
    SI_TKILL), so nobody forges them (EPERM): the target id is the calling thread's."""
    bits = p.sysvec.word_bits
    raw = p.mm.read(uinfo, 32)
    signo, _errno, code = struct.unpack_from("<iii", raw)
    if sig is not None and signo != sig:
        raise KernelError(errno.EINVAL)        # pidfd_send_signal: the info's own signal
    pid, uid = struct.unpack_from("<iI", raw, 16 if bits == 64 else 12)
    value = struct.unpack_from("<Q" if bits == 64 else "<I", raw, 24 if bits == 64 else 20)[0]
    if (code >= 0 or code == signals.SI_TKILL) and target_pid != p.pid:
        raise KernelError(errno.EPERM)
    return signals.SigInfo(code, pid, uid, value=value)


def sys_rt_sigqueueinfo(p, tgid, sig, uinfo):
    """sigqueue(3): a signal with the caller's siginfo to the thread group tgid."""
    if not 0 <= sig <= signals.NSIG:
        raise KernelError(errno.EINVAL)
    info = _queued_info(p, tgid, uinfo)
    target = next((t for t in p.kernel.procs.values() if t.tgid == tgid and t.alive), None)
    if target is None or tgid <= 0:
        raise KernelError(errno.ESRCH)        # (find_vpid finds no process at 0 or below)
    return deliver(p, target, sig, info, process=True)


def sys_rt_tgsigqueueinfo(p, tgid, tid, sig, uinfo):
    """pthread_sigqueue(3): the same to one thread of a group."""
    if tid <= 0 or tgid <= 0:
        raise KernelError(errno.EINVAL)
    if not 0 <= sig <= signals.NSIG:
        raise KernelError(errno.EINVAL)
    info = _queued_info(p, tid, uinfo)
    target = p.kernel.procs.get(tid)
    if target is None or not target.alive or target.tgid != tgid:
        raise KernelError(errno.ESRCH)
    return deliver(p, target, sig, info)


def deliver(p, target, sig: int, info, process: bool = False) -> int:
    """The end of every sender: the permission to signal target, then the signal (0 only
    asks whether it could be sent) -- to target's thread group when process-directed."""
    if not may_signal(p, target, sig):
        raise KernelError(errno.EPERM)
    if sig:
        (signals.send_process if process else signals.send)(target, sig, info)
    return 0


def sys_tgkill(p, tgid, tid, sig):
    """do_tkill: bad ids EINVAL, no such thread ESRCH, then the signal number and the
    permission (check_kill_permission)."""
    if tid <= 0 or tgid <= 0:
        raise KernelError(errno.EINVAL)
    target = p.kernel.procs.get(tid)
    if target is None or not target.alive or target.tgid != tgid:
        raise KernelError(errno.ESRCH)
    if not 0 <= sig <= signals.NSIG:
        raise KernelError(errno.EINVAL)
    return deliver(p, target, sig, _sender(p, signals.SI_TKILL))


def sys_tkill(p, tid, sig):
    if tid <= 0:
        raise KernelError(errno.EINVAL)
    target = p.kernel.procs.get(tid)
    if target is None or not target.alive:
        raise KernelError(errno.ESRCH)
    return sys_tgkill(p, target.tgid, tid, sig)


def sys_setpgid(p, pid, pgid):
    """Move the caller or a child of its session into a process group of that session, in
    ksys_setpgid's order: a child in another session is EPERM, one that has exec'd EACCES."""
    if pgid < 0 or pgid >= 1 << 31:
        raise KernelError(errno.EINVAL)
    # A child that has exited but is not yet reaped is still found, as by find_task_by_vpid.
    target = p if pid in (0, p.tgid) else p.kernel.procs.get(pid)
    if target is None or (target is not p and target.parent is not p):
        raise KernelError(errno.ESRCH)
    if target is not p:
        if target.sid != p.sid:
            raise KernelError(errno.EPERM)
        if target.pstate is not None and target.linux.did_exec:
            raise KernelError(errno.EACCES)
    pgid = pgid or target.pid
    if target.sid == target.pid or target.sid != p.sid:
        raise KernelError(errno.EPERM)     # a session leader, or another session
    if pgid != target.pid and not any(t.pgid == pgid and t.sid == p.sid and t.alive
                                      for t in p.kernel.procs.values()):
        raise KernelError(errno.EPERM)
    target.pgid = pgid
    return 0


def sys_getpgid(p, pid):
    if pid == INIT_PID and INIT_PID not in p.kernel.procs:
        return 0        # the machine's init, started as the kernel starts one: group 0
    target = p if pid == 0 else p.kernel.procs.get(pid)
    if target is None:            # (an unreaped zombie is still found)
        raise KernelError(errno.ESRCH)
    return target.pgid


def sys_getpgrp(p):
    return p.pgid


def sys_setsid(p):
    """A new session and process group, with no controlling terminal; a process group
    leader cannot (EPERM: its group would span two sessions)."""
    if any(t.pgid == p.tgid and t.alive for t in p.kernel.procs.values()):
        raise KernelError(errno.EPERM)
    p.sid = p.pgid = p.tgid
    return p.tgid


def sys_getsid(p, pid):
    if pid == INIT_PID and INIT_PID not in p.kernel.procs:
        return 0
    target = p if pid == 0 else p.kernel.procs.get(pid)
    if target is None:
        raise KernelError(errno.ESRCH)
    return target.sid


UNSHARE_FLAGS = CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | CLONE_SYSVSEM | \
    CLONE_NEW | CLONE_NEWTIME


def sys_unshare(p, flags):
    """ksys_unshare: the caller stops sharing its descriptor table (CLONE_FILES), working
    directory, root and umask (CLONE_FS), or semaphore undos (CLONE_SYSVSEM, given back as
    exit gives them). The machine makes no namespaces: a new one is EPERM, as for a process
    without CAP_SYS_ADMIN (and clone's namespace flags, and setns). CLONE_THREAD, CLONE_VM
    and CLONE_SIGHAND only say there is nothing to unshare (EINVAL if there is)."""
    if flags & CLONE_NEWUSER:
        flags |= CLONE_THREAD | CLONE_FS
    if flags & CLONE_VM:
        flags |= CLONE_SIGHAND
    if flags & CLONE_SIGHAND:
        flags |= CLONE_THREAD
    if flags & CLONE_NEWNS:
        flags |= CLONE_FS
    k = p.kernel
    # check_unshare_flags
    if flags & ~UNSHARE_FLAGS & 0xFFFFFFFF or flags >> 32:
        raise KernelError(errno.EINVAL)
    alone = [t for t in p.group if t.alive] == [p]
    if flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM) and not alone or \
            flags & (CLONE_SIGHAND | CLONE_VM) and k.sigactions_shared(p) or \
            flags & CLONE_VM and p.mm.users > 1:
        raise KernelError(errno.EINVAL)
    if flags & (CLONE_NEW | CLONE_NEWTIME):
        raise KernelError(errno.EPERM)
    if flags & CLONE_FS and len(p.fs_sharers()) > 1:
        p.fs_sharers().remove(p)
        p.fs_group = None
    if flags & CLONE_FILES:
        k.unshare_files(p)
    if flags & CLONE_SYSVSEM:
        from .sysv_sem import exit_sem
        exit_sem(p)
    return 0


def sys_umask(p, mask):
    """The umask is the fs_struct's, as the working directory is: every thread sharing it
    (CLONE_FS) has the new one."""
    old = p.linux.umask
    for t in p.fs_sharers():
        if isinstance(t.pstate, LinuxProcess):
            t.linux.umask = mask & 0o777
    return old




RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD = 0, -1, 1


def _reaped_times(child) -> tuple[int, int]:
    """(CPU, system) nanoseconds a reaped child adds to its parent's children times."""
    return (child.group_cpu_ns() + child.children_cpu_ns,
            child.group_sys_ns() + child.children_sys_ns)


def _add_child_times(p, child) -> None:
    cpu, system = _reaped_times(child)
    p.children_cpu_ns += cpu
    p.children_sys_ns += system
    leader = p.group_leader()
    leader.children_maxrss_kib = max(leader.children_maxrss_kib, _reaped_maxrss(child))


def _reaped_maxrss(child) -> int:
    """A reaped child's ru_maxrss: its own peak, or its largest waited-for child's."""
    return max(child.note_rss(), child.children_maxrss_kib)


def _rusage(p, cpu_ns: int, sys_ns: int, maxrss_kib: int = 0) -> bytes:
    """struct rusage: user time (on the core outside the kernel's handlers) and system time
    (in them), the peak resident size in KiB; the other counters zero."""
    from .time import _timeval
    word = p.sysvec.word_bits // 8
    return _timeval(p, (cpu_ns - sys_ns) / 1e9) + _timeval(p, sys_ns / 1e9) + \
        maxrss_kib.to_bytes(word, "little") + b"\0" * (13 * word)


def sys_getrusage(p, who, usage):
    if who == RUSAGE_SELF:
        ns = p.group_cpu_ns(), p.group_sys_ns(), p.note_rss()
    elif who == RUSAGE_CHILDREN:
        ns = p.children_cpu_ns, p.children_sys_ns, p.group_leader().children_maxrss_kib
    elif who == RUSAGE_THREAD:
        p.settle_times()
        ns = p.cpu_ns, p.sys_ns, p.note_rss()
    else:
        raise KernelError(errno.EINVAL)
    p.mm.write(usage, _rusage(p, *ns))
    return 0


USER_HZ = 100


def sys_times(p, buf):
    """struct tms in clock ticks (user and system time of the group and of waited-for
    children); returns the host's ticks since boot (CLOCK_MONOTONIC), as Linux returns
    jiffies."""
    import time as host_time

    if buf:
        fmt = "<4q" if p.sysvec.word_bits == 64 else "<4i"
        cpu, system = p.group_cpu_ns(), p.group_sys_ns()
        ccpu, csystem = p.children_cpu_ns, p.children_sys_ns
        p.mm.write(buf, struct.pack(fmt, *((ns * USER_HZ // 10**9) for ns in
                                           (cpu - system, system, ccpu - csystem, csystem))))
    return int(host_time.monotonic() * USER_HZ)


def sys_sysinfo(p, info):
    """struct sysinfo: uptime, memory from the machine's limits, the process count."""
    import time as host_time
    from ..procfs import BOOT

    k = p.kernel
    total = k.limits.pool_pages * 4096
    used = sum(q.mm.pages * 4096 for q in k.procs.values() if q.mm is not None)
    uptime = int(host_time.monotonic() - BOOT)
    if p.sysvec.word_bits == 64:
        data = struct.pack("<q3Q6QH6xQQI", uptime, 0, 0, 0, total, max(0, total - used), 0, 0,
                           0, 0, len(k.procs), 0, 0, 1)
    else:
        data = struct.pack("<i3I6IH2xIII", uptime, 0, 0, 0, total & 0xFFFFFFFF,
                           max(0, total - used) & 0xFFFFFFFF, 0, 0, 0, 0, len(k.procs), 0, 0, 1)
    p.mm.write(info, data.ljust(112 if p.sysvec.word_bits == 64 else 64, b"\0"))
    return 0


def sys_getcpu(p, cpu, node, cache):
    for addr in (cpu, node):
        if addr:
            p.mm.write_u32(addr, 0)
    return 0


HOST_NAME_MAX = 64


def _uts_name(p, name, length) -> str:
    """A name sethostname or setdomainname sets: the machine is its own UTS namespace, and
    its root (CAP_SYS_ADMIN) may name it; the host's name is never touched."""
    if length < 0 or length > HOST_NAME_MAX:
        raise KernelError(errno.EINVAL)
    if not cred_of(p).capable(CAP_SYS_ADMIN):
        raise KernelError(errno.EPERM)
    return p.mm.read(name, length).decode("utf-8", "surrogateescape")


def sys_sethostname(p, name, length):
    from ..net import network
    network(p.kernel).hostname = _uts_name(p, name, length)
    return 0


def sys_setdomainname(p, name, length):
    from ..net import network
    network(p.kernel).domainname = _uts_name(p, name, length)
    return 0
