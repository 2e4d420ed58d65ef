// This ISA's kernel table (compiled once per ISA, like every file in src/cpu/simd).
#include "cpu/simd/isa_kernels.h"

#include "cpu/simd/isa_begin.h"
#include "cpu/simd/isa_entry.h"

namespace wick::cpu::WICK_ISA_NS {

#define WICK_STR2(x) #x
#define WICK_STR(x) WICK_STR2(x)
extern const IsaKernels kIsaTable = {
    WICK_STR(WICK_ISA_NS), &unary_run, &binary_run, &ternary_run, &fold_run, &fold_rows_run, &scan_run,
};

}  // namespace wick::cpu::WICK_ISA_NS

#include "cpu/simd/isa_end.h"
