/* BeginUpdateResource/UpdateResource/EndUpdateResource on another program's file (argv[1],
 * built with res_enum.rc): a resource added, one replaced, one deleted, a discarded update
 * changing nothing; the file is read back as a data file and still runs. Malformed files
 * (argv[2...]) and a module whose language level has a named entry fail cleanly. */
#define UNICODE
#include <windows.h>
#include <stdio.h>
#include <string.h>

static void show(HMODULE m, LPCWSTR name)
{
    HRSRC r = FindResourceW(m, name, RT_RCDATA);
    if (!r) {
        printf(" missing");
        return;
    }
    printf(" %.*s", (int)SizeofResource(m, r), (const char *)LockResource(LoadResource(m, r)));
}

static BOOL CALLBACK count_language(HMODULE m, LPCWSTR type, LPCWSTR name, WORD lang, LONG_PTR n)
{
    (void)m, (void)type, (void)name, (void)lang;
    ++*(int *)n;
    return TRUE;
}

/* An image in memory whose resource tree ends in a named language entry. */
static void named_language(void)
{
    static __attribute__((aligned(16))) unsigned char img[0x1000];
    img[0] = 'M', img[1] = 'Z';
    *(DWORD *)(img + 0x3C) = 0x80;
    memcpy(img + 0x80, "PE\0\0", 4);
    unsigned opt = 0x80 + 24, dirs = opt + (sizeof(void *) == 8 ? 112 : 96);
    *(WORD *)(img + opt) = sizeof(void *) == 8 ? 0x20B : 0x10B;
    *(DWORD *)(img + opt + (sizeof(void *) == 8 ? 108 : 92)) = 16;   /* NumberOfRvaAndSizes */
    *(DWORD *)(img + dirs + 16) = 0x400, *(DWORD *)(img + dirs + 20) = 0x200;
    unsigned char *r = img + 0x400;
    *(WORD *)(r + 14) = 1, *(DWORD *)(r + 16) = 10, *(DWORD *)(r + 20) = 0x80000000u | 0x20;
    *(WORD *)(r + 0x20 + 14) = 1, *(DWORD *)(r + 0x20 + 16) = 1;
    *(DWORD *)(r + 0x20 + 20) = 0x80000000u | 0x40;
    *(WORD *)(r + 0x40 + 12) = 1, *(DWORD *)(r + 0x40 + 16) = 0x80000000u | 0x60;
    *(DWORD *)(r + 0x40 + 20) = 0x80;
    *(WORD *)(r + 0x60) = 2, memcpy(r + 0x62, L"XY", 4);
    int n = 0;
    BOOL ok = EnumResourceLanguagesW((HMODULE)img, MAKEINTRESOURCEW(10), MAKEINTRESOURCEW(1),
                                     count_language, (LONG_PTR)&n);
    printf("named language entry: %d, %d languages\n", ok, n);
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
    for (int i = 2; i < argc; i++) {
        HANDLE h = BeginUpdateResourceA(argv[i], FALSE);
        DWORD begun = GetLastError();
        BOOL ended = h && EndUpdateResourceA(h, FALSE);
        printf("%s: begin %d %lu, end %d %lu\n", argv[i], h != NULL, h ? 0 : begun, ended,
               h && !ended ? GetLastError() : 0);
    }
    named_language();
    return 0;
}
