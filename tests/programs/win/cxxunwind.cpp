// C++ exceptions across frames: destructors run while the stack unwinds (cleanups in each
// frame), a rethrow from a catch, catch by base class and catch (...), and a throw the
// program never catches (std::terminate).
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

struct Noisy {
    std::string name;
    explicit Noisy(const char *n) : name(n) {}
    ~Noisy() { std::printf("~%s\n", name.c_str()); }
};

static __attribute__((noinline)) void deepest(int depth)
{
    Noisy n(("frame" + std::to_string(depth)).c_str());
    if (depth == 0)
        throw std::out_of_range("too deep");
    deepest(depth - 1);
}

static __attribute__((noinline)) void rethrower()
{
    try {
        deepest(2);
    } catch (const std::out_of_range &e) {
        std::printf("rethrowing %s\n", e.what());
        throw;
    }
}

int main(int argc, char **argv)
{
    try {
        rethrower();
    } catch (const std::logic_error &e) {
        std::printf("caught logic_error: %s\n", e.what());
    }
    try {
        throw 42;
    } catch (...) {
        std::printf("caught something\n");
    }
    if (argc > 1 && std::strcmp(argv[1], "uncaught") == 0) {
        std::fflush(stdout);
        throw std::runtime_error("nobody catches this");
    }
    std::printf("done\n");
    return 0;
}
