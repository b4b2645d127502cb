/* openat2: struct open_how's checks and the resolve flags' walks (RESOLVE_BENEATH,
   IN_ROOT, NO_SYMLINKS, NO_MAGICLINKS), each result as the errno's name. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

struct how { uint64_t flags, mode, resolve; };

static const char *name(int e)
{
    switch (e) {
    case 0: return "ok";
    case EXDEV: return "EXDEV";
    case ELOOP: return "ELOOP";
    case EINVAL: return "EINVAL";
    case E2BIG: return "E2BIG";
    case ENOENT: return "ENOENT";
    default: return strerror(e);
    }
}

static void try(const char *what, int dir, const char *path, uint64_t flags, uint64_t mode,
                uint64_t resolve, size_t size)
{
    struct { struct how how; uint64_t tail; } arg = {{flags, mode, resolve}, size > 24 ? 1 : 0};
    long fd = syscall(SYS_openat2, dir, path, &arg, size);
    char text[16] = "";
    if (fd >= 0) {
        int n = read(fd, text, sizeof text - 1);
        text[n > 0 ? n : 0] = 0;
        text[strcspn(text, "\n")] = 0;
        close(fd);
    }
    printf("%s: %s %s\n", what, fd >= 0 ? "ok" : name(errno), text);
}

int main(void)
{
    mkdir("d", 0755);
    int f = open("d/f", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(f, "inside\n", 7);
    close(f);
    f = open("outside", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(f, "outside\n", 8);
    close(f);
    unlink("d/rel"); unlink("d/abs"); unlink("d/up");
    symlink("f", "d/rel");
    symlink("/outside", "d/abs");
    symlink("../outside", "d/up");
    int d = open("d", O_RDONLY | O_DIRECTORY);
    const uint64_t BENEATH = 0x08, IN_ROOT = 0x10, NO_SYMLINKS = 0x04, NO_MAGICLINKS = 0x02;
    try("plain", d, "f", O_RDONLY, 0, 0, 24);
    try("beneath f", d, "f", O_RDONLY, 0, BENEATH, 24);
    try("beneath ..", d, "../outside", O_RDONLY, 0, BENEATH, 24);
    try("beneath absolute", d, "/outside", O_RDONLY, 0, BENEATH, 24);
    try("beneath absolute link", d, "abs", O_RDONLY, 0, BENEATH, 24);
    try("beneath link up", d, "up", O_RDONLY, 0, BENEATH, 24);
    try("beneath relative link", d, "rel", O_RDONLY, 0, BENEATH, 24);
    try("in root absolute", d, "/f", O_RDONLY, 0, IN_ROOT, 24);
    try("in root ..", d, "../f", O_RDONLY, 0, IN_ROOT, 24);
    try("in root link up", d, "up", O_RDONLY, 0, IN_ROOT, 24);
    try("no symlinks", d, "rel", O_RDONLY, 0, NO_SYMLINKS, 24);
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", d);
    try("no magic links", AT_FDCWD, self, O_RDONLY | O_DIRECTORY, 0, NO_MAGICLINKS, 24);
    try("create beneath", d, "new", O_CREAT | O_WRONLY, 0600, BENEATH, 24);
    try("mode without O_CREAT", d, "f", O_RDONLY, 0600, 0, 24);
    try("unknown resolve bit", d, "f", O_RDONLY, 0, 0x1000, 24);
    try("both roots", d, "f", O_RDONLY, 0, BENEATH | IN_ROOT, 24);
    try("short struct", d, "f", O_RDONLY, 0, 0, 16);
    try("long struct, tail set", d, "f", O_RDONLY, 0, 0, 32);
    try("unknown open flag", d, "f", O_RDONLY | 0x40000000, 0, 0, 24);
    unlink("d/new");
    return 0;
}
