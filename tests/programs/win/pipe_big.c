/* A blocking pipe write larger than the pipe returns once all of it is in the pipe: the reader
 * gets every byte (300,000 through a 64 KiB pipe; the rest was dropped). */
#include <windows.h>
#include <stdio.h>
static HANDLE w;
static DWORD WINAPI writer(LPVOID arg)
{
    static char buf[300000];
    memset(buf, 'x', sizeof buf);
    DWORD done = 0;
    BOOL ok = WriteFile(w, buf, sizeof buf, &done, NULL);
    printf("write %d %lu\n", ok, done);
    fflush(stdout);
    CloseHandle(w);
    return 0;
}
int main(void)
{
    HANDLE r;
    CreatePipe(&r, &w, NULL, 0);
    HANDLE t = CreateThread(NULL, 0, writer, NULL, 0, NULL);
    char buf[65536];
    DWORD got, total = 0;
    while (ReadFile(r, buf, sizeof buf, &got, NULL) && got)
        total += got;
    WaitForSingleObject(t, INFINITE);
    printf("read %lu\n", total);
    return 0;
}
