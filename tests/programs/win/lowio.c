/* msvcrt low-level I/O on descriptors, div/ldiv, and _write(1) after buffered printf. */
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    int fd = _open("low.txt", _O_CREAT | _O_WRONLY | _O_TRUNC, 0644);
    _write(fd, "hello low io\n", 13);
    _close(fd);
    char buf[64] = {0};
    fd = _open("low.txt", _O_RDONLY);
    long end = _lseek(fd, 0, SEEK_END);
    _lseek(fd, 6, SEEK_SET);
    int n = _read(fd, buf, sizeof buf - 1);
    _close(fd);
    remove("low.txt");
    div_t d = div(-17, 5);
    ldiv_t l = ldiv(100, 7);
    printf("end %ld read %d [%s] div %d %d ldiv %ld %ld\n", end, n, strtok(buf, "\n"), d.quot, d.rem, l.quot, l.rem);
    _write(1, "direct\n", 7);
    return 0;
}
