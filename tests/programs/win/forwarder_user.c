/* A DLL of forwarders and no relocations (python3.dll, the stable-ABI forwarder every abi3
 * extension imports) whose preferred base is taken loads elsewhere: it has nothing to fix. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HMODULE m = LoadLibraryW(L"forwarder.dll");
    printf("loaded %d, elsewhere %d\n", m != NULL, m != NULL && (ULONG_PTR)m != 0x140000000);
    DWORD (WINAPI *ticks)(void) = (DWORD (WINAPI *)(void))GetProcAddress(m, "Ticks");
    printf("forwarded call works %d\n", ticks != NULL && ticks() > 0);
    return 0;
}
