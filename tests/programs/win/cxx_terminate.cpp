// An exception nothing catches: with no C runtime to install a top-level filter, the search
// finds no handler and the process ends with the exception's code before any unwinding (the
// destructor below never runs), as on Windows.
extern "C" int printf(const char *, ...);
extern "C" void exit(int);

struct Noisy {
    ~Noisy() { printf("unwound\n"); }
};

__declspec(noinline) void thrower() { throw 7; }

int main() {
    printf("start\n");
    Noisy n;
    thrower();
    printf("not reached\n");
    return 0;
}

extern "C" void mainCRTStartup() { exit(main()); }
