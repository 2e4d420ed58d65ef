// Ternary elementwise driver (where, lerp, addcmul, addcdiv, clamp with tensor bounds): strided
// iteration around the active ISA's inner loop; absent operands (a clamp bound, lerp's tensor
// weight) are passed as null. For where, a is the bool condition and b, c have the compute dtype.
#include <algorithm>

#include "cpu/kernels.h"
#include "cpu/loops.h"
#include "cpu/simd/isa_kernels.h"
#include "cpu/strided.h"

namespace wick::cpu {

void ternary(wk_ternary_op op, const View& out, const View& a, const View* b, const View* c, double s) {
    const IsaKernels& k = isa_kernels();
    const DType dt = out.dtype;
    const int64_t esz = static_cast<int64_t>(dtype_size(dt));
    const int64_t asz = static_cast<int64_t>(dtype_size(a.dtype));
    // An absent operand iterates as a stride-0 view of nothing.
    View none = out;
    none.data = nullptr;
    for (int d = 0; d < none.ndim; ++d) none.strides[d] = 0;
    const bool has_b = b != nullptr, has_c = c != nullptr;
    const int ua = flat_unit(a), ub = has_b ? flat_unit(*b) : 0, uc = has_c ? flat_unit(*c) : 0;
    if (out.is_contiguous() && ua >= 0 && ub >= 0 && uc >= 0) {
        run_flat(out.numel(), [&](int64_t s0, int64_t e) {
            k.ternary(op, dt, out.data + s0 * esz, a.data + s0 * ua * asz, ua, has_b ? b->data + s0 * ub * esz : nullptr, ub,
                      has_c ? c->data + s0 * uc * esz : nullptr, uc, e - s0, s);
        });
        return;
    }
    Loop<4> L = make_loop<4>({&out, &a, has_b ? b : &none, has_c ? c : &none});
    run_loop(L, [&](char** p, const int64_t* st, int64_t n) {
        const int64_t sz[4] = {esz, asz, esz, esz};
        bool direct = st[0] == esz;
        for (int q = 1; q < 4; ++q) direct = direct && (st[q] == 0 || st[q] == sz[q]);
        if (direct) {
            k.ternary(op, dt, p[0], p[1], st[1] != 0, has_b ? p[2] : nullptr, st[2] != 0, has_c ? p[3] : nullptr,
                      st[3] != 0, n, s);
            return;
        }
        alignas(64) char bufs[4][kGatherElems * 8];
        for (int64_t i = 0; i < n; i += kGatherElems) {
            const int64_t m = std::min(kGatherElems, n - i);
            const char* in[4];
            int64_t unit[4];
            for (int q = 1; q < 4; ++q) {
                const char* src = p[q] == nullptr ? nullptr : p[q] + i * st[q];
                unit[q] = st[q] != 0;
                in[q] = src;
                if (src != nullptr && st[q] != 0 && st[q] != sz[q]) {
                    gather(bufs[q], src, st[q], m, sz[q]);
                    in[q] = bufs[q];
                }
            }
            char* dst = p[0] + i * st[0];
            k.ternary(op, dt, st[0] == esz ? dst : bufs[0], in[1], unit[1], has_b ? in[2] : nullptr, unit[2],
                      has_c ? in[3] : nullptr, unit[3], m, s);
            if (st[0] != esz) scatter(dst, st[0], bufs[0], m, esz);
        }
    });
}

}  // namespace wick::cpu
