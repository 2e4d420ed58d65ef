// Mask-driven kernels: masked_fill, and the compaction family (count_nonzero, masked_select,
// masked_scatter, nonzero). Compaction runs in two passes over fixed blocks of the row-major order:
// count per block, then write at the block's prefix offset, so it parallelises and the output
// order never depends on the thread count.
#include <atomic>
#include <type_traits>

#include "core/convert.h"
#include "cpu/index_common.h"
#include "cpu/shape_kernels.h"

namespace wick::cpu {

namespace {

constexpr int64_t kBlock = 65536;

template <class T>
inline bool is_nonzero(T v) {
    if constexpr (is_half_v<T>) return (v.bits & 0x7fffu) != 0;  // -0 is zero, NaN is not
    else return v != T(0);
}

// Calls fn(Tag<T>) with T the element type, for nonzero tests (bool masks included).
template <class F>
void dispatch_any(DType t, F&& fn) {
    dispatch_all(t, fn);
}

// Exclusive prefix sums of the nonzero count of v per block of kBlock positions (size nblocks + 1).
std::vector<int64_t> block_offsets(const View& v) {
    const int64_t numel = v.numel();
    const int64_t nblocks = (numel + kBlock - 1) / kBlock;
    std::vector<int64_t> off(static_cast<size_t>(nblocks + 1), 0);
    const Loop<1> L = make_loop<1>({&v});
    dispatch_any(v.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        parallel_for(nblocks, 1, [&](int64_t b0, int64_t b1) {
            for (int64_t b = b0; b < b1; ++b) {
                int64_t c = 0;
                for_each_run(L, b * kBlock, std::min(numel, (b + 1) * kBlock), [&](char** p, const int64_t* s, int64_t n) {
                    for (int64_t i = 0; i < n; ++i) c += is_nonzero(load<T>(p[0] + i * s[0])) ? 1 : 0;
                });
                off[static_cast<size_t>(b + 1)] = c;
            }
        });
    });
    for (int64_t b = 0; b < nblocks; ++b) off[static_cast<size_t>(b + 1)] += off[static_cast<size_t>(b)];
    return off;
}

// Runs fn(block, begin, end, first_output) for every block on the thread pool.
template <class F>
void for_blocks(int64_t numel, const std::vector<int64_t>& off, F&& fn) {
    const int64_t nblocks = static_cast<int64_t>(off.size()) - 1;
    parallel_for(nblocks, 1, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b) fn(b * kBlock, std::min(numel, (b + 1) * kBlock), off[static_cast<size_t>(b)]);
    });
}

}  // namespace

void masked_fill(const View& out, const View& mask, const View& value) {
    const Loop<3> L = make_loop<3>({&out, &mask, &value});
    dispatch_bytes(out.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        run_loop(L, [](char** p, const int64_t* s, int64_t n) {
            for (int64_t i = 0; i < n; ++i)
                if (load<bool>(p[1] + i * s[1])) store<T>(p[0] + i * s[0], load<T>(p[2] + i * s[2]));
        });
    });
}

void count_nonzero(const View& x, int64_t* count) {
    std::atomic<int64_t> total{0};
    const Loop<1> L = make_loop<1>({&x});
    dispatch_any(x.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        run_loop(L, [&](char** p, const int64_t* s, int64_t n) {
            int64_t c = 0;
            for (int64_t i = 0; i < n; ++i) c += is_nonzero(load<T>(p[0] + i * s[0])) ? 1 : 0;
            total.fetch_add(c, std::memory_order_relaxed);
        });
    });
    *count = total.load();
}

void masked_select(const View& out, const View& x, const View& mask) {
    const std::vector<int64_t> off = block_offsets(mask);
    const Loop<2> L = make_loop<2>({&x, &mask});
    dispatch_bytes(x.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        T* o = reinterpret_cast<T*>(out.data);
        for_blocks(L.numel, off, [&](int64_t b, int64_t e, int64_t k) {
            for_each_run(L, b, e, [&](char** p, const int64_t* s, int64_t n) {
                for (int64_t i = 0; i < n; ++i)
                    if (load<bool>(p[1] + i * s[1])) o[k++] = load<T>(p[0] + i * s[0]);
            });
        });
    });
}

void masked_scatter(const View& self, const View& mask, const View& source) {
    const std::vector<int64_t> off = block_offsets(mask);
    const Loop<2> L = make_loop<2>({&self, &mask});
    dispatch_bytes(self.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const T* src = reinterpret_cast<const T*>(source.data);
        for_blocks(L.numel, off, [&](int64_t b, int64_t e, int64_t k) {
            for_each_run(L, b, e, [&](char** p, const int64_t* s, int64_t n) {
                for (int64_t i = 0; i < n; ++i)
                    if (load<bool>(p[1] + i * s[1])) store<T>(p[0] + i * s[0], src[k++]);
            });
        });
    });
}

// Coordinates need the original dimensions (no merging): an odometer per block.
void nonzero(const View& out, const View& x) {
    const std::vector<int64_t> off = block_offsets(x);
    const int nd = x.ndim;
    const int64_t es = static_cast<int64_t>(dtype_size(x.dtype));
    int64_t* o = reinterpret_cast<int64_t*>(out.data);
    dispatch_any(x.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        for_blocks(x.numel(), off, [&](int64_t b, int64_t e, int64_t k) {
            int64_t idx[kMaxDims] = {};
            int64_t rem = b, offset = 0;
            for (int d = nd - 1; d >= 0; --d) {
                idx[d] = rem % x.sizes[d];
                rem /= x.sizes[d];
                offset += idx[d] * x.strides[d];
            }
            for (int64_t pos = b; pos < e; ++pos) {
                if (is_nonzero(load<T>(x.data + offset * es))) {
                    for (int d = 0; d < nd; ++d) o[k * nd + d] = idx[d];
                    ++k;
                }
                for (int d = nd - 1; d >= 0; --d) {
                    offset += x.strides[d];
                    if (++idx[d] < x.sizes[d]) break;
                    offset -= idx[d] * x.strides[d];
                    idx[d] = 0;
                }
            }
        });
    });
}

}  // namespace wick::cpu
