/* mingw-w64's own printf (__USE_MINGW_ANSI_STDIO) takes the stream's lock with _lock_file,
   which for a FILE past msvcrt's _iob enters the CRITICAL_SECTION after it (msvcrt's _FILEX):
   fopen's FILE must carry one, initialised, not whatever the heap put there next (aria2's
   log: fopen, localtime, fprintf hung in EnterCriticalSection). */
#define __USE_MINGW_ANSI_STDIO 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(void)
{
    FILE *log = fopen("log.txt", "a");
    time_t t = 86400 * 400 + 3600 * 5 + 60 * 7 + 9;
    struct tm *tm = localtime(&t);            /* aria2's order: open the log, then localtime */
    FILE *other = fopen("other.txt", "w");
    for (int i = 0; i < 16; i++)              /* the heap after the FILEs: not zeros */
        memset(malloc(24 + 8 * i), 0x41 + i, 24 + 8 * i);
    if (!log || !other || !tm)
        return 2;
    for (int i = 0; i < 3; i++) {
        fprintf(log, "year %d line %d %s\n", tm->tm_year + 1900, i, "text");
        fprintf(other, "%05.1f|%-4s|\n", 2.5 * i, "ab");
    }
    fclose(other);
    fclose(log);
    char line[64];
    FILE *back = fopen("log.txt", "r");
    while (back && fgets(line, sizeof line, back))
        printf("log: %s", line);
    back = fopen("other.txt", "r");
    while (back && fgets(line, sizeof line, back))
        printf("other: %s", line);
    return 0;
}
