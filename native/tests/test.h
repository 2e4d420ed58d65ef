#pragma once

#include <cstdio>
#include <vector>

namespace wick::test {

struct Case {
    const char* name;
    void (*fn)();
};
std::vector<Case>& registry();
int& failures();

struct Register {
    Register(const char* name, void (*fn)()) { registry().push_back({name, fn}); }
};

}  // namespace wick::test

#define WICK_TEST(name)                                                  \
    static void name();                                                  \
    static ::wick::test::Register name##_registered(#name, &name);       \
    static void name()

#define EXPECT(cond)                                                                    \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            std::printf("  %s:%d: expected %s\n", __FILE__, __LINE__, #cond);           \
            ++::wick::test::failures();                                                 \
        }                                                                               \
    } while (0)
