/* Waits on KUSER_SHARED_DATA's interrupt time (100 ns units at 0x7ffe0008), which the system
   keeps up to date, until 50 ms have gone by. */
#include <windows.h>
#include <stdio.h>

static ULONGLONG interrupt_time(void)
{
    const volatile ULONG *shared = (const volatile ULONG *)0x7ffe0008;
    return shared[0] | (ULONGLONG)shared[1] << 32;
}

int main(void)
{
    ULONGLONG start = interrupt_time();
    while (interrupt_time() - start < 500000)
        Sleep(5);
    printf("the clock went on\n");
    return 0;
}
