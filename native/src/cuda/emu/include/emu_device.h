// Device-side builtins for kernels compiled as plain C++ by the emulation build: each thread of a
// block is a fiber; the fibers of one block run on one host thread, switching at barriers
// (__syncthreads, warp shuffles), so shared memory is a static thread_local and the built-in
// index variables are set by the scheduler before a fiber resumes. See runtime.cpp.
#ifndef WICK_EMU_DEVICE_H
#define WICK_EMU_DEVICE_H

#include <cmath>
#include <cstdint>
#include <cstring>

#define __shared__ static thread_local
#define __constant__ static
#define __restrict__ __restrict

struct wick_emu_uint3 {
    unsigned int x, y, z;
};

extern thread_local wick_emu_uint3 threadIdx;
extern thread_local wick_emu_uint3 blockIdx;
extern thread_local wick_emu_uint3 blockDim;
extern thread_local wick_emu_uint3 gridDim;
constexpr int warpSize = 32;

namespace wick_emu {
// Barrier of every thread of the block / of the calling thread's warp.
void block_barrier();
void warp_barrier();
// Exchange slot of the calling thread for shuffles (8 bytes per thread).
uint64_t* shuffle_slots();
unsigned linear_thread_index();
unsigned block_thread_count();
}  // namespace wick_emu

inline void __syncthreads() { wick_emu::block_barrier(); }
inline void __syncwarp(unsigned = 0xffffffffu) { wick_emu::warp_barrier(); }
// One block runs at a time on one host thread: memory is always coherent.
inline void __threadfence() {}

inline unsigned int __shfl_xor_sync(unsigned int /*mask*/, unsigned int value, int lane_mask, int width = 32) {
    uint64_t* slots = wick_emu::shuffle_slots();
    const unsigned me = wick_emu::linear_thread_index();
    slots[me] = value;
    wick_emu::warp_barrier();
    const unsigned lane = me % 32u, base = me - lane;
    unsigned src_lane = (lane ^ static_cast<unsigned>(lane_mask)) % 32u;
    if (static_cast<unsigned>(width) < 32u && (src_lane / width) != (lane / width)) src_lane = lane;
    const unsigned src = base + src_lane;
    unsigned int r = src < wick_emu::block_thread_count() ? static_cast<unsigned int>(slots[src]) : value;
    wick_emu::warp_barrier();
    return r;
}

// The 32 lanes' predicates as a bit mask (lane i is bit i), through the shuffle slots.
inline unsigned int __ballot_sync(unsigned int /*mask*/, int predicate) {
    uint64_t* slots = wick_emu::shuffle_slots();
    const unsigned me = wick_emu::linear_thread_index();
    slots[me] = predicate != 0 ? 1u : 0u;
    wick_emu::warp_barrier();
    const unsigned base = me - me % 32u;
    unsigned int r = 0;
    for (unsigned lane = 0; lane < 32u && base + lane < wick_emu::block_thread_count(); ++lane)
        if (slots[base + lane] != 0) r |= 1u << lane;
    wick_emu::warp_barrier();
    return r;
}

inline int __popc(unsigned int v) { return __builtin_popcount(v); }
inline int __popcll(unsigned long long v) { return __builtin_popcountll(v); }

// Fibers switch only at barriers and blocks run one at a time, so a plain read-modify-write is
// atomic here.
template <class T>
inline T atomicAdd(T* p, T v) {
    const T old = *p;
    *p = static_cast<T>(old + v);
    return old;
}
inline unsigned long long atomicMin(unsigned long long* p, unsigned long long v) {
    const unsigned long long old = *p;
    if (v < old) *p = v;
    return old;
}
template <class T>
inline T atomicCAS(T* p, T compare, T v) {
    const T old = *p;
    if (old == compare) *p = v;
    return old;
}

inline float __uint_as_float(unsigned int u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}
inline unsigned int __float_as_uint(float f) {
    unsigned int u;
    std::memcpy(&u, &f, 4);
    return u;
}

#endif  // WICK_EMU_DEVICE_H
