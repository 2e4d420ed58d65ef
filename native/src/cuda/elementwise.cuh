// The elementwise engine shared by the unary and binary families: out[i] = f(in0[i], ...) with
// out of type O and inputs of type T, computed in OpMath<T> (float for the 16-bit floats).
//
// Two kernels per (op, dtype):
//  - map_contiguous: every operand contiguous (or a scalar) and 16-byte aligned: each thread
//    loads one 16-byte vector per operand, so the loads are as wide as the hardware allows;
//  - map_strided: anything else (transposed, sliced, broadcast through stride 0), one element per
//    thread, offsets from the coalesced shape (common.cuh, Strided).
// An input is an array, a device scalar (every stride 0: one element read by every thread) or a
// host scalar passed by value (binary ops with a number).
#pragma once

#include "cuda/common.cuh"

namespace wick::cuda {

enum class Operand : int32_t { Array = 0, DeviceScalar = 1, HostScalar = 2 };

template <class T, int NIN>
struct Inputs {
    const T* ptr[NIN];
    OpMath<T> scalar[NIN];  // the value of a HostScalar operand
    Operand kind[NIN];
};

namespace kernels {

template <class F, class C, int NIN>
__device__ __forceinline__ auto apply_op(const F& f, const C (&x)[NIN]) {
    if constexpr (NIN == 1) return f(x[0]);
    else return f(x[0], x[1]);
}

template <class O, class T, class F, int NIN, int V>
__global__ void __launch_bounds__(kThreads) map_contiguous(O* out, Inputs<T, NIN> in, int64_t n, F f) {
    using C = OpMath<T>;
    const int64_t base = (static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) * V;
    if (base >= n) return;
    if (base + V <= n) {
        C x[NIN][V];
#pragma unroll
        for (int j = 0; j < NIN; ++j) {
            if (in.kind[j] == Operand::Array) {
                const Vec<T, V> v = *reinterpret_cast<const Vec<T, V>*>(in.ptr[j] + base);
#pragma unroll
                for (int k = 0; k < V; ++k) x[j][k] = to_op(v.v[k]);
            } else {
                const C s = in.kind[j] == Operand::DeviceScalar ? to_op(in.ptr[j][0]) : in.scalar[j];
#pragma unroll
                for (int k = 0; k < V; ++k) x[j][k] = s;
            }
        }
        Vec<O, V> r;
#pragma unroll
        for (int k = 0; k < V; ++k) {
            C args[NIN];
#pragma unroll
            for (int j = 0; j < NIN; ++j) args[j] = x[j][k];
            r.v[k] = from_op<O>(apply_op(f, args));
        }
        *reinterpret_cast<Vec<O, V>*>(out + base) = r;
    } else {
        for (int64_t i = base; i < n; ++i) {
            C args[NIN];
            for (int j = 0; j < NIN; ++j) {
                args[j] = in.kind[j] == Operand::Array ? to_op(in.ptr[j][i])
                          : in.kind[j] == Operand::DeviceScalar ? to_op(in.ptr[j][0])
                                                                : in.scalar[j];
            }
            out[i] = from_op<O>(apply_op(f, args));
        }
    }
}

template <class O, class T, class F, int NIN>
__global__ void __launch_bounds__(kThreads) map_strided(O* out, Inputs<T, NIN> in, Strided<NIN + 1> s, int64_t n, F f) {
    using C = OpMath<T>;
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int64_t off[NIN + 1];
    s.offsets(i, off);
    C args[NIN];
#pragma unroll
    for (int j = 0; j < NIN; ++j) args[j] = in.kind[j] == Operand::HostScalar ? in.scalar[j] : to_op(in.ptr[j][off[j + 1]]);
    out[off[0]] = from_op<O>(apply_op(f, args));
}

}  // namespace kernels

// Runs f over out = f(inputs...). `views` holds the output first, then the inputs (same sizes;
// a host scalar input's view is ignored except for its shape). Host scalars come in `scalars`.
template <class O, class T, int NIN, class F>
void run_map(const char* name, const View& out, const View* const (&inputs)[NIN], const Operand (&kinds)[NIN],
             const OpMath<T> (&scalars)[NIN], F f) {
    const int64_t n = out.numel();
    if (n == 0) return;
    Inputs<T, NIN> in{};
    for (int j = 0; j < NIN; ++j) {
        in.kind[j] = kinds[j];
        in.scalar[j] = scalars[j];
        in.ptr[j] = kinds[j] == Operand::HostScalar ? nullptr : reinterpret_cast<const T*>(inputs[j]->data);
    }
    // Strided view of every operand (host scalars as stride-0 views of the output's shape).
    View zero = out;
    for (int d = 0; d < zero.ndim; ++d) zero.strides[d] = 0;
    const View* views[NIN + 1];
    views[0] = &out;
    for (int j = 0; j < NIN; ++j) views[j + 1] = kinds[j] == Operand::HostScalar ? &zero : inputs[j];
    Strided<NIN + 1> s = make_strided<NIN + 1>(views);

    // Contiguous path: the output and every array input contiguous; broadcast inputs as scalars.
    constexpr int V = vec_width<O, T>();
    bool contiguous = s.ndim == 1 && s.strides[0][0] == 1 && aligned_to(out.data, sizeof(O) * V);
    for (int j = 0; j < NIN && contiguous; ++j) {
        if (kinds[j] == Operand::HostScalar) continue;
        if (s.strides[j + 1][0] == 0 && s.ndim == 1) {
            in.kind[j] = Operand::DeviceScalar;
        } else {
            contiguous = s.strides[j + 1][0] == 1 && aligned_to(in.ptr[j], sizeof(T) * V);
        }
    }
    if (contiguous) {
        launch_kernel(name, &kernels::map_contiguous<O, T, F, NIN, V>, grid_1d(ceil_div(ceil_div(n, V), kThreads), name),
                      dim3(kThreads), reinterpret_cast<O*>(out.data), in, n, f);
        return;
    }
    for (int j = 0; j < NIN; ++j) in.kind[j] = kinds[j];
    launch_kernel(name, &kernels::map_strided<O, T, F, NIN>, grid_1d(ceil_div(n, kThreads), name), dim3(kThreads),
                  reinterpret_cast<O*>(out.data), in, s, n, f);
}

}  // namespace wick::cuda
