/* /proc/self/auxv: the auxiliary vector exec gave the program, pairs of words to AT_NULL. */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <unistd.h>
int main(void) {
  int fd = open("/proc/self/auxv", O_RDONLY); unsigned long v[2]; int found = 0, n = 0, last0 = 0;
  while (read(fd, v, sizeof v) == sizeof v) { n++; if (v[0] == AT_PAGESZ) found = v[1] == 4096; last0 = v[0] == AT_NULL; if (v[0] == AT_NULL) break; }
  printf("auxv open %d pagesz %d ends with AT_NULL %d matches getauxval %d\n", fd >= 0, found, last0, getauxval(AT_PAGESZ) == 4096);
  return 0; }
