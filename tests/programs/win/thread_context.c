/* Another thread's registers: SuspendThread, GetThreadContext finds it in its loop, and
   SetThreadContext sends it elsewhere (RIP to a function, the stack as after a call), as
   Go's runtime preempts a goroutine in a tight loop; ResumeThread runs it there. */
#include <windows.h>
#include <stdio.h>

static volatile LONG diverted, spinning;

static DWORD WINAPI spin(LPVOID unused)
{
    volatile unsigned long long x = 0;
    spinning = 1;
    for (;;)
        x++;
    return 0;
}

static void divert(void)
{
    diverted = 1;
    ExitThread(7);
}

int main(void)
{
    HANDLE t = CreateThread(NULL, 0, spin, NULL, 0, NULL);
    while (!spinning)
        Sleep(1);
    Sleep(20);
    DWORD previous = SuspendThread(t);
    CONTEXT c;
    memset(&c, 0, sizeof c);
    c.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
    BOOL got = GetThreadContext(t, &c);
#ifdef _WIN64
    ULONG_PTR pc = c.Rip, sp = c.Rsp;
    c.Rsp = ((sp - 256) & ~(ULONG_PTR)15) - 8;     /* as after a call */
    c.Rip = (ULONG_PTR)divert;
#else
    ULONG_PTR pc = c.Eip, sp = c.Esp;
    c.Esp = ((sp - 256) & ~(ULONG_PTR)15) - 4;
    c.Eip = (ULONG_PTR)divert;
#endif
    int in_loop = pc >= (ULONG_PTR)spin && pc < (ULONG_PTR)spin + 256;
    BOOL set = SetThreadContext(t, &c);
    ResumeThread(t);
    DWORD waited = WaitForSingleObject(t, 5000), code = 0;
    GetExitCodeThread(t, &code);
    CONTEXT mine = {0};
    mine.ContextFlags = CONTEXT_CONTROL;
    BOOL own = GetThreadContext(GetCurrentThread(), &mine);
    printf("suspended %lu got %d in loop %d set %d ended %d diverted %d code %lu own %d\n",
           previous, got, in_loop, set, waited == WAIT_OBJECT_0, diverted, code, own);
    return 0;
}
