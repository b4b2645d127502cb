/* msvcrt's strlen, strcmp and ASCII classes answered in the guest (compiler/emit_dll.py):
   called through the DLL (pointers, so gcc inlines nothing), each class of every c from -1
   to 255 as one digit string per class, strcmp's signs on bytes above 0x7f, a bad pointer
   as an access violation, and a million calls timed for the note. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

typedef int (*class_fn)(int);
typedef size_t (*strlen_fn)(const char *);
typedef int (*strcmp_fn)(const char *, const char *);

static LONG WINAPI fault(EXCEPTION_POINTERS *e)
{
    printf("fault %#lx\n", (unsigned long)e->ExceptionRecord->ExceptionCode);
    fflush(stdout);
    ExitProcess(0);
    return EXCEPTION_CONTINUE_SEARCH;
}

int main(int argc, char **argv)
{
    HMODULE crt = GetModuleHandleA("msvcrt.dll");
    static const char *names[] = {"isdigit", "isalpha", "isupper", "islower", "isspace",
                                  "isalnum", "isxdigit"};
    for (int n = 0; n < 7; n++) {
        class_fn f = (class_fn)GetProcAddress(crt, names[n]);
        printf("%s ", names[n]);
        for (int c = -1; c < 256; c++)
            putchar(f(c) ? '1' : '0');
        putchar('\n');
    }
    strlen_fn len = (strlen_fn)GetProcAddress(crt, "strlen");
    strcmp_fn cmp = (strcmp_fn)GetProcAddress(crt, "strcmp");
    printf("strlen %u %u %u\n", (unsigned)len(""), (unsigned)len("abc"),
           (unsigned)len("\x80\xff\x01"));
    printf("strcmp %d %d %d %d %d %d\n", cmp("abc", "abc"), cmp("abc", "abd"),
           cmp("abd", "abc"), cmp("ab", "abc"), cmp("a\x80", "a\x7f"), cmp("", ""));
    if (argc > 1) {
        DWORD start = GetTickCount();
        size_t sum = 0;
        for (int i = 0; i < 1000000; i++)
            sum += len(argv[0]) + (cmp(argv[0], "C:\\x") > 0);
        printf("1M calls: %lu ms (%u)\n", GetTickCount() - start, (unsigned)sum);
    }
    SetUnhandledExceptionFilter(fault);
    printf("strlen of a bad pointer: %u\n", (unsigned)len((const char *)16));
    return 1;
}
