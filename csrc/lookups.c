/* Path lookups the trap path answers itself: stat, lstat, newfstatat and statx of a path a
 * process looked up before, as Linux's dcache answers them without walking the path again.
 *
 * Python's VFS walk (runtime/vfs.py) decides every lookup: it keeps the guest inside its root,
 * follows symbolic links the guest's way, checks search permission and finds synthetic
 * nodes. When a walk that met no synthetic node ended on a plain host file,
 * runtime/lookup_cache.py records it here: the path, the process's lookup context (its root,
 * working directory and credentials), and where the walk ended -- a host directory and a name
 * in it, held open. A later stat of the same path in the same context stats the name in
 * that directory without following it, after checking (once a tick of the coarse clock)
 * that the directory's host path, opened with RESOLVE_NO_SYMLINKS, still reaches it: what the
 * host or another machine does to the tree cannot lead C through a host symlink.
 *
 * Python invalidates every entry when names or attributes change (a rename, unlink, symlink,
 * mount, chmod, chown: sv_lookups_invalidate); an entry also lapses after a second, so a change
 * made from outside the machine (a symlink on the way retargeted by the host) is seen soon.
 * Anything unexpected -- no entry, a directory moved, replaced or reached through a symlink
 * now, a missing name, a name that became a symlink -- declines, and the walk answers. */
#define _GNU_SOURCE   /* O_PATH */
#include "sysvec.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define LOOKUP_TTL_NS 1000000000ll   /* an entry's life: external changes are seen within it */

static int64_t coarse_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static uint64_t lookup_hash(int64_t ctx, uint32_t follow, const char *path, size_t len)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)ctx * 0x9E3779B97F4A7C15ull ^ follow;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)path[i]) * 1099511628211ull;
    return h | 1;   /* 0 marks an empty slot */
}

void sv_lookups_invalidate(sv_lookups *lk)
{
    lk->generation++;
}

int sv_lookups_set_dir(sv_lookups *lk, uint32_t index, int32_t fd, uint64_t dev, uint64_t ino,
                       const char *host)
{
    size_t len = strlen(host);
    if (index >= SV_LOOKUP_DIRS || len >= sizeof lk->dirs[0].host)
        return -1;
    sv_lookup_dir *d = &lk->dirs[index];
    d->fd = fd;
    d->dev = dev;
    d->ino = ino;
    d->checked_ns = coarse_now();
    memcpy(d->host, host, len + 1);
    return 0;
}

/* The directory at host path, opened (O_PATH) a component at a time with O_NOFOLLOW, so only
 * if no component of the path is a symbolic link; -1 if not. */
int sv_walk_dir_no_symlinks(const char *host)
{
    if (host[0] != '/')
        return -1;
    int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    char name[256];
    for (const char *p = host; fd >= 0 && *p;) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (n == 0)
            break;
        if (n >= sizeof name) {
            close(fd);
            return -1;
        }
        memcpy(name, p, n);
        name[n] = 0;
        p += n;
        int next = openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(fd);
        fd = next;
    }
    return fd;
}

/* The same with openat2's RESOLVE_NO_SYMLINKS, in one call, where the kernel (and a seccomp
 * filter) allows it. The one opener of these directories: runtime/lookup_cache.py calls it
 * too. */
int sv_open_dir_no_symlinks(const char *host)
{
    static int no_openat2;
    if (!no_openat2) {
        struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                               .resolve = RESOLVE_NO_SYMLINKS};
        int fd = (int)syscall(SYS_openat2, AT_FDCWD, host, &how, sizeof how);
        if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
            return fd;
        no_openat2 = 1;
    }
    return sv_walk_dir_no_symlinks(host);
}

/* Whether d's host path still reaches the directory held, with no host symlink on the way:
 * looked at once a tick of the coarse clock (a few milliseconds), as a held directory is a
 * reference to the directory itself (a process's cwd is no different). */
static int dir_still_reached(sv_lookup_dir *d, int64_t now)
{
    if (d->checked_ns == now)
        return 1;
    int dir = sv_open_dir_no_symlinks(d->host);
    if (dir < 0)
        return 0;            /* gone, or a host symlink on the way now */
    struct stat st;
    int same = fstat(dir, &st) == 0 && st.st_dev == d->dev && st.st_ino == d->ino;
    close(dir);
    if (same)
        d->checked_ns = now;
    return same;
}

int sv_lookups_add(sv_lookups *lk, int64_t ctx, uint32_t follow, const char *path, uint32_t len,
                   uint32_t dir, const char *name)
{
    size_t name_len = strlen(name);
    if (ctx == 0 || len == 0 || len >= SV_LOOKUP_PATH || dir >= SV_LOOKUP_DIRS ||
        name_len == 0 || name_len >= sizeof lk->slots[0].name)
        return -1;
    uint64_t hash = lookup_hash(ctx, follow, path, len);
    sv_lookup *e = &lk->slots[hash & (SV_LOOKUP_SLOTS - 1)];
    e->hash = hash;
    e->ctx = ctx;
    e->generation = lk->generation;
    e->made_ns = coarse_now();
    e->follow = follow;
    e->dir = dir;
    e->path_len = len;
    memcpy(e->path, path, len);
    memcpy(e->name, name, name_len + 1);
    return 0;
}

/* The host file the guest path at path_addr names for the current process, stat'ed as the
 * walk would (lstat of where it ended): 0 with *out filled, or SV_DECLINE for the walk. */
int64_t sv_lookup_stat(sv_cpu *cpu, int64_t dirfd, uint64_t path_addr, uint32_t follow,
                       struct stat *out)
{
    sv_lookups *lk = cpu->lookups;
    if (!lk || !cpu->lookup_ctx || *cpu->lookup_ctx == 0 || !cpu->iattr_entries ||
        *cpu->iattr_entries)
        return SV_DECLINE;   /* no cache, a context never cached, or owners to lay over */
    char path[SV_LOOKUP_PATH];
    int64_t len = sv_as_strlen(cpu->aspace, path_addr, SV_LOOKUP_PATH);
    if (len <= 0 || sv_as_read(cpu->aspace, path_addr, path, (uint64_t)len))
        return SV_DECLINE;   /* a bad pointer, "", or a long path: the walk's errors */
    if (path[0] != '/' && (int32_t)dirfd != -100 /* AT_FDCWD */)
        return SV_DECLINE;   /* relative to a descriptor */
    int64_t ctx = *cpu->lookup_ctx;
    uint64_t hash = lookup_hash(ctx, follow, path, (size_t)len);
    const sv_lookup *e = &lk->slots[hash & (SV_LOOKUP_SLOTS - 1)];
    if (e->hash != hash || e->ctx != ctx || e->generation != lk->generation ||
        e->follow != follow || e->path_len != (uint32_t)len || memcmp(e->path, path, (size_t)len))
        return SV_DECLINE;
    int64_t now = coarse_now();
    if (now - e->made_ns > LOOKUP_TTL_NS)
        return SV_DECLINE;   /* lapsed: the walk looks again */
    sv_lookup_dir *d = &lk->dirs[e->dir];
    if (!dir_still_reached(d, now))
        return SV_DECLINE;   /* moved, replaced, or reached through a symlink now */
    struct stat st;
    int rc = fstatat(d->fd, e->name, &st, AT_SYMLINK_NOFOLLOW);
    if (rc != 0 || (follow && S_ISLNK(st.st_mode)))
        return SV_DECLINE;   /* gone, or a link now: the walk says what that means */
    st.st_uid = st.st_gid = 0;   /* as files.c's fill_stat: the guest is root */
    st.st_blksize = SV_BLKSIZE;
    *out = st;
    return 0;
}
