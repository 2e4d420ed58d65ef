// Batched matrix products. Float and double go to the packed GEMM (cpu/gemm); integer dtypes keep
// the plain loop below (row of c accumulated from rows of b, contiguous inner loop when b is
// row-major), which is also the reference the GEMM was checked against.
#include <algorithm>
#include <cmath>

#include "core/parallel.h"
#include "cpu/dispatch.h"
#include "cpu/gemm/gemm.h"
#include "cpu/kernels.h"
#include "cpu/math.h"

namespace wick::cpu {

namespace {

// c = alpha * a @ b + beta * c with plain loops (beta == 0: c is not read).
template <class T>
void bmm_plain(const View& c, const View& a, const View& b, T alpha, T beta) {
    const int64_t batch = c.sizes[0], n = c.sizes[1], m = c.sizes[2], k = a.sizes[2];
    auto body = [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const int64_t bi = r / n, i = r % n;
            T* crow = reinterpret_cast<T*>(c.data) + bi * c.strides[0] + i * c.strides[1];
            const T* arow = reinterpret_cast<const T*>(a.data) + bi * a.strides[0] + i * a.strides[1];
            const T* bmat = reinterpret_cast<const T*>(b.data) + bi * b.strides[0];
            for (int64_t j = 0; j < m; ++j) {
                T& cj = crow[j * c.strides[2]];
                cj = beta == T(0) ? T(0) : mul(beta, cj);
            }
            for (int64_t p = 0; p < k; ++p) {
                const T av = mul(alpha, arow[p * a.strides[2]]);
                const T* brow = bmat + p * b.strides[1];
                for (int64_t j = 0; j < m; ++j)
                    crow[j * c.strides[2]] = add(crow[j * c.strides[2]], mul(av, brow[j * b.strides[2]]));
            }
        }
    };
    const int64_t rows = batch * n;
    const int64_t flops_per_row = std::max<int64_t>(m * k, 1);
    if (rows * flops_per_row < 65536) body(0, rows);
    else parallel_for(rows, std::max<int64_t>(1, 65536 / flops_per_row), body);
}

template <class T>
void bmm_gemm(const View& c, const View& a, const View& b, double alpha, double beta) {
    gemm::Problem<T> p;
    int64_t batch = c.sizes[0];
    p.m = c.sizes[1], p.n = c.sizes[2], p.k = a.sizes[2];
    p.a = reinterpret_cast<const T*>(a.data), p.rsa = a.strides[1], p.csa = a.strides[2];
    p.b = reinterpret_cast<const T*>(b.data), p.rsb = b.strides[1], p.csb = b.strides[2];
    p.c = reinterpret_cast<T*>(c.data), p.rsc = c.strides[1], p.csc = c.strides[2];
    p.alpha = static_cast<T>(alpha), p.beta = static_cast<T>(beta);
    int64_t sa = a.strides[0], sb = b.strides[0], sc = c.strides[0];
    // A shared right operand with batches of A and C stacked like rows ((B, n, k) @ (k, m), PyTorch's
    // Linear on 3-D input): one tall product instead of many small ones.
    if (batch > 1 && sb == 0 && p.m > 0 && sa == p.m * p.rsa && sc == p.m * p.rsc) {
        p.m *= batch;
        batch = 1;
    }
    gemm::gemm(p, batch, sa, sb, sc);
}

}  // namespace

void gemm_batched(const View& c, const View& a, const View& b, double alpha, double beta) {
    dispatch_compute(c.dtype, "matmul", [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_same_v<T, bool>) {
            fail(WK_ERR_DTYPE, "matmul: not supported for bool");
        } else if constexpr (std::is_floating_point_v<T>) {
            bmm_gemm<T>(c, a, b, alpha, beta);
        } else {
            bmm_plain<T>(c, a, b, static_cast<T>(static_cast<int64_t>(alpha)), static_cast<T>(static_cast<int64_t>(beta)));
        }
    });
}

void bmm(const View& c, const View& a, const View& b) { gemm_batched(c, a, b, 1.0, 0.0); }

}  // namespace wick::cpu
