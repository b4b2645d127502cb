/* A child gdb holds (detach-on-fork off: a ptrace stop on Linux) is in state t in
 * /proc/PID/stat and status, as ps and top show a traced process. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = fork();
    if (pid == 0)
        return 4;
    usleep(300000);
    char path[64], line[512], text[64] = "";
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    fgets(line, sizeof line, f);
    fclose(f);
    char state = strrchr(line, ')')[2];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    f = fopen(path, "r");
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "State:", 6))
            sscanf(line, "State:\t%63[^\n]", text);
    fclose(f);
    printf("held child: stat state %c, status %s\n", state, text);
    return 5;
}
