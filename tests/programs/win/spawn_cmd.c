/* cmd.exe reading its commands from standard input, as the spawning program was given it. */
#include <windows.h>
#include <stdio.h>
#include <process.h>
int main(void){ const char *argv[] = {"cmd.exe", NULL}; return (int)_spawnvp(_P_WAIT, "cmd.exe", argv); }
