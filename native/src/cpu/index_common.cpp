// Index entry checks shared by the indexing kernels.
#include "cpu/index_common.h"

#include <atomic>

namespace wick::cpu {

void fail_index(const char* op, int64_t index, int dim, int64_t size) {
    fail(WK_ERR_INDEX, op, ": index ", index, " is out of bounds for dimension ", dim, " with size ", size);
}

std::vector<int64_t> read_index_vector(const View& index, int64_t size, bool wrap_negative, const char* op, int dim) {
    const int64_t n = index.numel();
    const int64_t stride = index.ndim > 0 ? index.strides[0] : 0;
    std::vector<int64_t> out(static_cast<size_t>(n));
    dispatch_index(index.dtype, op, [&](auto tag) {
        using I = typename decltype(tag)::type;
        const I* p = reinterpret_cast<const I*>(index.data);
        for (int64_t i = 0; i < n; ++i)
            out[static_cast<size_t>(i)] = checked_index(static_cast<int64_t>(p[i * stride]), size, wrap_negative, op, dim);
    });
    return out;
}

void check_index_range(const View& index, int64_t size, const char* op, int dim) {
    Loop<1> L = make_loop<1>({&index});
    dispatch_index(index.dtype, op, [&](auto tag) {
        using I = typename decltype(tag)::type;
        run_loop(L, [&](char** p, const int64_t* s, int64_t n) {
            for (int64_t i = 0; i < n; ++i) checked_index(load<I>(p[0] + i * s[0]), size, false, op, dim);
        });
    });
}

}  // namespace wick::cpu
