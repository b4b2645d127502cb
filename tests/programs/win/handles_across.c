/* kernel32 objects shared with a child: a section and an event inherited (CreateProcess with
   bInheritHandles, the handle values on its command line), an event duplicated into the
   running child with DuplicateHandle, which the child learns through the shared memory. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct shared { char text[64]; HANDLE duplicated; char reply[64]; };

int main(int argc, char **argv)
{
    if (argc > 1) {                                       /* the child */
        HANDLE section = (HANDLE)(UINT_PTR)_strtoui64(argv[1], NULL, 10);
        HANDLE go = (HANDLE)(UINT_PTR)_strtoui64(argv[2], NULL, 10);
        struct shared *view = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, sizeof *view);
        if (!view) { printf("child map failed %lu\n", GetLastError()); return 1; }
        WaitForSingleObject(go, INFINITE);                /* the parent has duplicated */
        printf("child read: %s\n", view->text);
        strcpy(view->reply, "hello from the child");
        fflush(stdout);
        return SetEvent(view->duplicated) ? 7 : 1;
    }
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE section = CreateFileMappingA(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE, 0, 4096, NULL);
    HANDLE go = CreateEventA(&sa, TRUE, FALSE, NULL);
    HANDLE done = CreateEventA(NULL, TRUE, FALSE, NULL);  /* not inheritable: duplicated */
    struct shared *view = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, sizeof *view);
    strcpy(view->text, "written by the parent");
    char line[MAX_PATH + 64];
    snprintf(line, sizeof line, "\"%s\" %llu %llu", argv[0], (unsigned long long)(UINT_PTR)section,
             (unsigned long long)(UINT_PTR)go);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess failed %lu\n", GetLastError());
        return 1;
    }
    BOOL dup = DuplicateHandle(GetCurrentProcess(), done, pi.hProcess, &view->duplicated, 0,
                               FALSE, DUPLICATE_SAME_ACCESS);
    SetEvent(go);
    DWORD waited = WaitForSingleObject(done, 10000);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("duplicated=%d waited=%lu reply=%s exit=%lu\n", dup, waited, view->reply, code);
    HANDLE again;                                         /* a second handle, one closed */
    DuplicateHandle(GetCurrentProcess(), section, GetCurrentProcess(), &again, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    CloseHandle(section);
    struct shared *still = MapViewOfFile(again, FILE_MAP_READ, 0, 0, sizeof *still);
    printf("after close: %s\n", still ? still->text : "gone");
    return 0;
}
