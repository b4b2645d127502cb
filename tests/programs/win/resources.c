/* A program's own resources (resources.rc, compiled by windres): a custom resource by name
 * and type, an RCDATA by number, a string table entry, a language-specific lookup, and
 * what is missing. */
#include <windows.h>
#include <stdio.h>

int main(void) {
    HRSRC r = FindResourceW(NULL, L"GREETING", L"TEXTFILE");
    HGLOBAL g = LoadResource(NULL, r);
    const char *text = LockResource(g);
    DWORD size = SizeofResource(NULL, r);
    printf("named %d size %lu [%.*s]\n", r != NULL, size, (int)size, text);
    HRSRC n = FindResourceA(NULL, MAKEINTRESOURCEA(7), (LPCSTR)RT_RCDATA);
    const unsigned char *bytes = LockResource(LoadResource(NULL, n));
    printf("numbered %lu %02x%02x%02x%02x\n", SizeofResource(NULL, n), bytes[0], bytes[1], bytes[2], bytes[3]);
    HRSRC byhash = FindResourceA(NULL, "#7", (LPCSTR)RT_RCDATA);
    printf("hash %d\n", byhash == n);
    HRSRC fr = FindResourceExW(NULL, L"TEXTFILE", L"GREETING", MAKELANGID(LANG_FRENCH, SUBLANG_FRENCH));
    printf("french [%.*s]\n", (int)SizeofResource(NULL, fr), (const char *)LockResource(LoadResource(NULL, fr)));
    HRSRC none = FindResourceW(NULL, L"NOPE", L"TEXTFILE");
    DWORD e1 = GetLastError();
    HRSRC notype = FindResourceW(NULL, L"GREETING", L"NOTYPE");
    printf("missing %d %lu %d %lu\n", none != NULL, e1, notype != NULL, GetLastError());
    return 0;
}
