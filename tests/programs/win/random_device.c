/* MSVCP140's std::_Random_device, what std::random_device's operator() calls: 32 bits from
   the system's generator each call. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HMODULE dll = LoadLibraryA("msvcp140.dll");
    unsigned (__cdecl *random_device)(void) =
        (void *)GetProcAddress(dll, "?_Random_device@std@@YAIXZ");
    printf("found %d\n", random_device != NULL);
    unsigned seen[16], high = 0, distinct = 0;
    for (int i = 0; i < 16; i++) {
        seen[i] = random_device();
        high |= seen[i] >> 16;
        int again = 0;
        for (int j = 0; j < i; j++)
            again |= seen[j] == seen[i];
        distinct += !again;
    }
    printf("distinct %u of 16, high halves used %d\n", distinct, high != 0);
    return 0;
}
