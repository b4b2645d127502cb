/* CryptProtectData when the heap has no room for the sealed blob: FALSE with
   ERROR_NOT_ENOUGH_MEMORY (the heap's failure was an access violation at the call). */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    DWORD n = 40u << 20;
    BYTE *buf = VirtualAlloc(NULL, n, MEM_COMMIT, PAGE_READWRITE);
    memset(buf, 1, n);
    DATA_BLOB in = {n, buf}, out = {0};
    SetLastError(0);
    BOOL r = CryptProtectData(&in, L"d", NULL, NULL, NULL, 0, &out);
    DWORD e = GetLastError();
    printf("protect %d error %lu out %lu\n", r, e, out.cbData);
    return 0;
}
