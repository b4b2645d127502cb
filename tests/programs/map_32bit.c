/* MAP_32BIT puts a mapping in the first 2 GiB (PHP opcache and LuaJIT place code there and jump
 * to it with 32-bit displacements); MAP_HUGETLB fails with ENOMEM on a machine that reserves no
 * huge pages, as Linux by default. */
#define _GNU_SOURCE
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
int main(void) {
  for (int i = 0; i < 3; i++) {
    char *p = mmap(NULL, 128 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    printf("MAP_32BIT %d: %s below 2 GiB\n", i, p != MAP_FAILED && (unsigned long)p + (128 << 20) <= 0x80000000UL ? "is" : "is NOT");
    if (p != MAP_FAILED) p[0] = 1;
  }
  void *h = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
  printf("MAP_HUGETLB: %s\n", h != MAP_FAILED ? "mapped" : errno == ENOMEM ? "ENOMEM" : strerror(errno));
  return 0;
}
