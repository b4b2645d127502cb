/* read, write and lseek answered in C for the descriptors that need no kernel decision: pipes
 * with room or data, /dev/null and /dev/zero, reads and seeks of regular files. Everything
 * else -- a call that would block, raise SIGPIPE, signal an O_ASYNC owner, or touch a file kind
 * not listed here -- declines, and the table's Python handler answers it.
 *
 * The state lives in memory the Python side owns (runtime/files.py): a pipe's ring and counters,
 * each description's kind and status flags, and the process's fd -> description slots. C reads
 * and updates it in place; Python sees every change at once. */
#include "sysvec.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define MAX_RW 0x7FFFF000ll           /* MAX_RW_COUNT: the most one read or write moves */
#define O_ACCMODE 3
#define O_RDONLY 0
#define O_WRONLY 1

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
    count = count < (uint64_t)MAX_RW ? count : (uint64_t)MAX_RW;
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
#define MAX_READ (64ll << 20)   /* one read's bytes pass through host memory: larger reads are
                                 * short, as runtime/linux/fs.py's MAX_READ */

/* read(2) of a host file, or pread(2) at pos when pos >= 0. As Linux copies a file out: a
 * buffer that stops being writable part way gives a short read up to that page (the bytes
 * read past it go back to the file), or EFAULT when not one byte fits. */
static int64_t host_file_read(sv_cpu *cpu, const sv_file *f, uint64_t buf, uint64_t count,
                              int64_t pos)
{
    uint8_t chunk[FILE_CHUNK];   /* engines of two machines may run in two host threads */
    count = count < (uint64_t)MAX_READ ? count : (uint64_t)MAX_READ;
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

/* --- the calls ---------------------------------------------------------------------------------- */

int64_t sv_c_read(sv_cpu *cpu, const uint64_t *args)
{
    sv_file *f = fast_file(cpu, args[0]);
    if (!f || !can_read(f))
        return SV_DECLINE;   /* not ours, or EBADF: the Python handler says which */
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
    if (pos < 0)
        return -EINVAL;
    switch (f->kind) {
    case SV_FILE_PIPE_READ:
    case SV_FILE_PIPE_WRITE:
    case SV_FILE_PIPE_RDWR:
        return -ESPIPE;
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

int64_t sv_c_write(sv_cpu *cpu, const uint64_t *args)
{
    sv_file *f = fast_file(cpu, args[0]);
    if (!f || !can_write(f))
        return SV_DECLINE;
    switch (f->kind) {
    case SV_FILE_PIPE_WRITE:
    case SV_FILE_PIPE_RDWR:
        return pipe_write(cpu, f->pipe, args[1], args[2]);
    case SV_FILE_NULL:
    case SV_FILE_ZERO:   /* write_null: the bytes are not even read */
        return args[2] < (uint64_t)MAX_RW ? (int64_t)args[2] : MAX_RW;
    default:
        return SV_DECLINE;
    }
}

int64_t sv_c_lseek(sv_cpu *cpu, const uint64_t *args)
{
    sv_file *f = fast_file(cpu, args[0]);
    if (!f)
        return SV_DECLINE;
    switch (f->kind) {
    case SV_FILE_PIPE_READ:
    case SV_FILE_PIPE_WRITE:
    case SV_FILE_PIPE_RDWR:
        return -ESPIPE;
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
