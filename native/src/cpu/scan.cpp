// Cumulative sum and product along one dimension. x and out have the same shape and a dtype of
// f32, f64 or i64 (the ops layer converts); floats accumulate in double, as PyTorch on the CPU.
// Lines along the dim are independent: contiguous lines are scanned one by one, and when the
// innermost other dimension is contiguous, rows of lines are scanned together (vectorised across
// lines, reading memory in order).
#include <algorithm>
#include <vector>

#include "core/parallel.h"
#include "cpu/dispatch.h"
#include "cpu/kernels.h"
#include "cpu/simd/isa_kernels.h"

namespace wick::cpu {

namespace {

constexpr int64_t kGrain = 32768;
constexpr int64_t kColBlock = 1024;

// The other dimensions as (sizes, x strides, out strides), outermost first.
struct Lines {
    int n = 0;
    int64_t sizes[kMaxDims], xs[kMaxDims], os[kMaxDims];
    int64_t count = 1;
    void offsets(int64_t l, int64_t* xo, int64_t* oo) const {
        int64_t a = 0, b = 0;
        for (int d = n - 1; d >= 0; --d) {
            const int64_t i = l % sizes[d];
            l /= sizes[d];
            a += i * xs[d];
            b += i * os[d];
        }
        *xo = a, *oo = b;
    }
};

}  // namespace

void scan(wk_scan_op op, const View& out, const View& x, int32_t dim) {
    const IsaKernels& k = isa_kernels();
    const DType dt = x.dtype;
    const int64_t es = static_cast<int64_t>(dtype_size(dt));
    const int64_t len = x.sizes[dim], xs = x.strides[dim], os = out.strides[dim];
    Lines L;
    for (int d = 0; d < x.ndim; ++d) {
        if (d == dim || x.sizes[d] == 1) continue;
        L.sizes[L.n] = x.sizes[d], L.xs[L.n] = x.strides[d], L.os[L.n] = out.strides[d];
        L.count *= x.sizes[d];
        ++L.n;
    }
    if (len == 0 || L.count == 0) return;
    const double init_f = op == WK_SCAN_CUMSUM ? 0.0 : 1.0;
    const int64_t init_i = op == WK_SCAN_CUMSUM ? 0 : 1;

    if (xs == 1 && os == 1) {
        parallel_for(L.count, std::max<int64_t>(1, kGrain / len), [&](int64_t b, int64_t e) {
            for (int64_t l = b; l < e; ++l) {
                int64_t xo, oo;
                L.offsets(l, &xo, &oo);
                double af = init_f;
                int64_t ai = init_i;
                k.scan(op, dt, out.data + oo * es, x.data + xo * es, len, &af, &ai, false);
            }
        });
        return;
    }
    if (L.n > 0 && L.xs[L.n - 1] == 1 && L.os[L.n - 1] == 1) {
        // Rows of adjacent lines: acc[j] over blocks of kColBlock lines.
        const int64_t J = L.sizes[L.n - 1], groups = L.count / J;
        const int64_t blocks = (J + kColBlock - 1) / kColBlock;
        parallel_for(groups * blocks, std::max<int64_t>(1, kGrain / (len * std::min(J, kColBlock))), [&](int64_t b, int64_t e) {
            std::vector<double> af(static_cast<size_t>(kColBlock));
            std::vector<int64_t> ai(static_cast<size_t>(kColBlock));
            for (int64_t t = b; t < e; ++t) {
                const int64_t g = t / blocks, c0 = (t % blocks) * kColBlock, m = std::min(kColBlock, J - c0);
                int64_t xo, oo;
                L.offsets(g * J + c0, &xo, &oo);
                std::fill(af.begin(), af.begin() + m, init_f);
                std::fill(ai.begin(), ai.begin() + m, init_i);
                for (int64_t r = 0; r < len; ++r)
                    k.scan(op, dt, out.data + (oo + r * os) * es, x.data + (xo + r * xs) * es, m, af.data(), ai.data(), true);
            }
        });
        return;
    }
    // Any other layout: element by element along each line.
    parallel_for(L.count, std::max<int64_t>(1, kGrain / len), [&](int64_t b, int64_t e) {
        for (int64_t l = b; l < e; ++l) {
            int64_t xo, oo;
            L.offsets(l, &xo, &oo);
            double af = init_f;
            int64_t ai = init_i;
            for (int64_t r = 0; r < len; ++r)
                k.scan(op, dt, out.data + (oo + r * os) * es, x.data + (xo + r * xs) * es, 1, &af, &ai, false);
        }
    });
}

}  // namespace wick::cpu
