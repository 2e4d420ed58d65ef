#include "cuda/allocator.cuh"

#include <memory>

#include "cuda/common.cuh"

namespace wick::cuda {

DeviceAllocator& device_allocator(int32_t device) {
    // Immortal: tensors may be released during process exit, after static destructors have run.
    static DeviceAllocator* allocators[kMaxDevices] = {};
    static std::mutex mu;
    check(device >= 0 && device < kMaxDevices, WK_ERR_DEVICE, "cuda:", device, " is beyond the supported device count");
    std::lock_guard<std::mutex> lock(mu);
    if (allocators[device] == nullptr) allocators[device] = new DeviceAllocator(device);
    return *allocators[device];
}

DeviceAllocator::Block* DeviceAllocator::find_free(Pool& pool, size_t size, cudaStream_t stream, bool small) {
    Block key;
    key.stream = stream;
    key.size = size;
    key.ptr = nullptr;
    auto it = pool.lower_bound(&key);
    if (it == pool.end() || (*it)->stream != stream) return nullptr;
    Block* b = *it;
    // A huge cached block would be split into a tiny piece and a remainder that can only serve
    // small requests; keep such blocks for requests of their size.
    if (!small && b->size >= 4 * size && b->size - size > (64u << 20)) return nullptr;
    pool.erase(it);
    return b;
}

DeviceAllocator::Block* DeviceAllocator::new_segment(size_t segment_size, cudaStream_t stream, bool small) {
    if (limit_ > 0 && reserved_ + static_cast<int64_t>(segment_size) > limit_) return nullptr;
    void* p = nullptr;
    cudaError_t e = cudaMalloc(&p, segment_size);
    if (e != cudaSuccess) {
        cudaGetLastError();  // clear the (non-sticky) allocation error
        return nullptr;
    }
    auto* b = new Block;
    b->stream = stream;
    b->size = segment_size;
    b->ptr = static_cast<char*>(p);
    b->small = small;
    reserved_ += static_cast<int64_t>(segment_size);
    return b;
}

void* DeviceAllocator::allocate(size_t nbytes, cudaStream_t stream) {
    const size_t size = round_block(nbytes);
    const bool small = size <= kSmallRequest;
    std::lock_guard<std::mutex> lock(mu_);
    Pool& pool = small ? small_pool_ : large_pool_;
    Block* b = find_free(pool, size, stream, small);
    if (b == nullptr) {
        const size_t segment = small ? kSmallSegment
                                     : (size < kLargeSegment ? kLargeSegment : (size + kLargeRound - 1) / kLargeRound * kLargeRound);
        b = new_segment(segment, stream, small);
        if (b == nullptr) {
            // Return what the cache holds to the driver and try once more.
            note_host_wait();
            cudaError_t sync = cudaDeviceSynchronize();
            if (sync != cudaSuccess) throw_cuda(sync, "allocate (waiting for the device before releasing cached memory)");
            release_cached();
            b = new_segment(segment, stream, small);
            if (b == nullptr) fail_out_of_memory(nbytes, segment, cudaErrorMemoryAllocation);
        }
    }
    // Split off what this request does not need when the remainder is worth keeping.
    const size_t remaining = b->size - size;
    if (remaining >= (small ? kMinBlock : kMinLargeSplit)) {
        auto* rest = new Block;
        rest->stream = b->stream;
        rest->size = remaining;
        rest->ptr = b->ptr + size;
        rest->small = b->small;
        rest->prev = b;
        rest->next = b->next;
        if (b->next != nullptr) b->next->prev = rest;
        b->next = rest;
        b->size = size;
        pool.insert(rest);
    }
    b->allocated = true;
    live_.emplace(b->ptr, b);
    allocated_ += static_cast<int64_t>(b->size);
    if (allocated_ > peak_) peak_ = allocated_;
    return b->ptr;
}

void DeviceAllocator::free(void* ptr) {
    if (ptr == nullptr) return;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = live_.find(ptr);
    if (it == live_.end()) return;  // not ours: nothing sensible to do in a destructor
    Block* b = it->second;
    live_.erase(it);
    b->allocated = false;
    allocated_ -= static_cast<int64_t>(b->size);
    Pool& pool = b->small ? small_pool_ : large_pool_;
    // Merge with free neighbours (same segment, hence same stream).
    if (b->prev != nullptr && !b->prev->allocated) {
        Block* p = b->prev;
        pool.erase(p);
        p->size += b->size;
        p->next = b->next;
        if (b->next != nullptr) b->next->prev = p;
        delete b;
        b = p;
    }
    if (b->next != nullptr && !b->next->allocated) {
        Block* n = b->next;
        pool.erase(n);
        b->size += n->size;
        b->next = n->next;
        if (n->next != nullptr) n->next->prev = b;
        delete n;
    }
    pool.insert(b);
}

void DeviceAllocator::release_cached() {
    for (Pool* pool : {&small_pool_, &large_pool_}) {
        for (auto it = pool->begin(); it != pool->end();) {
            Block* b = *it;
            if (b->prev == nullptr && b->next == nullptr) {  // a whole segment, free
                cudaFree(b->ptr);
                cudaGetLastError();
                reserved_ -= static_cast<int64_t>(b->size);
                delete b;
                it = pool->erase(it);
            } else {
                ++it;
            }
        }
    }
}

void DeviceAllocator::empty_cache() {
    std::lock_guard<std::mutex> lock(mu_);
    note_host_wait();
    check_cuda(cudaDeviceSynchronize(), "EmptyCache (waiting for the device)");
    release_cached();
}

MemoryStats DeviceAllocator::stats() {
    std::lock_guard<std::mutex> lock(mu_);
    MemoryStats s;
    s.allocated_bytes = allocated_;
    s.peak_bytes = peak_;
    s.reserved_bytes = reserved_;
    return s;
}

void DeviceAllocator::reset_peak() {
    std::lock_guard<std::mutex> lock(mu_);
    peak_ = allocated_;
}

void DeviceAllocator::set_limit(int64_t limit_bytes) {
    std::lock_guard<std::mutex> lock(mu_);
    limit_ = limit_bytes > 0 ? limit_bytes : 0;
}

void DeviceAllocator::fail_out_of_memory(size_t nbytes, size_t segment_size, cudaError_t error) {
    size_t free_bytes = 0, total_bytes = 0;
    if (cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess) cudaGetLastError();
    const bool capped = limit_ > 0 && reserved_ + static_cast<int64_t>(segment_size) > limit_;
    if (capped)
        fail(WK_ERR_OUT_OF_MEMORY, "CUDA out of memory on cuda:", device_, ": allocating ", nbytes,
             " bytes would pass the limit of ", limit_, " bytes set with Memory.SetLimit (", allocated_,
             " bytes allocated by tensors, ", reserved_, " bytes reserved by Wick's cache, peak ", peak_,
             "). Dispose tensors you no longer need or raise the limit");
    fail(WK_ERR_OUT_OF_MEMORY, "CUDA out of memory on cuda:", device_, ": cannot allocate ", nbytes, " bytes (",
         cudaGetErrorName(error), "); ", allocated_, " bytes allocated by tensors, ", reserved_,
         " bytes reserved by Wick's cache, peak ", peak_, ", ", free_bytes, " of ", total_bytes,
         " bytes free on the device. Dispose tensors you no longer need (or use a DisposeScope), "
         "use smaller batches, or call Memory.EmptyCache(Device.Cuda(", device_, "))");
}

}  // namespace wick::cuda
