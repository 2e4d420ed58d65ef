// The packed GEMM against a double-precision triple loop: every ISA this CPU can run, forced task
// splits (1, 2, 3 pieces), awkward sizes (1, primes, one past a tile or block), k = 0, transposed
// and strided operands, strided C, alpha / beta, batches with broadcast operands.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "core/philox.h"
#include "cpu/gemm/cpu_features.h"
#include "cpu/gemm/gemm.h"
#include "test.h"

using namespace wick;
using namespace wick::cpu::gemm;

namespace {

// An operand laid out in a larger buffer: element (i, j) at base + i * rs + j * cs.
template <class T>
struct Operand {
    std::vector<T> buf;
    int64_t rs = 0, cs = 0, off = 0;
    T* at(int64_t i, int64_t j) { return buf.data() + off + i * rs + j * cs; }
};

// rows x cols with a layout: 0 row-major, 1 column-major (a transposed view), 2 row-major with
// padded rows and every other column (a strided slice), 3 column-major with padding.
template <class T>
Operand<T> make(int64_t rows, int64_t cols, int layout, uint64_t seed) {
    Operand<T> o;
    const int64_t pad = 3;
    switch (layout) {
        case 0: o.rs = cols, o.cs = 1; break;
        case 1: o.rs = 1, o.cs = rows; break;
        case 2: o.rs = 2 * cols + pad, o.cs = 2; break;
        default: o.rs = 1, o.cs = rows + pad; break;
    }
    o.off = 5;
    int64_t extent = o.off + 1;
    if (rows > 0 && cols > 0) extent += (rows - 1) * o.rs + (cols - 1) * o.cs;
    o.buf.assign(static_cast<size_t>(extent), T(0));
    for (size_t i = 0; i < o.buf.size(); ++i) {
        philox::U32x4 w = philox::draw(seed, 0, i);
        o.buf[i] = static_cast<T>(philox::uniform_f64(w.x[0], w.x[1]) * 2.0 - 1.0);
    }
    return o;
}

template <class T>
bool check_case(int64_t m, int64_t n, int64_t k, int la, int lb, int lc, double alpha, double beta, bool with_bias = false) {
    Operand<T> a = make<T>(m, k, la, 1), b = make<T>(k, n, lb, 2), c = make<T>(m, n, lc, 3);
    std::vector<double> expect(static_cast<size_t>(m * n));
    std::vector<T> bias(static_cast<size_t>(m));
    for (int64_t i = 0; i < m; ++i) bias[i] = static_cast<T>(0.25 * double(i % 7) - 0.5);
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
            double s = 0;
            for (int64_t p = 0; p < k; ++p) s += double(*a.at(i, p)) * double(*b.at(p, j));
            expect[i * n + j] = alpha * s + (beta == 0 ? 0.0 : beta * double(*c.at(i, j))) + (with_bias ? double(bias[i]) : 0.0);
        }
    if (beta == 0)  // must not be read
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) *c.at(i, j) = std::nan("");
    Problem<T> p;
    p.m = m, p.n = n, p.k = k;
    p.a = a.at(0, 0), p.rsa = a.rs, p.csa = a.cs;
    p.b = b.at(0, 0), p.rsb = b.rs, p.csb = b.cs;
    p.c = c.at(0, 0), p.rsc = c.rs, p.csc = c.cs;
    p.alpha = static_cast<T>(alpha), p.beta = static_cast<T>(beta);
    if (with_bias) p.bias = bias.data();
    gemm(p);
    const double tol = (sizeof(T) == 4 ? 2e-6 : 1e-14) * (double(k) + 4);
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
            const double got = double(*c.at(i, j)), want = expect[i * n + j];
            if (!(std::fabs(got - want) <= tol * (1 + std::fabs(want)))) {
                int mr, nr;
                const char* isa;
                describe_active_kernel(sizeof(T) == 8, &mr, &nr, &isa);
                std::printf("  gemm %s %s m=%lld n=%lld k=%lld layouts %d%d%d alpha=%g beta=%g: C(%lld,%lld) = %.9g, want %.9g\n",
                            sizeof(T) == 4 ? "f32" : "f64", isa, (long long)m, (long long)n, (long long)k, la, lb, lc,
                            alpha, beta, (long long)i, (long long)j, got, want);
                return false;
            }
        }
    return true;
}

std::vector<int> runnable_isas() {
    std::vector<int> v;
    for (int i = 0; i <= static_cast<int>(detected_isa()); ++i) v.push_back(i);
    return v;
}

}  // namespace

WICK_TEST(gemm_matches_double_reference_on_every_isa_shape_and_layout) {
    const int64_t sizes[][3] = {{1, 1, 1},   {1, 37, 5},   {37, 1, 5},  {1, 1, 300}, {5, 7, 0},   {6, 16, 16},
                                {7, 17, 3},  {12, 32, 8},  {13, 33, 9}, {25, 49, 31}, {64, 64, 64}, {97, 131, 257},
                                {150, 70, 513}, {3, 200, 2},  {1, 300, 70}, {300, 1, 70}};
    for (int isa : runnable_isas()) {
        set_isa_cap(isa);
        for (int tasks : {1, 2, 3}) {
            set_task_override(tasks);
            for (auto& s : sizes)
                for (int la = 0; la < 4; ++la)
                    for (int lb = 0; lb < 4; ++lb) {
                        const int lc = (la + lb) % 3 == 2 ? 2 : 0;
                        EXPECT((check_case<float>(s[0], s[1], s[2], la, lb, lc, 1.0, 0.0)));
                        EXPECT((check_case<double>(s[0], s[1], s[2], la, lb, lc, 1.0, 0.0)));
                    }
            // alpha / beta, and C with a column stride.
            EXPECT((check_case<float>(29, 45, 70, 0, 1, 0, -0.5, 1.5)));
            EXPECT((check_case<double>(29, 45, 70, 1, 0, 2, 2.0, -1.0)));
            EXPECT((check_case<float>(19, 23, 0, 0, 0, 0, 1.0, 0.25)));
            EXPECT((check_case<double>(19, 23, 11, 0, 0, 1, 0.0, 3.0)));
            // Per-row bias, on full and edge tiles, with and without beta, on the gemv path and k = 0.
            EXPECT((check_case<float>(31, 45, 70, 0, 0, 0, 1.0, 0.0, true)));
            EXPECT((check_case<double>(29, 17, 33, 1, 2, 2, -1.0, 0.5, true)));
            EXPECT((check_case<float>(37, 1, 9, 0, 0, 0, 2.0, 1.0, true)));
            EXPECT((check_case<double>(1, 37, 9, 0, 1, 0, 1.0, 0.0, true)));
            EXPECT((check_case<float>(7, 9, 0, 0, 0, 0, 1.0, 2.0, true)));
        }
    }
    set_isa_cap(-1);
    set_task_override(0);
}

WICK_TEST(gemm_with_small_blocks_crosses_every_block_boundary) {
    // Blocks smaller than the matrices exercise the K-slice accumulation (beta becomes 1) and the
    // MC / NC loops that the default blocking only reaches on large products.
    for (int isa : runnable_isas()) {
        set_isa_cap(isa);
        set_blocking_override(24, 17, 64);
        EXPECT((check_case<float>(101, 150, 90, 0, 0, 0, 1.0, 0.0)));
        EXPECT((check_case<double>(101, 150, 90, 1, 1, 0, 0.5, 2.0)));
        EXPECT((check_case<float>(50, 70, 40, 2, 3, 2, 1.0, 1.0)));
        EXPECT((check_case<double>(61, 70, 40, 0, 0, 0, 1.0, 0.0, true)));  // bias once, not per K slice
    }
    set_blocking_override(0, 0, 0);
    set_isa_cap(-1);
}

WICK_TEST(gemm_batched_broadcasts_operands_and_splits_uneven_batches) {
    for (int isa : runnable_isas()) {
        set_isa_cap(isa);
        for (int tasks : {1, 2, 3}) {
            set_task_override(tasks);
            const int64_t batch = 5, m = 9, n = 21, k = 13;
            Operand<float> a = make<float>(batch * m, k, 0, 7), b = make<float>(k, n, 0, 8);
            std::vector<float> c(static_cast<size_t>(batch * m * n), 0.f);
            Problem<float> p;
            p.m = m, p.n = n, p.k = k;
            p.a = a.at(0, 0), p.rsa = a.rs, p.csa = a.cs;
            p.b = b.at(0, 0), p.rsb = b.rs, p.csb = b.cs;  // batch stride 0: one B for all
            p.c = c.data(), p.rsc = n, p.csc = 1;
            gemm(p, batch, m * k, 0, m * n);
            bool ok = true;
            for (int64_t bi = 0; bi < batch; ++bi)
                for (int64_t i = 0; i < m; ++i)
                    for (int64_t j = 0; j < n; ++j) {
                        double s = 0;
                        for (int64_t q = 0; q < k; ++q) s += double(*a.at(bi * m + i, q)) * double(*b.at(q, j));
                        ok = ok && std::fabs(c[(bi * m + i) * n + j] - s) <= 1e-5 * (1 + std::fabs(s));
                    }
            EXPECT(ok);
        }
    }
    set_task_override(0);
    set_isa_cap(-1);
}

WICK_TEST(isa_cap_never_exceeds_what_the_cpu_reports) {
    set_isa_cap(static_cast<int>(Isa::Avx512));
    EXPECT(static_cast<int>(active_isa()) <= static_cast<int>(detected_isa()));
    set_isa_cap(static_cast<int>(Isa::Scalar));
    EXPECT(active_isa() == Isa::Scalar);
    set_isa_cap(-1);
    std::printf("  gemm: this CPU runs %s kernels\n", isa_name(detected_isa()));
}
