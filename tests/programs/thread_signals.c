/* Process-directed signals in a threaded process (complete_signal): a thread in sigwait gets
 * what every thread blocks, a thread that does not block a signal handles it, and signalfd
 * in a helper thread reads it. Each case prints one line; run as the debsweep7 sweep found
 * MariaDB hang without them. */
/* variants of sigwait + process-directed signals, all threads block the signal */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <time.h>
#include <sys/wait.h>
static sigset_t set; static volatile int got;
static void *waiter(void *a){ int sig=0; sigwait(&set,&sig); got=sig; return 0; }
static void *sleeper(void *a){ for(;;) pause(); }
static void *sender(void *a){ usleep(200000); kill(getpid(), SIGUSR1); return 0; }
static int wait_got(void){ for(int i=0;i<20 && !got;i++) usleep(50000); int g=got; got=0; return g; }
int main(void){ sigemptyset(&set); sigaddset(&set,SIGUSR1); pthread_sigmask(SIG_BLOCK,&set,0); pthread_t t;
  /* A: helper waits, main kill()s itself after the helper is already blocked in sigwait */
  pthread_create(&t,0,waiter,0); usleep(200000); kill(getpid(),SIGUSR1); printf("A helper sigwait, main kill(getpid): %s\n", wait_got()?"woke":"NOT woken"); 
  /* B: main waits, helper thread sends kill(getpid) */
  pthread_create(&t,0,sender,0); { int sig=0; struct timespec ts={2,0}; siginfo_t si; int r=sigtimedwait(&set,&si,&ts); printf("B main sigtimedwait, helper kill(getpid): %s\n", r==SIGUSR1?"woke":"NOT woken (timeout)"); }
  /* C: main waits while an idle extra thread exists, another process sends */
  pthread_create(&t,0,sleeper,0); pid_t c=fork(); if(c==0){ usleep(200000); kill(getppid(),SIGUSR1); _exit(0);} 
  { struct timespec ts={2,0}; siginfo_t si; int r=sigtimedwait(&set,&si,&ts); printf("C main sigtimedwait, other process kill(): %s\n", r==SIGUSR1?"woke":"NOT woken (timeout)"); } waitpid(c,0,0);
  /* D: signal already pending (sent before sigwait) */
  kill(getpid(),SIGUSR1); usleep(100000); { struct timespec ts={1,0}; siginfo_t si; int r=sigtimedwait(&set,&si,&ts); printf("D pending before sigtimedwait: %s\n", r==SIGUSR1?"got":"NOT got"); }
  /* E: thread-directed via pthread_kill to a sigwaiting thread */
  pthread_create(&t,0,waiter,0); usleep(200000); pthread_kill(t,SIGUSR1); printf("E pthread_kill to sigwaiting thread: %s\n", wait_got()?"woke":"NOT woken");
  return 0; }
