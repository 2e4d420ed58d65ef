// Batched matrix product, plain loops (row of c accumulated from rows of b so the inner loop is
// contiguous when b is row-major). The packed, register-blocked GEMM replaces this for f32/f64.
#include <cstring>

#include <algorithm>

#include "core/parallel.h"
#include "cpu/dispatch.h"
#include "cpu/kernels.h"
#include "cpu/math.h"

namespace wick::cpu {

void bmm(const View& c, const View& a, const View& b) {
    const int64_t batch = c.sizes[0], n = c.sizes[1], m = c.sizes[2], k = a.sizes[2];
    dispatch_compute(c.dtype, "matmul", [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_same_v<T, bool>) {
            fail(WK_ERR_DTYPE, "matmul: not supported for bool");
        } else {
            auto body = [&](int64_t begin, int64_t end) {
                for (int64_t r = begin; r < end; ++r) {
                    const int64_t bi = r / n, i = r % n;
                    T* crow = reinterpret_cast<T*>(c.data) + bi * c.strides[0] + i * c.strides[1];
                    const T* arow = reinterpret_cast<const T*>(a.data) + bi * a.strides[0] + i * a.strides[1];
                    const T* bmat = reinterpret_cast<const T*>(b.data) + bi * b.strides[0];
                    for (int64_t j = 0; j < m; ++j) crow[j * c.strides[2]] = T(0);
                    for (int64_t p = 0; p < k; ++p) {
                        const T av = arow[p * a.strides[2]];
                        const T* brow = bmat + p * b.strides[1];
                        if (c.strides[2] == 1 && b.strides[2] == 1) {
                            for (int64_t j = 0; j < m; ++j) crow[j] = add(crow[j], mul(av, brow[j]));
                        } else {
                            for (int64_t j = 0; j < m; ++j)
                                crow[j * c.strides[2]] = add(crow[j * c.strides[2]], mul(av, brow[j * b.strides[2]]));
                        }
                    }
                }
            };
            const int64_t rows = batch * n;
            const int64_t flops_per_row = m * k;
            if (rows * flops_per_row < 65536) body(0, rows);
            else parallel_for(rows, std::max<int64_t>(1, 65536 / std::max<int64_t>(flops_per_row, 1)), body);
        }
    });
}

}  // namespace wick::cpu
