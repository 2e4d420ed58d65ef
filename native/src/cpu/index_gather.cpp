// Reading through an index: index_select (one index per slice of a dimension) and gather (one
// index per element). Both only move bytes, so they dispatch on element width.
#include "cpu/index_common.h"
#include "cpu/shape_kernels.h"

namespace wick::cpu {

// out: x's sizes with sizes[dim] = n; index: n entries. Each layer j copies the fiber
// x.select(dim, index[j]) into out.select(dim, j); fibers that are contiguous rows become memcpy.
void index_select(const View& out, const View& x, int32_t dim, const View& index, bool wrap_negative, const char* op) {
    const std::vector<int64_t> idx = read_index_vector(index, x.sizes[dim], wrap_negative, op, dim);
    const View out_f = drop_dim(out, dim), x_f = drop_dim(x, dim);
    const Loop<2> L = make_loop<2>({&out_f, &x_f});
    const int64_t es = static_cast<int64_t>(dtype_size(x.dtype));
    const int64_t out_step = out.strides[dim] * es, x_step = x.strides[dim] * es;
    dispatch_bytes(x.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        parallel_layers(L, static_cast<int64_t>(idx.size()), true, is_innermost(out, dim), [&](int64_t j, char** p, const int64_t* s, int64_t n) {
            char* o = p[0] + j * out_step;
            const char* src = p[1] + idx[static_cast<size_t>(j)] * x_step;
            if (s[0] == es && s[1] == es) {
                std::memcpy(o, src, static_cast<size_t>(n * es));
                return;
            }
            for (int64_t i = 0; i < n; ++i) store<T>(o + i * s[0], load<T>(src + i * s[1]));
        });
    });
}

// out and index have the same sizes; x is read at index's sizes with its stride along dim set to 0,
// so the loop gives the base of each fiber and the index entry adds index * stride.
void gather(const View& out, const View& x, int32_t dim, const View& index, const char* op) {
    View xr = restrict_to(x, index);
    xr.strides[dim] = 0;
    const int64_t es = static_cast<int64_t>(dtype_size(x.dtype));
    const int64_t x_step = x.strides[dim] * es, size = x.sizes[dim];
    const Loop<3> L = make_loop<3>({&out, &index, &xr});
    dispatch_bytes(x.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        dispatch_index(index.dtype, op, [&](auto itag) {
            using I = typename decltype(itag)::type;
            run_loop(L, [&](char** p, const int64_t* s, int64_t n) {
                for (int64_t i = 0; i < n; ++i) {
                    int64_t k = checked_index(load<I>(p[1] + i * s[1]), size, false, op, dim);
                    store<T>(p[0] + i * s[0], load<T>(p[2] + i * s[2] + k * x_step));
                }
            });
        });
    });
}

}  // namespace wick::cpu
