// Floor division, remainder, fmod, power and atan2 (see binary_impl.cuh).
#include "cuda/binary_impl.cuh"

namespace wick::cuda {

bool binary_divmod(wk_binary_op op, const View& out, const Side& a, const Side& b) {
    const DType dt = a.view != nullptr ? a.view->dtype : b.view->dtype;
    const char* n = "binary";
    switch (op) {
        case WK_BINARY_FLOOR_DIV: dispatch_numeric(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_FLOOR_DIV>{})); return true;
        case WK_BINARY_REMAINDER: dispatch_numeric(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_REMAINDER>{})); return true;
        case WK_BINARY_FMOD: dispatch_numeric(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_FMOD>{})); return true;
        case WK_BINARY_POW: dispatch_numeric(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_POW>{})); return true;
        case WK_BINARY_ATAN2: dispatch_floating(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_ATAN2>{})); return true;
        default: return false;
    }
}

}  // namespace wick::cuda
