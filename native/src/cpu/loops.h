// Strided iteration over N same-shape views (the output first): dimensions of size 1 are dropped,
// adjacent dimensions that are contiguous for every operand are merged, and the work is handed
// to an inner function one innermost run at a time, with byte strides, so it can take a
// contiguous fast path.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/parallel.h"
#include "core/view.h"

namespace wick::cpu {

template <int N>
struct Loop {
    int ndim = 1;
    int64_t numel = 1;
    int64_t sizes[kMaxDims] = {1};
    int64_t strides[N][kMaxDims] = {};  // bytes
    char* data[N] = {};
};

template <int N>
Loop<N> make_loop(const View* const (&views)[N]) {
    Loop<N> L;
    const View& o = *views[0];
    L.ndim = 0;
    L.numel = o.numel();
    for (int k = 0; k < N; ++k) L.data[k] = views[k]->data;
    for (int d = 0; d < o.ndim; ++d) {
        if (o.sizes[d] == 1) continue;
        L.sizes[L.ndim] = o.sizes[d];
        for (int k = 0; k < N; ++k)
            L.strides[k][L.ndim] = views[k]->strides[d] * static_cast<int64_t>(dtype_size(views[k]->dtype));
        ++L.ndim;
    }
    if (L.ndim == 0) {
        L.ndim = 1;
        L.sizes[0] = 1;
        for (int k = 0; k < N; ++k) L.strides[k][0] = 0;
        return L;
    }
    // Merge dimension d into d+1 (the inner one) when every operand steps contiguously across them.
    int out = 0;
    for (int d = 1; d < L.ndim; ++d) {
        bool mergeable = true;
        for (int k = 0; k < N; ++k)
            mergeable = mergeable && L.strides[k][out] == L.strides[k][d] * L.sizes[d];
        if (mergeable) {
            L.sizes[out] *= L.sizes[d];
            for (int k = 0; k < N; ++k) L.strides[k][out] = L.strides[k][d];
        } else {
            ++out;
            L.sizes[out] = L.sizes[d];
            for (int k = 0; k < N; ++k) L.strides[k][out] = L.strides[k][d];
        }
    }
    L.ndim = out + 1;
    return L;
}

// Calls inner(char* ptrs[N], const int64_t strides[N], int64_t count) over elements [begin, end)
// of the row-major order, one innermost run at a time.
template <int N, class Inner>
void for_each_run(const Loop<N>& L, int64_t begin, int64_t end, Inner&& inner) {
    const int last = L.ndim - 1;
    int64_t idx[kMaxDims];
    int64_t rem = begin;
    for (int d = last; d >= 0; --d) {
        idx[d] = rem % L.sizes[d];
        rem /= L.sizes[d];
    }
    int64_t inner_strides[N];
    for (int k = 0; k < N; ++k) inner_strides[k] = L.strides[k][last];
    int64_t pos = begin;
    while (pos < end) {
        char* ptrs[N];
        for (int k = 0; k < N; ++k) {
            char* p = L.data[k];
            for (int d = 0; d <= last; ++d) p += idx[d] * L.strides[k][d];
            ptrs[k] = p;
        }
        int64_t count = std::min(L.sizes[last] - idx[last], end - pos);
        inner(ptrs, inner_strides, count);
        pos += count;
        idx[last] += count;
        for (int d = last; d > 0 && idx[d] == L.sizes[d]; --d) {
            idx[d] = 0;
            ++idx[d - 1];
        }
    }
}

// Elements per task below which a loop stays on one thread.
constexpr int64_t kElementwiseGrain = 32768;

// How an input can be walked as one flat run of the (contiguous) output's elements: 0 when every
// stride is 0 (a broadcast scalar, or a single element), 1 when it is contiguous (dense row-major,
// the output's shape), -1 otherwise. All inputs flat: the drivers skip the strided machinery (the
// common case, and most of the fixed cost of a tiny op).
inline int flat_unit(const View& v) {
    bool zero = true;
    for (int d = 0; d < v.ndim; ++d) zero = zero && (v.strides[d] == 0 || v.sizes[d] == 1);
    if (zero) return 0;
    return v.is_contiguous() ? 1 : -1;
}

// fn(begin, end) over [0, n), split across the pool when large.
template <class Fn>
void run_flat(int64_t n, Fn&& fn) {
    if (n <= 0) return;
    if (n <= kElementwiseGrain) {
        fn(int64_t(0), n);
        return;
    }
    parallel_for(n, kElementwiseGrain, [&](int64_t b, int64_t e) { fn(b, e); });
}

// Runs inner over the whole loop, split across the thread pool when large.
template <int N, class Inner>
void run_loop(const Loop<N>& L, Inner&& inner) {
    if (L.numel == 0) return;  // also keeps for_each_run from dividing by a zero size
    if (L.numel <= kElementwiseGrain) {
        for_each_run(L, 0, L.numel, inner);
        return;
    }
    parallel_for(L.numel, kElementwiseGrain, [&](int64_t b, int64_t e) { for_each_run(L, b, e, inner); });
}

}  // namespace wick::cpu
