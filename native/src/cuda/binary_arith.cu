// Addition, subtraction, multiplication, true division, maximum and minimum (see binary_impl.cuh).
#include "cuda/binary_impl.cuh"

namespace wick::cuda {

bool binary_arith(wk_binary_op op, const View& out, const Side& a, const Side& b) {
    const DType dt = a.view != nullptr ? a.view->dtype : b.view->dtype;
    const char* n = "binary";
    switch (op) {
        case WK_BINARY_ADD: dispatch_all(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_ADD>{})); return true;
        case WK_BINARY_MUL: dispatch_all(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_MUL>{})); return true;
        case WK_BINARY_MAXIMUM: dispatch_all(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_MAXIMUM>{})); return true;
        case WK_BINARY_MINIMUM: dispatch_all(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_MINIMUM>{})); return true;
        case WK_BINARY_SUB: dispatch_numeric(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_SUB>{})); return true;
        case WK_BINARY_DIV: dispatch_floating(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_DIV>{})); return true;
        default: return false;
    }
}

}  // namespace wick::cuda
