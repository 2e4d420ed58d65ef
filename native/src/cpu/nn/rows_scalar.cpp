// The portable RowsF32 (plain C++, RowsGeneric<float>) and the choice between the builds.
#include "cpu/gemm/cpu_features.h"
#include "cpu/nn/rows.h"

namespace wick::cpu::nn {

extern const RowsF32 kRowsScalar = kRowsGeneric<float>;

const RowsF32& rows_f32() {
#if defined(__x86_64__) || defined(_M_X64)
    switch (gemm::active_isa()) {
        case gemm::Isa::Avx512: return kRowsAvx512;
        case gemm::Isa::Avx2: return kRowsAvx2;
        default: break;
    }
#endif
    return kRowsScalar;
}

}  // namespace wick::cpu::nn
