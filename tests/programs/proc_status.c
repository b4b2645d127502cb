/* Prints /proc/self/status as it is. */
#include <stdio.h>
int main(void){FILE*f=fopen("/proc/self/status","r");char l[256];while(fgets(l,sizeof l,f))fputs(l,stdout);return 0;}
