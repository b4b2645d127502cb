/* UpdateResource's pending data is bounded: a copy of this program is updated with 8 MiB
 * blocks until the machine's budget (tblc run --max-total-memory 32M) refuses one with
 * ERROR_NOT_ENOUGH_MEMORY; replacing a block or removing one frees its room, a second
 * update shares the budget, a discarded or closed update gives it back. "#n" past 65535 is
 * ERROR_INVALID_PARAMETER, as data that is NULL with a size. */
#include <windows.h>
#include <stdio.h>

#define BLOCK (8u << 20)

static DWORD error;

static int update(HANDLE h, int id, const void *data, DWORD size)
{
    SetLastError(0);
    int ok = UpdateResourceA(h, RT_RCDATA, MAKEINTRESOURCEA(id), 0, (void *)data, size);
    error = GetLastError();
    return ok;
}

static void show(const char *what, int ok)
{
    printf("%s: %d %lu\n", what, ok, ok ? 0 : error);
}

int main(void)
{
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    if (!CopyFileA(self, "copy.exe", FALSE)) {
        printf("copy failed %lu\n", GetLastError());
        return 1;
    }
    char *block = VirtualAlloc(NULL, BLOCK, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    HANDLE h = BeginUpdateResourceA("copy.exe", TRUE);
    BOOL ok = UpdateResourceA(h, RT_RCDATA, "#70000", 0, "abc", 3);
    printf("#70000: %d %lu\n", ok, GetLastError());
    ok = UpdateResourceA(h, "#99999999999999999999", MAKEINTRESOURCEA(1), 0, "abc", 3);
    printf("#99999999999999999999: %d %lu\n", ok, GetLastError());
    ok = UpdateResourceA(h, RT_RCDATA, "#-1", 0, "abc", 3);
    printf("#-1: %d %lu\n", ok, GetLastError());
    ok = UpdateResourceA(h, RT_RCDATA, "#65535", 0, "abc", 3);
    printf("#65535: %d\n", ok);
    show("NULL data", update(h, 2, NULL, 5));
    show("wild data", update(h, 2, (void *)0x10, 5));
    show("4 GiB - 1", update(h, 2, block, 0xFFFFFFFFu));
    int same = 0;
    for (int i = 0; i < 10; i++)
        same += update(h, 1, block, BLOCK);
    printf("one block replaced: %d\n", same);
    int id = 2;
    while (id < 100 && update(h, id, block, BLOCK))
        id++;
    printf("blocks held: %d, then %lu\n", id - 1, error);
    HANDLE h2 = BeginUpdateResourceA("copy.exe", TRUE);
    show("second update", update(h2, 1, block, BLOCK));
    printf("removed: %d\n", update(h, 1, NULL, 0));
    printf("second update now: %d\n", update(h2, 1, block, BLOCK));
    printf("discard: %d\n", EndUpdateResourceA(h, TRUE));
    printf("after discard: %d %d\n", update(h2, 2, block, BLOCK), update(h2, 3, block, BLOCK));
    printf("written: %d\n", EndUpdateResourceA(h2, FALSE));
    HANDLE h3 = BeginUpdateResourceA("copy.exe", TRUE);
    int held = 0;
    while (held < 10 && update(h3, held + 1, block, BLOCK))
        held++;
    printf("third update: %d, closed %d\n", held, CloseHandle(h3));
    HANDLE h4 = BeginUpdateResourceA("copy.exe", TRUE);
    for (held = 0; held < 10 && update(h4, held + 1, block, BLOCK); )
        held++;
    printf("fourth update: %d, discarded %d\n", held, EndUpdateResourceA(h4, TRUE));
    HMODULE m = LoadLibraryExA("copy.exe", NULL, LOAD_LIBRARY_AS_DATAFILE);
    HRSRC r = m ? FindResourceA(m, MAKEINTRESOURCEA(3), RT_RCDATA) : NULL;
    printf("read back: %lu\n", r ? SizeofResource(m, r) : 0);
    return 0;
}
