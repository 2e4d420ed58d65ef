// What every CUDA kernel family shares: error checks that throw wick::Error (the backend table
// turns them into a status, see guarded.cuh), the thread's active device and current stream,
// kernel launches through cudaLaunchKernel (no <<<>>>, so the emulation build can run the same
// code), dtype dispatch, aligned vectors and 16-bit float conversions.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "core/error.h"
#include "core/half.h"
#include "core/view.h"

namespace wick::cuda {

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

// Throws an Error naming `what` and the CUDA error; allocation failures become out-of-memory.
[[noreturn]] void throw_cuda(cudaError_t error, const char* what);

inline void check_cuda(cudaError_t error, const char* what) {
    if (error != cudaSuccess) throw_cuda(error, what);
}

// ---------------------------------------------------------------------------------------------
// Devices and streams (runtime.cu)
// ---------------------------------------------------------------------------------------------

constexpr int kMaxDevices = 64;

struct DeviceInfo {
    int32_t multiprocessors = 1;
    int32_t max_threads_per_block = 1024;
};

// The device this thread's kernels run on (set by DeviceRuntime::activate before each op).
int32_t active_device();
const DeviceInfo& device_info(int32_t device);
// The thread's current stream on the active device.
cudaStream_t current_stream();

// Counts a wait of the host for the device (cudaStreamSynchronize, cudaDeviceSynchronize,
// cudaEventSynchronize, a blocking copy): called beside every such call of the backend, so that
// tests can prove a training step waits nowhere (wk_cuda_host_sync_count).
void note_host_wait();
int64_t host_wait_count();

// ---------------------------------------------------------------------------------------------
// Launching
// ---------------------------------------------------------------------------------------------

constexpr int kThreads = 256;  // block size of the elementwise kernels

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// One-dimensional grid of `count` blocks; refuses grids past CUDA's x limit instead of failing
// at launch with a less helpful message.
inline dim3 grid_1d(int64_t count, const char* what) {
    check(count >= 1 && count <= 0x7fffffffLL, WK_ERR_INVALID_ARGUMENT, what, ": ", count,
          " thread blocks exceed the CUDA grid limit");
    return dim3(static_cast<unsigned int>(count));
}

#if defined(WICK_CUDA_EMULATION)
// runtime.cpp of the emulator runs `body` once per thread of every block.
namespace emu {
void launch(const char* name, dim3 grid, dim3 block, void (*body)(void*), void* context);
}
#endif

// Launches kernel<<<grid, block, 0, current stream>>>(args...) and checks the launch; the
// arguments are converted to the kernel's parameter types first.
template <class... P, class... A>
void launch_kernel(const char* name, void (*kernel)(P...), dim3 grid, dim3 block, A&&... args) {
    static_assert(sizeof...(P) == sizeof...(A), "launch_kernel: wrong number of kernel arguments");
    std::tuple<std::decay_t<P>...> values(static_cast<std::decay_t<P>>(std::forward<A>(args))...);
#if defined(WICK_CUDA_EMULATION)
    struct Call {
        void (*kernel)(P...);
        std::tuple<std::decay_t<P>...>* values;
        static void run(void* c) {
            Call* call = static_cast<Call*>(c);
            std::apply(call->kernel, *call->values);
        }
    } call{kernel, &values};
    emu::launch(name, grid, block, &Call::run, &call);
#else
    void* pointers[sizeof...(P) > 0 ? sizeof...(P) : 1] = {};
    std::apply([&pointers](auto&... v) {
        int i = 0;
        ((pointers[i++] = static_cast<void*>(&v)), ...);
    }, values);
    check_cuda(cudaLaunchKernel(reinterpret_cast<const void*>(kernel), grid, block, pointers, 0, current_stream()), name);
#endif
}

// ---------------------------------------------------------------------------------------------
// Dtype dispatch (host side): fn(Tag<T>{}) for the element type of a dtype.
// ---------------------------------------------------------------------------------------------

template <class T>
struct Tag {
    using type = T;
};

template <class F>
void dispatch_all(DType t, const char* op, F&& fn) {
    switch (t) {
#define WICK_X(name, abi, type, fp, display) \
    case DType::name: fn(Tag<type>{}); return;
        WICK_DTYPES(WICK_X)
#undef WICK_X
    }
    fail(WK_ERR_DTYPE, op, ": unknown dtype ", static_cast<int>(t));
}

template <class F>
void dispatch_floating(DType t, const char* op, F&& fn) {
    switch (t) {
        case DType::F32: fn(Tag<float>{}); return;
        case DType::F64: fn(Tag<double>{}); return;
        case DType::F16: fn(Tag<Half>{}); return;
        case DType::BF16: fn(Tag<BFloat16>{}); return;
        default: fail(WK_ERR_DTYPE, op, ": needs a floating-point dtype on CUDA, got ", dtype_name(t));
    }
}

// Every dtype but bool.
template <class F>
void dispatch_numeric(DType t, const char* op, F&& fn) {
    switch (t) {
        case DType::F32: fn(Tag<float>{}); return;
        case DType::F64: fn(Tag<double>{}); return;
        case DType::F16: fn(Tag<Half>{}); return;
        case DType::BF16: fn(Tag<BFloat16>{}); return;
        case DType::I64: fn(Tag<int64_t>{}); return;
        case DType::I32: fn(Tag<int32_t>{}); return;
        case DType::I16: fn(Tag<int16_t>{}); return;
        case DType::I8: fn(Tag<int8_t>{}); return;
        case DType::U8: fn(Tag<uint8_t>{}); return;
        default: fail(WK_ERR_DTYPE, op, ": not defined for ", dtype_name(t), " on CUDA");
    }
}

// Integers and bool.
template <class F>
void dispatch_integral(DType t, const char* op, F&& fn) {
    switch (t) {
        case DType::I64: fn(Tag<int64_t>{}); return;
        case DType::I32: fn(Tag<int32_t>{}); return;
        case DType::I16: fn(Tag<int16_t>{}); return;
        case DType::I8: fn(Tag<int8_t>{}); return;
        case DType::U8: fn(Tag<uint8_t>{}); return;
        case DType::Bool: fn(Tag<bool>{}); return;
        default: fail(WK_ERR_DTYPE, op, ": needs an integer or bool dtype, got ", dtype_name(t));
    }
}

// ---------------------------------------------------------------------------------------------
// Element types on the device
// ---------------------------------------------------------------------------------------------

template <class T>
inline constexpr bool is_half_type = std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

// The type arithmetic on T is done in: float for the 16-bit floats (rounded back on store, the
// same result as the CPU's compute-in-float32), T itself otherwise.
template <class T>
using OpMath = std::conditional_t<is_half_type<T>, float, T>;

__host__ __device__ __forceinline__ float half_to_float(Half h) {
#if defined(__CUDA_ARCH__)
    float f;
    unsigned short b = h.bits;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(b));
    return f;
#else
    return Half::to_float(h.bits);
#endif
}

__host__ __device__ __forceinline__ Half float_to_half(float f) {
    Half h;
#if defined(__CUDA_ARCH__)
    unsigned short b;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(b) : "f"(f));
    h.bits = b;
#else
    h.bits = Half::from_float(f);
#endif
    return h;
}

__host__ __device__ __forceinline__ float bf16_to_float(BFloat16 h) {
#if defined(__CUDA_ARCH__)
    return __uint_as_float(static_cast<unsigned int>(h.bits) << 16);
#else
    return bits_float(static_cast<uint32_t>(h.bits) << 16);
#endif
}

__host__ __device__ __forceinline__ BFloat16 float_to_bf16(float f) {
    BFloat16 h;
#if defined(__CUDA_ARCH__)
    unsigned short b;
    asm("cvt.rn.bf16.f32 %0, %1;" : "=h"(b) : "f"(f));
    h.bits = b;
#else
    h.bits = BFloat16::from_float(f);
#endif
    return h;
}

// T -> OpMath<T>.
template <class T>
__host__ __device__ __forceinline__ OpMath<T> to_op(T v) {
    if constexpr (std::is_same_v<T, Half>) return half_to_float(v);
    else if constexpr (std::is_same_v<T, BFloat16>) return bf16_to_float(v);
    else return v;
}

// An op result (OpMath<T>, or bool for predicates) -> the stored type O.
template <class O, class C>
__host__ __device__ __forceinline__ O from_op(C v) {
    if constexpr (std::is_same_v<O, Half>) return float_to_half(static_cast<float>(v));
    else if constexpr (std::is_same_v<O, BFloat16>) return float_to_bf16(static_cast<float>(v));
    else return static_cast<O>(v);
}

// Integer limits usable in device code without relaxed constexpr.
template <class T> struct IntRange;
template <> struct IntRange<int64_t> { static constexpr int64_t lo = INT64_MIN, hi = INT64_MAX; };
template <> struct IntRange<int32_t> { static constexpr int32_t lo = INT32_MIN, hi = INT32_MAX; };
template <> struct IntRange<int16_t> { static constexpr int16_t lo = INT16_MIN, hi = INT16_MAX; };
template <> struct IntRange<int8_t> { static constexpr int8_t lo = INT8_MIN, hi = INT8_MAX; };
template <> struct IntRange<uint8_t> { static constexpr uint8_t lo = 0, hi = UINT8_MAX; };

// double -> D exactly as the CPU's saturate_from_double (core/convert.h): floats round, 16-bit
// floats go through float, integers truncate toward zero and saturate, NaN becomes 0.
template <class D>
__host__ __device__ __forceinline__ D saturate_from_double(double v) {
    if constexpr (std::is_same_v<D, bool>) {
        return v != 0;
    } else if constexpr (std::is_same_v<D, Half>) {
        return float_to_half(static_cast<float>(v));
    } else if constexpr (std::is_same_v<D, BFloat16>) {
        return float_to_bf16(static_cast<float>(v));
    } else if constexpr (std::is_floating_point_v<D>) {
        return static_cast<D>(v);
    } else {
        if (v != v) return D(0);
        constexpr double lo = static_cast<double>(IntRange<D>::lo);
        constexpr double hi = static_cast<double>(IntRange<D>::hi);
        if (v <= lo) return IntRange<D>::lo;
        if (v >= hi) return IntRange<D>::hi;
        return static_cast<D>(v);
    }
}

// N elements of T, aligned so one access is a single (up to 16-byte) load or store.
template <class T, int N>
struct alignas(sizeof(T) * N) Vec {
    T v[N];
};

// Elements per 16-byte vector for a kernel that reads T and writes O.
template <class O, class T>
constexpr int vec_width() {
    constexpr int big = sizeof(O) > sizeof(T) ? static_cast<int>(sizeof(O)) : static_cast<int>(sizeof(T));
    constexpr int n = 16 / big;
    return n > 8 ? 8 : n;
}

__host__ __device__ __forceinline__ bool aligned_to(const void* p, size_t bytes) {
    return reinterpret_cast<uintptr_t>(p) % bytes == 0;
}

// Alignment that pads a reduction accumulator to a multiple of 4 bytes (warp shuffles move words).
template <class V>
inline constexpr size_t acc_align = alignof(V) < 4 ? 4 : alignof(V);

// ---------------------------------------------------------------------------------------------
// Strided operands: N views of one shape, coalesced (size-1 dimensions dropped, dimensions that
// are contiguous for every operand merged), so most kernels see one or two dimensions.
// ---------------------------------------------------------------------------------------------

template <int N>
struct Strided {
    int32_t ndim = 0;
    int64_t sizes[kMaxDims] = {};
    int64_t strides[N][kMaxDims] = {};  // elements

    // Element offsets of every operand for the row-major linear index i.
    __device__ __forceinline__ void offsets(int64_t i, int64_t (&off)[N]) const {
        for (int k = 0; k < N; ++k) off[k] = 0;
        if (ndim == 1) {
            for (int k = 0; k < N; ++k) off[k] = i * strides[k][0];
            return;
        }
        for (int d = ndim - 1; d >= 0; --d) {
            const int64_t size = sizes[d];
            const int64_t q = i / size;
            const int64_t idx = i - q * size;
            i = q;
            for (int k = 0; k < N; ++k) off[k] += idx * strides[k][d];
        }
    }

    bool contiguous() const {
        if (ndim != 1) return false;
        for (int k = 0; k < N; ++k)
            if (strides[k][0] != 1) return false;
        return true;
    }
};

// views[0] decides the dimension order (the output).
template <int N>
Strided<N> make_strided(const View* const (&views)[N]) {
    Strided<N> s;
    const View& o = *views[0];
    for (int d = 0; d < o.ndim; ++d) {
        if (o.sizes[d] == 1) continue;
        s.sizes[s.ndim] = o.sizes[d];
        for (int k = 0; k < N; ++k) s.strides[k][s.ndim] = views[k]->strides[d];
        ++s.ndim;
    }
    if (s.ndim == 0) {  // one element
        s.ndim = 1;
        s.sizes[0] = 1;
        for (int k = 0; k < N; ++k) s.strides[k][0] = 1;
        return s;
    }
    int out = 0;
    for (int d = 1; d < s.ndim; ++d) {
        bool mergeable = true;
        for (int k = 0; k < N; ++k) mergeable = mergeable && s.strides[k][out] == s.strides[k][d] * s.sizes[d];
        if (mergeable) {
            s.sizes[out] *= s.sizes[d];
            for (int k = 0; k < N; ++k) s.strides[k][out] = s.strides[k][d];
        } else {
            ++out;
            s.sizes[out] = s.sizes[d];
            for (int k = 0; k < N; ++k) s.strides[k][out] = s.strides[k][d];
        }
    }
    s.ndim = out + 1;
    return s;
}

}  // namespace wick::cuda
