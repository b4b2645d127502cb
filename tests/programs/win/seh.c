/* Structured exceptions: a vectored handler that catches an access violation and a division
   by zero and resumes after them (x64 and i386); on x64, __try/__except through mingw's
   __try1/__except1 (a scope in the function's unwind data for __C_specific_handler, whose
   filter sees a RaiseException with its arguments and either continues it or runs the
   __except part); and, when asked, an exception nobody handles. */
#include <windows.h>
#include <excpt.h>
#include <stdio.h>
#include <string.h>

#ifdef _WIN64
#define PC Rip
#define RESUME Rdx
#define RESULT Rax
#define DIVISOR Rcx
#else
#define PC Eip
#define RESUME Edx
#define RESULT Eax
#define DIVISOR Ecx
#endif

static volatile int faults, divides;

static LONG CALLBACK vectored(EXCEPTION_POINTERS *info)
{
    DWORD code = info->ExceptionRecord->ExceptionCode;
    if (code == EXCEPTION_ACCESS_VIOLATION) {
        faults++;
        printf("vectored: access violation %s at %p\n",
               info->ExceptionRecord->ExceptionInformation[0] ? "writing" : "reading",
               (void *)info->ExceptionRecord->ExceptionInformation[1]);
        info->ContextRecord->PC = info->ContextRecord->RESUME;  /* where the code said to go on */
        info->ContextRecord->RESULT = 77;
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    if (code == EXCEPTION_INT_DIVIDE_BY_ZERO) {
        divides++;
        info->ContextRecord->DIVISOR = 1;     /* divide by one instead, and retry */
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

/* A __try1 filter: gets EXCEPTION_POINTERS and the frame, as an __except filter does. */
LONG __attribute__((used)) filter(EXCEPTION_POINTERS *info, void *frame)
{
    EXCEPTION_RECORD *rec = info->ExceptionRecord;
    printf("filter: code %#lx with %lu arguments: %llu %llu\n", rec->ExceptionCode,
           rec->NumberParameters, (unsigned long long)rec->ExceptionInformation[0],
           (unsigned long long)rec->ExceptionInformation[1]);
    return rec->ExceptionInformation[0] == 6 ? EXCEPTION_CONTINUE_EXECUTION
                                             : EXCEPTION_EXECUTE_HANDLER;
}

static __attribute__((noinline)) int read_through(volatile int *p)
{
    int value;
#ifdef _WIN64
    __asm__ volatile("lea 1f(%%rip), %%rdx\n\tmov (%1), %%eax\n1:\n\tmov %%eax, %0"
                     : "=r"(value) : "r"(p) : "rax", "rdx");
#else
    __asm__ volatile("mov $1f, %%edx\n\tmov (%1), %%eax\n1:\n\tmov %%eax, %0"
                     : "=r"(value) : "r"(p) : "eax", "edx");
#endif
    return value;
}

static __attribute__((noinline)) int divide(int a, int b)
{
    int q;
    __asm__ volatile("cltd\n\tidivl %%ecx" : "=a"(q) : "a"(a), "c"(b) : "edx");
    return q;
}

#ifdef _WIN64
static __attribute__((noinline)) void raise_in_try(ULONG_PTR first)
{
    ULONG_PTR args[2] = {first, 7};
    __try1(filter) {
        RaiseException(0xE0000042, 0, 2, args);
        printf("RaiseException returned\n");
    } __except1 {
    }
    printf("after the __try\n");
}
#else
/* i386: a handler of our own linked at the head of the fs:[0] chain. */
struct registration { struct registration *prev; void *handler; };

static EXCEPTION_DISPOSITION __cdecl chain_handler(EXCEPTION_RECORD *rec, void *frame,
                                                   CONTEXT *ctx, void *dispatch)
{
    if (rec->ExceptionFlags & EXCEPTION_UNWINDING)
        return ExceptionContinueSearch;
    printf("chain handler: code %#lx\n", rec->ExceptionCode);
    if (rec->ExceptionCode == EXCEPTION_ACCESS_VIOLATION) {
        ctx->Eip = ctx->Edx;
        ctx->Eax = 55;
    }
    return ExceptionContinueExecution;
}

static __attribute__((noinline)) void through_the_chain(void)
{
    struct registration reg;
    __asm__ volatile("movl %%fs:0, %0" : "=r"(reg.prev));
    reg.handler = (void *)chain_handler;
    __asm__ volatile("movl %0, %%fs:0" : : "r"(&reg) : "memory");
    RaiseException(0xE0000043, 0, 0, NULL);
    printf("read through the chain gave %d\n", read_through((volatile int *)4));
    __asm__ volatile("movl %0, %%fs:0" : : "r"(reg.prev) : "memory");
}
#endif

int main(int argc, char **argv)
{
    AddVectoredExceptionHandler(1, vectored);
    printf("read gave %d\n", read_through((volatile int *)8));
    printf("divide gave %d\n", divide(42, argc - 1 - (argc > 1)));
    RemoveVectoredExceptionHandler(vectored);
#ifdef _WIN64
    raise_in_try(6);
    raise_in_try(8);
#else
    through_the_chain();
#endif
    printf("faults %d divides %d\n", faults, divides);
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "unhandled") == 0)
        RaiseException(0xE0000099, EXCEPTION_NONCONTINUABLE, 0, NULL);
    if (argc > 1 && strcmp(argv[1], "crash") == 0)
        *(volatile int *)24 = 1;
    return 0;
}
