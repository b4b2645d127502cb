/* BeginUpdateResource/UpdateResource/EndUpdateResource on another program's file (argv[1],
 * built with res_enum.rc): a resource added, one replaced, one deleted, a discarded update
 * changing nothing; the file is read back as a data file and still runs. */
#define UNICODE
#include <windows.h>
#include <stdio.h>

static void show(HMODULE m, LPCWSTR name)
{
    HRSRC r = FindResourceW(m, name, RT_RCDATA);
    if (!r) {
        printf(" missing");
        return;
    }
    printf(" %.*s", (int)SizeofResource(m, r), (const char *)LockResource(LoadResource(m, r)));
}

int main(int argc, char **argv)
{
    wchar_t path[MAX_PATH];
    MultiByteToWideChar(CP_ACP, 0, argv[1], -1, path, MAX_PATH);
    HANDLE u = BeginUpdateResourceW(path, FALSE);
    printf("begin %d\n", u != NULL);
    BOOL a = UpdateResourceW(u, RT_RCDATA, L"GREETING", MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US),
                             "hello", 5);
    BOOL b = UpdateResourceW(u, RT_RCDATA, MAKEINTRESOURCEW(100),
                             MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), "replaced", 8);
    BOOL c = UpdateResourceW(u, RT_RCDATA, L"HELLO", MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US),
                             NULL, 0);
    BOOL ended = EndUpdateResourceW(u, FALSE);
    printf("updates %d %d %d, end %d\n", a, b, c, ended);
    u = BeginUpdateResourceW(path, TRUE);
    printf("discarded %d\n", EndUpdateResourceW(u, TRUE));
    HMODULE m = LoadLibraryExW(path, NULL, LOAD_LIBRARY_AS_DATAFILE);
    printf("read back:");
    show(m, L"GREETING");
    show(m, MAKEINTRESOURCEW(100));
    show(m, L"HELLO");
    show(m, MAKEINTRESOURCEW(7));
    printf("\n");
    HANDLE none = BeginUpdateResourceW(L"C:\\nowhere.exe", FALSE);
    printf("not a program: %d %lu\n", none != NULL, GetLastError());
    return 0;
}
