// Embedding lookup (rows of weight (V, D) gathered at int64 indices) and its backward, a scatter-add
// of gradient rows into (V, D). The backward splits D across threads, so every thread walks all
// indices in order and repeated indices never race: the sum order is fixed.
#include <cstring>

#include "core/parallel.h"
#include "cpu/nn/nn_kernels.h"

namespace wick::cpu::nn {

namespace {

void check_index(int64_t id, int64_t V, const char* op) {
    if (id < 0 || id >= V)
        fail(WK_ERR_INDEX, op, ": index ", id, " is out of range for an embedding of ", V, " rows (expected 0 to ", V - 1, ")");
}

}  // namespace

void embedding(const View& out, const View& weight, const View& indices) {
    const int64_t V = weight.sizes[0], D = weight.sizes[1], n = indices.numel();
    const int64_t* idx = ptr<const int64_t>(indices);
    for (int64_t i = 0; i < n; ++i) check_index(idx[i], V, "embedding");
    const size_t row = static_cast<size_t>(D) * dtype_size(weight.dtype);
    parallel_for(n, grain_for(D), [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            std::memcpy(out.data + static_cast<size_t>(i) * row, weight.data + static_cast<size_t>(idx[i]) * row, row);
    });
}

void embedding_backward(const View& grad_weight, const View& grad_out, const View& indices, int64_t padding_idx) {
    const int64_t V = grad_weight.sizes[0], D = grad_weight.sizes[1], n = indices.numel();
    const int64_t* idx = ptr<const int64_t>(indices);
    for (int64_t i = 0; i < n; ++i) check_index(idx[i], V, "embedding_backward");
    dispatch_float(grad_weight.dtype, "embedding_backward", [&](auto tag) {
        using T = decltype(tag);
        T* gw = ptr<T>(grad_weight);
        const T* g = ptr<const T>(grad_out);
        std::fill(gw, gw + V * D, T(0));
        constexpr int64_t kCols = 64;
        const int64_t blocks = (D + kCols - 1) / kCols;
        parallel_for(blocks, grain_for(n * kCols), [&](int64_t begin, int64_t end) {
            const int64_t d0 = begin * kCols, d1 = std::min(D, end * kCols);
            for (int64_t i = 0; i < n; ++i) {
                if (idx[i] == padding_idx) continue;
                T* dst = gw + idx[i] * D;
                const T* src = g + i * D;
                for (int64_t d = d0; d < d1; ++d) dst[d] += src[d];
            }
        });
    });
}

}  // namespace wick::cpu::nn
