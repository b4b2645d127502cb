/* Tiny assertion helpers for the socket test programs: print one line per check. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond, what) do { if (!(cond)) { \
    printf("FAIL %s (line %d, errno %d %s)\n", what, __LINE__, errno, strerror(errno)); \
    fflush(stdout); exit(1); } } while (0)
#define OK(what) do { printf("ok %s\n", what); fflush(stdout); } while (0)
