/* EnumResourceTypes/Names/Languages over the program's own resources (res_enum.rc), as
 * rcedit and electron-packager walk a program before changing it: named entries first,
 * then IDs; a callback's FALSE stops the walk. */
#define UNICODE
#include <windows.h>
#include <stdio.h>

static void show(LPCWSTR key)
{
    if (IS_INTRESOURCE(key))
        printf(" #%u", (unsigned)(ULONG_PTR)key);
    else
        printf(" %ls", key);
}

static BOOL CALLBACK on_type(HMODULE m, LPWSTR type, LONG_PTR arg)
{
    show(type);
    return TRUE;
}

static BOOL CALLBACK on_name(HMODULE m, LPCWSTR type, LPWSTR name, LONG_PTR arg)
{
    show(name);
    return --*(int *)arg > 0;
}

static BOOL CALLBACK on_lang(HMODULE m, LPCWSTR type, LPCWSTR name, WORD lang, LONG_PTR arg)
{
    printf(" %04x", lang);
    return TRUE;
}

int main(void)
{
    printf("types:");
    BOOL ok = EnumResourceTypesW(NULL, on_type, 0);
    printf(" -> %d\n", ok);
    int budget = 10;
    printf("RCDATA names:");
    ok = EnumResourceNamesW(NULL, RT_RCDATA, on_name, (LONG_PTR)&budget);
    printf(" -> %d\n", ok);
    budget = 1;
    printf("stopped after one:");
    ok = EnumResourceNamesW(NULL, RT_RCDATA, on_name, (LONG_PTR)&budget);
    printf(" -> %d %lu\n", ok, GetLastError());
    printf("languages of #7:");
    ok = EnumResourceLanguagesW(NULL, RT_RCDATA, MAKEINTRESOURCEW(7), on_lang, 0);
    printf(" -> %d\n", ok);
    ok = EnumResourceNamesW(NULL, RT_BITMAP, on_name, (LONG_PTR)&budget);
    printf("no bitmaps: %d %lu\n", ok, GetLastError());
    return 0;
}
