// C++ with libstdc++ linked statically: iostream, containers, a string stream; and an
// exception (i386 unwinds with DWARF tables; x64 with SEH over the .pdata/.xdata tables).
#include <iostream>
#include <stdexcept>
#include <map>
#include <sstream>
int main() {
    std::map<std::string, int> m{{"a", 1}, {"b", 2}};
    std::ostringstream os; os << "map " << m["a"] + m["b"];
    std::cout << os.str() << std::endl;
    try { throw std::runtime_error("boom"); } catch (const std::exception &e) { std::cout << "caught " << e.what() << std::endl; }
    return 0;
}
