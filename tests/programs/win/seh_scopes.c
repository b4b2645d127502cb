/* __try/__except/__finally in the MSVC ABI on i386 (clang for i686-pc-windows-msvc): the
 * compiler's scope tables, run by msvcrt's _except_handler3; built with -DEH4 and the
 * personality renamed in the IR, by vcruntime140's _except_handler4_common through the
 * _except_handler4 thunk MSVC's C runtime links into every program (an encoded scope table,
 * GS and EH cookies). No C runtime: printf and the rest come from msvcrt.dll. */
int printf(const char *, ...);
void exit(int);

void __stdcall RaiseException(unsigned long, unsigned long, unsigned long, const void *);
int _fltused = 0;

#ifdef EH4
/* LLVM lays an EH4 frame out as MSVC does not (callee-saved registers between ebp and the
 * registration node), and its cookie offsets count from its own ebp, not from the node's end
 * where MSVC's _except_handler4_common and this one count: the check is only counted here. */
unsigned int __security_cookie = 0xBB40E64E;
static int cookie_checks;

void __fastcall __security_check_cookie(unsigned int cookie)
{
    (void)cookie;
    cookie_checks++;
}

int _except_handler4_common(unsigned int *, void (__fastcall *)(unsigned int), void *, void *,
                            void *, void *);

int _except_handler4(void *record, void *frame, void *context, void *dispatcher)
{
    return _except_handler4_common(&__security_cookie, __security_check_cookie, record, frame,
                                   context, dispatcher);
}
#endif

static volatile int *nothing = 0;
static int finally_ran;

static int filter(unsigned long code, unsigned long want, const char *where)
{
    printf("filter %s: %lx\n", where, code);
    return code == want ? 1 : 0;
}

__declspec(noinline) static void fault(void)
{
    *nothing = 1;                           /* an access violation */
}

__declspec(noinline) static void inner(void)
{
    __try {
        fault();                            /* (clang: only calls may raise in a __try) */
    } __finally {
        finally_ran++;
        printf("inner finally (abnormal %d)\n", _abnormal_termination());
    }
}

__declspec(noinline) static int middle(void)
{
    __try {
        inner();
    } __except (filter(_exception_code(), 0xE0000001, "middle")) {
        printf("middle handler: not reached\n");
    }
    return 0;
}

int mainCRTStartup(void)
{
    __try {
        middle();
    } __except (filter(_exception_code(), 0xC0000005, "outer")) {
        printf("outer handler, finally ran %d\n", finally_ran);
    }
    __try {
        RaiseException(0xE0000001, 0, 0, 0);
        printf("not reached\n");
    } __except (filter(_exception_code(), 0xE0000001, "raise")) {
        printf("raised exception handled\n");
    }
    __try {
        __try {
            printf("try body\n");
        } __finally {
            printf("normal finally (abnormal %d)\n", _abnormal_termination());
        }
    } __except (1) {
        printf("not reached\n");
    }
#ifdef EH4
    printf("cookies checked: %d\n", cookie_checks > 0);
#endif
    exit(0);
}
