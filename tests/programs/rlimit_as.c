/* RLIMIT_AS bounds what mmap and malloc may take, in the process, its forked child (which
 * inherits the mappings made before) and after exec. Run natively, the output is the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
static void probe(const char *who) {
  void *a = mmap(0, 300 << 20, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
  void *b = mmap(0, 100 << 20, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
  char *m = malloc(300 << 20);
  printf("%s: 300M map failed %d, 100M map failed %d, 300M malloc failed %d\n", who, a == MAP_FAILED, b == MAP_FAILED, m == NULL);
  fflush(stdout);
}
int main(int argc, char **argv){
  if (argc > 1) { probe("after exec"); return 0; }
  struct rlimit rl = {200 << 20, 200 << 20};
  printf("setrlimit %d\n", setrlimit(RLIMIT_AS, &rl));
  probe("limited");
  pid_t pid = fork();
  if (pid == 0) { probe("child"); execl("/proc/self/exe", "x", "again", (char *)NULL); _exit(9); }
  int st; waitpid(pid, &st, 0);
  return 0; }
