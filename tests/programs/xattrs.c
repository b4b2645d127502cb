/* Extended attributes in the user namespace, set, read, listed and removed by path, link and
 * descriptor, with Linux's checks and errors; trusted.* and security.* are refused (they would
 * reach host privileges). Each line is a call's result and error. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>
static void show(const char *what, long r) { printf("%s %ld %d\n", what, r, r < 0 ? errno : 0); errno = 0; }
int main(void) {
  int fd = open("/tmp/xa", O_CREAT | O_RDWR, 0644);
  char buf[256]; char name[300];
  show("set", setxattr("/tmp/xa", "user.k", "value", 5, 0));
  show("get size", getxattr("/tmp/xa", "user.k", NULL, 0));
  long n = getxattr("/tmp/xa", "user.k", buf, sizeof buf); buf[n > 0 ? n : 0] = 0;
  printf("get %ld [%s]\n", n, buf);
  show("get small", getxattr("/tmp/xa", "user.k", buf, 2));
  show("create existing", setxattr("/tmp/xa", "user.k", "x", 1, XATTR_CREATE));
  show("replace missing", setxattr("/tmp/xa", "user.none", "x", 1, XATTR_REPLACE));
  show("fset", fsetxattr(fd, "user.f", "", 0, 0));
  n = listxattr("/tmp/xa", buf, sizeof buf);
  printf("list %ld", n); for (char *q = buf; q < buf + n; q += strlen(q) + 1) printf(" [%s]", q); printf("\n");
  show("list size", flistxattr(fd, NULL, 0));
  show("missing", getxattr("/tmp/xa", "user.none", buf, sizeof buf));
  show("trusted", setxattr("/tmp/xa", "trusted.k", "v", 1, 0));
  show("security", setxattr("/tmp/xa", "security.capability", "v", 1, 0));
  show("bare user.", setxattr("/tmp/xa", "user.", "v", 1, 0));
  show("empty name", setxattr("/tmp/xa", "", "v", 1, 0));
  memset(name, 'a', 299); name[299] = 0; memcpy(name, "user.", 5);
  show("long name", setxattr("/tmp/xa", name, "v", 1, 0));
  show("bad flags", setxattr("/tmp/xa", "user.k", "v", 1, 8));
  show("bad flags missing file", setxattr("/tmp/nofile", "user.k", "v", 1, 8));
  show("missing file", setxattr("/tmp/nofile", "user.k", "v", 1, 0));
  symlink("xa", "/tmp/xl");
  show("lset on link", lsetxattr("/tmp/xl", "user.k", "v", 1, 0));
  show("lget on link", lgetxattr("/tmp/xl", "user.k", buf, sizeof buf));
  show("get through link", getxattr("/tmp/xl", "user.k", buf, sizeof buf));
  show("llist on link", llistxattr("/tmp/xl", buf, sizeof buf));
  show("remove", removexattr("/tmp/xa", "user.k"));
  show("remove again", fremovexattr(fd, "user.k"));
  int p[2]; pipe(p);
  show("pipe", fsetxattr(p[0], "user.k", "v", 1, 0));
  show("proc", getxattr("/proc/self/status", "user.k", buf, sizeof buf));
  unlink("/tmp/xl"); unlink("/tmp/xa");
  return 0; }
