/* Prints its greeting; built twice with GREETING "one" and "two" (binaries of one size). */
#include <stdio.h>
#ifndef GREETING
#define GREETING "one"
#endif
int main(void) { puts(GREETING); return 0; }
