// Sorting along a dimension: sort, topk, and the run detection behind unique.
//
// Every element type maps to an unsigned key whose order is the sort order: floats with NaN as the
// largest value and -0 equal to +0, signed integers with the sign bit flipped. Descending order
// complements the key, so ties still keep their index order (stable in both directions). A fiber
// (one line along dim) is sorted as (key, index) pairs: LSD radix sort, 8 bits a pass, when it is
// long; otherwise a comparison sort on (key, index), which is a total order and so also stable.
#include <algorithm>
#include <type_traits>
#include <vector>

#include "core/convert.h"
#include "cpu/index_common.h"
#include "cpu/shape_kernels.h"

namespace wick::cpu {

namespace {

template <class T>
struct KeyOf;

template <>
struct KeyOf<float> {
    using K = uint32_t;
    static K get(float v) {
        uint32_t u = float_bits(v);
        if ((u & 0x7fffffffu) > 0x7f800000u) return 0xffffffffu;  // NaN: largest
        if (u == 0x80000000u) u = 0;                               // -0 == +0
        return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
    }
};

template <>
struct KeyOf<double> {
    using K = uint64_t;
    static K get(double v) {
        uint64_t u;
        std::memcpy(&u, &v, 8);
        constexpr uint64_t sign = 0x8000000000000000ull;
        if ((u & ~sign) > 0x7ff0000000000000ull) return ~uint64_t{0};
        if (u == sign) u = 0;
        return (u & sign) ? ~u : (u | sign);
    }
};

template <uint16_t kInf>
struct Key16 {
    using K = uint16_t;
    static K from_bits(uint16_t u) {
        if ((u & 0x7fffu) > kInf) return 0xffffu;
        if (u == 0x8000u) u = 0;
        return static_cast<K>((u & 0x8000u) ? ~u : (u | 0x8000u));
    }
};

template <>
struct KeyOf<Half> : Key16<0x7c00u> {
    static K get(Half v) { return from_bits(v.bits); }
};

template <>
struct KeyOf<BFloat16> : Key16<0x7f80u> {
    static K get(BFloat16 v) { return from_bits(v.bits); }
};

template <class T>
    requires std::is_integral_v<T>
struct KeyOf<T> {
    using K = std::make_unsigned_t<std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>>;
    static K get(T v) {
        if constexpr (std::is_signed_v<T>) return static_cast<K>(static_cast<K>(v) ^ (K{1} << (sizeof(K) * 8 - 1)));
        else return static_cast<K>(v);
    }
};

template <class K>
struct Pair {
    K key;
    int64_t index;
};

template <class K>
inline bool pair_less(const Pair<K>& a, const Pair<K>& b) {
    return a.key < b.key || (a.key == b.key && a.index < b.index);
}

// Fibers at least this long use radix sort.
constexpr int64_t kRadixMin = 512;

// Stable LSD radix sort of pairs by key; tmp is scratch of the same length. Passes whose digit is the
// same for every key are skipped (small integers sort in one or two passes).
template <class K>
void radix_sort(std::vector<Pair<K>>& a, std::vector<Pair<K>>& tmp) {
    constexpr int kPasses = static_cast<int>(sizeof(K));
    const size_t n = a.size();
    tmp.resize(n);
    std::vector<int64_t> hist(static_cast<size_t>(kPasses) * 256, 0);
    for (const auto& p : a)
        for (int b = 0; b < kPasses; ++b) ++hist[static_cast<size_t>(b) * 256 + ((p.key >> (8 * b)) & 0xffu)];
    Pair<K>* src = a.data();
    Pair<K>* dst = tmp.data();
    for (int b = 0; b < kPasses; ++b) {
        int64_t* h = hist.data() + static_cast<size_t>(b) * 256;
        bool trivial = false;
        for (int d = 0; d < 256; ++d) trivial = trivial || h[d] == static_cast<int64_t>(n);
        if (trivial) continue;
        int64_t sum = 0;
        for (int d = 0; d < 256; ++d) {
            int64_t c = h[d];
            h[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; ++i) dst[h[(src[i].key >> (8 * b)) & 0xffu]++] = src[i];
        std::swap(src, dst);
    }
    if (src != a.data()) std::copy(src, src + n, a.data());
}

// The (key, index) pairs of one fiber of x (n elements, byte stride xs), complemented when descending.
template <class T>
void load_pairs(std::vector<Pair<typename KeyOf<T>::K>>& pairs, const char* x, int64_t n, int64_t xs, bool descending) {
    using K = typename KeyOf<T>::K;
    pairs.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        K k = KeyOf<T>::get(load<T>(x + i * xs));
        pairs[static_cast<size_t>(i)] = {descending ? static_cast<K>(~k) : k, i};
    }
}

// Writes the first m pairs' elements (read back from x, so -0 and NaN payloads survive) and indices.
template <class T, class K>
void store_pairs(const std::vector<Pair<K>>& pairs, int64_t m, char* values, int64_t vs, char* indices, int64_t is,
                 const char* x, int64_t xs) {
    for (int64_t j = 0; j < m; ++j) {
        const int64_t i = pairs[static_cast<size_t>(j)].index;
        store<T>(values + j * vs, load<T>(x + i * xs));
        store<int64_t>(indices + j * is, i);
    }
}

// Calls fn(scratch, values_fiber, indices_fiber, x_fiber) for each fiber along dim, in parallel;
// each task reuses one Scratch for all its fibers.
template <class Scratch, class F>
void for_each_fiber(const View& values, const View& indices, const View& x, int32_t dim, int64_t n, F&& fn) {
    const View v_f = drop_dim(values, dim), i_f = drop_dim(indices, dim), x_f = drop_dim(x, dim);
    const Loop<3> L = make_loop<3>({&i_f, &v_f, &x_f});
    parallel_for(L.numel, std::max<int64_t>(1, kIndexGrain / std::max<int64_t>(n, 1)), [&](int64_t b, int64_t e) {
        Scratch scratch;
        for_each_run(L, b, e, [&](char** p, const int64_t* s, int64_t cnt) {
            for (int64_t f = 0; f < cnt; ++f) fn(scratch, p[1] + f * s[1], p[0] + f * s[0], p[2] + f * s[2]);
        });
    });
}

// The k smallest (key, index) pairs of one fiber, sorted, in pairs[0..k) (keys complemented when
// `complement`, i.e. for the largest). One pass: candidates collect in a buffer of 2k; each time it
// fills, a selection keeps the best k and their worst becomes a threshold that rejects most of the
// remaining elements with one comparison. O(n + k log k).
template <class T>
void select_smallest(std::vector<Pair<typename KeyOf<T>::K>>& pairs, const char* x, int64_t n, int64_t xs, int64_t k,
                     bool complement) {
    using K = typename KeyOf<T>::K;
    const size_t cap = static_cast<size_t>(2 * k);
    pairs.clear();
    pairs.reserve(cap);
    bool bounded = false;
    Pair<K> worst{};
    for (int64_t i = 0; i < n; ++i) {
        K key = KeyOf<T>::get(load<T>(x + i * xs));
        Pair<K> p{complement ? static_cast<K>(~key) : key, i};
        if (bounded && !pair_less(p, worst)) continue;
        pairs.push_back(p);
        if (pairs.size() == cap) {
            std::nth_element(pairs.begin(), pairs.begin() + (k - 1), pairs.end(), pair_less<K>);
            pairs.resize(static_cast<size_t>(k));
            worst = pairs[static_cast<size_t>(k - 1)];
            bounded = true;
        }
    }
    std::nth_element(pairs.begin(), pairs.begin() + (k - 1), pairs.end(), pair_less<K>);
    std::sort(pairs.begin(), pairs.begin() + k, pair_less<K>);
}

template <class K>
struct SortScratch {
    std::vector<Pair<K>> pairs, tmp;
};

}  // namespace

void sort(const View& values, const View& indices, const View& x, int32_t dim, bool descending) {
    const int64_t n = x.sizes[dim];
    const int64_t es = static_cast<int64_t>(dtype_size(x.dtype));
    const int64_t xs = x.strides[dim] * es, vs = values.strides[dim] * es, is = indices.strides[dim] * 8;
    dispatch_all(x.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        using K = typename KeyOf<T>::K;
        for_each_fiber<SortScratch<K>>(values, indices, x, dim, n, [&](SortScratch<K>& sc, char* v, char* ix, const char* xf) {
            auto& pairs = sc.pairs;
            auto& tmp = sc.tmp;
            load_pairs<T>(pairs, xf, n, xs, descending);
            if (n >= kRadixMin) radix_sort(pairs, tmp);
            else std::sort(pairs.begin(), pairs.end(), pair_less<K>);
            store_pairs<T>(pairs, n, v, vs, ix, is, xf, xs);
        });
    });
}

void topk(const View& values, const View& indices, const View& x, int32_t dim, int64_t k, bool largest) {
    const int64_t n = x.sizes[dim];
    if (k == 0) return;
    const int64_t es = static_cast<int64_t>(dtype_size(x.dtype));
    const int64_t xs = x.strides[dim] * es, vs = values.strides[dim] * es, is = indices.strides[dim] * 8;
    dispatch_all(x.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        using K = typename KeyOf<T>::K;
        for_each_fiber<SortScratch<K>>(values, indices, x, dim, n, [&](SortScratch<K>& sc, char* v, char* ix, const char* xf) {
            auto& pairs = sc.pairs;
            auto& tmp = sc.tmp;
            if (k * 8 < n) {
                select_smallest<T>(pairs, xf, n, xs, k, largest);
            } else {
                load_pairs<T>(pairs, xf, n, xs, largest);
                if (n >= kRadixMin) radix_sort(pairs, tmp);
                else std::sort(pairs.begin(), pairs.end(), pair_less<K>);
            }
            store_pairs<T>(pairs, k, v, vs, ix, is, xf, xs);
        });
    });
}

void unique_sorted(const View& values, const View& inverse, const View& counts, const View& sorted, const View& perm,
                   int64_t* count) {
    const int64_t n = sorted.numel();
    const int64_t* pm = reinterpret_cast<const int64_t*>(perm.data);
    int64_t* inv = reinterpret_cast<int64_t*>(inverse.data);
    int64_t* cnt = reinterpret_cast<int64_t*>(counts.data);
    int64_t run = -1;
    dispatch_all(sorted.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const T* s = reinterpret_cast<const T*>(sorted.data);
        T* out = reinterpret_cast<T*>(values.data);
        for (int64_t i = 0; i < n; ++i) {
            bool same;
            if constexpr (is_half_v<T>) same = i > 0 && static_cast<float>(s[i]) == static_cast<float>(s[i - 1]);
            else same = i > 0 && s[i] == s[i - 1];  // NaN != NaN: each NaN is its own run
            if (!same) {
                ++run;
                out[run] = s[i];
                if (cnt != nullptr) cnt[run] = 0;
            }
            if (cnt != nullptr) ++cnt[run];
            if (inv != nullptr) inv[pm[i]] = run;
        }
    });
    *count = run + 1;
}

}  // namespace wick::cpu
