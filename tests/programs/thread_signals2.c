/* Alarms, interval timers and SIGCHLD in a threaded process: to a thread that does not
 * block them (the main thread may), and a child of a thread that exited is still waited for. */
/* thread-group signal semantics beyond kill(): children of other threads, timers, SIGCHLD */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>
#include <sys/wait.h>
static volatile int got_alrm, got_chld;
static void ha(int s){ got_alrm++; } static void hc(int s){ got_chld++; }
static pid_t child;
static void *forker(void *a){ child=fork(); if(child==0){ usleep(300000); _exit(7);} return 0; }
static void *unblock_wait(void *a){ sigset_t s; sigemptyset(&s); sigaddset(&s,SIGALRM); sigaddset(&s,SIGCHLD); pthread_sigmask(SIG_UNBLOCK,&s,0); for(int i=0;i<40;i++) usleep(50000); return 0; }
int main(void){
  /* 1: a child forked by a thread that has exited; main waits for it */
  signal(SIGCHLD,hc); pthread_t t; pthread_create(&t,0,forker,0); pthread_join(t,0);
  int st=0; pid_t r=waitpid(child,&st,0); printf("1 waitpid(child of exited thread) = %s status=%d, SIGCHLD handled=%d\n", r==child?"child":strerror(errno), WEXITSTATUS(st), got_chld);
  /* 2: a child forked by a live thread, waited for by main */
  got_chld=0; child=0; pthread_create(&t,0,forker,0); while(!child) usleep(1000); r=waitpid(child,&st,0); printf("2 waitpid(child of live thread) = %s status=%d\n", r==child?"child":strerror(errno), WEXITSTATUS(st)); pthread_join(t,0);
  /* 3: main blocks SIGALRM, helper thread does not; setitimer ITIMER_REAL */
  sigset_t s; sigemptyset(&s); sigaddset(&s,SIGALRM); sigaddset(&s,SIGCHLD); pthread_sigmask(SIG_BLOCK,&s,0); signal(SIGALRM,ha);
  pthread_create(&t,0,unblock_wait,0); usleep(100000); struct itimerval it={{0,0},{0,200000}}; setitimer(ITIMER_REAL,&it,0); usleep(600000); printf("3 setitimer, main blocks SIGALRM, helper unblocked: handled=%d\n", got_alrm);
  /* 4: alarm() same */
  got_alrm=0; alarm(1); sleep(2); printf("4 alarm(1), main blocks: handled=%d\n", got_alrm);
  /* 5: child exits, main blocks SIGCHLD, helper unblocked */
  got_chld=0; pid_t c=fork(); if(!c) _exit(0); usleep(500000); printf("5 SIGCHLD, main blocks, helper unblocked: handled=%d\n", got_chld); waitpid(c,0,0);
  pthread_join(t,0); return 0; }
