// Unary elementwise driver: strided iteration (cpu/loops.h) around the active ISA's contiguous
// inner loop. The ops layer has chosen the dtype: x has the compute dtype, out has it too, or bool
// for predicates.
#include <algorithm>

#include "cpu/kernels.h"
#include "cpu/loops.h"
#include "cpu/simd/isa_kernels.h"
#include "cpu/strided.h"

namespace wick::cpu {

void unary(wk_unary_op op, const View& out, const View& x, double p0, double p1) {
    const IsaKernels& k = isa_kernels();
    const DType dt = x.dtype;
    const int64_t osz = static_cast<int64_t>(dtype_size(out.dtype)), xsz = static_cast<int64_t>(dtype_size(dt));
    if (out.is_contiguous() && flat_unit(x) == 1) {
        run_flat(out.numel(), [&](int64_t b, int64_t e) { k.unary(op, dt, out.data + b * osz, x.data + b * xsz, e - b, p0, p1); });
        return;
    }
    Loop<2> L = make_loop<2>({&out, &x});
    run_loop(L, [&](char** p, const int64_t* s, int64_t n) {
        if (s[0] == osz && s[1] == xsz) {
            k.unary(op, dt, p[0], p[1], n, p0, p1);
            return;
        }
        alignas(64) char xb[kGatherElems * 8], ob[kGatherElems * 8];
        for (int64_t i = 0; i < n; i += kGatherElems) {
            const int64_t m = std::min(kGatherElems, n - i);
            const char* src = p[1] + i * s[1];
            if (s[1] != xsz) gather(xb, src, s[1], m, xsz);
            char* dst = p[0] + i * s[0];
            k.unary(op, dt, s[0] == osz ? dst : ob, s[1] == xsz ? src : xb, m, p0, p1);
            if (s[0] != osz) scatter(dst, s[0], ob, m, osz);
        }
    });
}

}  // namespace wick::cpu
