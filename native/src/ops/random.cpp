#include "ops/random.h"

#include <cmath>

#include "ops/common.h"

namespace wick {

void random_fill(const TensorRef& t, wk_random_dist dist, double a, double b, Generator& gen) {
    check_writable(*t, "random");
    check(std::isfinite(a) && std::isfinite(b), WK_ERR_INVALID_ARGUMENT, "random: parameters must be finite, got ", a,
          " and ", b);
    switch (dist) {
        case WK_RANDOM_UNIFORM:
            check(a <= b, WK_ERR_INVALID_ARGUMENT, "uniform: low ", a, " must not exceed high ", b);
            check(dtype_is_floating(t->dtype()), WK_ERR_DTYPE, "uniform: needs a floating tensor, got ",
                  dtype_name(t->dtype()), "; use RandInt for integers");
            break;
        case WK_RANDOM_NORMAL:
            check(b >= 0, WK_ERR_INVALID_ARGUMENT, "normal: standard deviation must be non-negative, got ", b);
            check(dtype_is_floating(t->dtype()), WK_ERR_DTYPE, "normal: needs a floating tensor, got ",
                  dtype_name(t->dtype()));
            break;
        case WK_RANDOM_INTEGERS:
            check(a < b, WK_ERR_INVALID_ARGUMENT, "randint: low ", a, " must be below high ", b);
            check(a == std::floor(a) && b == std::floor(b), WK_ERR_INVALID_ARGUMENT,
                  "randint: bounds must be integers, got ", a, " and ", b);
            break;
        case WK_RANDOM_BERNOULLI:
            check(a >= 0 && a <= 1, WK_ERR_INVALID_ARGUMENT, "bernoulli: probability must be in [0, 1], got ", a);
            break;
        default: fail(WK_ERR_INVALID_ARGUMENT, "random: unknown distribution id ", static_cast<int>(dist));
    }
    int64_t n = t->numel();
    if (n == 0) return;
    uint64_t seed = 0, offset = 0;
    gen.reserve(static_cast<uint64_t>(n), &seed, &offset);
    // Kernels fill contiguous tensors in row-major order; other layouts go through a temporary,
    // so element i of the logical order always gets counter offset + i.
    TensorRef target = t->is_contiguous() ? t : Tensor::empty(t->sizes(), t->dtype(), t->device());
    const Backend& be = backend_for(t->device());
    launch(be, be.random->fill, "random", view_of(*target), dist, a, b, seed, offset);
    if (target.get() != t.get()) copy_into(*t, *target);
    t->storage().bump_version();
}

}  // namespace wick
