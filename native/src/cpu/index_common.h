// Shared by the indexing kernels: reading index entries with bounds checks, dispatch on element
// width for pure data movement, and iteration over "fibers" (every position of a view but one
// dimension) layer by layer along that dimension.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "core/view.h"
#include "cpu/dispatch.h"
#include "cpu/loops.h"

namespace wick::cpu {

template <class T>
inline T load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

template <class T>
inline void store(char* p, T v) {
    std::memcpy(p, &v, sizeof(T));
}

// Element types of index tensors.
template <class F>
void dispatch_index(DType t, const char* op, F&& fn) {
    switch (t) {
        case DType::I64: fn(Tag<int64_t>{}); return;
        case DType::I32: fn(Tag<int32_t>{}); return;
        default: fail(WK_ERR_DTYPE, op, ": index tensors must be int64 or int32, got ", dtype_name(t));
    }
}

// Pure data movement only needs the element width: fn(Tag<uintN_t>).
template <class F>
void dispatch_bytes(DType t, F&& fn) {
    switch (dtype_size(t)) {
        case 1: fn(Tag<uint8_t>{}); return;
        case 2: fn(Tag<uint16_t>{}); return;
        case 4: fn(Tag<uint32_t>{}); return;
        case 8: fn(Tag<uint64_t>{}); return;
        default: fail(WK_ERR_INTERNAL, "no element width ", dtype_size(t));
    }
}

[[noreturn]] void fail_index(const char* op, int64_t index, int dim, int64_t size);

// index wrapped (when allowed) and checked to lie in [0, size).
inline int64_t checked_index(int64_t index, int64_t size, bool wrap_negative, const char* op, int dim) {
    int64_t i = (wrap_negative && index < 0) ? index + size : index;
    if (i < 0 || i >= size) fail_index(op, index, dim, size);
    return i;
}

// The entries of a 1-D index view, wrapped and checked against `size`.
std::vector<int64_t> read_index_vector(const View& index, int64_t size, bool wrap_negative, const char* op, int dim);

// Checks every entry of an index view (any shape) against `size` before a kernel writes anything.
void check_index_range(const View& index, int64_t size, const char* op, int dim);

// v without dimension d.
inline View drop_dim(const View& v, int d) {
    View r = v;
    r.ndim = v.ndim - 1;
    for (int i = d; i < r.ndim; ++i) {
        r.sizes[i] = v.sizes[i + 1];
        r.strides[i] = v.strides[i + 1];
    }
    return r;
}

// v's data and strides with the sizes of `shape` (a sub-box of v starting at its first element).
inline View restrict_to(const View& v, const View& shape) {
    View r = v;
    for (int i = 0; i < v.ndim; ++i) r.sizes[i] = shape.sizes[i];
    return r;
}

// Positions per task below which indexing loops stay on one thread.
constexpr int64_t kIndexGrain = 16384;

// True when v's dimension d has the smallest stride of its dimensions (it is the innermost one in
// memory): then walking one fiber through all its layers touches neighbouring addresses, while
// walking one layer across all fibers jumps by the larger strides.
inline bool is_innermost(const View& v, int d) {
    const int64_t sd = v.strides[d] < 0 ? -v.strides[d] : v.strides[d];
    for (int k = 0; k < v.ndim; ++k) {
        const int64_t sk = v.strides[k] < 0 ? -v.strides[k] : v.strides[k];
        if (k != d && v.sizes[k] > 1 && sk < sd) return false;
    }
    return true;
}

// Calls body(j, ptrs, strides, count) for every layer j in [j0, j1) and every fiber in [b, e) of L
// (row-major order); the body offsets the pointers by its own layer offsets. layers_inner picks the
// loop order: each fiber through its layers (count 1 per call), or each layer across the fibers'
// innermost runs (count up to a run's length).
template <int N, class Body>
void for_layers(const Loop<N>& L, int64_t j0, int64_t j1, int64_t b, int64_t e, bool layers_inner, Body&& body) {
    if (!layers_inner) {
        for (int64_t j = j0; j < j1; ++j)
            for_each_run(L, b, e, [&](char** p, const int64_t* s, int64_t n) { body(j, p, s, n); });
        return;
    }
    for_each_run(L, b, e, [&](char** p, const int64_t* s, int64_t n) {
        for (int64_t i = 0; i < n; ++i) {
            char* q[N];
            for (int k = 0; k < N; ++k) q[k] = p[k] + i * s[k];
            for (int64_t j = j0; j < j1; ++j) body(j, q, s, 1);
        }
    });
}

// Runs for_layers over all layers and fibers on the thread pool. Writes that may collide between
// layers (scatter, index_add) must pass split_layers = false: each fiber then stays on one thread and
// sees its layers in order, which keeps "last write wins" and sums deterministic.
template <int N, class Body>
void parallel_layers(const Loop<N>& L, int64_t layers, bool split_layers, bool layers_inner, Body&& body) {
    const int64_t fibers = L.numel;
    if (fibers == 0 || layers == 0) return;
    if (fibers * layers <= kIndexGrain) {
        for_layers(L, 0, layers, 0, fibers, layers_inner, body);
        return;
    }
    if (split_layers && layers >= fibers) {
        int64_t grain = std::max<int64_t>(1, kIndexGrain / fibers);
        parallel_for(layers, grain, [&](int64_t j0, int64_t j1) { for_layers(L, j0, j1, 0, fibers, layers_inner, body); });
        return;
    }
    int64_t grain = std::max<int64_t>(1, kIndexGrain / layers);
    parallel_for(fibers, grain, [&](int64_t b, int64_t e) { for_layers(L, 0, layers, b, e, layers_inner, body); });
}

}  // namespace wick::cpu
