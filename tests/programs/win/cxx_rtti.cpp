// dynamic_cast through vcruntime's __RTDynamicCast (up, down, across two bases and to a
// virtual base), std::bad_cast thrown by the runtime for a failed reference cast, caught by
// its own type and as the std::exception it derives from; typeid of an object (__RTtypeid; of
// NULL: std::bad_typeid), type_info::name(), raw_name(), == and hash_code(). std::exception
// is declared as vcruntime_exception.h lays it out. clang for x86_64- and i686-pc-windows-msvc:
// x64's RTTI holds RVAs, i386's absolute pointers.
using size_t = decltype(sizeof 0);
extern "C" int printf(const char *, ...);
extern "C" void exit(int);
extern "C" void free(void *);
extern "C" int _fltused = 0;
void operator delete(void *p) noexcept { free(p); }
void operator delete(void *p, size_t) noexcept { free(p); }

namespace std {
struct __std_exception_data {
    const char *_What;
    bool _DoFree;
};
class exception {
  public:
    exception() noexcept : _Data() {}
    virtual ~exception() noexcept {}
    virtual const char *what() const { return _Data._What ? _Data._What : "Unknown exception"; }

  private:
    __std_exception_data _Data;
};
} // namespace std

// type_info as vcruntime_typeinfo.h declares it: name() and == go to the runtime.
struct __type_info_node {
    void *_MemPtr;
    __type_info_node *_Next;
};
__type_info_node __type_info_root_node;
struct __std_type_info_data {
    const char *_UndecoratedName;
    const char _DecoratedName[1];
};
extern "C" int __std_type_info_compare(const __std_type_info_data *, const __std_type_info_data *);
extern "C" const char *__std_type_info_name(__std_type_info_data *, __type_info_node *);
extern "C" size_t __std_type_info_hash(const __std_type_info_data *);
class type_info {
  public:
    type_info(const type_info &) = delete;
    virtual ~type_info() noexcept;
    bool operator==(const type_info &o) const noexcept {
        return __std_type_info_compare(&_Data, &o._Data) == 0;
    }
    const char *name() const noexcept { return __std_type_info_name(&_Data, &__type_info_root_node); }
    const char *raw_name() const noexcept { return _Data._DecoratedName; }
    size_t hash_code() const noexcept { return __std_type_info_hash(&_Data); }

  private:
    mutable __std_type_info_data _Data;
};
namespace std {
using ::type_info;
class bad_cast : public exception {};
class bad_typeid : public exception {};
} // namespace std

struct Shape {
    virtual ~Shape() {}
    virtual const char *kind() const { return "shape"; }
};
struct Circle : Shape {
    int r = 3;
    const char *kind() const override { return "circle"; }
};
struct Square : Shape {
    int side = 4;
};
struct Named {
    virtual ~Named() {}
    const char *name = "named";
};
struct Labelled : Square, Named {};   // two bases: a cross cast between them moves the pointer

// A diamond over a virtual base, and a virtual base only one side has: found through the
// complete object's vbtable.
struct Base {
    virtual ~Base() {}
    int b = 1;
};
struct Extra {
    virtual ~Extra() {}
    int e = 5;
};
struct Left : virtual Base {
    int l = 2;
};
struct Right : virtual Base, virtual Extra {
    int r = 3;
};
struct Diamond : Left, Right {
    int d = 4;
};

static Shape *shapes[4];   // the last stays NULL

__declspec(noinline) Shape *make(int which) { return shapes[which]; }

int main() {
    Circle circle;
    Square square;
    Labelled labelled;
    shapes[0] = &circle, shapes[1] = &square, shapes[2] = &labelled;
    for (int i = 0; i < 3; i++) {
        Shape *s = make(i);
        Circle *c = dynamic_cast<Circle *>(s);
        Named *n = dynamic_cast<Named *>(s);
        printf("%d: circle %s, named %s\n", i, c ? "yes" : "no", n ? n->name : "no");
        if (n && (void *)n == (void *)s)
            printf("cross cast did not move the pointer\n");
    }
    Circle *circle_again = dynamic_cast<Circle *>(make(0));
    Shape *up = dynamic_cast<Shape *>(circle_again);
    printf("up cast: %s, kind %s\n", up == shapes[0] ? "same" : "wrong", up->kind());
    try {
        Circle &c = dynamic_cast<Circle &>(*make(1));
        printf("not reached %d\n", c.r);
    } catch (std::bad_cast &e) {
        printf("caught bad_cast: %s\n", e.what());
    }
    try {
        Circle &c = dynamic_cast<Circle &>(*make(2));
        printf("not reached %d\n", c.r);
    } catch (std::exception &e) {
        printf("caught: %s\n", e.what());
    }
    for (int i = 0; i < 3; i++) {
        Shape *s = make(i);
        printf("typeid: %s%s\n", typeid(*s).name(), typeid(*s) == typeid(Circle) ? " (a Circle)" : "");
    }
    printf("typeid(int): %s\n", typeid(int).name());
    Shape *first = make(0);
    printf("raw_name: %s %s\n", typeid(*first).raw_name(), typeid(Labelled).raw_name());
    Diamond diamond;
    Base *base = &diamond;                      // the virtual base: its own vftable and locator
    Diamond *down = dynamic_cast<Diamond *>(base);
    Left *left = &diamond;
    Extra *extra = dynamic_cast<Extra *>(left);   // across to a virtual base of the other side
    Right *right = dynamic_cast<Right *>(base);
    printf("diamond: down %s, extra %d, right %d, typeid %s\n",
           down == &diamond ? "same" : "wrong", extra ? extra->e : -1, right ? right->r : -1,
           typeid(*base).name());
    printf("void cast of the virtual base: %s\n",
           dynamic_cast<void *>(base) == (void *)&diamond ? "complete object" : "wrong");
    Named *named = dynamic_cast<Named *>(make(2));   // the second base: not at the start
    printf("void cast: %s\n", dynamic_cast<void *>(named) == (void *)&labelled ? "complete object"
                                                                               : "wrong");
    Shape *third = make(2);
    printf("hash_code: %s\n", typeid(*third).hash_code() == typeid(Labelled).hash_code() &&
                                 typeid(Circle).hash_code() != typeid(Square).hash_code()
                             ? "consistent" : "wrong");
    try {
        Shape *none = make(3);
        printf("not reached %s\n", typeid(*none).name());
    } catch (std::bad_typeid &e) {
        printf("caught bad_typeid: %s\n", e.what());
    }
    printf("done\n");
    return 0;
}

extern "C" void mainCRTStartup() { exit(main()); }
