// Picks the kernel table of the active instruction set (core/cpu_features.h).
#include <atomic>

#include "core/cpu_features.h"
#include "cpu/simd/isa_kernels.h"

namespace wick::cpu {

namespace scalar { extern const IsaKernels kIsaTable; }
#if defined(WICK_HAVE_X86_SIMD)
namespace avx2 { extern const IsaKernels kIsaTable; }
namespace avx512 { extern const IsaKernels kIsaTable; }
#endif

namespace {
std::atomic<const IsaKernels*> g_override{nullptr};
}

void set_isa_kernels_override(const IsaKernels* table) { g_override.store(table, std::memory_order_relaxed); }

const IsaKernels& isa_kernels() {
    if (const IsaKernels* o = g_override.load(std::memory_order_relaxed)) return *o;
#if defined(WICK_HAVE_X86_SIMD)
    switch (cpu_isa_active()) {
        case CpuIsa::Avx512: return avx512::kIsaTable;
        case CpuIsa::Avx2: return avx2::kIsaTable;
        case CpuIsa::Scalar: break;
    }
#endif
    return scalar::kIsaTable;
}

}  // namespace wick::cpu
