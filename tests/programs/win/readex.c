/* Rust's way of reading a pipe: ReadFileEx with a completion routine, then SleepEx alertably
   until the routine has run (the wait returns WAIT_IO_COMPLETION); the pipe's end arrives as
   ERROR_BROKEN_PIPE to the routine. WriteFileEx's routine runs at the next alertable wait. */
#include <windows.h>
#include <stdio.h>

static DWORD got_error, got_count;
static int calls;

static VOID CALLBACK done(DWORD error, DWORD count, LPOVERLAPPED overlapped) {
    got_error = error;
    got_count = count;
    calls++;
}

static int read_once(HANDLE r, char *buf, DWORD size) {
    OVERLAPPED ov = {0};
    calls = 0;
    if (!ReadFileEx(r, buf, size, &ov, done))
        return -1;
    DWORD woke = 0;
    while (!calls)
        woke = SleepEx(INFINITE, TRUE);
    return woke == WAIT_IO_COMPLETION ? (int)got_count : -2;
}

int main(void) {
    HANDLE r, w;
    CreatePipe(&r, &w, NULL, 0);
    OVERLAPPED wov = {0};
    calls = 0;
    BOOL queued = WriteFileEx(w, "through the pipe", 16, &wov, done);
    DWORD woke = SleepEx(0, TRUE);
    printf("write %d woke %#lx routine %d count %lu\n", queued, (unsigned long)woke, calls,
           (unsigned long)got_count);
    char buf[64] = {0};
    int n = read_once(r, buf, sizeof buf - 1);
    printf("read %d [%s] error %lu\n", n, buf, (unsigned long)got_error);
    CloseHandle(w);
    n = read_once(r, buf, sizeof buf - 1);
    printf("at the end %d error %lu\n", n, (unsigned long)got_error);
    printf("plain sleep %lu\n", (unsigned long)SleepEx(1, TRUE));
    return 0;
}
