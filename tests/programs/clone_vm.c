/* A child made with CLONE_VM but not CLONE_THREAD shares its parent's memory: clone with and
 * without CLONE_VFORK, vfork, and posix_spawn, whose child leaves the exec error in memory its
 * parent reads (a missing program is ENOENT, not a child that exits 127). */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static int global;
static char stack[65536];
static int child(void *arg) { global = 42; *(int *)arg = 7; return 0; }
int main(void) {
  int local = 0;
  pid_t pid = clone(child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &local);
  waitpid(pid, NULL, 0);
  printf("vfork clone: global %d local %d\n", global, local);
  global = 0; local = 0;
  pid = clone(child, stack + sizeof stack, CLONE_VM | SIGCHLD, &local);
  int st; waitpid(pid, &st, 0);
  printf("CLONE_VM clone: global %d local %d exited %d\n", global, local, WIFEXITED(st));
  volatile int v = 0;
  pid = vfork();
  if (pid == 0) { v = 5; _exit(0); }
  waitpid(pid, NULL, 0);
  printf("vfork: %d\n", v);
  /* a CLONE_PARENT_SETTID address that faults: ignored, the child is made (as Linux) */
  pid = clone(child, stack + sizeof stack, CLONE_PARENT_SETTID | SIGCHLD, &local, (pid_t *)8);
  printf("bad parent_tid: child made %d\n", pid > 0 && waitpid(pid, NULL, 0) == pid);
  char *argv[] = {"nonexist-cmd", NULL};
  int r = posix_spawnp(&pid, "nonexist-cmd", NULL, NULL, argv, NULL);
  printf("posix_spawnp missing: %d\n", r);
  char *argv2[] = {"/bin/true", NULL};
  r = posix_spawn(&pid, "/nonexistent/prog", NULL, NULL, argv2, NULL);
  printf("posix_spawn missing: %d\n", r);
  return 0;
}
