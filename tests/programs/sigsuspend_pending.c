/* sigsuspend entered with a signal already pending, blocked before the call and let through
 * by the temporary mask (zsh waits for a pipeline so): the handler runs, the call returns EINTR
 * and the caller's mask, SIGCHLD blocked, is back; the next sigsuspend waits with its own mask. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
static volatile int got;
static void h(int s){ got++; while(waitpid(-1,0,WNOHANG)>0); }
int main(){
  struct sigaction sa={0}; sa.sa_handler=h; sigaction(SIGCHLD,&sa,0);
  sigset_t b, e, cur; sigemptyset(&b); sigaddset(&b,SIGCHLD); sigprocmask(SIG_BLOCK,&b,0);
  sigemptyset(&e);
  if(!fork()) _exit(0);
  usleep(200000);                 /* child is a zombie, SIGCHLD pending */
  int r = sigsuspend(&e);
  sigprocmask(SIG_BLOCK,0,&cur);
  printf("1st sigsuspend=%d got=%d SIGCHLD still blocked after return: %s\n", r, got, sigismember(&cur,SIGCHLD)?"yes":"NO");
  fflush(stdout);
  sigprocmask(SIG_BLOCK,&b,0);   /* as zsh does */
  if(!fork()) { usleep(200000); _exit(0);}
  alarm(3);
  r = sigsuspend(&e);
  printf("2nd sigsuspend=%d got=%d\n", r, got);
  return 0; }
