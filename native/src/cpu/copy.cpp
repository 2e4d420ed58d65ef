// Copy with dtype conversion, fill and arange.
#include <cstring>

#include "core/convert.h"
#include "cpu/dispatch.h"
#include "cpu/kernels.h"
#include "cpu/loops.h"

namespace wick::cpu {

void copy(const View& dst, const View& src) {
    Loop<2> L = make_loop<2>({&dst, &src});
    if (dst.dtype == src.dtype) {
        const int64_t es = static_cast<int64_t>(dtype_size(dst.dtype));
        run_loop(L, [&](char** p, const int64_t* s, int64_t n) {
            if (s[0] == es && s[1] == es) {
                std::memmove(p[0], p[1], static_cast<size_t>(n * es));
                return;
            }
            for (int64_t i = 0; i < n; ++i) std::memcpy(p[0] + i * s[0], p[1] + i * s[1], static_cast<size_t>(es));
        });
        return;
    }
    dispatch_all(dst.dtype, [&](auto dtag) {
        using D = typename decltype(dtag)::type;
        dispatch_all(src.dtype, [&](auto stag) {
            using S = typename decltype(stag)::type;
            run_loop(L, [](char** p, const int64_t* s, int64_t n) {
                if (s[0] == static_cast<int64_t>(sizeof(D)) && s[1] == static_cast<int64_t>(sizeof(S))) {
                    // Contiguous runs: typed pointers let the compiler vectorise the conversion.
                    D* o = reinterpret_cast<D*>(p[0]);
                    const S* in = reinterpret_cast<const S*>(p[1]);
                    for (int64_t i = 0; i < n; ++i) o[i] = convert<D>(in[i]);
                    return;
                }
                for (int64_t i = 0; i < n; ++i) {
                    S v;
                    std::memcpy(&v, p[1] + i * s[1], sizeof(S));
                    D d = convert<D>(v);
                    std::memcpy(p[0] + i * s[0], &d, sizeof(D));
                }
            });
        });
    });
}

void fill(const View& dst, Scalar value) {
    Loop<1> L = make_loop<1>({&dst});
    dispatch_all(dst.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const T v = value.to<T>();
        run_loop(L, [v](char** p, const int64_t* s, int64_t n) {
            if (s[0] == static_cast<int64_t>(sizeof(T))) {
                T* o = reinterpret_cast<T*>(p[0]);
                for (int64_t i = 0; i < n; ++i) o[i] = v;
                return;
            }
            for (int64_t i = 0; i < n; ++i) std::memcpy(p[0] + i * s[0], &v, sizeof(T));
        });
    });
}

void arange(const View& out, double start, double step) {
    const int64_t n = out.numel();
    const int64_t stride = out.ndim > 0 ? out.strides[0] : 1;
    dispatch_all(out.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        T* o = reinterpret_cast<T*>(out.data);
        for (int64_t i = 0; i < n; ++i) o[i * stride] = saturate_from_double<T>(start + static_cast<double>(i) * step);
    });
}

}  // namespace wick::cpu
