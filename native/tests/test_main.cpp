// A minimal test runner (no third-party framework, so the native build needs only a compiler).
#include "test.h"

#include <cstdio>

namespace wick::test {

std::vector<Case>& registry() {
    static std::vector<Case> cases;
    return cases;
}

int& failures() {
    static int n = 0;
    return n;
}

}  // namespace wick::test

int main() {
    int passed = 0, failed = 0;
    for (auto& c : wick::test::registry()) {
        int before = wick::test::failures();
        c.fn();
        if (wick::test::failures() == before) {
            ++passed;
        } else {
            ++failed;
            std::printf("FAILED: %s\n", c.name);
        }
    }
    std::printf("native tests: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
