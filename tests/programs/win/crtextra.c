/* The C runtime's calls by name that several programs import: _chmod (read-only and back),
 * _umask, _utime64 then _stat64, _creat, _pipe with _O_BINARY, and _wfdopen. */
#include <io.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utime.h>
#include <windows.h>

int main(void) {
    int fd = _creat("made.txt", _S_IREAD | _S_IWRITE);
    int w = _write(fd, "abc", 3);
    _close(fd);
    int ro = _chmod("made.txt", _S_IREAD);
    DWORD attrs = GetFileAttributesA("made.txt");
    int writable = _access("made.txt", 2);
    int rw = _chmod("made.txt", _S_IREAD | _S_IWRITE);
    int missing = _chmod("nope.txt", _S_IREAD);
    int err = errno;
    printf("creat %d wrote %d ro %d readonly %d access %d rw %d missing %d %d\n", fd >= 0, w, ro,
           (attrs & FILE_ATTRIBUTE_READONLY) != 0, writable, rw, missing, err);
    int old = _umask(_S_IWRITE);
    int back = _umask(old);
    struct __utimbuf64 times = {1000000000, 1234567890};
    int ut = _utime64("made.txt", &times);
    struct _stat64 st;
    _stat64("made.txt", &st);
    printf("umask %d %d utime %d mtime %lld\n", old, back, ut, (long long)st.st_mtime);
    int fds[2];
    int pr = _pipe(fds, 512, _O_BINARY);
    _write(fds[1], "through", 7);
    _close(fds[1]);
    char buf[16] = {0};
    int got = _read(fds[0], buf, sizeof buf);
    int end = _read(fds[0], buf + 8, 4);
    printf("pipe %d read %d [%s] end %d\n", pr, got, buf, end);
    int wfd = _open("wide.txt", _O_CREAT | _O_WRONLY | _O_TRUNC, _S_IREAD | _S_IWRITE);
    FILE *f = _wfdopen(wfd, L"w");
    fputs("via wfdopen\n", f);
    fclose(f);
    FILE *r = fopen("wide.txt", "r");
    fgets(buf, sizeof buf, r);
    fclose(r);
    printf("wfdopen [%s]\n", strtok(buf, "\n"));
    char drive[3], dir[64], fname[64], ext[16];
    _splitpath("C:\\a\\b/c.tar.gz", drive, dir, fname, ext);
    wchar_t wd[3], wdir[64], wf[8], we[16];
    errno_t small = _wsplitpath_s(L"C:\\x\\toolong.txt", wd, 3, wdir, 64, wf, 4, we, 16);
    char made[64];
    _makepath_s(made, sizeof made, "D", "dir", "name", "ext");
    printf("split [%s][%s][%s][%s] small %d [%ls] make [%s]\n", drive, dir, fname, ext, small,
           wdir, made);
    char *env = GetEnvironmentStringsA();
    printf("env %d\n", env != NULL && strchr(env, '=') != NULL);
    FreeEnvironmentStringsA(env);
    return 0;
}
