// Shared by the indexing, masking, rearranging and sorting kernels (index.cu, masked.cu,
// index_map.cu, sort.cu) and the NLL and embedding kernels: dispatch on element width for kernels
// that only move elements, index tensors as int64 on the device, the kernels' side of the index
// checks, and small host <-> device transfers of kernel parameters.
//
// Index checks (deferred_error.cuh): an index out of range must be an error naming the op, the
// index and the dimension (as on the CPU), never an out-of-bounds access, and must not cost a host
// synchronisation. So each kernel that reads or writes through an index checks the entries it
// uses (index_in_range): a bad one is skipped (a read gives 0, a write is dropped) and recorded in
// the device's deferred error (report_bad_index), which the host raises at its next wait for the
// device.
#pragma once

#include <cstdint>

#include "cuda/buffer.cuh"
#include "cuda/common.cuh"
#include "cuda/deferred_error.cuh"

namespace wick::cuda {

// fn(Tag<uintN_t>) for an element of dtype t's width.
template <class F>
void dispatch_width(DType t, F&& fn) {
    switch (dtype_size(t)) {
        case 1: fn(Tag<uint8_t>{}); return;
        case 2: fn(Tag<uint16_t>{}); return;
        case 4: fn(Tag<uint32_t>{}); return;
        case 8: fn(Tag<uint64_t>{}); return;
        default: fail(WK_ERR_INTERNAL, "no element width ", dtype_size(t));
    }
}

// An element of `width` bytes as raw bits (kernels that move elements of any dtype).
__device__ __forceinline__ uint64_t load_bits(const char* p, int32_t width) {
    switch (width) {
        case 1: return *reinterpret_cast<const uint8_t*>(p);
        case 2: return *reinterpret_cast<const uint16_t*>(p);
        case 4: return *reinterpret_cast<const uint32_t*>(p);
        default: return *reinterpret_cast<const uint64_t*>(p);
    }
}

__device__ __forceinline__ void store_bits(char* p, int32_t width, uint64_t v) {
    switch (width) {
        case 1: *reinterpret_cast<uint8_t*>(p) = static_cast<uint8_t>(v); break;
        case 2: *reinterpret_cast<uint16_t*>(p) = static_cast<uint16_t>(v); break;
        case 4: *reinterpret_cast<uint32_t*>(p) = static_cast<uint32_t>(v); break;
        default: *reinterpret_cast<uint64_t*>(p) = v; break;
    }
}

// An index view (int64 or int32, any shape and strides) as int64 on the device: the view itself
// when it is int64, else a contiguous int64 copy that this object owns.
class IndexView {
public:
    IndexView(const View& index, const char* op);
    const View& view() const { return view_; }
    const int64_t* data() const { return reinterpret_cast<const int64_t*>(view_.data); }

private:
    DeviceBuffer converted_;  // empty for an int64 index
    View view_;
};

// Records entry `position` (= `value`) of r's index as bad unless an earlier launch, or a smaller
// position of the same launch, is recorded already.
__device__ __forceinline__ void report_bad_index(const IndexReport& r, int64_t position, int64_t value) {
    volatile DeferredError* e = r.record;
    const unsigned long long pos = static_cast<unsigned long long>(position);
    auto superseded = [&] {
        return e->ready != 0 && (e->launch < r.launch || (e->launch == r.launch && e->position <= pos));
    };
    if (superseded()) return;  // the common case once one thread has reported: no lock
    while (atomicCAS(&r.record->lock, 0u, 1u) != 0u) {
    }
    __threadfence();
    if (!superseded()) {
        e->kind = r.kind;
        e->op = r.op;
        e->dim = r.dim;
        e->launch = r.launch;
        e->position = pos;
        e->value = value;
        e->size = r.size;
        e->extra = r.extra;
        __threadfence();
        e->ready = 1;
    }
    __threadfence();
    atomicCAS(&r.record->lock, 1u, 0u);
}

// k = v, wrapped when `wrap` allows negative entries; false when k lies outside [0, size) (the
// caller then reports v with report_bad_index and skips the entry).
__device__ __forceinline__ bool index_in_range(int64_t v, int64_t size, bool wrap, int64_t& k) {
    k = wrap && v < 0 ? v + size : v;
    return k >= 0 && k < size;
}

// A view without dimension d.
inline View drop_dim(const View& v, int d) {
    View r = v;
    r.ndim = v.ndim - 1;
    for (int i = d; i < r.ndim; ++i) {
        r.sizes[i] = v.sizes[i + 1];
        r.strides[i] = v.strides[i + 1];
    }
    return r;
}

// v's data and strides with the sizes of `shape` (a sub-box of v from its first element).
inline View restrict_to(const View& v, const View& shape) {
    View r = v;
    for (int i = 0; i < v.ndim; ++i) r.sizes[i] = shape.sizes[i];
    return r;
}

// True when dimension d has the smallest stride of v's dimensions (walking along d is walking
// neighbouring addresses): kernels then give consecutive threads consecutive positions along d.
inline bool is_innermost(const View& v, int d) {
    const int64_t sd = v.strides[d] < 0 ? -v.strides[d] : v.strides[d];
    for (int k = 0; k < v.ndim; ++k) {
        const int64_t sk = v.strides[k] < 0 ? -v.strides[k] : v.strides[k];
        if (k != d && v.sizes[k] > 1 && sk < sd) return false;
    }
    return true;
}

// Copies nbytes of host memory to device memory on the current stream without waiting: the bytes
// are staged in pinned memory, which is reused only after the copy has run.
void upload(void* device_dst, const void* host_src, size_t nbytes);

// Copies nbytes of device memory to host memory and waits for it (and all work before it); a
// pending deferred index error is raised then.
void download(void* host_dst, const void* device_src, size_t nbytes);

}  // namespace wick::cuda
