/* BSTRs of a size the program names are the process's memory, not host strings: more than
   the machine has is NULL (--max-total-memory 64M), a large one is zero, a copy takes the
   bytes as they are, and the output after them all comes out. */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>

static int zero(const char *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

int main(void)
{
    printf("byte len 512 MiB: %d\n", SysAllocStringByteLen(NULL, 512u << 20) != NULL);
    printf("len 256 Mi: %d\n", SysAllocStringLen(NULL, 256u << 20) != NULL);
    BSTR b = SysAllocString(L"kept");
    int ok = SysReAllocStringLen(&b, NULL, 256u << 20);
    printf("realloc 256 Mi: %d kept %d\n", ok, !wcscmp(b, L"kept"));
    printf("byte len 4 GiB - 1: %d\n", SysAllocStringByteLen(NULL, 0xffffffffu) != NULL);

    BSTR big = SysAllocStringByteLen(NULL, 8u << 20);
    const char *raw = (const char *)big;
    printf("8 MiB: %u zero %d %d ended %d\n", SysStringByteLen(big), zero(raw, 4096),
           zero(raw + (8 << 20) - 4096, 4096), raw[8 << 20] == 0 && raw[(8 << 20) + 1] == 0);
    SysFreeString(big);
    BSTR copy = SysAllocStringLen(L"ab\0cd", 5);
    printf("copy: %u %d\n", SysStringLen(copy), !memcmp(copy, L"ab\0cd", 12));
    printf("done\n");
    return 0;
}
