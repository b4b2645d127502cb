/* The native `tblc` launcher (runtime/launcher.py builds it and installs it over the Python
 * console script).  A Python client pays Python's own start-up (~35 ms) before it can ask the
 * warm server for a run; this one asks at once.  `tblc run` with no terminal on stdio goes to
 * the warm server of runtime/warmstart.py over the same protocol as its Python client; every
 * other command, and every run the server cannot take, execs the Python entry point with the
 * same arguments (which then starts cold, or starts the server).
 *
 * Built with SV_PYTHON (the interpreter) and SV_TREE (the sysvec package's directory): both are
 * part of the server's settings key, which this computes exactly as warmstart.settings_key. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SV_PYTHON
#error "build with -DSV_PYTHON=\"/path/to/python3\" (runtime/launcher.py does)"
#endif
#ifndef SV_TREE
#error "build with -DSV_TREE=\"/path/to/sysvec\" (runtime/launcher.py does)"
#endif

#ifdef SV_MARK
/* runtime/launcher.py finds this to tell an installed launcher from the console script. */
__attribute__((used)) static const char mark[] = SV_MARK;
#endif

extern char **environ;

/* --- cold start: the Python entry point -------------------------------------------------- */

static void cold(int argc, char **argv)
{
    char **args = calloc((size_t)argc + 4, sizeof *args);
    if (!args) {
        perror("tblc");
        exit(70);
    }
    args[0] = (char *)SV_PYTHON;
    args[1] = (char *)"-P";             /* the working directory is not an import path */
    args[2] = (char *)"-c";
    args[3] = (char *)"import sys; from sysvec.cli import main; sys.exit(main())";
    for (int i = 1; i < argc; i++)
        args[i + 3] = argv[i];
    execv(SV_PYTHON, args);
    fprintf(stderr, "tblc: cannot run the Python interpreter %s: %s (reinstall sysvec: "
            "scripts/setup)\n", SV_PYTHON, strerror(errno));
    exit(70);
}

/* --- a growable byte buffer --------------------------------------------------------------- */

struct buf {
    unsigned char *data;
    size_t len, cap;
};

static int put(struct buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *data = realloc(b->data, cap);
        if (!data)
            return -1;
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

static int put_u32(struct buf *b, uint32_t v)
{
    unsigned char le[4] = {v, v >> 8, v >> 16, v >> 24};
    return put(b, le, 4);
}

static int put_i64(struct buf *b, int64_t value)
{
    uint64_t v = (uint64_t)value;
    unsigned char le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)(v >> (8 * i));
    return put(b, le, 8);
}

static int put_blob(struct buf *b, const void *p, size_t n)
{
    return put_u32(b, (uint32_t)n) || put(b, p, n);
}

/* --- the settings key and the socket's path (warmstart.settings_key, socket_path) ---------- */

static int keyed(const char *entry)
{
    static const char *prefixes[] = {"SYSVEC_", "PYTHON", "LC_", "LD_", "ASAN_", "UBSAN_",
                                     "MALLOC_"};
    static const char *names[] = {"LANG", "LANGUAGE", "HOME", "XDG_CACHE_HOME", "TMPDIR"};
    const char *eq = strchr(entry, '=');
    if (!eq)
        return 0;
    size_t n = (size_t)(eq - entry);
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (n >= strlen(prefixes[i]) && !strncmp(entry, prefixes[i], strlen(prefixes[i])))
            return 1;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (n == strlen(names[i]) && !strncmp(entry, names[i], n))
            return 1;
    return 0;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The interpreter, the tree, the uid and the keyed variables, NUL-separated. */
static int settings_key(struct buf *key)
{
    size_t n = 0, k = 0;
    while (environ[n])
        n++;
    char **keyed_env = calloc(n + 1, sizeof *keyed_env);
    if (!keyed_env)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (keyed(environ[i]))
            keyed_env[k++] = environ[i];
    qsort(keyed_env, k, sizeof *keyed_env, by_bytes);
    char uid[24];
    snprintf(uid, sizeof uid, "%u", (unsigned)getuid());
    int bad = put(key, SV_PYTHON, strlen(SV_PYTHON)) || put(key, "", 1) ||
              put(key, SV_TREE, strlen(SV_TREE)) || put(key, "", 1) ||
              put(key, uid, strlen(uid));
    for (size_t i = 0; i < k && !bad; i++)
        bad = put(key, "", 1) || put(key, keyed_env[i], strlen(keyed_env[i]));
    free(keyed_env);
    return bad ? -1 : 0;
}

static uint32_t crc32(const unsigned char *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    while (n--) {
        crc ^= *p++;
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

/* SYSVEC_WARM_DIR, else $XDG_RUNTIME_DIR/sysvec, else /tmp/sysvec-UID; only this user's own
 * directory that nobody else can enter. */
static int socket_directory(char *out, size_t size)
{
    const char *base = getenv("SYSVEC_WARM_DIR");
    const char *runtime = getenv("XDG_RUNTIME_DIR");
    int n;
    if (base && *base)
        n = snprintf(out, size, "%s", base);
    else if (runtime && *runtime)
        n = snprintf(out, size, "%s/sysvec", runtime);
    else
        n = snprintf(out, size, "/tmp/sysvec-%u", (unsigned)getuid());
    if (n < 0 || (size_t)n >= size)
        return -1;
    if (mkdir(out, 0700) != 0 && errno != EEXIST)
        return -1;
    struct stat st;
    if (lstat(out, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
        (st.st_mode & 077))
        return -1;
    return 0;
}

/* --- the request (warmstart.encode_request) ------------------------------------------------ */

static int request(struct buf *body, const struct buf *key, int argc, char **argv)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    int bad = put(body, "SVW1", 4) || put_blob(body, key->data, key->len) ||
              put_u32(body, (uint32_t)(argc - 1));
    for (int i = 1; i < argc && !bad; i++)
        bad = put_blob(body, argv[i], strlen(argv[i]));
    uint32_t envc = 0;
    for (char **e = environ; *e; e++)
        envc += strchr(*e, '=') != NULL;
    bad = bad || put_u32(body, envc);
    for (char **e = environ; *e && !bad; e++)
        if (strchr(*e, '='))
            bad = put_blob(body, *e, strlen(*e));
    mode_t mask = umask(0);
    umask(mask);
    bad = bad || put_blob(body, cwd, strlen(cwd)) || put_u32(body, (uint32_t)mask) ||
          put_u32(body, RLIMIT_NLIMITS);
    for (int r = 0; r < RLIMIT_NLIMITS && !bad; r++) {
        struct rlimit lim;
        if (getrlimit(r, &lim) != 0)
            return -1;
        bad = put_u32(body, (uint32_t)r) || put_i64(body, (int64_t)lim.rlim_cur) ||
              put_i64(body, (int64_t)lim.rlim_max);
    }
    gid_t groups[NGROUPS_MAX];
    int ngroups = getgroups(NGROUPS_MAX, groups);
    if (ngroups < 0)
        return -1;
    bad = bad || put_u32(body, (uint32_t)ngroups);
    for (int i = 0; i < ngroups && !bad; i++)
        bad = put_u32(body, groups[i]);
    return bad || put_u32(body, getuid()) || put_u32(body, geteuid()) ||
           put_u32(body, getgid()) || put_u32(body, getegid()) ? -1 : 0;
}

/* The header and body, with descriptors 0-2 riding on the first bytes. */
static int send_request(int sock, const struct buf *body)
{
    unsigned char header[4] = {body->len, body->len >> 8, body->len >> 16, body->len >> 24};
    int fds[3] = {0, 1, 2};
    union {
        char space[CMSG_SPACE(sizeof fds)];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct iovec iov[2] = {{header, 4}, {body->data, body->len}};
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2,
                         .msg_control = control.space, .msg_controllen = sizeof control.space};
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(cmsg), fds, sizeof fds);
    ssize_t sent;
    do
        sent = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (sent < 0 && errno == EINTR);
    if (sent < 0)
        return -1;
    size_t total = 4 + body->len, done = (size_t)sent;
    while (done < total) {                   /* the rest, without the descriptors */
        size_t at = done - 4;
        ssize_t n = send(sock, body->data + at, body->len - at, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

/* --- the server's and the child's lines -------------------------------------------------- */

static char pending[512];
static size_t pending_len;

/* One line without its newline into out; 0 once the connection is closed. */
static int read_line(int sock, char *out, size_t size)
{
    for (;;) {
        char *nl = memchr(pending, '\n', pending_len);
        if (nl) {
            size_t n = (size_t)(nl - pending);
            size_t copy = n < size - 1 ? n : size - 1;
            memcpy(out, pending, copy);
            out[copy] = 0;
            memmove(pending, nl + 1, pending_len - n - 1);
            pending_len -= n + 1;
            return 1;
        }
        if (pending_len == sizeof pending)
            pending_len = 0;                 /* an overlong line: not ours to read */
        ssize_t got = read(sock, pending + pending_len, sizeof pending - pending_len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            size_t copy = pending_len < size - 1 ? pending_len : size - 1;
            memcpy(out, pending, copy);
            out[copy] = 0;
            pending_len = 0;
            return copy > 0;
        }
        pending_len += (size_t)got;
    }
}

/* --- signals both ways (warmstart._Relay) -------------------------------------------------- */

static volatile pid_t child;           /* 0 until the server names it */
static volatile sig_atomic_t held[NSIG]; /* relayed signals that came before that */

static void send_child(int signum)
{
    if (child > 0)
        kill(child, signum);
    else if (signum > 0 && signum < NSIG)
        held[signum] = 1;
}

static void relay(int signum)
{
    int saved = errno;
    send_child(signum);
    errno = saved;
}

static void set_handler(int signum, void (*handler)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(signum, &sa, NULL);
}

/* What ends a cold tblc ends this client; its child hangs up. */
static void die(int signum)
{
    if (child > 0)
        kill(child, SIGHUP);
    set_handler(signum, SIG_DFL, 0);
    raise(signum);
}

/* ^Z on a pipeline: stop the child with this process, and continue it with this one. */
static void stop(int signum)
{
    int saved = errno;
    if (child > 0)
        kill(child, SIGSTOP);
    set_handler(signum, SIG_DFL, 0);
    raise(signum);                           /* stops here until SIGCONT */
    set_handler(signum, stop, SA_NODEFER | SA_RESTART);
    if (child > 0)
        kill(child, SIGCONT);
    errno = saved;
}

static const int relayed[] = {SIGINT, SIGTERM, SIGHUP, SIGCONT, SIGWINCH};
static const int fatal[] = {SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU};

/* Set before the request is sent: a signal that comes before the answer waits for it. */
static void catch_signals(void)
{
    for (size_t i = 0; i < sizeof relayed / sizeof *relayed; i++)
        set_handler(relayed[i], relay, SA_RESTART);
    for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
        set_handler(fatal[i], die, SA_NODEFER);
    set_handler(SIGTSTP, stop, SA_NODEFER | SA_RESTART);
}

/* No warm run: the default handlers back, and the held signals raised, as they would have
 * acted on a cold start that had not set its own handlers yet. */
static void release_signals(void)
{
    for (size_t i = 0; i < sizeof relayed / sizeof *relayed; i++)
        set_handler(relayed[i], SIG_DFL, 0);
    for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
        set_handler(fatal[i], SIG_DFL, 0);
    set_handler(SIGTSTP, SIG_DFL, 0);
    for (int signum = 1; signum < NSIG; signum++)
        if (held[signum])
            raise(signum);
}

/* The child is known: what came before goes to it now. */
static void follow_child(pid_t pid)
{
    child = pid;
    for (int signum = 1; signum < NSIG; signum++)
        if (held[signum]) {
            held[signum] = 0;
            kill(pid, signum);
        }
}

static int follow(int sock)
{
    char line[128];
    for (;;) {
        if (!read_line(sock, line, sizeof line)) {
            static const char gone[] = "sysvec: the run ended without an exit status (its warm "
                                       "server was killed)\n";
            if (write(2, gone, sizeof gone - 1) < 0) {
                /* nothing more to say */
            }
            return 128 + SIGKILL;
        }
        if (!strncmp(line, "exit ", 5))
            return atoi(line + 5) & 0xFF;
        if (!strncmp(line, "wait ", 5)) {
            /* The child ended without a word (killed, or it crashed): end as it did. */
            int status = atoi(line + 5);
            if (WIFSIGNALED(status)) {
                int signum = WTERMSIG(status);
                set_handler(signum, SIG_DFL, 0);
                sigset_t one;
                sigemptyset(&one);
                sigaddset(&one, signum);
                sigprocmask(SIG_UNBLOCK, &one, NULL);
                raise(signum);
                return 128 + signum;
            }
            return WEXITSTATUS(status);
        }
    }
}

/* --- main ------------------------------------------------------------------------------- */

/* A stale server has retired: note a cold start, so the Python client starts the next
 * server at once (warmstart._started_cold_lately). */
static void note_cold(const char *path)
{
    char note[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
    snprintf(note, sizeof note, "%s.cold", path);
    int fd = open(note, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (fd >= 0) {
        futimens(fd, NULL);
        close(fd);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "run") != 0)
        cold(argc, argv);
    const char *warm = getenv("SYSVEC_WARM");
    if (warm && !strcmp(warm, "0"))
        cold(argc, argv);
    for (int fd = 0; fd < 3; fd++) {
        struct stat st;
        if (fstat(fd, &st) != 0 || isatty(fd))      /* Python reopens a closed one */
            cold(argc, argv);
    }
    struct buf key = {0}, body = {0};
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    char directory[sizeof addr.sun_path];
    if (settings_key(&key) || socket_directory(directory, sizeof directory))
        cold(argc, argv);
    int n = snprintf(addr.sun_path, sizeof addr.sun_path, "%s/warm-%08x.sock", directory,
                     (unsigned)crc32(key.data, key.len));
    if (n < 0 || n >= 100)                    /* warmstart.socket_path's limit */
        cold(argc, argv);
    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        request(&body, &key, argc, argv)) {
        if (sock >= 0)
            close(sock);
        cold(argc, argv);                     /* no server yet: the Python client starts one */
    }
    catch_signals();
    char line[128] = "";
    if (send_request(sock, &body) || !read_line(sock, line, sizeof line) ||
        strncmp(line, "ok ", 3) != 0) {
        if (!strncmp(line, "stale", 5))
            note_cold(addr.sun_path);
        close(sock);
        release_signals();
        cold(argc, argv);
    }
    follow_child((pid_t)atoi(line + 3));
    free(body.data);
    free(key.data);
    return follow(sock);
}
