"""POSIX message queues (ipc/mqueue.c): mq_open, mq_unlink, mq_timedsend, mq_timedreceive,
mq_notify and mq_getsetattr. A queue is a machine-wide named object living until it is
unlinked and its last descriptor closed; it holds up to mq_maxmsg messages of up to
mq_msgsize bytes each, taken highest priority first and in order within a priority. Its
descriptor polls readable while a message waits and writable while there is room, and reads
as the kernel's status line (QSIZE, NOTIFY, SIGNO, NOTIFY_PID). Limits are
/proc/sys/fs/mqueue's defaults (msg_max 10, msgsize_max 8192, queues_max 256; past them only
with CAP_SYS_RESOURCE), and a user's queues are charged to its RLIMIT_MSGQUEUE.

mq_notify registers one process per queue: SIGEV_SIGNAL sends its signal (SI_MESGQ, the
sender's pid and uid, the sigev_value) when a message arrives in the empty queue while no
receiver waits, SIGEV_NONE only holds the registration. SIGEV_THREAD needs a netlink socket
the kernel writes a cookie to, which this kernel has not: it fails as for a descriptor that
is no netlink socket. /dev/mqueue is not listed."""
from __future__ import annotations

import errno
import heapq
import itertools
import struct
import time as host_time

from .. import signals
from ..block import Block
from ..errors import KernelError
from ..files import O_ACCMODE, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, OpenFile, _inodes, \
    synthetic_stat
from ..readiness import READABLE, WRITABLE
from ..vfs import NAME_MAX, O_CLOEXEC, O_CREAT, O_EXCL, PATH_MAX
from .cred import CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_SYS_RESOURCE, cred_of
from .posix_timers import SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD, read_sigevent
from .resource import RLIMIT_MSGQUEUE, rlimit
from .sysv_ids import ipc_state
from .time import _read_timespec

MQ_PRIO_MAX = 32768
MSG_MAX, MSGSIZE_MAX, QUEUES_MAX = 10, 8192, 256         # /proc/sys/fs/mqueue's defaults
HARD_MSGMAX, HARD_MSGSIZEMAX = 65536, 16 << 20
MSG_MSG_SIZE, TREE_NODE_SIZE = 48, 48    # struct msg_msg, struct posix_msg_tree_node (x86-64)
__all__ = ["sys_mq_open", "sys_mq_unlink", "sys_mq_timedsend", "sys_mq_timedsend_time64",
           "sys_mq_timedreceive", "sys_mq_timedreceive_time64", "sys_mq_notify",
           "sys_mq_getsetattr"]


class Notification:
    """A process's mq_notify registration: whom, by which table its closes come, and what
    to send."""

    def __init__(self, owner, fds, kind: int, signo: int, value: int):
        self.owner, self.fds, self.kind, self.signo, self.value = owner, fds, kind, signo, value


class MessageQueue:
    def __init__(self, name: str, mode: int, uid: int, gid: int, maxmsg: int, msgsize: int,
                 charged: tuple[int, int]):
        self.name, self.mode, self.uid, self.gid = name, mode, uid, gid
        self.maxmsg, self.msgsize = maxmsg, msgsize
        self.charged = charged                  # (uid, bytes) of RLIMIT_MSGQUEUE
        self.ino = next(_inodes)
        self.messages: list[tuple[int, int, bytes]] = []   # a heap of (-prio, seq, text)
        self.seq = itertools.count()
        self.qsize = 0
        self.notify: Notification | None = None
        self.receivers: set = set()             # threads waiting to receive
        self.opens = 0
        self.linked = True
        self.events = 0                         # moves on at every change (epoll's edges)

    def put(self, prio: int, text: bytes) -> None:
        heapq.heappush(self.messages, (-prio, next(self.seq), text))
        self.qsize += len(text)
        self.events += 1

    def take(self) -> tuple[int, bytes]:
        prio, _, text = heapq.heappop(self.messages)
        self.qsize -= len(text)
        self.events += 1
        return -prio, text

    def poll(self) -> int:
        return (READABLE if self.messages else 0) | \
            (WRITABLE if len(self.messages) < self.maxmsg else 0)


class MqState:
    def __init__(self):
        self.names: dict[str, MessageQueue] = {}
        self.count = 0                          # queues that exist, named or not
        self.bytes: dict[int, int] = {}         # what each user's queues are charged


def _state(kernel) -> MqState:
    return ipc_state(kernel, "posix_mqueue", MqState)


def _free(state: MqState, q: MessageQueue) -> None:
    """The inode goes (mqueue_evict_inode): unlinked and closed."""
    if q.linked or q.opens:
        return
    uid, charged = q.charged
    state.bytes[uid] -= charged
    state.count -= 1


class MqueueFile(OpenFile):
    kind = "mqueue"

    def __init__(self, state: MqState, q: MessageQueue, flags: int):
        super().__init__(flags, f"/{q.name}")
        self.state, self.queue, self.offset = state, q, 0
        q.opens += 1

    @property
    def may_read(self) -> bool:
        return self.status_flags & O_ACCMODE in (O_RDONLY, O_RDWR)

    @property
    def may_write(self) -> bool:
        return self.status_flags & O_ACCMODE in (O_WRONLY, O_RDWR)

    def status_line(self) -> bytes:
        q, n = self.queue, self.queue.notify
        owner = n.owner.tgid if n is not None else 0
        return (f"QSIZE:{q.qsize:<10} NOTIFY:{n.kind if n else 0:<5} "
                f"SIGNO:{n.signo if n and n.kind == SIGEV_SIGNAL else 0:<5} "
                f"NOTIFY_PID:{owner:<6}\n").encode()

    def read(self, n: int) -> bytes:
        if not self.may_read:
            raise KernelError(errno.EBADF)
        data = self.status_line()[self.offset:self.offset + n]
        self.offset += len(data)
        return data

    def write(self, data: bytes) -> int:
        raise KernelError(errno.EBADF if not self.may_write else errno.EINVAL)

    def fstat(self):
        st = synthetic_stat(0o100000 | self.queue.mode, ino=self.queue.ino,
                            size=self.queue.qsize)
        st.st_uid, st.st_gid = self.queue.uid, self.queue.gid
        return st

    def poll(self) -> int:
        return self.queue.poll()

    def generation(self):
        return self.queue.events

    def readable_now(self) -> bool:
        return bool(self.poll() & READABLE)

    def writable_now(self) -> bool:
        return bool(self.poll() & WRITABLE)

    def flush(self, fds) -> None:
        """A close through fds (mqueue_flush_file): the registering process's closing any
        descriptor of the queue ends its registration."""
        n = self.queue.notify
        if n is not None and n.fds is fds:
            self.queue.notify = None

    def close(self) -> None:
        if not self.closed:
            self.queue.opens -= 1
            _free(self.state, self.queue)
        super().close()


def _queue_file(p, mqdes: int) -> MqueueFile:
    f = p.fds.get(((mqdes & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000)
    if not isinstance(f, MqueueFile):
        raise KernelError(errno.EBADF)
    return f


def _name(p, u_name: int) -> str:
    """getname, then lookup_one_len in the queues' directory (glibc and musl pass the name
    without its leading slash)."""
    raw = p.mm.read_cstr(u_name, PATH_MAX)
    if not raw:
        raise KernelError(errno.ENOENT)
    if b"/" in raw or raw in (b".", b".."):
        raise KernelError(errno.EACCES)
    if len(raw) > NAME_MAX:
        raise KernelError(errno.ENAMETOOLONG)
    return raw.decode("utf-8", "surrogateescape")


def _attr_format(p) -> str:
    return "<8q" if p.sysvec.word_bits == 64 else "<8i"


def _read_attr(p, addr: int) -> tuple:
    fmt = _attr_format(p)
    return struct.unpack(fmt, p.mm.read(addr, struct.calcsize(fmt)))


def _permitted(cred, q: MessageQueue, mask: int) -> bool:
    """generic_permission on the queue's inode (mask: 4 read, 2 write)."""
    bits = q.mode >> 6 if cred.fsuid == q.uid else q.mode >> 3 if cred.in_group(q.gid) \
        else q.mode
    return bits & mask == mask or cred.capable(CAP_DAC_OVERRIDE)


def _create(p, state: MqState, name: str, mode: int, attr) -> MessageQueue:
    """mqueue_create_attr and mqueue_get_inode: the count, the sizes, the user's charge."""
    cred = cred_of(p)
    if state.count >= QUEUES_MAX and not cred.capable(CAP_SYS_RESOURCE):
        raise KernelError(errno.ENOSPC)
    maxmsg, msgsize = (attr[1], attr[2]) if attr is not None else (MSG_MAX, MSGSIZE_MAX)
    if maxmsg <= 0 or msgsize <= 0:
        raise KernelError(errno.EINVAL)
    if cred.capable(CAP_SYS_RESOURCE):
        if maxmsg > HARD_MSGMAX or msgsize > HARD_MSGSIZEMAX:
            raise KernelError(errno.EINVAL)
    elif maxmsg > MSG_MAX or msgsize > MSGSIZE_MAX:
        raise KernelError(errno.EINVAL)
    charge = maxmsg * MSG_MSG_SIZE + min(maxmsg, MQ_PRIO_MAX) * TREE_NODE_SIZE + \
        maxmsg * msgsize
    used = state.bytes.get(cred.uid, 0)
    if used + charge > rlimit(p, RLIMIT_MSGQUEUE)[0]:
        raise KernelError(errno.EMFILE)
    state.bytes[cred.uid] = used + charge
    state.count += 1
    return MessageQueue(name, mode & ~p.linux.umask & 0o7777, cred.fsuid, cred.fsgid,
                        maxmsg, msgsize, (cred.uid, charge))


def sys_mq_open(p, u_name, oflag, mode, u_attr):
    attr = _read_attr(p, u_attr) if u_attr else None
    name = _name(p, u_name)
    p.fds.check_room()
    state = _state(p.kernel)
    q = state.names.get(name)
    if q is None:
        if not oflag & O_CREAT:
            raise KernelError(errno.ENOENT)
        q = state.names[name] = _create(p, state, name, mode, attr)
    else:
        if oflag & (O_CREAT | O_EXCL) == O_CREAT | O_EXCL:
            raise KernelError(errno.EEXIST)
        acc = oflag & O_ACCMODE
        if acc == O_ACCMODE:
            raise KernelError(errno.EINVAL)
        if not _permitted(cred_of(p), q, {O_RDONLY: 4, O_WRONLY: 2, O_RDWR: 6}[acc]):
            raise KernelError(errno.EACCES)
    f = MqueueFile(state, q, oflag & ~(O_CREAT | O_EXCL | O_CLOEXEC))
    return p.fds.install(f, cloexec=True)      # mq_open's descriptors are always O_CLOEXEC


def sys_mq_unlink(p, u_name):
    name = _name(p, u_name)
    state = _state(p.kernel)
    q = state.names.get(name)
    if q is None:
        raise KernelError(errno.ENOENT)
    cred = cred_of(p)
    if cred.fsuid not in (q.uid, 0) and not cred.capable(CAP_FOWNER):
        raise KernelError(errno.EACCES)          # what Linux 6.18 answers (not the EPERM of
    del state.names[name]                        # a sticky directory)
    q.linked = False
    _free(state, q)
    return 0


def _timeout(p, u_abs_timeout, wide) -> float | None:
    """The absolute CLOCK_REALTIME deadline, checked before anything else (prepare_timeout)."""
    return _read_timespec(p, u_abs_timeout, wide) if u_abs_timeout else None


def _wait(p, ready, timeout: float | None, on_interrupt=None) -> Block:
    """Block until ready(), or ETIMEDOUT at the deadline; a signal ends the wait with EINTR,
    or restarts it under SA_RESTART (wq_sleep's -ERESTARTSYS)."""
    if timeout is None:
        return Block(ready, on_interrupt=on_interrupt)
    left = timeout - host_time.time()
    if left <= 0:
        raise KernelError(errno.ETIMEDOUT)
    return Block(ready, deadline=host_time.monotonic() + left, on_interrupt=on_interrupt)


def _notify(p, q: MessageQueue) -> None:
    """__do_notify: a message arrived in the empty queue and no receiver waits for it."""
    n = q.notify
    if n is None or len(q.messages) != 1 or any(t.alive for t in q.receivers):
        return
    q.notify = None
    if n.kind == SIGEV_SIGNAL and n.signo and n.owner.alive:
        signals.send_process(n.owner, n.signo, signals.SigInfo(
            signals.SI_MESGQ, pid=p.tgid, uid=cred_of(p).uid, value=n.value))


def _timedsend(p, mqdes, u_msg_ptr, msg_len, msg_prio, u_abs_timeout, wide):
    timeout = _timeout(p, u_abs_timeout, wide)
    if msg_prio & 0xFFFFFFFF >= MQ_PRIO_MAX:
        raise KernelError(errno.EINVAL)
    f = _queue_file(p, mqdes)
    if not f.may_write:
        raise KernelError(errno.EBADF)
    q = f.queue
    if msg_len > q.msgsize:
        raise KernelError(errno.EMSGSIZE)
    text = p.mm.read(u_msg_ptr, msg_len)
    if len(q.messages) >= q.maxmsg:
        if f.status_flags & O_NONBLOCK:
            raise KernelError(errno.EAGAIN)
        raise _wait(p, lambda: len(q.messages) < q.maxmsg, timeout)
    q.put(msg_prio & 0xFFFFFFFF, text)
    _notify(p, q)
    return 0


def _timedreceive(p, mqdes, u_msg_ptr, msg_len, u_msg_prio, u_abs_timeout, wide):
    timeout = _timeout(p, u_abs_timeout, wide)
    f = _queue_file(p, mqdes)
    if not f.may_read:
        raise KernelError(errno.EBADF)
    q = f.queue
    q.receivers.discard(p)
    if msg_len < q.msgsize:
        raise KernelError(errno.EMSGSIZE)
    if not q.messages:
        if f.status_flags & O_NONBLOCK:
            raise KernelError(errno.EAGAIN)
        q.receivers.add(p)
        try:
            raise _wait(p, lambda: bool(q.messages), timeout,
                        on_interrupt=lambda: q.receivers.discard(p))
        except KernelError:
            q.receivers.discard(p)
            raise
    if not p.mm.writable(u_msg_ptr, len(q.messages[0][2])):
        raise KernelError(errno.EFAULT)
    prio, text = q.take()
    p.mm.write(u_msg_ptr, text)
    if u_msg_prio:
        p.mm.write_u32(u_msg_prio, prio)
    return len(text)


def sys_mq_timedsend(p, mqdes, u_msg_ptr, msg_len, msg_prio, u_abs_timeout):
    return _timedsend(p, mqdes, u_msg_ptr, msg_len, msg_prio, u_abs_timeout, None)


def sys_mq_timedsend_time64(p, mqdes, u_msg_ptr, msg_len, msg_prio, u_abs_timeout):
    return _timedsend(p, mqdes, u_msg_ptr, msg_len, msg_prio, u_abs_timeout, True)


def sys_mq_timedreceive(p, mqdes, u_msg_ptr, msg_len, u_msg_prio, u_abs_timeout):
    return _timedreceive(p, mqdes, u_msg_ptr, msg_len, u_msg_prio, u_abs_timeout, None)


def sys_mq_timedreceive_time64(p, mqdes, u_msg_ptr, msg_len, u_msg_prio, u_abs_timeout):
    return _timedreceive(p, mqdes, u_msg_ptr, msg_len, u_msg_prio, u_abs_timeout, True)


def sys_mq_notify(p, mqdes, notification):
    """do_mq_notify. SIGEV_THREAD's sigev_signo names a netlink socket the cookie goes to;
    having none, this kernel answers as Linux does for a descriptor that is not one."""
    if notification:
        value, signo, kind, _ = read_sigevent(p, notification)
        if kind not in (SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD):
            raise KernelError(errno.EINVAL)
        if kind == SIGEV_SIGNAL and not 0 <= signo & 0xFFFFFFFF <= signals.NSIG:
            raise KernelError(errno.EINVAL)
        if kind == SIGEV_THREAD:
            p.mm.read(value, 32)                 # the NOTIFY_COOKIE_LEN cookie: EFAULT first
            sock = p.fds.get(signo)              # EBADF
            raise KernelError(errno.EINVAL if getattr(sock, "kind", "") == "sock"
                              else errno.ENOTSOCK)
    f = _queue_file(p, mqdes)
    q = f.queue
    owner = p.group_leader()
    if not notification:
        if q.notify is not None and q.notify.owner is owner:
            q.notify = None
        return 0
    if q.notify is not None and q.notify.owner.alive:
        raise KernelError(errno.EBUSY)
    q.notify = Notification(owner, p.fds, kind, signo if kind == SIGEV_SIGNAL else 0, value)
    return 0


def sys_mq_getsetattr(p, mqdes, u_mqstat, u_omqstat):
    new = _read_attr(p, u_mqstat) if u_mqstat else None
    if new is not None and new[0] & ~O_NONBLOCK:
        raise KernelError(errno.EINVAL)
    f = _queue_file(p, mqdes)
    q = f.queue
    old = struct.pack(_attr_format(p), f.status_flags & O_NONBLOCK, q.maxmsg, q.msgsize,
                      len(q.messages), 0, 0, 0, 0)
    if new is not None:
        f.status_flags = f.status_flags & ~O_NONBLOCK | new[0] & O_NONBLOCK
    if u_omqstat:
        p.mm.write(u_omqstat, old)
    return 0
