// Binary elementwise driver: tensor-tensor (broadcast through stride 0) and tensor-scalar, around
// the active ISA's inner loop, which takes each input contiguous or as a broadcast scalar; other
// strides go through small buffers. Integer division by zero and negative integer powers are
// reported after the loop (the kernel stores 0 there).
#include <algorithm>
#include <atomic>

#include "cpu/dispatch.h"
#include "cpu/kernels.h"
#include "cpu/loops.h"
#include "cpu/simd/isa_kernels.h"
#include "cpu/strided.h"

namespace wick::cpu {

namespace {

const char* binary_op_name(wk_binary_op op) {
    switch (op) {
        case WK_BINARY_FLOOR_DIV: return "floor_divide";
        case WK_BINARY_REMAINDER: return "remainder";
        case WK_BINARY_FMOD: return "fmod";
        default: return "binary";
    }
}

void run_strided(const IsaKernels& k, wk_binary_op op, DType dt, int64_t osz, int64_t esz, const View& out, const View& a,
                 const View& b, std::atomic<int32_t>& flags);

void run(wk_binary_op op, const View& out, const View& a, const View& b) {
    const IsaKernels& k = isa_kernels();
    const DType dt = a.dtype;
    const int64_t osz = static_cast<int64_t>(dtype_size(out.dtype)), esz = static_cast<int64_t>(dtype_size(dt));
    std::atomic<int32_t> flags{kBinaryOk};
    const int ua = flat_unit(a), ub = flat_unit(b);
    if (out.is_contiguous() && ua >= 0 && ub >= 0) {
        run_flat(out.numel(), [&](int64_t s, int64_t e) {
            int32_t f = k.binary(op, dt, out.data + s * osz, a.data + s * ua * esz, ua, b.data + s * ub * esz, ub, e - s);
            if (f != kBinaryOk) flags.fetch_or(f, std::memory_order_relaxed);
        });
    } else {
        run_strided(k, op, dt, osz, esz, out, a, b, flags);
    }
    const int32_t fl = flags.load();
    if (fl & kIntDivByZero) fail(WK_ERR_INVALID_ARGUMENT, binary_op_name(op), ": integer division by zero");
    if (fl & kNegativeIntPow) fail(WK_ERR_INVALID_ARGUMENT, "pow: integers to negative integer powers are not allowed");
}

void run_strided(const IsaKernels& k, wk_binary_op op, DType dt, int64_t osz, int64_t esz, const View& out, const View& a,
                 const View& b, std::atomic<int32_t>& flags) {
    Loop<3> L = make_loop<3>({&out, &a, &b});
    run_loop(L, [&](char** p, const int64_t* s, int64_t n) {
        const bool a_ok = s[1] == esz || s[1] == 0, b_ok = s[2] == esz || s[2] == 0;
        int32_t f;
        if (s[0] == osz && a_ok && b_ok) {
            f = k.binary(op, dt, p[0], p[1], s[1] != 0, p[2], s[2] != 0, n);
        } else {
            f = kBinaryOk;
            alignas(64) char ab[kGatherElems * 8], bb[kGatherElems * 8], ob[kGatherElems * 8];
            for (int64_t i = 0; i < n; i += kGatherElems) {
                const int64_t m = std::min(kGatherElems, n - i);
                const char* pa = p[1] + i * s[1];
                const char* pb = p[2] + i * s[2];
                if (!a_ok) gather(ab, pa, s[1], m, esz);
                if (!b_ok) gather(bb, pb, s[2], m, esz);
                char* dst = p[0] + i * s[0];
                f |= k.binary(op, dt, s[0] == osz ? dst : ob, a_ok ? pa : ab, a_ok ? s[1] != 0 : 1, b_ok ? pb : bb,
                              b_ok ? s[2] != 0 : 1, m);
                if (s[0] != osz) scatter(dst, s[0], ob, m, osz);
            }
        }
        if (f != kBinaryOk) flags.fetch_or(f, std::memory_order_relaxed);
    });
}

}  // namespace

void binary(wk_binary_op op, const View& out, const View& a, const View& b) { run(op, out, a, b); }

void binary_scalar(wk_binary_op op, const View& out, const View& a, Scalar s, bool reverse) {
    dispatch_compute(a.dtype, "binary", [&](auto tag) {
        using T = typename decltype(tag)::type;
        T value = s.to<T>();
        // The scalar as a stride-0 view of the same shape: one code path with tensor-tensor ops.
        View sv = a;
        sv.data = reinterpret_cast<char*>(&value);
        for (int d = 0; d < sv.ndim; ++d) sv.strides[d] = 0;
        if (reverse) run(op, out, sv, a);
        else run(op, out, a, sv);
    });
}

}  // namespace wick::cpu
