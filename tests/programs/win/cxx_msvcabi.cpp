// C++ exceptions in the MSVC ABI (clang for x86_64-pc-windows-msvc: __CxxFrameHandler3 tables,
// _CxxThrowException), with no headers: the C library comes from msvcrt.dll.
extern "C" int printf(const char *, ...);
extern "C" void exit(int);
extern "C" void free(void *);
extern "C" int _fltused = 0;
void operator delete(void *p) noexcept { free(p); }
void operator delete(void *p, unsigned long long) noexcept { free(p); }

struct Base {
    virtual ~Base() {}
    virtual const char *what() const { return "base"; }
};
struct Derived : Base {
    int code;
    explicit Derived(int c) : code(c) {}
    Derived(const Derived &o) : Base(o), code(o.code) { printf("copy Derived %d\n", code); }
    ~Derived() override { printf("~Derived %d\n", code); }
    const char *what() const override { return "derived"; }
};
struct Guard {
    const char *name;
    explicit Guard(const char *n) : name(n) {}
    ~Guard() { printf("~Guard %s\n", name); }
};

__declspec(noinline) void thrower(int kind) {
    Guard g("thrower");
    if (kind == 0) throw 42;
    if (kind == 1) throw Derived(7);
    if (kind == 2) throw "text";
    if (kind == 3) throw Derived(8);
}

__declspec(noinline) int deep(int n) {
    Guard g("deep");
    if (n == 0) thrower(1);
    return deep(n - 1) + 1;
}

int main() {
    for (int k = 0; k < 4; k++) {
        try {
            Guard g("try");
            thrower(k);
        } catch (int v) {
            printf("caught int %d\n", v);
        } catch (Derived d) {
            printf("caught Derived by value %d %s\n", d.code, d.what());
        } catch (const char *s) {
            printf("caught const char* %s\n", s);
        } catch (...) {
            printf("caught ...\n");
        }
    }
    try {
        deep(2);
    } catch (Base &b) {
        printf("caught Base& %s through frames\n", b.what());
    }
    try {
        try {
            throw Derived(9);
        } catch (Derived &d) {
            printf("inner %d, rethrowing\n", d.code);
            throw;
        }
    } catch (Base &b) {
        printf("outer %s\n", b.what());
    }
    try {
        try {
            throw 1;
        } catch (int) {
            Guard g("in catch");
            throw 2.5;
        }
    } catch (double d) {
        printf("caught double %g\n", d);
    }
    try {
        throw 3;
    } catch (int outer) {
        try {
            Guard g("nested try");
            thrower(1);
        } catch (Base &b) {
            printf("caught %s in a catch of %d\n", b.what(), outer);
        }
        printf("back in the catch of %d\n", outer);
    }
    printf("done\n");
    return 0;
}

extern "C" void mainCRTStartup() { exit(main()); }
