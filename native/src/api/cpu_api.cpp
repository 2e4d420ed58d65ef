// Threads and CPU features: the intra-op pool size and the kernels' instruction set.
#include <string>

#include "api/guard.h"
#include "core/cpu_features.h"
#include "core/parallel.h"

using namespace wick;
using namespace wick::api;

namespace {

CpuIsa isa_from_abi(int32_t id) {
    check(id >= 0 && id < WK_CPU_ISA_COUNT, WK_ERR_INVALID_ARGUMENT, "cpu_isa_set: unknown instruction set id ", id,
          " (0 scalar, 1 avx2, 2 avx512)");
    return static_cast<CpuIsa>(id);
}

}  // namespace

extern "C" {

WK_API wk_status wk_threads_get(int32_t* count) {
    return guard([&] { out_param(count, "wk_threads_get") = num_threads(); });
}

WK_API wk_status wk_threads_set(int32_t count) {
    return guard([&] { set_num_threads(count); });
}

WK_API wk_status wk_cpu_isa_get(wk_cpu_isa* active, wk_cpu_isa* best) {
    return guard([&] {
        out_param(active, "wk_cpu_isa_get") = static_cast<wk_cpu_isa>(cpu_isa_active());
        out_param(best, "wk_cpu_isa_get") = static_cast<wk_cpu_isa>(cpu_isa_best());
    });
}

WK_API wk_status wk_cpu_isa_set(wk_cpu_isa requested, wk_cpu_isa* active) {
    return guard([&] {
        auto& a = out_param(active, "wk_cpu_isa_set");
        a = static_cast<wk_cpu_isa>(set_cpu_isa(isa_from_abi(requested)));
    });
}

WK_API wk_status wk_cpu_isa_note(const char** message) {
    return guard([&] {
        static thread_local std::string note;
        note = cpu_isa_note();
        out_param(message, "wk_cpu_isa_note") = note.c_str();
    });
}

}  // extern "C"
