// A C++ program linked the way mingw-w64's g++ links by default: against libstdc++-6.dll and
// libgcc's DLL, which come beside it. Streams, strings, a map, an exception thrown inside
// libstdc++ and caught here, one thrown here through a callback of std::sort, and a static
// object whose destructor runs at exit (std::cout still works then: libstdc++'s own
// objects are destroyed later, when its DLL is detached).
#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

struct Noisy {
    std::string name;
    ~Noisy() { std::cout << "destroyed " << name << std::endl; }
};
static Noisy global{"global"};

int main(int argc, char **argv)
{
    std::map<std::string, int> counts;
    std::istringstream words("b a c a b a");
    for (std::string w; words >> w;)
        ++counts[w];
    for (const auto &[word, n] : counts)
        std::cout << word << "=" << n << " ";
    std::cout << std::endl;
    try {
        std::stoi("not a number");
    } catch (const std::invalid_argument &e) {
        std::cout << "caught invalid_argument from " << e.what() << std::endl;
    }
    std::vector<int> v{5, 3, 9, 1};
    try {
        std::sort(v.begin(), v.end(), [](int a, int b) {
            if (a == 9 || b == 9)
                throw std::runtime_error("nine");
            return a < b;
        });
    } catch (const std::exception &e) {
        std::cout << "caught " << e.what() << " through std::sort" << std::endl;
    }
    std::cout << "args=" << argc - 1 << std::endl;
    return 4;
}
