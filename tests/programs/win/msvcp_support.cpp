// MSVCP140's support code that inline STL code calls, by the C++ names MSVC gives it: the new
// handler, the library's locks (_Lockit), the error-code tables behind std::system_category
// and std::generic_category, and the _X* functions that throw the standard exceptions, which
// the program catches by their own types. Built by clang for x86_64-pc-windows-msvc with no
// headers: the declarations below are the STL's, so they mangle as its exports do. For
// i686-pc-windows-msvc, the _X* throwers only.
extern "C" {
int printf(const char *, ...);
void exit(int);
unsigned long __std_system_error_allocate_message(unsigned long, char **);
void __std_system_error_deallocate_message(char *);
}

namespace std {
typedef void(__cdecl *new_handler)();
new_handler __cdecl set_new_handler(new_handler);
new_handler __cdecl get_new_handler();

class _Lockit {
public:
    explicit _Lockit(int);
    ~_Lockit();
    static void __cdecl _Lockit_ctor(int);
    static void __cdecl _Lockit_dtor(int);

private:
    int _Locktype;
};

int __cdecl _Winerror_map(int);
const char *__cdecl _Syserror_map(int);
unsigned long __cdecl _Winerror_message(unsigned long, char *, unsigned long);
[[noreturn]] void __cdecl _Xbad_alloc();
[[noreturn]] void __cdecl _Xlength_error(const char *);
[[noreturn]] void __cdecl _Xout_of_range(const char *);
[[noreturn]] void __cdecl _Xruntime_error(const char *);
[[noreturn]] void __cdecl _Xbad_function_call();
[[noreturn]] void __cdecl _Throw_Cpp_error(int);

// vcruntime's layout: the vftable (scalar deleting destructor, what), the text, owns-it flag
class exception {
public:
    virtual ~exception();
    virtual const char *what() const;

private:
    const char *_What;
    bool _DoFree;
};
class logic_error : public exception {};
class length_error : public logic_error {};
class out_of_range : public logic_error {};
class runtime_error : public exception {};
class bad_alloc : public exception {};
class bad_function_call : public exception {};
class system_error : public runtime_error {
public:
    int value() const { return _Val; }

private:
    int _Val;
    const void *_Cat;
};
}  // namespace std

[[maybe_unused]] static void handler() {}

template <class Catch, class Thrower>
static void expect(const char *label, Thrower thrower) {
    try {
        thrower();
        printf("%s: not thrown\n", label);
    } catch (Catch &e) {
        printf("%s: %s\n", label, e.what());
    } catch (...) {
        printf("%s: caught as something else\n", label);
    }
}

extern "C" void mainCRTStartup() {
#ifdef _M_X64   // i386's msvcp140 has the throwers below, not the handler, locks and maps
    std::new_handler old = std::set_new_handler(handler);
    printf("new handler %d %d", old == nullptr, std::get_new_handler() == handler);
    printf(" %d\n", std::set_new_handler(nullptr) == handler);

    {
        std::_Lockit outer(0);
        std::_Lockit inner(0);   // the same kind again: the locks are recursive
        std::_Lockit other(2);
        std::_Lockit::_Lockit_ctor(2);
        std::_Lockit::_Lockit_dtor(2);
    }
    printf("locks taken and released\n");

    printf("winerror %d %d %d %d %d\n", std::_Winerror_map(2), std::_Winerror_map(5),
           std::_Winerror_map(183), std::_Winerror_map(10061), std::_Winerror_map(12345));
    printf("syserror [%s] [%s] [%s]\n", std::_Syserror_map(2), std::_Syserror_map(30),
           std::_Syserror_map(9999));
    char text[128];
    unsigned long n = std::_Winerror_message(5, text, sizeof text);
    printf("message %lu [%s]", n, text);
    printf(" small %lu\n", std::_Winerror_message(5, text, 4));
    char *block = nullptr;
    n = __std_system_error_allocate_message(2, &block);
    printf("allocated %lu [%s]", n, block);
    __std_system_error_deallocate_message(block);
    block = (char *)1;
    n = __std_system_error_allocate_message(0x12345, &block);
    printf(" none %lu %d\n", n, block == nullptr);
#endif

    expect<std::length_error>("length_error", [] { std::_Xlength_error("vector too long"); });
    expect<std::logic_error>("as logic_error", [] { std::_Xout_of_range("invalid string position"); });
    expect<std::exception>("as exception", [] { std::_Xruntime_error("runtime"); });
    expect<std::bad_alloc>("bad_alloc", [] { std::_Xbad_alloc(); });
    expect<std::bad_function_call>("bad_function_call", [] { std::_Xbad_function_call(); });
    try {
        std::_Throw_Cpp_error(5);
    } catch (std::system_error &e) {
        printf("system_error %d: %s\n", e.value(), e.what());
    }
    exit(0);
}
