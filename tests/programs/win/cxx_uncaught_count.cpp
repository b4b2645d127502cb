// std::uncaught_exceptions() from msvcp140 in the MSVC ABI (workerd's KJ counts exceptions
// in flight this way): 0 before a throw, 1 in a destructor the unwinding runs, 0 in the catch.
extern "C" int printf(const char *, ...);
extern "C" void exit(int);
extern "C" int _fltused = 0;
namespace std { __declspec(dllimport) int __cdecl uncaught_exceptions() noexcept; }

struct Watch {
    ~Watch() { printf("unwinding: %d\n", std::uncaught_exceptions()); }
};

__declspec(noinline) void thrower() {
    Watch w;
    throw 7;
}

extern "C" int mainCRTStartup() {
    printf("before: %d\n", std::uncaught_exceptions());
    try {
        thrower();
    } catch (int n) {
        printf("caught %d: %d\n", n, std::uncaught_exceptions());
    }
    printf("after: %d\n", std::uncaught_exceptions());
    exit(0);
    return 0;
}
