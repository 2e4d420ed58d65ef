// Reductions over any set of dimensions. `out` is in keepdim form: every dimension where out has
// size 1 and x does not is reduced.
//
// Plan: x's dimensions split into kept and reduced ones, each ordered by x's stride (outermost
// first) and merged where contiguous. Two shapes of work follow:
//  - inner (the smallest stride is a reduced dimension, e.g. sum over the last dim): each output
//    folds its lane, a contiguous run at a time, with the ISA's fold (vectorised along memory);
//  - outer (the smallest stride is kept, e.g. sum over dim 0 of a row-major matrix): blocks of
//    up to kColBlock adjacent outputs fold whole rows with the ISA's column fold (vectorised across
//    outputs), so memory is read in order instead of one strided lane per output.
// Work is split by shape only (outputs, fixed-size lane blocks, fixed-size row blocks) and partial
// results are combined in a fixed order, so results are the same bits for every thread count.
// var/std and logsumexp take two passes (mean, then squared deviations; max, then exp sums).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "core/convert.h"
#include "core/parallel.h"
#include "cpu/dispatch.h"
#include "cpu/kernels.h"
#include "cpu/simd/isa_kernels.h"
#include "cpu/strided.h"

namespace wick::cpu {

namespace {

constexpr int64_t kGrain = 32768;       // elements of work below which a task is not split further
constexpr int64_t kLaneBlock = 65536;   // lane elements per partial when a few long lanes are split
constexpr int64_t kColBlock = 8192;     // outputs per column-fold task: whole rows where possible, so
                                        // memory is streamed, not read a page per row
constexpr int64_t kFewTasks = 16;       // below this many tasks, long reductions are split into blocks
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Plan {
    DType dt = DType::F32;
    const char* x = nullptr;
    int64_t esize = 4;
    int nk = 0, nr = 0;
    int64_t ks[kMaxDims] = {}, kx[kMaxDims] = {}, ko[kMaxDims] = {};  // kept: sizes, x and out strides
    int64_t rs[kMaxDims] = {}, rx[kMaxDims] = {};                     // reduced: sizes, x strides
    int64_t outputs = 1, lane = 1;
    bool inner = true;
};

// Sorts dims [0, n) by stride a (descending), carrying the other arrays, then merges neighbours
// that are contiguous in every stride array.
void order_and_merge(int& n, int64_t* sizes, int64_t* a, int64_t* b) {
    for (int i = 1; i < n; ++i)
        for (int j = i; j > 0 && a[j - 1] < a[j]; --j) {
            std::swap(sizes[j], sizes[j - 1]);
            std::swap(a[j], a[j - 1]);
            if (b != nullptr) std::swap(b[j], b[j - 1]);
        }
    if (n == 0) return;
    int out = 0;
    for (int d = 1; d < n; ++d) {
        const bool merge = a[out] == a[d] * sizes[d] && (b == nullptr || b[out] == b[d] * sizes[d]);
        if (merge) {
            sizes[out] *= sizes[d];
            a[out] = a[d];
            if (b != nullptr) b[out] = b[d];
        } else {
            ++out;
            sizes[out] = sizes[d];
            a[out] = a[d];
            if (b != nullptr) b[out] = b[d];
        }
    }
    n = out + 1;
}

Plan make_plan(const View& out, const View& x, bool keep_order) {
    Plan P;
    P.dt = x.dtype;
    P.x = x.data;
    P.esize = static_cast<int64_t>(dtype_size(x.dtype));
    bool empty = false;
    for (int d = 0; d < x.ndim; ++d) {
        if (x.sizes[d] == 0) empty = true;
        if (x.sizes[d] == 1) continue;
        if (out.sizes[d] == 1) {
            P.rs[P.nr] = x.sizes[d], P.rx[P.nr] = x.strides[d];
            ++P.nr;
        } else {
            P.ks[P.nk] = x.sizes[d], P.kx[P.nk] = x.strides[d], P.ko[P.nk] = out.strides[d];
            ++P.nk;
        }
    }
    for (int d = 0; d < P.nk; ++d) P.outputs *= P.ks[d];
    for (int d = 0; d < P.nr; ++d) P.lane *= P.rs[d];
    if (empty) {
        // No element to read: keep the kept shape (for the outputs), drop the reduced dims.
        P.lane = P.outputs == 0 ? 1 : 0;
        P.nr = 0;
        return P;
    }
    order_and_merge(P.nk, P.ks, P.kx, P.ko);
    if (!keep_order) order_and_merge(P.nr, P.rs, P.rx, nullptr);
    P.inner = P.nr > 0 && (P.nk == 0 || P.rx[P.nr - 1] <= P.kx[P.nk - 1]);
    return P;
}

// Offsets (elements) of output o (plan order) in x and in out.
inline void output_offsets(const Plan& P, int64_t o, int64_t* xoff, int64_t* ooff) {
    int64_t x = 0, y = 0;
    for (int d = P.nk - 1; d >= 0; --d) {
        const int64_t i = o % P.ks[d];
        o /= P.ks[d];
        x += i * P.kx[d];
        y += i * P.ko[d];
    }
    *xoff = x;
    *ooff = y;
}

// Offset (elements) in x of reduced element r, counted over the first `upto` reduced dims (plan order).
inline int64_t reduced_offset(const Plan& P, int64_t r, int upto) {
    int64_t off = 0;
    for (int d = upto - 1; d >= 0; --d) {
        off += (r % P.rs[d]) * P.rx[d];
        r /= P.rs[d];
    }
    return off;
}

bool is_float(DType t) { return t == DType::F32 || t == DType::F64; }

FoldAcc fold_init(Fold op, DType dt) {
    FoldAcc a;
    a.index = -1;
    switch (op) {
        case Fold::Prod: a.f = 1, a.i = 1; break;
        case Fold::Max: a.f = -kInf, a.i = std::numeric_limits<int64_t>::min(); break;
        case Fold::Min: a.f = kInf, a.i = std::numeric_limits<int64_t>::max(); break;
        case Fold::AbsMin: a.f = kInf; break;
        case Fold::All: a.i = 1; break;
        default: break;
    }
    (void)dt;
    return a;
}

inline double nan_max_d(double a, double b) { return (a != a || a > b) ? a : b; }
inline double nan_min_d(double a, double b) { return (a != a || a < b) ? a : b; }

// acc = acc (+) part, where part folded elements that come after acc's.
void fold_combine(Fold op, FoldAcc& acc, const FoldAcc& part) {
    switch (op) {
        case Fold::Sum: case Fold::AbsSum: case Fold::SqSum: case Fold::DevSqSum: case Fold::ExpSum:
        case Fold::PowSum: case Fold::CountNonzero:
            acc.f += part.f;
            acc.i = static_cast<int64_t>(static_cast<uint64_t>(acc.i) + static_cast<uint64_t>(part.i));
            return;
        case Fold::Prod:
            acc.f *= part.f;
            acc.i = static_cast<int64_t>(static_cast<uint64_t>(acc.i) * static_cast<uint64_t>(part.i));
            return;
        case Fold::Max: case Fold::AbsMax:
            acc.f = nan_max_d(acc.f, part.f);
            acc.i = std::max(acc.i, part.i);
            return;
        case Fold::Min: case Fold::AbsMin:
            acc.f = nan_min_d(acc.f, part.f);
            acc.i = std::min(acc.i, part.i);
            return;
        case Fold::All: acc.i &= part.i; return;
        case Fold::Any: acc.i |= part.i; return;
        case Fold::ArgMax: case Fold::ArgMin: {
            if (part.index < 0) return;
            if (acc.index < 0) {
                acc = part;
                return;
            }
            const bool is_max = op == Fold::ArgMax;
            if (acc.f != acc.f) return;  // an earlier NaN stays
            bool better = part.f != part.f || (is_max ? part.f > acc.f : part.f < acc.f);
            if (acc.f == part.f && acc.i != part.i) better = is_max ? part.i > acc.i : part.i < acc.i;  // integer inputs
            if (better) acc = part;
            return;
        }
    }
}

// Runs one fold over every output; emit(o, acc) receives each output's result (plan order), once.
// center(o) gives DevSqSum/ExpSum their per-output center and PowSum its p.
template <class Emit>
void fold_pass(const Plan& P, Fold op, const double* centers, double param, Emit emit) {
    const IsaKernels& k = isa_kernels();
    const DType dt = P.dt;
    const int64_t es = P.esize;
    auto center_of = [&](int64_t o) { return centers != nullptr ? centers[o] : param; };

    if (P.outputs == 0) return;
    if (P.lane == 0 || P.nr == 0) {
        // Empty lanes (identity results), or nothing reduced (each output folds its one element).
        parallel_for(P.outputs, kGrain, [&](int64_t b, int64_t e) {
            for (int64_t o = b; o < e; ++o) {
                FoldAcc acc = fold_init(op, dt);
                if (P.lane != 0) {
                    int64_t xo, oo;
                    output_offsets(P, o, &xo, &oo);
                    k.fold(op, dt, P.x + xo * es, 1, 0, center_of(o), &acc);
                }
                emit(o, acc);
            }
        });
        return;
    }

    if (P.inner) {
        const int last = P.nr - 1;
        const int64_t run = P.rs[last], st = P.rx[last];
        // Folds lane elements [b, e) of the lane starting at base into acc.
        auto fold_range = [&](const char* base, int64_t b, int64_t e, double center, FoldAcc& acc) {
            alignas(64) char buf[kGatherElems * 8];
            int64_t pos = b;
            while (pos < e) {
                const int64_t i_last = pos % run;
                const char* p = base + (reduced_offset(P, pos / run, last) + i_last * st) * es;
                const int64_t len = std::min(run - i_last, e - pos);
                if (st == 1) {
                    k.fold(op, dt, p, len, pos, center, &acc);
                } else {
                    for (int64_t q = 0; q < len; q += kGatherElems) {
                        const int64_t m = std::min(kGatherElems, len - q);
                        gather(buf, p + q * st * es, st * es, m, es);
                        k.fold(op, dt, buf, m, pos + q, center, &acc);
                    }
                }
                pos += len;
            }
        };
        if (P.outputs < kFewTasks && P.lane >= 2 * kLaneBlock) {
            // Few long lanes: fixed-size blocks of each lane in parallel, combined in order.
            const int64_t nb = (P.lane + kLaneBlock - 1) / kLaneBlock;
            std::vector<FoldAcc> parts(static_cast<size_t>(P.outputs * nb));
            parallel_for(P.outputs * nb, 1, [&](int64_t b, int64_t e) {
                for (int64_t t = b; t < e; ++t) {
                    const int64_t o = t / nb, blk = t % nb;
                    int64_t xo, oo;
                    output_offsets(P, o, &xo, &oo);
                    FoldAcc acc = fold_init(op, dt);
                    fold_range(P.x + xo * es, blk * kLaneBlock, std::min(P.lane, (blk + 1) * kLaneBlock), center_of(o), acc);
                    parts[static_cast<size_t>(t)] = acc;
                }
            });
            for (int64_t o = 0; o < P.outputs; ++o) {
                FoldAcc acc = parts[static_cast<size_t>(o * nb)];
                for (int64_t blk = 1; blk < nb; ++blk) fold_combine(op, acc, parts[static_cast<size_t>(o * nb + blk)]);
                emit(o, acc);
            }
            return;
        }
        parallel_for(P.outputs, std::max<int64_t>(1, kGrain / P.lane), [&](int64_t b, int64_t e) {
            for (int64_t o = b; o < e; ++o) {
                int64_t xo, oo;
                output_offsets(P, o, &xo, &oo);
                FoldAcc acc = fold_init(op, dt);
                fold_range(P.x + xo * es, 0, P.lane, center_of(o), acc);
                emit(o, acc);
            }
        });
        return;
    }

    // Outer: column blocks of the innermost kept dim, whole rows folded at a time.
    const int64_t J = P.ks[P.nk - 1], js = P.kx[P.nk - 1];
    const int64_t groups = P.outputs / J;
    const int64_t col_blocks = (J + kColBlock - 1) / kColBlock;
    const int64_t tasks = groups * col_blocks;
    int64_t rows_per_block = P.lane;
    if (tasks < kFewTasks) rows_per_block = std::max<int64_t>(16, 16 * kLaneBlock / std::min(J, kColBlock));
    const int64_t row_blocks = (P.lane + rows_per_block - 1) / rows_per_block;
    const bool split = row_blocks > 1;
    const FoldAcc init = fold_init(op, dt);
    const bool fl = is_float(dt);
    std::vector<FoldAcc> parts;
    const size_t width = static_cast<size_t>(std::min(J, kColBlock));
    if (split) parts.resize(static_cast<size_t>(tasks * row_blocks) * width);

    parallel_for(tasks * row_blocks, 1, [&](int64_t b, int64_t e) {
        std::vector<double> accf_v(width);
        std::vector<int64_t> acci_v(width), idx_v(width), buf_v(js != 1 ? width : 0);
        double* accf = accf_v.data();
        int64_t* acci = acci_v.data();
        int64_t* idx = idx_v.data();
        char* buf = reinterpret_cast<char*>(buf_v.data());
        for (int64_t t = b; t < e; ++t) {
            const int64_t task = t / row_blocks, rb = t % row_blocks;
            const int64_t g = task / col_blocks, c0 = (task % col_blocks) * kColBlock;
            const int64_t m = std::min(kColBlock, J - c0);
            const int64_t o0 = g * J + c0;
            int64_t xo, oo;
            output_offsets(P, o0, &xo, &oo);
            for (int64_t j = 0; j < m; ++j) accf[j] = init.f, acci[j] = init.i, idx[j] = -1;
            const int64_t r_end = std::min(P.lane, (rb + 1) * rows_per_block);
            for (int64_t r = rb * rows_per_block; r < r_end; ++r) {
                const char* row = P.x + (xo + reduced_offset(P, r, P.nr)) * es;
                if (js != 1) {
                    gather(buf, row, js * es, m, es);
                    row = buf;
                }
                k.fold_rows(op, dt, row, m, r, centers != nullptr ? centers + o0 : nullptr, param, accf, acci, idx);
            }
            for (int64_t j = 0; j < m; ++j) {
                FoldAcc a;
                a.f = accf[j], a.i = acci[j], a.index = idx[j];
                if (!fl && (op == Fold::ArgMax || op == Fold::ArgMin)) a.f = static_cast<double>(a.i);
                if (split) parts[static_cast<size_t>(task * row_blocks + rb) * width + static_cast<size_t>(j)] = a;
                else emit(o0 + j, a);
            }
        }
    });
    if (!split) return;
    for (int64_t task = 0; task < tasks; ++task) {
        const int64_t g = task / col_blocks, c0 = (task % col_blocks) * kColBlock;
        const int64_t m = std::min(kColBlock, J - c0);
        for (int64_t j = 0; j < m; ++j) {
            FoldAcc acc = parts[static_cast<size_t>(task * row_blocks) * width + static_cast<size_t>(j)];
            for (int64_t rb = 1; rb < row_blocks; ++rb)
                fold_combine(op, acc, parts[static_cast<size_t>(task * row_blocks + rb) * width + static_cast<size_t>(j)]);
            emit(g * J + c0 + j, acc);
        }
    }
}

// Writes one result (a double, or an int64 when `is_int`) converted to out's dtype.
struct Writer {
    const View& out;
    const Plan& P;
    void operator()(int64_t o, double f, int64_t i, bool is_int) const {
        int64_t xo, oo;
        output_offsets(P, o, &xo, &oo);
        char* p = out.data + oo * static_cast<int64_t>(dtype_size(out.dtype));
        dispatch_all(out.dtype, [&](auto tag) {
            using O = typename decltype(tag)::type;
            O v = is_int ? convert<O>(i) : convert<O>(f);
            std::memcpy(p, &v, sizeof(O));
        });
    }
};

Fold norm_fold(double p) {
    if (p == 0) return Fold::CountNonzero;
    if (p == 1) return Fold::AbsSum;
    if (p == 2) return Fold::SqSum;
    if (p == kInf) return Fold::AbsMax;
    if (p == -kInf) return Fold::AbsMin;
    return Fold::PowSum;
}

}  // namespace

void reduce(wk_reduce_op op, const View& out, const View& x, double param) {
    const Plan P = make_plan(out, x, false);
    const Writer write{out, P};
    const bool fl = is_float(x.dtype);
    const double n = static_cast<double>(P.lane);
    switch (op) {
        case WK_REDUCE_SUM:
        case WK_REDUCE_PROD:
        case WK_REDUCE_MAX:
        case WK_REDUCE_MIN:
        case WK_REDUCE_ALL:
        case WK_REDUCE_ANY: {
            const Fold f = op == WK_REDUCE_SUM    ? Fold::Sum
                           : op == WK_REDUCE_PROD ? Fold::Prod
                           : op == WK_REDUCE_MAX  ? Fold::Max
                           : op == WK_REDUCE_MIN  ? Fold::Min
                           : op == WK_REDUCE_ALL  ? Fold::All
                                                  : Fold::Any;
            const bool int_result = !fl || op == WK_REDUCE_ALL || op == WK_REDUCE_ANY;
            fold_pass(P, f, nullptr, 0, [&](int64_t o, const FoldAcc& a) { write(o, a.f, a.i, int_result); });
            return;
        }
        case WK_REDUCE_MEAN:
            fold_pass(P, Fold::Sum, nullptr, 0, [&](int64_t o, const FoldAcc& a) { write(o, a.f / n, 0, false); });
            return;
        case WK_REDUCE_VAR:
        case WK_REDUCE_STD: {
            std::vector<double> mean(static_cast<size_t>(P.outputs));
            fold_pass(P, Fold::Sum, nullptr, 0, [&](int64_t o, const FoldAcc& a) { mean[static_cast<size_t>(o)] = a.f / n; });
            // n - correction <= 0 gives inf (or NaN when every deviation is 0), as PyTorch.
            const double denom = std::max(n - param, 0.0);
            const bool sd = op == WK_REDUCE_STD;
            fold_pass(P, Fold::DevSqSum, mean.data(), 0, [&](int64_t o, const FoldAcc& a) {
                const double v = a.f / denom;
                write(o, sd ? std::sqrt(v) : v, 0, false);
            });
            return;
        }
        case WK_REDUCE_NORM: {
            const Fold f = norm_fold(param);
            fold_pass(P, f, nullptr, param, [&](int64_t o, const FoldAcc& a) {
                double v = a.f;
                if (f == Fold::SqSum) v = std::sqrt(v);
                else if (f == Fold::PowSum) v = std::pow(v, 1.0 / param);
                write(o, v, 0, false);
            });
            return;
        }
        case WK_REDUCE_LOGSUMEXP: {
            std::vector<double> mx(static_cast<size_t>(P.outputs));
            fold_pass(P, Fold::Max, nullptr, 0, [&](int64_t o, const FoldAcc& a) { mx[static_cast<size_t>(o)] = a.f; });
            fold_pass(P, Fold::ExpSum, mx.data(), 0, [&](int64_t o, const FoldAcc& a) {
                const double m = mx[static_cast<size_t>(o)];
                // All -inf (or empty), any +inf, or NaN: the max is the answer.
                write(o, std::isfinite(m) ? m + std::log(a.f) : m, 0, false);
            });
            return;
        }
        case WK_REDUCE_ARGMAX:
        case WK_REDUCE_ARGMIN: {
            const Plan Pk = make_plan(out, x, true);
            const Writer w{out, Pk};
            fold_pass(Pk, op == WK_REDUCE_ARGMAX ? Fold::ArgMax : Fold::ArgMin, nullptr, 0,
                                [&](int64_t o, const FoldAcc& a) { w(o, 0, std::max<int64_t>(a.index, 0), true); });
            return;
        }
        default: break;
    }
    fail(WK_ERR_INTERNAL, "reduce: op ", static_cast<int>(op), " has no CPU kernel");
}

void reduce_indices(wk_reduce_op op, const View& values, const View& indices, const View& x) {
    const Plan P = make_plan(values, x, true);
    const Plan Pi = make_plan(indices, x, true);
    const Writer wv{values, P};
    const Writer wi{indices, Pi};
    const bool fl = is_float(x.dtype);
    fold_pass(P, op == WK_REDUCE_MAX ? Fold::ArgMax : Fold::ArgMin, nullptr, 0, [&](int64_t o, const FoldAcc& a) {
        wv(o, a.f, a.i, !fl);
        wi(o, 0, std::max<int64_t>(a.index, 0), true);
    });
}

}  // namespace wick::cpu
