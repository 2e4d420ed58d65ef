// The blocked GEMM loops around the micro-kernels (see gemm.h for the structure), the choice of
// kernel for the active ISA, and the split of a (batched) product into independent tasks.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <new>

#include "core/error.h"
#include "core/parallel.h"
#include "cpu/gemm/cpu_features.h"
#include "cpu/gemm/gemm.h"
#include "cpu/gemm/microkernel.h"
#include "cpu/gemm/pack.h"

namespace wick::cpu::gemm {

namespace {

std::atomic<int> g_task_override{0};
std::atomic<int64_t> g_mc{0}, g_kc{0}, g_nc{0};

template <class T>
const Kernel<T>& active_kernel() {
#if defined(WICK_GEMM_X86)
    const Isa isa = active_isa();
    if constexpr (sizeof(T) == 4) {
        if (isa == Isa::Avx512) return kAvx512F32;
        if (isa == Isa::Avx2) return kAvx2F32;
    } else {
        if (isa == Isa::Avx512) return kAvx512F64;
        if (isa == Isa::Avx2) return kAvx2F64;
    }
#endif
    if constexpr (sizeof(T) == 4) return kScalarF32;
    else return kScalarF64;
}

// Largest register tile of any kernel (avx512 f32: 12 x 32).
constexpr int kMaxTile = 12 * 32;

// Per-thread packing memory, 64-byte aligned, grown on demand and kept for the thread's lifetime
// (pool threads live as long as the process), so a GEMM allocates nothing after the first call.
class Scratch {
public:
    ~Scratch() { release(); }
    void* get(size_t bytes) {
        if (bytes > size_) {
            release();
            ptr_ = ::operator new(bytes, std::align_val_t(64));
            size_ = bytes;
        }
        return ptr_;
    }

private:
    void release() {
        if (ptr_ != nullptr) ::operator delete(ptr_, std::align_val_t(64));
        ptr_ = nullptr;
        size_ = 0;
    }
    void* ptr_ = nullptr;
    size_t size_ = 0;
};

thread_local Scratch t_pack_a, t_pack_b;

template <class T>
void pack_a_any(int mr, int64_t mc, int64_t kc, const T* a, int64_t rs, int64_t cs, T* dst) {
    switch (mr) {
        case 4: return pack_a<T, 4>(mc, kc, a, rs, cs, dst);
        case 6: return pack_a<T, 6>(mc, kc, a, rs, cs, dst);
        case 12: return pack_a<T, 12>(mc, kc, a, rs, cs, dst);
        default: fail(WK_ERR_INTERNAL, "gemm: no packing routine for a tile of ", mr, " rows");
    }
}

template <class T>
void pack_b_any(int nr, int64_t kc, int64_t nc, const T* b, int64_t rs, int64_t cs, T* dst) {
    switch (nr) {
        case 4: return pack_b<T, 4>(kc, nc, b, rs, cs, dst);
        case 8: return pack_b<T, 8>(kc, nc, b, rs, cs, dst);
        case 16: return pack_b<T, 16>(kc, nc, b, rs, cs, dst);
        case 32: return pack_b<T, 32>(kc, nc, b, rs, cs, dst);
        default: fail(WK_ERR_INTERNAL, "gemm: no packing routine for a tile of ", nr, " columns");
    }
}

int64_t round_up(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

// C = beta * C + bias (k == 0 or alpha == 0: the product contributes nothing and is not evaluated).
template <class T>
void scale_c(const Problem<T>& p) {
    for (int64_t i = 0; i < p.m; ++i)
        for (int64_t j = 0; j < p.n; ++j) {
            T& c = p.c[i * p.rsc + j * p.csc];
            c = (p.beta == T(0) ? T(0) : p.beta * c) + (p.bias ? p.bias[i] : T(0));
        }
}

// Products with a single row or column of C (dot, matrix-vector) skip packing, which would cost as
// much as the product itself: a dot product with independent partial sums, or axpy over rows.
template <class T>
T dot(int64_t k, const T* x, int64_t incx, const T* y, int64_t incy) {
    constexpr int L = 16;
    T acc[L] = {};
    int64_t p = 0;
    if (incx == 1 && incy == 1) {
        for (; p + L <= k; p += L)
            for (int j = 0; j < L; ++j) acc[j] += x[p + j] * y[p + j];
    } else {
        for (; p + 4 <= k; p += 4)
            for (int j = 0; j < 4; ++j) acc[j] += x[(p + j) * incx] * y[(p + j) * incy];
    }
    for (; p < k; ++p) acc[0] += x[p * incx] * y[p * incy];
    for (int w = L / 2; w > 0; w /= 2)
        for (int j = 0; j < w; ++j) acc[j] += acc[j + w];
    return acc[0];
}

// y[0..n) += a * x[0..n) (x with stride incx).
template <class T>
void axpy(int64_t n, T a, const T* x, int64_t incx, T* y) {
    if (incx == 1)
        for (int64_t j = 0; j < n; ++j) y[j] += a * x[j];
    else
        for (int64_t j = 0; j < n; ++j) y[j] += a * x[j * incx];
}

template <class T>
void store(T* c, T v, T alpha, T beta, T add) {
    *c = beta == T(0) ? alpha * v + add : alpha * v + (beta * *c + add);
}

template <class T>
void gemv(const Problem<T>& p) {
    if (p.n == 1 && (p.csa == 1 || p.rsa != 1 || p.m == 1)) {
        for (int64_t i = 0; i < p.m; ++i)
            store(p.c + i * p.rsc, dot(p.k, p.a + i * p.rsa, p.csa, p.b, p.rsb), p.alpha, p.beta, p.bias ? p.bias[i] : T(0));
    } else if (p.m == 1 && p.csb != 1) {
        for (int64_t j = 0; j < p.n; ++j)
            store(p.c + j * p.csc, dot(p.k, p.a, p.csa, p.b + j * p.csb, p.rsb), p.alpha, p.beta, p.bias ? p.bias[0] : T(0));
    } else {
        // One output vector accumulated from contiguous rows of B (m == 1) or columns of A (n == 1).
        const bool row = p.m == 1;
        const int64_t len = row ? p.n : p.m;
        T* acc = static_cast<T*>(t_pack_a.get(sizeof(T) * static_cast<size_t>(len)));
        std::fill(acc, acc + len, T(0));
        for (int64_t q = 0; q < p.k; ++q) {
            if (row) axpy(len, p.a[q * p.csa], p.b + q * p.rsb, 1, acc);
            else axpy(len, p.b[q * p.rsb], p.a + q * p.csa, 1, acc);
        }
        const int64_t inc = row ? p.csc : p.rsc;
        for (int64_t j = 0; j < len; ++j) store(p.c + j * inc, acc[j], p.alpha, p.beta, p.bias ? p.bias[row ? 0 : j] : T(0));
    }
}

// One product on the calling thread with kernel K.
template <class T>
void run(const Kernel<T>& K, const Problem<T>& p) {
    if (p.m <= 0 || p.n <= 0) return;
    if (p.k <= 0 || p.alpha == T(0)) return scale_c(p);
    if (p.m == 1 || p.n == 1) return gemv(p);
    const int MR = K.mr, NR = K.nr;
    const int64_t mc_blk = g_mc.load(std::memory_order_relaxed) > 0 ? round_up(g_mc.load(), MR) : K.mc;
    const int64_t kc_blk = g_kc.load(std::memory_order_relaxed) > 0 ? g_kc.load() : K.kc;
    const int64_t nc_blk = g_nc.load(std::memory_order_relaxed) > 0 ? round_up(g_nc.load(), NR) : K.nc;

    const int64_t kc_max = std::min(kc_blk, p.k);
    const int64_t nc_max = std::min(nc_blk, round_up(p.n, NR));
    const int64_t mc_max = std::min(mc_blk, round_up(p.m, MR));
    T* bbuf = static_cast<T*>(t_pack_b.get(sizeof(T) * static_cast<size_t>(kc_max * nc_max)));
    T* abuf = static_cast<T*>(t_pack_a.get(sizeof(T) * static_cast<size_t>(kc_max * mc_max)));
    alignas(64) T tmp[kMaxTile];

    for (int64_t jc = 0; jc < p.n; jc += nc_blk) {
        const int64_t nc = std::min(nc_blk, p.n - jc);
        for (int64_t pc = 0; pc < p.k; pc += kc_blk) {
            const int64_t kc = std::min(kc_blk, p.k - pc);
            const T beta = pc == 0 ? p.beta : T(1);  // later K slices accumulate
            pack_b_any<T>(NR, kc, nc, p.b + pc * p.rsb + jc * p.csb, p.rsb, p.csb, bbuf);
            for (int64_t ic = 0; ic < p.m; ic += mc_blk) {
                const int64_t mc = std::min(mc_blk, p.m - ic);
                pack_a_any<T>(MR, mc, kc, p.a + ic * p.rsa + pc * p.csa, p.rsa, p.csa, abuf);
                for (int64_t jr = 0; jr < nc; jr += NR) {
                    const int64_t nr = std::min<int64_t>(NR, nc - jr);
                    const T* bp = bbuf + jr * kc;
                    for (int64_t ir = 0; ir < mc; ir += MR) {
                        const int64_t mr = std::min<int64_t>(MR, mc - ir);
                        const T* ap = abuf + ir * kc;
                        T* c = p.c + (ic + ir) * p.rsc + (jc + jr) * p.csc;
                        const T* bias = p.bias && pc == 0 ? p.bias + ic + ir : nullptr;  // added once, with beta
                        if (mr == MR && nr == NR && p.csc == 1) {
                            K.tile(kc, ap, bp, c, p.rsc, p.alpha, beta, bias);
                            continue;
                        }
                        // Edge tile or strided C: compute the full tile aside, merge the valid part.
                        K.tile(kc, ap, bp, tmp, NR, T(1), T(0), nullptr);
                        for (int64_t i = 0; i < mr; ++i) {
                            const T add = bias ? bias[i] : T(0);
                            const T* t = tmp + i * NR;
                            T* ci = c + i * p.rsc;
                            if (p.csc == 1) {
                                if (beta == T(0))
                                    for (int64_t j = 0; j < nr; ++j) ci[j] = p.alpha * t[j] + add;
                                else
                                    for (int64_t j = 0; j < nr; ++j) ci[j] = p.alpha * t[j] + (beta * ci[j] + add);
                            } else {
                                for (int64_t j = 0; j < nr; ++j) {
                                    T& dst = ci[j * p.csc];
                                    dst = beta == T(0) ? p.alpha * t[j] + add : p.alpha * t[j] + (beta * dst + add);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

// Products smaller than this (m * n * k) stay on one thread: the split would cost more than it saves.
constexpr double kParallelWork = 96.0 * 96.0 * 96.0;

}  // namespace

template <class T>
void gemm_serial(const Problem<T>& p) {
    run(active_kernel<T>(), p);
}

template <class T>
void gemm(const Problem<T>& p, int64_t batch, int64_t batch_a, int64_t batch_b, int64_t batch_c) {
    if (batch <= 0 || p.m <= 0 || p.n <= 0) return;
    const Kernel<T>& K = active_kernel<T>();
    const double work = static_cast<double>(p.m) * static_cast<double>(p.n) * static_cast<double>(std::max<int64_t>(p.k, 1)) *
                        static_cast<double>(batch);
    int tasks = g_task_override.load(std::memory_order_relaxed);
    if (tasks <= 0) tasks = work < kParallelWork ? 1 : std::max(1, num_threads());

    auto product = [&](int64_t bi) {
        Problem<T> q = p;
        q.a += bi * batch_a;
        q.b += bi * batch_b;
        q.c += bi * batch_c;
        return q;
    };
    if (tasks == 1) {
        for (int64_t bi = 0; bi < batch; ++bi) run(K, product(bi));
        return;
    }
    // Whole products per task when the batches divide evenly (or are many); otherwise each product is
    // cut into `tasks` pieces of C along its longer side, in whole tiles.
    if (batch % tasks == 0 || batch >= 4 * tasks) {
        parallel_for(batch, 1, [&](int64_t begin, int64_t end) {
            for (int64_t bi = begin; bi < end; ++bi) run(K, product(bi));
        });
        return;
    }
    const bool split_n = p.n >= p.m;
    const int64_t unit = split_n ? K.nr : K.mr;
    const int64_t units = ((split_n ? p.n : p.m) + unit - 1) / unit;
    const int64_t pieces = std::min<int64_t>(tasks, units);
    parallel_for(batch * pieces, 1, [&](int64_t begin, int64_t end) {
        for (int64_t t = begin; t < end; ++t) {
            Problem<T> q = product(t / pieces);
            const int64_t piece = t % pieces;
            const int64_t lo = std::min(split_n ? p.n : p.m, piece * units / pieces * unit);
            const int64_t hi = std::min(split_n ? p.n : p.m, (piece + 1) * units / pieces * unit);
            if (split_n) {
                q.b += lo * p.csb;
                q.c += lo * p.csc;
                q.n = hi - lo;
            } else {
                q.a += lo * p.rsa;
                q.c += lo * p.rsc;
                if (q.bias) q.bias += lo;
                q.m = hi - lo;
            }
            run(K, q);
        }
    });
}

void set_task_override(int tasks) { g_task_override.store(std::max(0, tasks), std::memory_order_relaxed); }

int task_override() { return g_task_override.load(std::memory_order_relaxed); }

void set_blocking_override(int64_t mc, int64_t kc, int64_t nc) {
    g_mc.store(std::max<int64_t>(0, mc));
    g_kc.store(std::max<int64_t>(0, kc));
    g_nc.store(std::max<int64_t>(0, nc));
}

void describe_active_kernel(bool f64, int* mr, int* nr, const char** isa) {
    if (f64) {
        const Kernel<double>& K = active_kernel<double>();
        *mr = K.mr, *nr = K.nr, *isa = K.isa;
    } else {
        const Kernel<float>& K = active_kernel<float>();
        *mr = K.mr, *nr = K.nr, *isa = K.isa;
    }
}

template void gemm<float>(const Problem<float>&, int64_t, int64_t, int64_t, int64_t);
template void gemm<double>(const Problem<double>&, int64_t, int64_t, int64_t, int64_t);
template void gemm_serial<float>(const Problem<float>&);
template void gemm_serial<double>(const Problem<double>&);

}  // namespace wick::cpu::gemm
