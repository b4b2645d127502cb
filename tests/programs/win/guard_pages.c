/* PAGE_GUARD: a guarded page faults once (STATUS_GUARD_PAGE_VIOLATION, seen by a vectored
   handler that lets the access run again), then is plain read-write; VirtualQuery and
   VirtualProtect's old value show the guard while it is there. A guard page in the thread's
   own stack raises STATUS_STACK_OVERFLOW instead (what HotSpot's yellow zone relies on).
   Also the version resources GetFileVersionInfo reads: a generated system DLL's (Windows
   10.0.19045) and a file without one. */
#include <windows.h>
#include <stdio.h>

static volatile DWORD seen;

static LONG CALLBACK handler(EXCEPTION_POINTERS *info)
{
    DWORD code = info->ExceptionRecord->ExceptionCode;
    if (code == STATUS_GUARD_PAGE_VIOLATION || code == EXCEPTION_STACK_OVERFLOW) {
        seen = code;
        return EXCEPTION_CONTINUE_EXECUTION;     /* the guard is gone: the access succeeds */
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

static DWORD protection(void *at)
{
    MEMORY_BASIC_INFORMATION mbi;
    VirtualQuery(at, &mbi, sizeof mbi);
    return mbi.Protect;
}

static void __attribute__((noinline)) touch_stack(volatile char *page)
{
    page[0] = 1;
}

int main(void)
{
    AddVectoredExceptionHandler(1, handler);
    char *mem = VirtualAlloc(NULL, 2 * 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD old;
    VirtualProtect(mem + 4096, 4096, PAGE_READWRITE | PAGE_GUARD, &old);
    printf("guarded protect=%#lx old=%#lx\n", protection(mem + 4096), old);
    mem[4096] = 'x';
    printf("first touch: %#lx value=%c\n", seen, mem[4096]);
    seen = 0;
    mem[4097] = 'y';
    printf("second touch: %#lx protect=%#lx\n", seen, protection(mem + 4096));
    VirtualProtect(mem, 4096, PAGE_READONLY | PAGE_GUARD, &old);
    VirtualProtect(mem, 4096, PAGE_READWRITE, &old);
    printf("old of a guarded page=%#lx\n", old);

    /* A page of this thread's stack, well below where it is now. */
    volatile char here;
    char *stack_page = (char *)(((ULONG_PTR)&here - 64 * 1024) & ~(ULONG_PTR)4095);
    seen = 0;
    VirtualProtect(stack_page, 4096, PAGE_READWRITE | PAGE_GUARD, &old);
    touch_stack(stack_page);
    printf("stack guard: %#lx\n", seen);

    DWORD handle, size = GetFileVersionInfoSizeA("C:\\Windows\\System32\\kernel32.dll", &handle);
    char *block = malloc(size);
    VS_FIXEDFILEINFO *fixed;
    char *product;
    UINT len;
    GetFileVersionInfoA("C:\\Windows\\System32\\kernel32.dll", 0, size, block);
    if (VerQueryValueA(block, "\\", (void **)&fixed, &len))
        printf("kernel32 %lu.%lu.%lu\n", HIWORD(fixed->dwFileVersionMS),
               LOWORD(fixed->dwFileVersionMS), HIWORD(fixed->dwFileVersionLS));
    if (VerQueryValueA(block, "\\StringFileInfo\\040904B0\\CompanyName", (void **)&product, &len))
        printf("company %s\n", product);
    size = GetFileVersionInfoSizeA("C:\\guard.exe", &handle);
    printf("own: size=%lu error=%lu\n", size, size ? 0 : GetLastError());
    return 0;
}
