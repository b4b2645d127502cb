/* NT system services called straight through the gate (x64 `syscall`, i386 `int 0x2e`) with
   random arguments: nt_gate_fuzz SEED ITER FIRST LAST SKIP... calls each service number in
   [FIRST, LAST] but the SKIP ones (those that end, block or unmap the caller) ITER times,
   each argument drawn from 0, -1, small and huge counts, wild pointers, a no-access page, a
   read-only page, 8 bytes before a reserved page, buffers of zeros and of random bytes, and
   real handles. Prints "N services, M calls" when every call came back. */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long rng;

static ULONG_PTR next(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (ULONG_PTR)(rng >> 17);
}

static char *region(SIZE_T size)
{
    char *p = VirtualAlloc(NULL, size + 4096, MEM_RESERVE, PAGE_NOACCESS);
    VirtualAlloc(p, size, MEM_COMMIT, PAGE_READWRITE);
    return p;
}

static ULONG_PTR gate(ULONG_PTR nr, ULONG_PTR *a)
{
    ULONG_PTR r;
#ifdef _WIN64
    /* the x64 service ABI: number in eax, arguments in r10, rdx, r8, r9, then on the stack
       past the 32-byte home area and the return slot */
    register ULONG_PTR r10 __asm__("r10") = a[0];
    register ULONG_PTR rdx __asm__("rdx") = a[1];
    register ULONG_PTR r8 __asm__("r8") = a[2];
    register ULONG_PTR r9 __asm__("r9") = a[3];
    __asm__ volatile("sub $0x68, %%rsp\n\t"
                     "mov %[a4], %%rax\n\tmov %%rax, 0x28(%%rsp)\n\t"
                     "mov %[a5], %%rax\n\tmov %%rax, 0x30(%%rsp)\n\t"
                     "mov %[a6], %%rax\n\tmov %%rax, 0x38(%%rsp)\n\t"
                     "mov %[a7], %%rax\n\tmov %%rax, 0x40(%%rsp)\n\t"
                     "mov %[a8], %%rax\n\tmov %%rax, 0x48(%%rsp)\n\t"
                     "mov %[a9], %%rax\n\tmov %%rax, 0x50(%%rsp)\n\t"
                     "mov %[a10], %%rax\n\tmov %%rax, 0x58(%%rsp)\n\t"
                     "mov %[nr], %%rax\n\t"
                     "syscall\n\t"
                     "add $0x68, %%rsp"
                     : "=a"(r), "+r"(r10), "+r"(rdx), "+r"(r8), "+r"(r9)
                     : [nr] "m"(nr), [a4] "m"(a[4]), [a5] "m"(a[5]), [a6] "m"(a[6]),
                       [a7] "m"(a[7]), [a8] "m"(a[8]), [a9] "m"(a[9]), [a10] "m"(a[10])
                     : "rcx", "r11", "memory");
#else
    /* i386: number in eax, edx points at the arguments */
    __asm__ volatile("int $0x2e" : "=a"(r) : "a"(nr), "d"(a) : "ecx", "memory");
#endif
    return r;
}

int main(int argc, char **argv)
{
    unsigned seed = atoi(argv[1]);
    int iter = atoi(argv[2]);
    long first = atol(argv[3]), last = atol(argv[4]);
    char *rw = region(1 << 16), *noise = region(1 << 16), *none = region(4096);
    char *ro = region(4096), *edge = region(4096);
    DWORD old;
    VirtualProtect(none, 4096, PAGE_NOACCESS, &old);
    VirtualProtect(ro, 4096, PAGE_READONLY, &old);
    HANDLE file = CreateFileA("C:\\fzfile", GENERIC_READ | GENERIC_WRITE, 7, NULL, OPEN_ALWAYS,
                              0, NULL);
    HANDLE dir = CreateFileA("C:\\", GENERIC_READ, 7, NULL, OPEN_EXISTING,
                             FILE_FLAG_BACKUP_SEMANTICS, NULL);
    /* an OBJECT_ATTRIBUTES naming a file, and one whose name points nowhere */
    static WCHAR name_buf[] = L"\\??\\C:\\fzfile2";
    UNICODE_STRING *us = (UNICODE_STRING *)(rw + 1024);
    us->Length = sizeof name_buf - 2;
    us->MaximumLength = sizeof name_buf;
    us->Buffer = name_buf;
    OBJECT_ATTRIBUTES *oa = (OBJECT_ATTRIBUTES *)(rw + 2048);
    oa->Length = sizeof *oa;
    oa->ObjectName = us;
    oa->Attributes = 0x40;
    UNICODE_STRING *bad_us = (UNICODE_STRING *)(rw + 3072);
    bad_us->Length = 0x7ffe;
    bad_us->MaximumLength = 0x8000;
    bad_us->Buffer = (PWSTR)(edge + 4096 - 8);
    OBJECT_ATTRIBUTES *bad_oa = (OBJECT_ATTRIBUTES *)(rw + 4096);
    bad_oa->Length = sizeof *bad_oa;
    bad_oa->ObjectName = bad_us;
    bad_oa->RootDirectory = dir;
    ULONG_PTR values[] = {0, 1, 2, 3, 8, 16, 64, 0x1000, 0x10000, (ULONG_PTR)-1, (ULONG_PTR)-2,
                          0x7fffffff, 0x80000000UL, 0xffffffffUL, 0x10,
#ifdef _WIN64
                          0xffff800000000000ULL,
#endif
                          (ULONG_PTR)rw, (ULONG_PTR)rw + 60000, (ULONG_PTR)noise,
                          (ULONG_PTR)none, (ULONG_PTR)ro, (ULONG_PTR)edge + 4096 - 8,
                          (ULONG_PTR)oa, (ULONG_PTR)bad_oa, (ULONG_PTR)us, (ULONG_PTR)bad_us,
                          (ULONG_PTR)file, (ULONG_PTR)dir, (ULONG_PTR)GetCurrentThread()};
    int nvalues = sizeof values / sizeof values[0];
    int services = 0, calls = 0;
    for (long nr = first; nr <= last; nr++) {
        int skip = 0;
        for (int k = 5; k < argc; k++)
            if (atol(argv[k]) == nr)
                skip = 1;
        if (skip)
            continue;
        services++;
        rng = (unsigned long long)seed * 1000003ULL + nr;
        for (int i = 0; i < iter; i++) {
            for (int j = 0; j < 1 << 16; j += sizeof(ULONG_PTR))
                *(ULONG_PTR *)(noise + j) = next() * 2654435761UL;
            ULONG_PTR a[16];
            for (int k = 0; k < 16; k++)
                a[k] = next() % 6 == 0 ? next() % 4096 : values[next() % nvalues];
            gate(nr, a);
            calls++;
        }
    }
    printf("%d services, %d calls\n", services, calls);
    return 0;
}
