// Writing through an index: scatter (one index per element) and index_copy / index_add (one
// index per slice). Every index is checked before the first write. Duplicate targets are written
// in index order by one thread (the fibers are split across threads, never the indexed dimension),
// so the last duplicate wins and sums come out the same on every run and thread count.
#include <type_traits>

#include "cpu/index_common.h"
#include "cpu/shape_kernels.h"

namespace wick::cpu {

namespace {

// Calls fn(Tag<T>, bool add): element width for assignment, the arithmetic type for accumulation.
template <class F>
void dispatch_mode(wk_scatter_mode mode, DType t, const char* op, F&& fn) {
    if (mode == WK_SCATTER_ASSIGN) {
        dispatch_bytes(t, [&](auto tag) { fn(tag, std::false_type{}); });
        return;
    }
    if (mode != WK_SCATTER_ADD) fail(WK_ERR_INVALID_ARGUMENT, op, ": unknown scatter mode ", static_cast<int>(mode));
    dispatch_compute(t, op, [&](auto tag) { fn(tag, std::true_type{}); });
}

// a + b; integers wrap around like PyTorch's (through unsigned arithmetic: no signed overflow),
// bools "add" as logical or.
template <class T>
inline T add_values(T a, T b) {
    if constexpr (std::is_same_v<T, bool>) return a || b;
    else if constexpr (std::is_integral_v<T>) {
        using U = std::make_unsigned_t<T>;
        return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
    } else return a + b;
}

template <class T, bool Add>
inline void apply(char* dst, const char* src) {
    if constexpr (Add) {
        store<T>(dst, add_values<T>(load<T>(dst), load<T>(src)));
    } else {
        store<T>(dst, load<T>(src));
    }
}

}  // namespace

// self is addressed at index's sizes with its stride along dim set to 0 (the loop gives the base
// of each fiber); layer j of a fiber reads index[.., j, ..] and src[.., j, ..].
void scatter(wk_scatter_mode mode, const View& self, int32_t dim, const View& index, const View& src, const char* op) {
    const int64_t size = self.sizes[dim];
    check_index_range(index, size, op, dim);
    const int64_t layers = index.sizes[dim];
    View selfr = restrict_to(self, index);
    const View self_f = drop_dim(selfr, dim), index_f = drop_dim(index, dim), src_f = drop_dim(src, dim);
    const Loop<3> L = make_loop<3>({&self_f, &index_f, &src_f});
    const int64_t self_step = self.strides[dim] * static_cast<int64_t>(dtype_size(self.dtype));
    const int64_t index_step = index.strides[dim] * static_cast<int64_t>(dtype_size(index.dtype));
    const int64_t src_step = src.strides[dim] * static_cast<int64_t>(dtype_size(src.dtype));
    dispatch_mode(mode, self.dtype, op, [&](auto tag, auto add) {
        using T = typename decltype(tag)::type;
        constexpr bool kAdd = decltype(add)::value;
        dispatch_index(index.dtype, op, [&](auto itag) {
            using I = typename decltype(itag)::type;
            parallel_layers(L, layers, false, is_innermost(index, dim), [&](int64_t j, char** p, const int64_t* s, int64_t n) {
                const char* ip = p[1] + j * index_step;
                const char* sp = p[2] + j * src_step;
                for (int64_t i = 0; i < n; ++i) {
                    int64_t k = load<I>(ip + i * s[1]);  // checked above
                    apply<T, kAdd>(p[0] + i * s[0] + k * self_step, sp + i * s[2]);
                }
            });
        });
    });
}

// Layer j adds (or copies) the fiber src.select(dim, j) into self.select(dim, index[j]); fibers that
// are contiguous rows run as a tight loop the compiler vectorises.
void index_reduce(wk_scatter_mode mode, const View& self, int32_t dim, const View& index, const View& src,
                  bool wrap_negative, const char* op) {
    const std::vector<int64_t> idx = read_index_vector(index, self.sizes[dim], wrap_negative, op, dim);
    const View self_f = drop_dim(self, dim), src_f = drop_dim(src, dim);
    const Loop<2> L = make_loop<2>({&self_f, &src_f});
    const int64_t es = static_cast<int64_t>(dtype_size(self.dtype));
    const int64_t self_step = self.strides[dim] * es, src_step = src.strides[dim] * es;
    dispatch_mode(mode, self.dtype, op, [&](auto tag, auto add) {
        using T = typename decltype(tag)::type;
        constexpr bool kAdd = decltype(add)::value;
        parallel_layers(L, static_cast<int64_t>(idx.size()), false, is_innermost(src, dim), [&](int64_t j, char** p, const int64_t* s, int64_t n) {
            char* d = p[0] + idx[static_cast<size_t>(j)] * self_step;
            const char* sp = p[1] + j * src_step;
            if constexpr (kAdd && !std::is_same_v<T, bool>) {
                if (s[0] == es && s[1] == es) {
                    T* dt = reinterpret_cast<T*>(d);
                    const T* st = reinterpret_cast<const T*>(sp);
                    for (int64_t i = 0; i < n; ++i) dt[i] = add_values<T>(dt[i], st[i]);
                    return;
                }
            }
            if constexpr (!kAdd) {
                if (s[0] == es && s[1] == es) {
                    std::memmove(d, sp, static_cast<size_t>(n * es));
                    return;
                }
            }
            for (int64_t i = 0; i < n; ++i) apply<T, kAdd>(d + i * s[0], sp + i * s[1]);
        });
    });
}

}  // namespace wick::cpu
