/* A process-directed signal the main thread blocks is handled by a helper thread that does
 * not, and signalfd in a helper thread reads a signal sent to the process. */
/* process-directed signals in a multi-threaded process where the MAIN thread blocks the signal */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <poll.h>
static volatile int handled, htid;
static void h(int s){ handled=s; htid=gettid(); }
static void *unblocked(void *a){ sigset_t s; sigemptyset(&s); sigaddset(&s,SIGUSR2); pthread_sigmask(SIG_UNBLOCK,&s,0); for(;;) pause(); }
static void *sfd_reader(void *a){ int fd=*(int*)a; struct pollfd pf={fd,POLLIN,0}; int r=poll(&pf,1,2000); if(r==1){ struct signalfd_siginfo si; read(fd,&si,sizeof si); printf("G signalfd read in helper thread: got sig %u\n", si.ssi_signo);} else printf("G signalfd in helper thread: poll timed out (signal not seen)\n"); return 0; }
int main(void){ sigset_t s; sigemptyset(&s); sigaddset(&s,SIGUSR2); sigaddset(&s,SIGUSR1); pthread_sigmask(SIG_BLOCK,&s,0);
  signal(SIGUSR2,h); pthread_t t; pthread_create(&t,0,unblocked,0); usleep(200000);
  kill(getpid(),SIGUSR2); for(int i=0;i<20&&!handled;i++) usleep(50000);
  printf("F main blocks SIGUSR2, helper thread unblocks it, kill(getpid()): %s\n", handled ? (htid==getpid()?"handled in main?!":"handled in helper thread") : "NOT handled (stays pending)");
  sigset_t s1; sigemptyset(&s1); sigaddset(&s1,SIGUSR1); int fd=signalfd(-1,&s1,SFD_NONBLOCK); pthread_t t2; pthread_create(&t2,0,sfd_reader,&fd); usleep(200000); kill(getpid(),SIGUSR1); pthread_join(t2,0);
  return 0; }
