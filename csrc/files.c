/* read, write, pread64, pwrite64, lseek, poll, fstat, newfstatat and statx answered in C for
 * the descriptors that need no kernel decision: pipes with room or data, /dev/null and
 * /dev/zero, reads, seeks and stats of regular files, and writes to them while no file size
 * limit or watcher needs Python to see them, and writes to the host's stdout and stderr; and
 * stats of the paths the lookup cache knows (lookups.c). Everything
 * else -- a call that would block, raise SIGPIPE, signal an O_ASYNC owner, or touch a file kind
 * not listed here -- declines, and the table's Python handler answers it.
 *
 * The state lives in memory the Python side owns (runtime/files.py): a pipe's ring and counters,
 * each description's kind and status flags, and the process's fd -> description slots. C reads
 * and updates it in place; Python sees every change at once. */
#define _GNU_SOURCE   /* struct statx */
#include "sysvec.h"

#include <errno.h>
#include <fcntl.h>   /* O_ACCMODE, AT_EMPTY_PATH...: the guest's Linux values are the host's */
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define HOST_WRITE_MAX 16384   /* the most a file write C answers copies, on the stack */

static inline sv_file *fast_file(const sv_cpu *cpu, uint64_t fd_arg)
{
    int32_t fd = (int32_t)fd_arg;   /* an int argument: the upper half is not the guest's */
    if (!cpu->files || fd < 0 || fd >= SV_FAST_FDS)
        return NULL;
    return cpu->files[fd];
}

static inline int can_read(const sv_file *f)
{
    return (f->status & O_ACCMODE) != O_WRONLY;
}

static inline int can_write(const sv_file *f)
{
    return (f->status & O_ACCMODE) != O_RDONLY;
}

/* Data moved through a pipe may have made its other end's process runnable: a long slice
 * (no other process could run when it began) ends within a quantum, as a Python call's does. */
static inline void may_have_woken(sv_cpu *cpu)
{
    if (cpu->wake_budget) {
        sv_cpu_shorten(cpu, cpu->wake_budget);
        cpu->wake_budget = 0;
    }
}

/* access_ok, as vfs_read and vfs_write ask before anything else: the buffer lies in the
 * user half of the address space (a kernel address is EFAULT even for /dev/null, or count 0). */
static inline int access_ok(const sv_cpu *cpu, uint64_t addr, uint64_t size)
{
    uint64_t top = cpu->bits == 64 ? 0x7FFFFFFFF000ull : 0xFFFFE000ull;   /* TASK_SIZE */
    return size <= top && addr <= top - size;
}

static int64_t efault(const sv_cpu *cpu, int rc)
{
    return rc == -2 ? -ENOMEM : cpu->table->efault_result;
}

/* --- pipes ------------------------------------------------------------------------------------ */

static int64_t pipe_read(sv_cpu *cpu, sv_pipe *p, uint64_t buf, uint64_t count)
{
    if (count == 0)
        return 0;
    if (p->len == 0)
        return p->writers ? SV_DECLINE : 0;   /* empty: block or EAGAIN in Python; EOF */
    int64_t n = p->len < (int64_t)count ? p->len : (int64_t)count;
    int64_t first = p->cap - p->head < n ? p->cap - p->head : n;
    int rc = sv_as_write(cpu->aspace, buf, p->ring + p->head, (uint64_t)first);
    if (rc == 0 && n > first)
        rc = sv_as_write(cpu->aspace, buf + (uint64_t)first, p->ring, (uint64_t)(n - first));
    if (rc)
        return efault(cpu, rc);   /* nothing is taken from the pipe */
    p->head = (p->head + n) % p->cap;
    p->len -= n;
    p->gen++;
    may_have_woken(cpu);
    return n;
}

/* Only a write that fits whole: a partial or blocking one (and its progress across a restart)
 * is the Python handler's, as are SIGPIPE and O_ASYNC notices. */
static int64_t pipe_write(sv_cpu *cpu, sv_pipe *p, uint64_t buf, uint64_t count)
{
    if (count == 0)
        return 0;
    if (cpu->write_pending || p->readers == 0 || (p->flags & SV_PIPE_NOTIFY) ||
        count > (uint64_t)(p->cap - p->len))
        return SV_DECLINE;
    int64_t n = (int64_t)count;
    int64_t tail = (p->head + p->len) % p->cap;
    int64_t first = p->cap - tail < n ? p->cap - tail : n;
    int rc = sv_as_read(cpu->aspace, buf, p->ring + tail, (uint64_t)first);
    if (rc == 0 && n > first)
        rc = sv_as_read(cpu->aspace, buf + (uint64_t)first, p->ring, (uint64_t)(n - first));
    if (rc)
        return efault(cpu, rc);   /* the bytes copied so far are not committed */
    p->len += n;
    p->gen++;
    may_have_woken(cpu);
    return n;
}

/* --- /dev/zero and regular files ------------------------------------------------------------------ */

static int64_t zero_fill(sv_cpu *cpu, uint64_t buf, uint64_t count)
{
    static const uint8_t zeros[4096];
    uint64_t done = 0;
    count = count < (uint64_t)SV_MAX_RW ? count : (uint64_t)SV_MAX_RW;
    while (done < count) {
        uint64_t n = count - done < sizeof zeros ? count - done : sizeof zeros;
        int rc = sv_as_write(cpu->aspace, buf + done, zeros, n);
        if (rc)
            return done ? (int64_t)done : efault(cpu, rc);   /* as read_zero: what was cleared */
        done += n;
    }
    return (int64_t)done;
}

/* How many bytes from addr (at most len) the kernel may write for the guest: up to the first
 * page that is not mapped writable. */
static uint64_t writable_prefix(sv_aspace *as, uint64_t addr, uint64_t len)
{
    uint64_t done = 0;
    while (done < len) {
        uint32_t prot = 0;
        if (addr + done < addr || sv_as_query(as, addr + done, &prot) != 0 || !(prot & SV_PROT_W))
            break;
        uint64_t in_page = SV_PAGE_SIZE - ((addr + done) & (SV_PAGE_SIZE - 1));
        done += in_page < len - done ? in_page : len - done;
    }
    return done;
}

#define FILE_CHUNK 16384       /* host bytes per read(2), through the stack; a guest copy each */

/* read(2) of a host file, or pread(2) at pos when pos >= 0. As Linux copies a file out: a
 * buffer that stops being writable part way gives a short read up to that page (the bytes
 * read past it go back to the file), or EFAULT when not one byte fits. */
static int64_t host_file_read(sv_cpu *cpu, const sv_file *f, uint64_t buf, uint64_t count,
                              int64_t pos)
{
    uint8_t chunk[FILE_CHUNK];   /* engines of two machines may run in two host threads */
    if (!cpu->file_rules || cpu->file_rules[1])
        return SV_DECLINE;       /* a shared mapping's pages may hold newer data: Python's */
    count = count < (uint64_t)SV_MAX_READ ? count : (uint64_t)SV_MAX_READ;
    uint64_t done = 0;
    while (done < count) {
        size_t want = count - done < FILE_CHUNK ? (size_t)(count - done) : FILE_CHUNK;
        ssize_t got = pos < 0 ? read((int)f->host_fd, chunk, want)
                              : pread((int)f->host_fd, chunk, want, (off_t)(pos + (int64_t)done));
        if (got < 0)
            return done ? (int64_t)done : (errno == EINTR ? SV_DECLINE : -errno);
        if (got == 0)
            break;
        uint64_t fits = writable_prefix(cpu->aspace, buf + done, (uint64_t)got);
        int rc = fits ? sv_as_write(cpu->aspace, buf + done, chunk, fits) : 0;
        if (rc)
            fits = 0;   /* out of guest memory: nothing of this chunk arrived */
        if (fits < (uint64_t)got) {
            if (pos < 0)
                lseek((int)f->host_fd, (off_t)fits - (off_t)got, SEEK_CUR);
            done += fits;
            return done ? (int64_t)done : rc ? efault(cpu, rc) : cpu->table->efault_result;
        }
        done += (uint64_t)got;
        if ((size_t)got < want)
            break;
    }
    return (int64_t)done;
}

/* Whether a read of the host descriptor would not wait (data, end of file or an error). */
static int host_readable(int fd)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    return poll(&pfd, 1, 0) > 0;
}

/* A read of the host's stdin (a file or pipe the run was given): what is there now, up to
 * count. Nothing there yet is the Python handler's to wait for; so is a buffer not wholly
 * writable, since bytes read from a pipe cannot go back. */
static int64_t host_stream_read(sv_cpu *cpu, const sv_file *f, uint64_t buf, uint64_t count)
{
    uint8_t chunk[FILE_CHUNK];
    int fd = (int)f->host_fd;
    count = count < (uint64_t)SV_MAX_READ ? count : (uint64_t)SV_MAX_READ;
    if (count == 0 || writable_prefix(cpu->aspace, buf, count) < count)
        return SV_DECLINE;
    uint64_t done = 0;
    while (done < count && host_readable(fd)) {
        size_t want = count - done < FILE_CHUNK ? (size_t)(count - done) : FILE_CHUNK;
        ssize_t got = read(fd, chunk, want);
        if (got < 0) {
            if (done)
                break;
            return errno == EAGAIN || errno == EINTR ? SV_DECLINE : -errno;
        }
        if (got == 0)
            return (int64_t)done;   /* end of file */
        int rc = sv_as_write(cpu->aspace, buf + done, chunk, (uint64_t)got);
        if (rc)
            return done ? (int64_t)done : efault(cpu, rc);
        done += (uint64_t)got;
        if ((size_t)got < want)
            break;
    }
    return done ? (int64_t)done : SV_DECLINE;   /* nothing there yet: a wait */
}

/* --- fstat ----------------------------------------------------------------------------------------
 * x86-64's struct stat is the host's own (this file is built for x86-64 hosts only), laid out
 * as runtime/abi_structs.py's pack_stat writes it: the guest is root, so files are 0:0, and
 * st_blksize is the I/O size sysvec advises. */

_Static_assert(sizeof(struct stat) == 144, "x86-64 struct stat");

/* What fstat shows of a description: 0, -errno, or SV_DECLINE when the Python handler would
 * show something else -- the machine keeps attributes for some inode (owners, set-id bits the
 * guest set), or the description is not one C knows. */
static int64_t fill_stat(const sv_cpu *cpu, uint64_t fd, struct stat *out)
{
    sv_file *f = fast_file(cpu, fd);
    if (!f || !cpu->iattr_entries || *cpu->iattr_entries)
        return SV_DECLINE;
    struct stat st;
    switch (f->kind) {
    case SV_FILE_HOST:
        if (fstat((int)f->host_fd, &st) != 0)
            return -errno;
        st.st_uid = st.st_gid = 0;
        st.st_blksize = SV_BLKSIZE;
        break;
    case SV_FILE_PIPE_READ:
    case SV_FILE_PIPE_WRITE:
    case SV_FILE_PIPE_RDWR:
        if (f->host_fd >= 0)
            return SV_DECLINE;   /* a named pipe: its inode's stat, which Python shows */
        /* fall through */
    case SV_FILE_NULL:
    case SV_FILE_ZERO:
        memset(&st, 0, sizeof st);   /* files.py's synthetic_stat */
        st.st_dev = SV_SYNTHETIC_DEV;
        st.st_nlink = 1;
        st.st_blksize = SV_BLKSIZE;
        st.st_atim.tv_sec = cpu->synthetic_ns / 1000000000;
        st.st_atim.tv_nsec = cpu->synthetic_ns % 1000000000;
        st.st_mtim = st.st_ctim = st.st_atim;
        if (f->pipe) {
            st.st_ino = (ino_t)f->pipe->ino;
            st.st_mode = S_IFIFO | 0600;
            st.st_size = f->pipe->len;
        } else {   /* device_stat: crw-rw-rw-, the inode is the device number */
            st.st_ino = (ino_t)f->rdev;
            st.st_rdev = (dev_t)f->rdev;
            st.st_mode = S_IFCHR | 0666;
        }
        break;
    default:
        return SV_DECLINE;
    }
    *out = st;
    return 0;
}

/* Whether the *at call's path is "" (AT_EMPTY_PATH on the descriptor itself); a NULL or
 * unreadable path is the Python handler's to answer. */
static int empty_path(sv_cpu *cpu, uint64_t path)
{
    char first = 1;
    return path && sv_as_read(cpu->aspace, path, &first, 1) == 0 && first == 0;
}

static int64_t stat_fast(sv_cpu *cpu, uint64_t fd, uint64_t buf)
{
    struct stat st;
    if (cpu->table->word_size != 8)
        return SV_DECLINE;   /* i386's struct stat: the Python handler's */
    int64_t rc = fill_stat(cpu, fd, &st);
    if (rc)
        return rc;
    int wrc = sv_as_write(cpu->aspace, buf, &st, sizeof st);
    return wrc ? efault(cpu, wrc) : 0;
}

int64_t sv_c_fstat(sv_cpu *cpu, const uint64_t *args)
{
    return stat_fast(cpu, args[0], args[1]);
}

/* statx(fd, "", AT_EMPTY_PATH, mask, buf) or of a path the lookup cache knows: one layout
 * on both ABIs, as abi_structs.py's pack_statx writes it -- the basic stats whatever the
 * mask. A birth time asked for is Python's to find (runtime/birthtime.py). */
int64_t sv_c_statx(sv_cpu *cpu, const uint64_t *args)
{
    uint64_t flags = (uint32_t)args[2];
    struct stat st;
    if (((uint32_t)args[3] & (STATX_BTIME | 0x80000000u)) ||
        (flags & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | 0x6000)) ||
        (flags & 0x6000) == 0x6000)
        return SV_DECLINE;   /* a birth time, or flags Python refuses: the VFS's */
    int64_t rc;
    if ((flags & AT_EMPTY_PATH) && empty_path(cpu, args[1]))
        rc = fill_stat(cpu, args[0], &st);
    else   /* a path: a lookup C knows (lookups.c) */
        rc = sv_lookup_stat(cpu, (int32_t)args[0], args[1], !(flags & AT_SYMLINK_NOFOLLOW), &st);
    if (rc)
        return rc;
    struct statx sx;
    memset(&sx, 0, sizeof sx);
    sx.stx_mask = STATX_BASIC_STATS;
    sx.stx_blksize = SV_BLKSIZE;
    sx.stx_nlink = (uint32_t)st.st_nlink;
    sx.stx_uid = st.st_uid;
    sx.stx_gid = st.st_gid;
    sx.stx_mode = (uint16_t)st.st_mode;
    sx.stx_ino = st.st_ino;
    sx.stx_size = (uint64_t)st.st_size;
    sx.stx_blocks = (uint64_t)st.st_blocks;
    sx.stx_atime.tv_sec = st.st_atim.tv_sec, sx.stx_atime.tv_nsec = (uint32_t)st.st_atim.tv_nsec;
    sx.stx_ctime.tv_sec = st.st_ctim.tv_sec, sx.stx_ctime.tv_nsec = (uint32_t)st.st_ctim.tv_nsec;
    sx.stx_mtime.tv_sec = st.st_mtim.tv_sec, sx.stx_mtime.tv_nsec = (uint32_t)st.st_mtim.tv_nsec;
    sx.stx_rdev_major = major(st.st_rdev), sx.stx_rdev_minor = minor(st.st_rdev);
    sx.stx_dev_major = major(st.st_dev), sx.stx_dev_minor = minor(st.st_dev);
    _Static_assert(sizeof sx == 256, "struct statx");
    int wrc = sv_as_write(cpu->aspace, args[4], &sx, sizeof sx);
    return wrc ? efault(cpu, wrc) : 0;
}

/* A path's stat, when the lookup cache knows where the path leads (lookups.c). */
static int64_t path_stat_fast(sv_cpu *cpu, uint64_t dirfd, uint64_t path, uint32_t follow,
                              uint64_t buf)
{
    struct stat st;
    if (cpu->table->word_size != 8)
        return SV_DECLINE;   /* i386's struct stat: the Python handler's */
    int64_t rc = sv_lookup_stat(cpu, (int32_t)dirfd, path, follow, &st);
    if (rc)
        return rc;
    int wrc = sv_as_write(cpu->aspace, buf, &st, sizeof st);
    return wrc ? efault(cpu, wrc) : 0;
}

/* newfstatat(fd, "", buf, AT_EMPTY_PATH): glibc's fstat; with a path, a lookup C knows. */
int64_t sv_c_newfstatat(sv_cpu *cpu, const uint64_t *args)
{
    uint64_t flags = (uint32_t)args[3];
    if (flags & ~(uint64_t)(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT))
        return SV_DECLINE;   /* EINVAL: the Python handler's */
    if ((flags & AT_EMPTY_PATH) && empty_path(cpu, args[1]))
        return stat_fast(cpu, args[0], args[2]);
    return path_stat_fast(cpu, args[0], args[1], !(flags & AT_SYMLINK_NOFOLLOW), args[2]);
}

int64_t sv_c_stat(sv_cpu *cpu, const uint64_t *args)
{
    return path_stat_fast(cpu, (uint64_t)(int64_t)AT_FDCWD, args[0], 1, args[1]);
}

int64_t sv_c_lstat(sv_cpu *cpu, const uint64_t *args)
{
    return path_stat_fast(cpu, (uint64_t)(int64_t)AT_FDCWD, args[0], 0, args[1]);
}

/* --- the calls ---------------------------------------------------------------------------------- */

int64_t sv_c_read(sv_cpu *cpu, const uint64_t *args)
{
    sv_file *f = fast_file(cpu, args[0]);
    if (!f || !can_read(f))
        return SV_DECLINE;   /* not ours, or EBADF: the Python handler says which */
    if (!access_ok(cpu, args[1], args[2]))
        return cpu->table->efault_result;
    switch (f->kind) {
    case SV_FILE_PIPE_READ:
    case SV_FILE_PIPE_RDWR:
        return pipe_read(cpu, f->pipe, args[1], args[2]);
    case SV_FILE_NULL:
        return 0;
    case SV_FILE_ZERO:
        return zero_fill(cpu, args[1], args[2]);
    case SV_FILE_HOST:
        return host_file_read(cpu, f, args[1], args[2], -1);
    case SV_FILE_HOST_STREAM:
        return host_stream_read(cpu, f, args[1], args[2]);
    default:
        return SV_DECLINE;
    }
}

/* pread64: the position is one argument on both ABIs (the trap path joins i386's pair). */
int64_t sv_c_pread64(sv_cpu *cpu, const uint64_t *args)
{
    sv_file *f = fast_file(cpu, args[0]);
    int64_t pos = (int64_t)args[3];
    if (!f || !can_read(f))
        return SV_DECLINE;
    if (!access_ok(cpu, args[1], args[2]))
        return cpu->table->efault_result;
    if (pos < 0)
        return -EINVAL;
    if (f->pipe)
        return -ESPIPE;   /* a pipe has no position */
    switch (f->kind) {
    case SV_FILE_NULL:
        return 0;
    case SV_FILE_ZERO:
        return zero_fill(cpu, args[1], args[2]);
    case SV_FILE_HOST:
        return host_file_read(cpu, f, args[1], args[2], pos);
    default:
        return SV_DECLINE;
    }
}

/* copy_from_user as a write to a file takes a buffer: up to the first page that cannot be
 * read (generic_perform_write stops there). The bytes copied, or the first page's error. */
static int64_t copy_in_prefix(sv_cpu *cpu, uint64_t addr, uint8_t *dst, uint64_t count)
{
    int rc = sv_as_read(cpu->aspace, addr, dst, count);
    if (rc == 0)
        return (int64_t)count;
    uint64_t done = 0;
    while (done < count) {
        uint64_t in_page = SV_PAGE_SIZE - ((addr + done) & (SV_PAGE_SIZE - 1));
        uint64_t n = count - done < in_page ? count - done : in_page;
        if ((rc = sv_as_read(cpu->aspace, addr + done, dst + done, n)) != 0)
            break;
        done += n;
    }
    return done ? (int64_t)done : efault(cpu, rc);
}

/* A write to a regular file, at the position (pos < 0) or at pos, straight to the host file,
 * while no rule needs Python to see it (an RLIMIT_FSIZE, watched directories, a shared
 * mapping of some file: vfs.py's file_rules); writes larger than the copy on the stack are the Python handler's. O_APPEND is
 * the description's, not the host descriptor's (F_SETFL changes it), so the end is found here,
 * as HostFile's write and pwrite do: with it, pwrite appends whatever pos says, as Linux. */
static int64_t host_write(sv_cpu *cpu, const sv_file *f, uint64_t buf, uint64_t count,
                          int64_t pos)
{
    uint8_t data[HOST_WRITE_MAX];
    if (!cpu->file_rules || cpu->file_rules[0] || cpu->file_rules[1] || count > sizeof data)
        return SV_DECLINE;
    /* a file with set-id bits loses them to an unprivileged writer: Python's to decide */
    if (!cpu->iattr_entries || cpu->iattr_entries[1])
        return SV_DECLINE;
    int64_t got = copy_in_prefix(cpu, buf, data, count);
    if (got <= 0)
        return got;   /* an error, or nothing to write: even O_APPEND leaves the position */
    int fd = (int)f->host_fd;
    ssize_t n;
    if (pos < 0) {
        if ((f->status & O_APPEND) && lseek(fd, 0, SEEK_END) < 0)
            return -errno;
        n = write(fd, data, (size_t)got);
    } else {
        struct stat st;
        if ((f->status & O_APPEND) && fstat(fd, &st) < 0)
            return -errno;
        n = pwrite(fd, data, (size_t)got, (f->status & O_APPEND) ? st.st_size : pos);
    }
    return n < 0 ? -errno : n;
}

/* A write to the host's stdout or stderr (a pipe, file or device the run was given): all of
 * the buffer, or nothing. A fault in the buffer, a full non-blocking pipe or a closed reader
 * (EPIPE is SIGPIPE too) wrote nothing, so the Python handler answers those from the start. */
static int64_t host_stream_write(sv_cpu *cpu, const sv_file *f, uint64_t buf, uint64_t count)
{
    uint8_t data[HOST_WRITE_MAX];
    if (count > sizeof data || sv_as_read(cpu->aspace, buf, data, count) != 0)
        return SV_DECLINE;
    uint64_t done = 0;
    while (done < count) {
        ssize_t n = write((int)f->host_fd, data + done, (size_t)(count - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return done ? (int64_t)done : SV_DECLINE;
        done += (uint64_t)n;
    }
    return (int64_t)done;
}

int64_t sv_c_pwrite64(sv_cpu *cpu, const uint64_t *args)
{
    sv_file *f = fast_file(cpu, args[0]);
    int64_t pos = (int64_t)args[3];
    if (!f || !can_write(f) || f->kind != SV_FILE_HOST)
        return SV_DECLINE;
    if (!access_ok(cpu, args[1], args[2]))
        return cpu->table->efault_result;
    if (pos < 0)
        return -EINVAL;
    return host_write(cpu, f, args[1], args[2], pos);
}

int64_t sv_c_write(sv_cpu *cpu, const uint64_t *args)
{
    sv_file *f = fast_file(cpu, args[0]);
    if (!f || !can_write(f))
        return SV_DECLINE;
    if (!access_ok(cpu, args[1], args[2]))
        return cpu->table->efault_result;
    switch (f->kind) {
    case SV_FILE_PIPE_WRITE:
    case SV_FILE_PIPE_RDWR:
        return pipe_write(cpu, f->pipe, args[1], args[2]);
    case SV_FILE_NULL:
    case SV_FILE_ZERO:   /* write_null: the bytes are not even read */
        return args[2] < (uint64_t)SV_MAX_RW ? (int64_t)args[2] : SV_MAX_RW;
    case SV_FILE_HOST:
        return host_write(cpu, f, args[1], args[2], -1);
    case SV_FILE_HOST_STREAM:
        return host_stream_write(cpu, f, args[1], args[2]);
    default:
        return SV_DECLINE;
    }
}

/* --- poll -------------------------------------------------------------------------------------- */

#define POLL_C_MAX 64   /* the most entries C copies, on the stack */
#define READABLE (POLLIN | POLLRDNORM)
#define WRITABLE (POLLOUT | POLLWRNORM)

/* The events that hold for f now (readiness.py's poll_mask), or -1 when only Python knows. */
static int poll_mask(const sv_file *f)
{
    const sv_pipe *p = f->pipe;
    switch (f->kind) {
    case SV_FILE_PIPE_READ:
        return (p->len ? READABLE : 0) | (p->writers ? 0 : POLLHUP);
    case SV_FILE_PIPE_WRITE:
        if (!p->readers)
            return WRITABLE | POLLERR;
        return p->cap - p->len >= (p->cap < SV_PIPE_BUF ? p->cap : SV_PIPE_BUF) ? WRITABLE : 0;
    case SV_FILE_NULL:
    case SV_FILE_ZERO:
    case SV_FILE_HOST:   /* a regular file is always ready, as Linux's DEFAULT_POLLMASK */
        return READABLE | WRITABLE;
    case SV_FILE_HOST_STREAM:   /* HostStdio's: writes never wait (they block the machine) */
        return (host_readable((int)f->host_fd) ? READABLE : 0) | WRITABLE;
    default:
        return -1;
    }
}

/* poll(ufds, nfds, timeout) when it need not wait: some descriptor is ready, or the timeout is
 * 0. Every descriptor must be one C knows; a wait, a bad descriptor (POLLNVAL) or a bad
 * buffer is the Python handler's. A shell's `read` polls before every byte it reads. */
int64_t sv_c_poll(sv_cpu *cpu, const uint64_t *args)
{
    struct pollfd fds[POLL_C_MAX];
    uint64_t nfds = (uint32_t)args[1];
    int32_t timeout = (int32_t)args[2];
    if (nfds == 0 || nfds > POLL_C_MAX ||
        sv_as_read(cpu->aspace, args[0], fds, nfds * sizeof fds[0]) != 0)
        return SV_DECLINE;
    int64_t ready = 0;
    for (uint64_t i = 0; i < nfds; i++) {
        fds[i].revents = 0;
        if (fds[i].fd < 0)
            continue;   /* an entry to skip */
        sv_file *f = fast_file(cpu, (uint32_t)fds[i].fd);
        int mask = f ? poll_mask(f) : -1;
        if (mask < 0)
            return SV_DECLINE;
        fds[i].revents = (short)(mask & ((uint16_t)fds[i].events | POLLERR | POLLHUP | POLLNVAL));
        ready += fds[i].revents != 0;
    }
    if (!ready && timeout != 0)
        return SV_DECLINE;   /* a wait: the scheduler's */
    int rc = sv_as_write(cpu->aspace, args[0], fds, nfds * sizeof fds[0]);
    return rc ? efault(cpu, rc) : ready;
}

int64_t sv_c_lseek(sv_cpu *cpu, const uint64_t *args)
{
    sv_file *f = fast_file(cpu, args[0]);
    if (!f)
        return SV_DECLINE;
    if (f->pipe)
        return -ESPIPE;
    switch (f->kind) {
    case SV_FILE_NULL:
    case SV_FILE_ZERO:
        return 0;   /* null and zero seek anywhere and stay at 0 */
    case SV_FILE_HOST: {
        if (cpu->table->word_size != 8)
            return SV_DECLINE;   /* a 32-bit off_t: EOVERFLOW past 2 GiB, the Python handler's */
        uint64_t whence = (uint32_t)args[2];
        if (whence > 4)   /* SEEK_SET, CUR, END, DATA, HOLE */
            return -EINVAL;
        off_t pos = lseek((int)f->host_fd, (off_t)args[1], (int)whence);
        return pos < 0 ? -errno : (int64_t)pos;
    }
    default:
        return SV_DECLINE;
    }
}
